"""Exploring one series in JupyterLab: pick domain, indicator, region and breakdown; see it assessed."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown, display

from analysis.assessment import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.panel import assess_observations
from analysis.catalog import CATALOG
from analysis.figures import charts, use_paper_style
from analysis.sections import observations, report_year

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
        print(result.summary(self.lang))
        fig, ax = plt.subplots(figsize=charts.figsize("double", 80))
        series = self.series(indicator_id, region, breakdown)
        charts.fan_chart(result, ax=ax, lang=self.lang, synthetic=bool(series["synthetic"].any()))
        plt.show()
        display(series[["year", "value", "numerator", "denominator", "source", "file", "cell"]].reset_index(drop=True))
        return result

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
