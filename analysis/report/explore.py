"""Exploring one series in JupyterLab: pick domain, indicator, region and breakdown; see it assessed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.assessment import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.panel import assess_observations
from analysis.assessment.series import STATUS_EN
from analysis.catalog import CATALOG, unit_text
from analysis.figures import charts, use_paper_style
from analysis.report.sections import observations, report_year
from analysis.report.tables import format_number, format_percent, styled

BREAKDOWNS = {"total": ("total", "total"), "female": ("female", "total"), "male": ("male", "total"),
              "urban": ("total", "urban"), "rural": ("total", "rural")}  # fmt: skip


class Explorer:
    def __init__(self, year: int | None = None, region: str = "金口河区", processed_dir=None, lang: str = "zh",
                 config: AssessmentConfig = DEFAULT_CONFIG):  # fmt: skip
        use_paper_style()
        self.observations = observations(processed_dir)
        self.year = int(year) if year else report_year(self.observations, region)
        self.lang, self.config = lang, config

    def series(self, indicator_id: str, region: str, breakdown: str = "total") -> pd.DataFrame:
        sex, urban_rural = BREAKDOWNS[breakdown]
        o = self.observations
        return o.loc[(o["indicator_id"] == indicator_id) & (o["region"] == region) & (o["sex"] == sex)
                     & (o["urban_rural"] == urban_rural)].sort_values("year")  # fmt: skip

    def show(self, indicator_id: str, region: str = "金口河区", breakdown: str = "total"):
        """Print the assessment, draw the fan chart and list the observations with their sources."""
        if not indicator_id:
            return None
        ind = CATALOG.indicator(indicator_id)
        needed = {indicator_id, ind["target_reference"], ind["gap_of"]} - {""}
        results = assess_observations(self.observations.loc[self.observations["indicator_id"].isin(needed)],
                                      self.year, CATALOG, self.config)  # fmt: skip
        key = (indicator_id, region, *BREAKDOWNS[breakdown], "")
        if key not in results.assessments:
            display(Markdown(f"**{indicator_id} {ind['name_zh']}**：{region}/{breakdown} 暂无数据 (no data)."))
            return None
        result = results.assessments[key]
        display(Markdown(self.summary(result, ind)))
        fig, ax = plt.subplots(figsize=charts.figsize("double", 80))
        series = self.series(indicator_id, region, breakdown)
        name = ind["name_zh" if self.lang == "zh" else "name_en"]
        charts.fan_chart(result, ax=ax, lang=self.lang, synthetic=bool(series["synthetic"].any()), title=name)
        plt.close(fig)
        display(fig)
        unit = ind["unit"]
        table = pd.DataFrame({
            self._t("年份", "Year"): series["year"].astype(str),
            self._t("数值", "Value"): [format_number(v, unit) for v in series["value"]],
            self._t("分子", "Numerator"): [format_number(v, "人") for v in series["numerator"]],
            self._t("分母", "Denominator"): [format_number(v, "人") for v in series["denominator"]],
            self._t("数据来源", "Source"): series["source"], self._t("文件", "File"): series["file"],
            self._t("单元格", "Cell"): series["cell"]})  # fmt: skip
        display(styled(table))
        return None  # the assessment is shown above; returning it would print its internal fields

    def _t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def summary(self, result, ind) -> str:
        """The assessment in a few lines, numbers formatted by the indicator's unit (55,340 元, never 5.534e+04)."""
        unit, t = ind["unit"], result.target
        shown = unit_text(unit, self.lang)
        name = ind["name_zh" if self.lang == "zh" else "name_en"]
        lines = [self._t(f"**{ind['indicator_id']} {name}**（目标：{t.text()}，{t.year}年；截至{result.as_of}年）",
                         f"**{ind['indicator_id']} {name}** (target {t.text('en')} by {t.year}; as of {result.as_of})"),
                 self._t(f"- 现状：{result.status_zh}；预警：{result.level_zh}",
                         f"- Status: {STATUS_EN.get(result.status, result.status)}; warning: {result.level}")]  # fmt: skip
        if result.latest_value is not None:
            value = f"{format_number(result.latest_value, unit)} {shown}"
            lines.append(self._t(f"- 最新值：{value}（{result.latest_year}年）", f"- Latest: {value} ({result.latest_year})"))
        end = result.at_target_year()
        if end:
            f = lambda key: format_number(end[key], unit)  # noqa: E731
            lines.append(self._t(f"- {t.year}年预测：{f('forecast')} {shown}（80%区间 {f('lower_80')}–{f('upper_80')}；"
                                 f"95%区间 {f('lower_95')}–{f('upper_95')}）",
                                 f"- Forecast {t.year}: {f('forecast')} {shown} (80% {f('lower_80')}–{f('upper_80')}; "
                                 f"95% {f('lower_95')}–{f('upper_95')})"))  # fmt: skip
        if result.probability is not None:
            lines.append(self._t(f"- 达标概率：{format_percent(result.probability)}",
                                 f"- P(target met): {format_percent(result.probability)}"))  # fmt: skip
        lines += [f"- {r.zh if self.lang == 'zh' else r.en}" for r in result.reasons]
        return "\n".join(lines)

    def widget(self):
        """Dropdowns for domain → indicator, region and breakdown (needs ipywidgets in JupyterLab)."""
        import ipywidgets as widgets

        measured = CATALOG.indicators.loc[CATALOG.indicators["target_kind"] != "qualitative"]
        goals = CATALOG.goals.set_index("goal_id")["domain"]
        domain = widgets.Dropdown(options=list(zip(CATALOG.domains["name_zh"], CATALOG.domains["domain"])),
                                  description="领域")  # fmt: skip
        indicator = widgets.Dropdown(description="指标")
        region = widgets.Dropdown(options=sorted(self.observations["region"].unique()), value="金口河区"
                                  if "金口河区" in set(self.observations["region"]) else None, description="地区")  # fmt: skip
        breakdown = widgets.Dropdown(options=list(BREAKDOWNS), description="分组")

        def fill(*_):
            rows = measured.loc[measured["goal_id"].map(goals) == domain.value]
            indicator.options = [(f"{r.indicator_id} {r.name_zh}", r.indicator_id) for r in rows.itertuples()]
            indicator.value = indicator.options[0][1] if indicator.options else None

        domain.observe(fill, "value")
        fill()
        shown = widgets.interactive(self.show, indicator_id=indicator, region=region, breakdown=breakdown)
        return widgets.VBox([domain, shown])
