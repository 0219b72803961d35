"""What the notebooks show, assembled here so that notebook cells stay one line each.

``DomainSection`` is one domain of an annual monitoring report (a notebook per domain);
``Overview`` is the summary across domains. Both read the monitoring database's export (built
from data/raw on first use), assess the series as of the report year, and, when given an output
folder, write every figure (PNG 300 dpi, PDF, SVG; named by indicator id) and table (CSV, XLSX).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis.assessment import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.panel import AssessmentResults, assess_observations, roll_up
from analysis.catalog import CATALOG
from analysis.data import ingest, load_observations
from analysis.data.vocabulary import load_regions
from analysis.figures import charts, save_figure, use_paper_style
from analysis.paths import DATA_PROCESSED
from analysis.tables import indicator_table, labelled, progress_table, save_table

DOMAINS = list(CATALOG.domains["domain"])


def observations(processed_dir: Path | None = None) -> pd.DataFrame:
    """The current observations; builds the database from data/raw when it does not exist yet."""
    processed_dir = Path(processed_dir) if processed_dir else DATA_PROCESSED
    if not (processed_dir / "observations.parquet").exists():
        ingest(processed_dir=processed_dir)
    return load_observations(processed_dir)


def report_year(frame: pd.DataFrame, region: str) -> int:
    """The default report year: the latest year with data for the region."""
    years = frame.loc[frame["region"] == region, "year"]
    return int(years.max() if len(years) else frame["year"].max())


def region_and_towns(region: str) -> list[str]:
    regions = load_regions()
    return [region, *regions.loc[regions["parent"] == region, "region"]]


@dataclass
class _Section:
    year: int | None = None
    region: str = "金口河区"
    processed_dir: str | Path | None = None
    output_dir: str | Path | None = None
    lang: str = "zh"
    config: AssessmentConfig = DEFAULT_CONFIG
    written: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        use_paper_style()
        frame = observations(self.processed_dir)
        self.year = int(self.year) if self.year else report_year(frame, self.region)
        self.all_observations = frame.loc[frame["region"].isin(region_and_towns(self.region))]
        self.output_dir = Path(self.output_dir) if self.output_dir else None

    @property
    def synthetic(self) -> bool:
        return bool(self.all_observations["synthetic"].any())

    def zh(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def banner(self) -> str:
        if not self.synthetic:
            return ""
        return self.zh("> **本报告使用合成示例数据，数值不是真实统计，仅用于演示方法。**",
                       "> **This report uses SYNTHETIC example data: the numbers are not statistics.**")  # fmt: skip

    def _save_figure(self, fig, name: str) -> None:
        if self.output_dir is not None:
            self.written += save_figure(fig, self.output_dir / "figures" / name)

    def _save_table(self, frame: pd.DataFrame, name: str, level_column: str | None = None, title: str = "") -> None:
        if self.output_dir is not None:
            self.written += save_table(frame, self.output_dir / "tables" / name, self.lang, level_column, title)


@dataclass
class DomainSection(_Section):
    domain: str = "health"

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.domain not in DOMAINS:
            raise ValueError(f"unknown domain {self.domain!r}; one of {DOMAINS}")
        self.info = CATALOG.domains.set_index("domain").loc[self.domain]
        self.indicators = CATALOG.domain_indicators(self.domain)
        needed = set(self.indicators["indicator_id"]) | set(self.indicators["target_reference"]) | set(
            self.indicators["gap_of"])  # fmt: skip
        self.observations = self.all_observations.loc[self.all_observations["indicator_id"].isin(needed)]

    @cached_property
    def results(self) -> AssessmentResults:
        return assess_observations(self.observations, self.year, CATALOG, self.config)

    @cached_property
    def headline(self) -> pd.DataFrame:
        headline = self.results.headline(self.region)
        return headline.loc[headline["domain"] == self.domain].reset_index(drop=True)

    def title(self) -> str:
        name = self.info["name_zh"] if self.lang == "zh" else self.info["name_en"]
        heading = self.zh(f"# {self.info['section']}、{name}：{self.region} {self.year}年监测",
                          f"# {name}: {self.region}, monitoring {self.year}")  # fmt: skip
        return "\n\n".join(filter(None, [heading, self.banner()]))

    def goals(self) -> pd.DataFrame:
        goals = CATALOG.goals.loc[CATALOG.goals["domain"] == self.domain]
        counts = self.indicators.groupby("goal_id")["target_kind"].agg(lambda k: "、".join(sorted(set(k))))
        table = pd.DataFrame({"goal_id": goals["goal_id"], self.zh("主要目标", "Goal"):
                              goals["text_zh" if self.lang == "zh" else "text_en"],
                              self.zh("目标类型", "Target kinds"): goals["goal_id"].map(counts)})  # fmt: skip
        return table.reset_index(drop=True)

    def summary(self) -> str:
        rolled = roll_up(self.headline).iloc[-1] if len(self.headline) else None
        if rolled is None or not rolled["judged"]:
            return self.zh("本领域暂无可判断的指标。", "No indicator of this domain can be judged yet.")
        rate = rolled["attainment_rate"]

        def share(kind: str) -> str:
            r = rolled[f"attainment_rate_{kind}"]
            return "—" if r is None or pd.isna(r) else f"{r:.1%}"

        return self.zh(
            f"在可监测的{rolled['judged']}项指标中，{rolled['met']}项已实现或基本实现，达标率{rate:.1%}"
            f"（量化目标{share('quantified')}，方向性目标{share('direction')}；方向性目标须有超出年度波动的改善）；"
            f"红色预警{rolled['level_red']}项，黄色预警{rolled['level_yellow']}项。",
            f"Of {rolled['judged']} indicators that can be judged, {rolled['met']} are achieved or basically "
            f"achieved ({rate:.1%}; quantified targets {share('quantified')}, direction goals {share('direction')}, "
            f"where a direction goal needs a change beyond yearly noise); {rolled['level_red']} red and "
            f"{rolled['level_yellow']} yellow warnings.",
        )

    def progress_measures(self) -> pd.DataFrame:
        """The official-style measures (StatCan, Eurostat, UNSD, 时间进度) for the domain's targets."""
        table = progress_table(self.headline, self.lang)
        self._save_table(table, f"{self.domain}_progress_measures")
        return table

    def status_table(self) -> pd.DataFrame:
        table = indicator_table(self.headline, self.lang)
        self._save_table(table, f"{self.domain}_indicators", "level_zh" if self.lang == "zh" else "level")
        return labelled(table.drop(columns=["sources", "synthetic"]), self.lang)

    def warnings(self) -> pd.DataFrame:
        warnings = self.headline.loc[self.headline["level"].isin(["red", "yellow"])]
        table = indicator_table(warnings.sort_values(["level", "probability"], ascending=[True, True]), self.lang)
        self._save_table(table, f"{self.domain}_warnings", "level_zh" if self.lang == "zh" else "level")
        columns = ["indicator_id", "name_zh" if self.lang == "zh" else "name_en",
                   "level_zh" if self.lang == "zh" else "level", "reasons_zh" if self.lang == "zh" else "reasons_en"]  # fmt: skip
        return labelled(table[columns], self.lang)

    def fan_charts(self):
        """One fan chart per headline indicator with a forecast (saved), and the domain's small multiples."""
        keyed = [(row.indicator_id, self.results.assessments.get(
                    (row.indicator_id, row.region, row.sex, row.urban_rural, row.population_group)))
                 for row in self.headline.itertuples() if row.indicator_id in set(self.indicators["indicator_id"])]  # fmt: skip
        keyed = [(i, r) for i, r in keyed if r is not None and len(r.years)]  # counts and seats have no forecast
        for indicator_id, result in keyed:
            fig, ax = plt.subplots(figsize=charts.figsize("single"))
            name = CATALOG.indicator(indicator_id)["name_zh" if self.lang == "zh" else "name_en"]
            charts.fan_chart(result, ax=ax, lang=self.lang, synthetic=self.synthetic, title=name)
            self._save_figure(fig, indicator_id)
            plt.close(fig)
        if not keyed:
            return None
        fig = charts.small_multiples([r for _, r in keyed], lang=self.lang, synthetic=self.synthetic)
        self._save_figure(fig, f"{self.domain}_small_multiples")
        return fig

    def gap_charts(self):
        """Female/male, urban/rural and town lines for indicators whose goal names those breakdowns."""
        figures = []
        for ind in self.indicators.itertuples():
            frame = self.observations.loc[(self.observations["indicator_id"] == ind.indicator_id)
                                          & (self.observations["status"] == "value")]  # fmt: skip
            name = ind.name_zh if self.lang == "zh" else ind.name_en
            for between, column in (("sex", "sex"), ("urban_rural", "urban_rural"), ("township", "region")):
                part = frame
                if between == "township":
                    part = frame.loc[frame["region"] != self.region]
                else:
                    part = frame.loc[(frame["region"] == self.region) & (frame[column] != "total")]
                if part[column].nunique() < 2:
                    continue
                fig, ax = plt.subplots(figsize=charts.figsize("single"))
                charts.gap_chart(part, column, ax=ax, lang=self.lang, synthetic=self.synthetic, title=name,
                                 unit=ind.unit)  # fmt: skip
                self._save_figure(fig, f"{ind.indicator_id}_gap_{between}")
                figures.append(fig)
        return figures

    def gaps(self) -> pd.DataFrame:
        """The gap indicators (差距缩小) and how they are judged."""
        gaps = self.headline.loc[self.headline["target_kind"] == "gap_narrowing"]
        table = indicator_table(gaps, self.lang)
        self._save_table(table, f"{self.domain}_gaps", "level_zh" if self.lang == "zh" else "level")
        return labelled(table.drop(columns=["sources", "synthetic"]), self.lang)

    def not_judged(self) -> pd.DataFrame:
        """What could not be judged and why: grey series, indicators without data, qualitative goals."""
        grey = self.headline.loc[self.headline["level"] == "grey", ["indicator_id", "name_zh", "name_en", "reasons_zh",
                                                                    "reasons_en"]]  # fmt: skip
        seen = set(self.headline["indicator_id"])
        missing = self.indicators.loc[~self.indicators["indicator_id"].isin(seen)]
        why = missing["target_kind"].map(lambda k: ("定性目标，无统计指标", "qualitative goal without a statistic")
                                         if k == "qualitative" else ("暂无数据", "no data yet"))  # fmt: skip
        extra = pd.DataFrame({"indicator_id": missing["indicator_id"], "name_zh": missing["name_zh"],
                              "name_en": missing["name_en"], "reasons_zh": [w[0] for w in why],
                              "reasons_en": [w[1] for w in why]})  # fmt: skip
        table = pd.concat([grey, extra], ignore_index=True).sort_values("indicator_id")
        table = table[["indicator_id", "name_zh" if self.lang == "zh" else "name_en",
                       "reasons_zh" if self.lang == "zh" else "reasons_en"]]  # fmt: skip
        self._save_table(table, f"{self.domain}_not_judged")
        return labelled(table, self.lang).reset_index(drop=True)

    def sources(self) -> pd.DataFrame:
        """Every source the domain's figures come from, with how many values each gave."""
        used = self.observations.loc[self.observations["year"] <= self.year]
        table = used.groupby(["source", "file"]).size().rename(self.zh("数值个数", "values")).reset_index()
        return table.rename(columns={"source": self.zh("数据来源", "Source"), "file": self.zh("文件", "File")})


@dataclass
class Overview(_Section):
    first_year: int = DEFAULT_CONFIG.base_year + 1

    @cached_property
    def results(self) -> AssessmentResults:
        return assess_observations(self.all_observations, self.year, CATALOG, self.config)

    @cached_property
    def headline(self) -> pd.DataFrame:
        return self.results.headline(self.region)

    def title(self) -> str:
        heading = self.zh(f"# 《金口河妇女发展纲要（2021—2030年）》{self.year}年监测总览：{self.region}",
                          f"# Jinkouhe Women's Development Outline 2021–2030: overview {self.year}, {self.region}")  # fmt: skip
        return "\n\n".join(filter(None, [heading, self.banner()]))

    def attainment(self) -> pd.DataFrame:
        table = roll_up(self.headline)
        columns = {"domain_zh": self.zh("领域", "Domain"), "indicators": self.zh("指标数", "Indicators"),
                   "judged": self.zh("可判断", "Judged"), "met": self.zh("已实现或基本实现", "Met"),
                   "attainment_rate": self.zh("达标率", "Attainment rate"), "level_red": self.zh("红色", "Red"),
                   "level_yellow": self.zh("黄色", "Yellow"), "level_green": self.zh("绿色", "Green"),
                   "level_grey": self.zh("灰色", "Grey")}  # fmt: skip
        table = table.assign(synthetic=self.synthetic)
        self._save_table(table, "attainment")
        return table[list(columns)].rename(columns=columns)

    def scorecard(self):
        fig, ax = plt.subplots(figsize=charts.figsize("double", 70))
        charts.scorecard(self.headline, ax=ax, lang=self.lang, synthetic=self.synthetic)
        self._save_figure(fig, "scorecard")
        return fig

    def warning_list(self) -> pd.DataFrame:
        """预警清单: every red and yellow indicator, most severe first, with its reasons."""
        table = indicator_table(self.results.warnings(self.region), self.lang)
        self._save_table(table, "warning_list", "level_zh" if self.lang == "zh" else "level",
                         title=self.zh(f" {self.region}{self.year}年预警清单", f" Warning list {self.year}"))  # fmt: skip
        return labelled(table.drop(columns=["sources", "synthetic"]), self.lang)

    @cached_property
    def history(self) -> pd.DataFrame:
        """Warning level of each headline indicator as it would have been reported each year."""
        frames = []
        for year in range(self.first_year, self.year + 1):
            result = assess_observations(self.all_observations, year, CATALOG, self.config).headline(self.region)
            frames.append(result[["indicator_id", "name_zh", "level", "status"]].assign(as_of=year))
        return pd.concat(frames, ignore_index=True)

    def heatmap(self):
        fig, ax = plt.subplots(figsize=charts.figsize("double", max(60, 4.2 * self.headline["indicator_id"].nunique() + 20)))
        charts.status_heatmap(self.history, ax=ax, lang=self.lang, synthetic=self.synthetic)
        self._save_figure(fig, "status_heatmap")
        self._save_table(self.history.assign(synthetic=self.synthetic), "status_history")
        return fig
