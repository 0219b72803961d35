"""What the notebooks show, assembled here so that notebook cells stay one line each.

``DomainSection`` is one domain of an annual monitoring report (a notebook per domain);
``Overview`` is the summary across domains. Both read the monitoring database's export (built
from data/raw on first use) and the run's stored assessment of the region and year
(analysis/assessment/stored.py; without one, opened by hand, they assess the series themselves), and, when
given an output folder, write every figure (PNG 300 dpi by default; PDF and SVG when asked; named
by indicator id) and table (CSV, XLSX).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Image, Markdown, display

from analysis.assessment import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.panel import AssessmentResults, assess_observations, roll_up
from analysis.assessment.stored import stored_or_assessed
from analysis.catalog import CATALOG
from analysis.data import load_observations
from analysis.data.region import observations, region_and_towns, report_year
from analysis.figures import charts, figsize, save_figure, use_paper_style
from analysis.figures.style import preview
from analysis.paths import DATA_PROCESSED
from analysis.report.findings import counted_values
from analysis.report.tables import (
    KIND_TEXT,
    format_percent,
    indicator_table,
    labelled,
    progress_table,
    save_table,
    styled,
)

DOMAINS = list(CATALOG.domains["domain"])
# The headings of the report's parts, with the sentence that says how to read them.
HEADINGS = {
    "goals": ("## 主要目标", "## Goals"),
    "summary": ("## 总体情况", "## Summary"),
    "status": ("## 各指标现状、2030年预测与预警\n\n现状将最新值与目标比较（基本实现：比例类指标差距不超过1个百分点，"
               "其他指标不超过目标值的5%；方向性目标须有超出年度波动的变化）。评估对象指目标所判断的序列（面向女性的目标判断女性数值）。"
               "概率的含义见“概率含义”一栏（2030年达到目标、2030年水平在“左右”区间内、2030年好于2020年等）。"
               "少数事件的比率（几百活产中的死亡）不作预测、不给概率：“计数依据”列出例数、合并率及其精确区间，"
               "预警来自计数与目标的精确检验。换届产生的机构按届判断。",
               "## Where each indicator stands\n\nStatus compares the latest value with the target (basically achieved: "
               "within 1 percentage point for shares, 5% of the target otherwise; a direction goal needs a change beyond "
               "its yearly noise). Judged on says which series the target judges (women, for targets set for women). "
               "Probability is about what 'Probability of' says (the 2030 value meets the target, lies in an 'about' "
               "band, is better than 2020 …). Rates of a few events have no forecast and no probability: Counts gives "
               "the counts, the pooled rate and its exact interval, and the warning comes from an exact test of the "
               "counts against the target. Elected bodies are judged by term."),
    "warnings": ("## 预警", "## Warnings"),
    "progress": ("## 官方口径的进展测度\n\nStatistics Canada（目标比值0.95/0.60/0；无目标时年均增速1.5%/0.5%）、Eurostat"
                 "（同一比值，无目标时±1%）、UNSD（预期进展/所需进展0.95/0.5/0.1/−0.1）与时间进度（时间过半、任务过半），"
                 "只用基期与最新值，供与已发布的评估对照。",
                 "## Official-style progress measures\n\nStatistics Canada (target ratio 0.95/0.60/0; without a target "
                 "CAGR 1.5%/0.5%), Eurostat (the same ratio; without a target ±1%), UNSD (expected/required progress "
                 "0.95/0.5/0.1/−0.1) and time progress, from the base and latest values only, for comparison with "
                 "published assessments."),
    "trends": ("## 趋势与预测\n\n阴影为80%和95%预测区间；小数事件比率显示5年合并值及其95%区间。",
               "## Trends and forecasts\n\nShaded: 80% and 95% forecast intervals; rates of small counts are shown "
               "as 5-year pooled rates with their 95% intervals."),
    "gaps": ("## 性别、城乡与乡镇差距\n\n差距图显示差值本身（女−男、城镇−农村）；乡镇小数事件显示5年合并比率及例数。",
             "## Gaps by sex, urban/rural and town\n\nGap charts show the difference itself (women − men, "
             "urban − rural); small counts in towns are shown as 5-year pooled rates with their counts."),
    "breakdowns": ("### 分城乡、民族乡与其他乡镇、分年龄\n\n城镇减农村、民族乡与其他乡镇、各年龄组女性与男性。小数事件（如孕产妇死亡）"
                   "按2021年起合并，列出例数/分母及精确95%区间，少于5例不计算比率；只有比率时不计算区间。"
                   "差距较2020年“缩小”或“扩大”须超出年度波动（概率≥90%），否则为“变化不明显”。",
                   "### Urban/rural, ethnic townships, age groups\n\nUrban − rural, the ethnic townships beside the "
                   "other towns, women and men by age group. Rare events (maternal deaths) pooled since 2021 as "
                   "events/base with exact 95% intervals, no rate below 5 events; no interval from rates alone. "
                   "A gap has narrowed or widened since 2020 only beyond its yearly noise (probability ≥ 90 %), "
                   "else: no clear change."),
    "not_judged": ("## 无法判断的指标及原因", "## What could not be judged, and why"),
    "sources": ("## 数据来源", "## Sources"),
    "attainment": ("## 达标率\n\n与国家统计局监测报告一致：可判断指标中已实现或基本实现的比例。",
                   "## Attainment rate\n\nAs in the national statistics bureau's reports: of the indicators that "
                   "can be judged, the share achieved or basically achieved."),
    "warning_list": ("## 预警清单\n\n先红色后黄色；同一等级内达标概率低者在前。",
                     "## Warning list\n\nRed first, then yellow; lowest probability first within a level."),
    "history": ("## 预警等级的年度变化", "## Warning levels by report year"),
}


@dataclass
class _Section:
    year: int | None = None
    region: str = "金口河区"
    processed_dir: str | Path | None = None
    output_dir: str | Path | None = None
    lang: str = "zh"
    config: AssessmentConfig = DEFAULT_CONFIG
    formats: tuple[str, ...] = ("png",)  # PDF, SVG: run --formats, or any size with the figure kit
    written: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        use_paper_style()
        frame = observations(self.processed_dir)
        self.year = int(self.year) if self.year else report_year(frame, self.region)
        self.all_observations = frame.loc[frame["region"].isin(region_and_towns(self.region))]
        self.output_dir = Path(self.output_dir) if self.output_dir else None

    def _assessed(self, observations: pd.DataFrame) -> AssessmentResults:
        """The run's stored assessment of the region and year if there is one for these very data,
        code and configuration; else the assessment of ``observations`` (a notebook opened by hand)."""
        processed_dir = Path(self.processed_dir) if self.processed_dir else DATA_PROCESSED
        return stored_or_assessed(processed_dir, self.all_observations, self.year, self.region, self.config,
                                  assess=observations)  # fmt: skip

    @property
    def synthetic(self) -> bool:
        return bool(self.all_observations["synthetic"].any())

    @property
    def region_name(self) -> str:
        return charts.region_name(self.region, self.lang)

    def zh(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def no_data(self) -> str:
        """Says so when there is nothing to report (a notebook opened by hand for a domain, region or
        year without observations): every table below is then empty."""
        seen = self._observations_seen()
        if len(seen.loc[seen["year"] <= self.year]):
            return ""
        what = self._what()
        return self.zh(f"> **暂无数据：数据库中没有{self.region}{self.year}年及以前的{what[0]}观测值，以下各表为空。**"
                       "请把数据放入 data/raw（填报表：`python -m analysis template`），再运行 `python -m analysis ingest`。",
                       f"> **No data: the database holds no {what[1]} observation for {self.region_name} up to {self.year}; "
                       "the tables below are empty.** Put the data in data/raw (entry workbook: "
                       "`python -m analysis template`), then run `python -m analysis ingest`.")  # fmt: skip

    def _observations_seen(self) -> pd.DataFrame:
        return self.all_observations

    def _what(self) -> tuple[str, str]:
        return "", ""

    def banner(self) -> str:
        if not self.synthetic:
            return ""
        return self.zh("> **本报告使用合成示例数据，数值不是真实统计，仅用于演示方法。**",
                       "> **This report uses SYNTHETIC example data: the numbers are not statistics.**")  # fmt: skip

    def heading(self, part: str) -> None:
        """Show the heading (and how to read it) of one part of the report, in the report's language."""
        display(Markdown(self.zh(*HEADINGS[part])))

    def _level_key(self) -> str:
        return self.zh("预警", "Warning")

    def _present(self, figures: dict) -> None:
        """Save each figure (id → figure), close it, and display it once: its saved PNG, shrunk,
        when there is one (drawing it again for the screen cost as much as saving it)."""
        for name, fig in figures.items():
            png = None
            if self.output_dir is not None:
                paths = save_figure(fig, self.output_dir / "figures" / name, self.formats)
                self.written += paths
                png = next((p for p in paths if p.suffix == ".png"), None)
            plt.close(fig)
            display(Image(data=preview(png)) if png is not None else fig)

    def _save_table(self, frame: pd.DataFrame, name: str, level_column: str | None = None, title: str = "") -> None:
        if self.output_dir is not None:
            self.written += save_table(frame, self.output_dir / "tables" / name, self.lang, level_column, title)

    def figure_ids(self) -> list[str]:
        return list(self._builders())

    def build_figure(self, figure_id: str, width="single") -> dict:
        """Draw one figure (or its pages) by id: {id: Figure}."""
        builders = self._builders()
        if figure_id not in builders:
            raise KeyError(f"no figure {figure_id!r} here; figures: {', '.join(builders)}")
        return builders[figure_id](width)

    def _builders(self) -> dict:
        return {}


@dataclass
class DomainSection(_Section):
    domain: str = "health"
    # One fan chart file per indicator besides the small multiples that show them all: 96 of a
    # yearly run's 136 figures and 40 % of its time, so only when asked (run --indicator-figures;
    # the figure kit draws any one of them at a journal's width).
    indicator_figures: bool = False

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
        return self._assessed(self.observations)

    @cached_property
    def headline(self) -> pd.DataFrame:
        headline = self.results.headline(self.region)
        return headline.loc[headline["domain"] == self.domain].reset_index(drop=True)

    @property
    def name(self) -> str:
        return self.info["name_zh"] if self.lang == "zh" else self.info["name_en"]

    def title(self) -> str:
        heading = self.zh(f"# {self.info['section']}、{self.name}：{self.region} {self.year}年监测",
                          f"# {self.name}: {self.region_name}, monitoring {self.year}")  # fmt: skip
        return "\n\n".join(filter(None, [heading, self.no_data(), self.banner()]))

    def _observations_seen(self) -> pd.DataFrame:
        return self.observations.loc[self.observations["indicator_id"].isin(self.indicators["indicator_id"])]

    def _what(self) -> tuple[str, str]:
        return f"{self.info['name_zh']}领域", f"{self.info['name_en'].lower()}"

    def goals(self):
        goals = CATALOG.goals.loc[CATALOG.goals["domain"] == self.domain]
        kinds = self.indicators.groupby("goal_id")["target_kind"].agg(
            lambda k: "、".join(KIND_TEXT.get(x, (x, x))[0 if self.lang == "zh" else 1] for x in sorted(set(k))))
        table = pd.DataFrame({self.zh("目标", "Goal"): goals["goal_id"], self.zh("主要目标", "Text"):
                              goals["text_zh" if self.lang == "zh" else "text_en"],
                              self.zh("目标类型", "Target kinds"): goals["goal_id"].map(kinds)})  # fmt: skip
        return styled(table)

    def summary(self) -> str:
        rolled = roll_up(self.headline).iloc[-1] if len(self.headline) else None
        if rolled is None or not rolled["judged"]:
            return self.zh("本领域暂无可判断的指标。", "No indicator of this domain can be judged yet.")
        rate = rolled["attainment_rate"]

        def share(kind: str) -> str:
            r = rolled.get(f"attainment_rate_{kind}")
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

    def progress_measures(self):
        """The official-style measures (StatCan, Eurostat, UNSD, 时间进度) for the domain's targets."""
        table = progress_table(self.headline, self.lang, counted_values(self.headline, self.results.assessments, self.lang))
        self._save_table(table, f"{self.domain}_progress_measures")
        return styled(table)

    def status_table(self):
        self._save_table(indicator_table(self.headline, self.lang, export=True), f"{self.domain}_indicators", "level")
        table = indicator_table(self.headline, self.lang).drop(columns=["reasons"], errors="ignore")
        return styled(labelled(table, self.lang), self._level_key())

    def warnings(self):
        warnings = self.headline.loc[self.headline["level"].isin(["red", "yellow"])]
        warnings = warnings.sort_values(["level", "probability"], ascending=[True, True])
        self._save_table(indicator_table(warnings, self.lang, export=True), f"{self.domain}_warnings", "level")
        if warnings.empty:  # said, not shown as a table of headers only
            return Markdown(self.zh(f"{self.year}年本领域没有红色或黄色预警。", f"No red or yellow warning in this domain in {self.year}."))
        table = indicator_table(warnings, self.lang)
        keep = [c for c in ("indicator_id", "name", "level", "probability", "reasons", "evidence") if c in table]
        return styled(labelled(table[keep], self.lang), self._level_key())

    def _series(self) -> list[tuple[str, object]]:
        """(indicator id, assessment) of the domain's headline series with data (counts and seats have no
        forecast, and are charted all the same)."""
        ids = set(self.indicators["indicator_id"])
        keyed = [(row.indicator_id, self.results.assessments.get(
                    (row.indicator_id, row.region, row.sex, row.urban_rural, row.population_group)))
                 for row in self.headline.itertuples() if row.indicator_id in ids]  # fmt: skip
        return [(i, r) for i, r in keyed if r is not None and len(r.years)]

    def _fan(self, indicator_id: str, result, width="single") -> dict:
        fig, ax = plt.subplots(figsize=figsize(width))
        higher, targets = self.higher_levels(indicator_id)
        charts.fan_chart(result, ax=ax, lang=self.lang, synthetic=self.synthetic, legend=higher.empty and targets.empty,
                         title=charts.indicator_name(indicator_id, self.lang))  # fmt: skip
        if not (higher.empty and targets.empty):
            charts.higher_levels(ax, higher, targets, self.lang)
            charts.legend_below(ax)
        return {indicator_id: fig}

    def higher_levels(self, indicator_id: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """乐山市/四川省/全国 values of the series the fan chart shows (same sex and urban/rural), up to the
        report year, and the higher outlines' targets (analysis/catalog/targets_by_level.csv)."""
        from analysis.catalog import load_targets_by_level

        every = self._higher_observations
        series = self.headline.loc[self.headline["indicator_id"] == indicator_id]
        sex, area = (series["sex"].iloc[0], series["urban_rural"].iloc[0]) if len(series) else ("total", "total")
        values = every.loc[(every["indicator_id"] == indicator_id)
                           & (every["sex"] == sex) & (every["urban_rural"] == area) & (every["population_group"] == "")
                           & (every["status"] == "value")]  # fmt: skip
        targets = load_targets_by_level()
        targets = targets.loc[(targets["indicator_id"] == indicator_id) & targets["target_value"].notna()]
        return values.rename(columns={"region": "level"})[["level", "year", "value", "source"]], targets

    @cached_property
    def _higher_observations(self) -> pd.DataFrame:
        from analysis.assessment.comparison import HIGHER

        every = load_observations(Path(self.processed_dir) if self.processed_dir else DATA_PROCESSED, self.year)
        return every.loc[every["region"].isin(HIGHER)]

    def _small_multiples(self, width="double") -> dict:
        series = self._series()
        pages = charts.small_multiples([r for _, r in series], [charts.indicator_name(i, self.lang) for i, _ in series],
                                       lang=self.lang, synthetic=self.synthetic)  # fmt: skip
        stem = f"{self.domain}_small_multiples"
        return {stem if n == 1 else f"{stem}_{n}": fig for n, fig in enumerate(pages, start=1)}

    def fan_charts(self) -> None:
        """The domain's small multiples (saved and shown), and when asked one fan chart per indicator (saved)."""
        if self.output_dir is not None and self.indicator_figures:
            for indicator_id, result in self._series():
                for name, fig in self._fan(indicator_id, result).items():
                    self.written += save_figure(fig, self.output_dir / "figures" / name, self.formats)
                    plt.close(fig)
        if self._series():
            self._present(self._small_multiples())

    def _gap_builders(self) -> dict:
        """Gap figures by id: female − male, urban − rural, and towns, for indicators with those breakdowns."""
        builders = {}
        for ind in self.indicators.itertuples():
            frame = self.observations.loc[(self.observations["indicator_id"] == ind.indicator_id)
                                          & (self.observations["status"] == "value")]  # fmt: skip
            if frame.empty:
                continue
            name = ind.name_zh if self.lang == "zh" else ind.name_en
            district = frame.loc[frame["region"] == self.region]
            for between in ("sex", "urban_rural"):
                part = district.loc[district[between] != "total"]
                if set(part[between]) >= set(charts.GAP_PAIRS[between]):
                    builders[f"{ind.indicator_id}_gap_{between}"] = self._gap_builder(part, between, name, ind.unit)
            towns = frame.loc[(frame["region"] != self.region) & (frame["sex"] == "total")
                              & (frame["urban_rural"] == "total")]  # fmt: skip
            if towns["region"].nunique() >= 2:
                total = district.loc[(district["sex"] == "total") & (district["urban_rural"] == "total")]
                builders[f"{ind.indicator_id}_gap_township"] = self._town_builder(towns, total, ind, name)
        return builders

    def _gap_builder(self, part, between, name, unit):
        def build(width="single"):
            fig, ax = plt.subplots(figsize=figsize(width))
            charts.gap_chart(part, between, ax=ax, lang=self.lang, synthetic=self.synthetic, title=name, unit=unit)
            return fig
        return build

    def _town_builder(self, towns, total, ind, name):
        per = float(ind.per) if str(ind.small_count).lower() == "true" and str(ind.per) not in ("", "nan") else None

        def build(width="single"):
            fig, ax = plt.subplots(figsize=figsize(width, 22 + 9 * towns["region"].nunique()))
            district = None
            if per is None and len(total.dropna(subset=["value"])):
                district = float(total.dropna(subset=["value"]).sort_values("year")["value"].iloc[-1])
            charts.town_chart(towns, district, ax=ax, lang=self.lang, synthetic=self.synthetic, title=name,
                              unit=ind.unit, per=per, as_of=self.year)  # fmt: skip
            return fig
        return build

    def gap_charts(self) -> None:
        """The gaps themselves (女−男, 城镇−农村), the towns side by side, women and men by age group."""
        builders = {**self._gap_builders(), **self._age_builders()}
        self._present({name: build() for name, build in builders.items()})

    @cached_property
    def _age_table(self) -> pd.DataFrame:
        """The domain's indicators by age group and sex (``comparison.age_table``): read and built once
        for the table and the charts."""
        from analysis.assessment import comparison

        by_age = load_observations(Path(self.processed_dir) if self.processed_dir else DATA_PROCESSED, self.year, by_age=True)
        return comparison.age_table(by_age.loc[by_age["indicator_id"].isin(self.indicators["indicator_id"])], self.region)

    def _age_builders(self) -> dict:
        """Age-profile figures by id ('ED-09-2_age'), for indicators with age groups (latest year)."""
        table = self._age_table
        builders = {}
        for indicator_id, rows in (table.groupby("indicator_id") if not table.empty else []):
            if rows[["female", "male"]].notna().all(axis=None):
                ind = CATALOG.indicator(indicator_id)
                name = ind["name_zh"] if self.lang == "zh" else ind["name_en"]

                def build(width="single", rows=rows, name=name, unit=ind["unit"]):
                    fig, ax = plt.subplots(figsize=figsize(width))
                    charts.age_chart(rows, ax=ax, lang=self.lang, synthetic=self.synthetic, title=name, unit=unit)
                    return fig

                builders[f"{indicator_id}_age"] = build
        return builders

    def breakdown_frames(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """分城乡, 民族乡与其他乡镇 and 分年龄 for the domain's indicators: {key: (title, table)}, empty ones left out."""
        from analysis.assessment import comparison
        from analysis.report import breakdowns

        ids = set(self.indicators["indicator_id"])
        mine = self.all_observations.loc[self.all_observations["indicator_id"].isin(ids)
                                         & (self.all_observations["year"] <= self.year)]  # fmt: skip
        parts = {
            "urban_rural": (self.zh("分城乡", "Urban and rural"),
                            breakdowns.urban_rural_view(comparison.urban_rural_table(mine, self.region), self.lang)),
            "ethnic_townships": (self.zh("民族乡与其他乡镇", "Ethnic townships and the other towns"),
                                 breakdowns.ethnic_view(comparison.ethnic_table(mine, self.region), self.lang)),
            "age_groups": (self.zh("分年龄、分性别", "By age group and sex"),
                           breakdowns.age_view(self._age_table, self.lang)),
        }  # fmt: skip
        return {key: part for key, part in parts.items() if not part[1].empty}

    def breakdown_tables(self) -> None:
        """Show and save the breakdown views (``breakdown_frames``), each marked when synthetic."""
        for key, (title, table) in self.breakdown_frames().items():
            self._save_table(table.assign(synthetic=self.synthetic), f"{self.domain}_{key}", title=f" {title}")
            display(Markdown(f"**{title}**" + (self.zh("（合成示例数据）", " (synthetic example)") if self.synthetic else "")))
            display(styled(table))

    def gaps(self):
        """The gap indicators (差距缩小) and how they are judged."""
        gaps = self.headline.loc[self.headline["target_kind"] == "gap_narrowing"]
        self._save_table(indicator_table(gaps, self.lang, export=True), f"{self.domain}_gaps", "level")
        return styled(labelled(indicator_table(gaps, self.lang), self.lang), self._level_key())

    def not_judged(self):
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
        table = pd.DataFrame({"indicator_id": table["indicator_id"],
                              "name": table["name_zh" if self.lang == "zh" else "name_en"],
                              "reasons": table["reasons_zh" if self.lang == "zh" else "reasons_en"]})  # fmt: skip
        self._save_table(table, f"{self.domain}_not_judged")
        return styled(labelled(table, self.lang))

    def sources(self):
        """Every source the domain's figures come from, with how many values each gave."""
        used = self.observations.loc[self.observations["year"] <= self.year]
        table = used.groupby(["source", "file"]).size().rename(self.zh("数值个数", "Values")).reset_index()
        return styled(table.rename(columns={"source": self.zh("数据来源", "Source"), "file": self.zh("文件", "File")}))

    def _builders(self) -> dict:
        builders = {i: (lambda width="single", i=i, r=r: self._fan(i, r, width)) for i, r in self._series()}
        builders[f"{self.domain}_small_multiples"] = lambda width="double": self._small_multiples(width)
        for name, build in {**self._gap_builders(), **self._age_builders()}.items():
            builders[name] = lambda width="single", name=name, build=build: {name: build(width)}
        return builders


@dataclass
class Overview(_Section):
    first_year: int = DEFAULT_CONFIG.base_year + 1

    @cached_property
    def results(self) -> AssessmentResults:
        return self._assessed(self.all_observations)

    @cached_property
    def headline(self) -> pd.DataFrame:
        return self.results.headline(self.region)

    def title(self) -> str:
        heading = self.zh(f"# 《金口河妇女发展纲要（2021—2030年）》{self.year}年监测总览：{self.region}",
                          f"# Jinkouhe Women's Development Outline 2021–2030: overview {self.year}, {self.region_name}")  # fmt: skip
        return "\n\n".join(filter(None, [heading, self.no_data(), self.banner()]))

    def attainment(self):
        table = roll_up(self.headline)
        table = table.assign(synthetic=self.synthetic)
        self._save_table(table, "attainment")
        domains = table["domain"].map(lambda d: self.zh("全部领域", "All domains") if d == "all" else
                                      CATALOG.domains.set_index("domain")["name_zh" if self.lang == "zh" else
                                                                          "name_en"].get(d, d))  # fmt: skip
        shown = pd.DataFrame({self.zh("领域", "Domain"): domains, self.zh("指标数", "Indicators"): table["indicators"],
                              self.zh("可判断", "Judged"): table["judged"],
                              self.zh("已实现或基本实现", "Met"): table["met"],
                              self.zh("达标率", "Attainment rate"): table["attainment_rate"].map(
                                  lambda r: format_percent(r, 1)),
                              self.zh("量化目标达标率", "Quantified targets"): table["attainment_rate_quantified"].map(
                                  lambda r: format_percent(r, 1)),
                              self.zh("方向性目标达标率", "Direction goals"): table["attainment_rate_direction"].map(
                                  lambda r: format_percent(r, 1)),
                              self.zh("红色", "Red"): table["level_red"], self.zh("黄色", "Yellow"): table["level_yellow"],
                              self.zh("绿色", "Green"): table["level_green"],
                              self.zh("灰色", "Grey"): table["level_grey"]})  # fmt: skip
        return styled(shown)

    def _scorecard(self, width="double") -> dict:
        fig, ax = plt.subplots(figsize=figsize(width, 80))
        charts.scorecard(self.headline, ax=ax, lang=self.lang, synthetic=self.synthetic)
        return {"scorecard": fig}

    def scorecard(self) -> None:
        self._present(self._scorecard())

    def warning_list(self):
        """预警清单: every red and yellow indicator, most severe first, with its reasons."""
        warnings = self.results.warnings(self.region)
        self._save_table(indicator_table(warnings, self.lang, export=True), "warning_list", "level",
                         title=self.zh(f" {self.region}{self.year}年预警清单", f" Warning list {self.year}"))  # fmt: skip
        table = indicator_table(warnings, self.lang)
        keep = [c for c in ("indicator_id", "name", "judged_on", "latest_value", "unit", "target", "probability",
                            "probability_of", "level", "reasons", "evidence") if c in table]  # fmt: skip
        return styled(labelled(table[keep], self.lang), self._level_key())

    @cached_property
    def history(self) -> pd.DataFrame:
        """Warning level of each headline indicator as it would have been reported each year."""
        frames = []
        for year in range(self.first_year, self.year + 1):
            results = self.results if year == self.year else assess_observations(self.all_observations, year,
                                                                                   CATALOG, self.config)  # fmt: skip
            result = results.headline(self.region)
            frames.append(result[["indicator_id", "name_zh", "name_en", "level", "status"]].assign(as_of=year))
        return pd.concat(frames, ignore_index=True)

    def _heatmap(self, width="double") -> dict:
        pages = charts.status_heatmap(self.history, lang=self.lang, synthetic=self.synthetic)
        return {"status_heatmap" if n == 1 else f"status_heatmap_{n}": fig for n, fig in enumerate(pages, start=1)}

    def heatmap(self) -> None:
        self._save_table(self.history.assign(synthetic=self.synthetic), "status_history")
        self._present(self._heatmap())

    def _builders(self) -> dict:
        return {"scorecard": self._scorecard, "status_heatmap": self._heatmap}
