"""The report document for the district government: Word (.docx) and HTML from one run.

Modes: ``annual`` (年度监测报告), ``midterm`` (中期评估, 2025) and ``final`` (终期评估, 2030). The
document is built from the run's parameters and the same database (its inputs' hashes must match
the run's manifest), as a list of blocks rendered twice: Word with real tables, Heading styles (so
Word can insert a table of contents) and figures at 300 dpi; and self-contained HTML.
"""

from __future__ import annotations

import base64
import html
import io
import json
import re
import tempfile
import zipfile
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from analysis.assessment import DEFAULT_CONFIG
from analysis.assessment.panel import DIRECTIONAL, QUANTIFIED, roll_up
from analysis.assessment.stored import stored_or_assessed
from analysis.catalog import CATALOG
from analysis.data.region import observations, region_and_towns
from analysis.data.store import DATABASE_NAME, MonitoringDatabase
from analysis.figures import charts, save_figure, use_paper_style
from analysis.files import write_whole
from analysis.paths import DATA_PROCESSED, REPORTS
from analysis.report.blocks import Contents, Figure, Heading, PageBreak, Paragraph, Table
from analysis.report.midterm import midterm_blocks
from analysis.report.tables import LABELS, MISSING, indicator_table, labelled, progress_table

MODES = {"annual": ("年度监测报告", "Annual monitoring report"),
         "midterm": ("中期评估报告", "Mid-term evaluation report"),
         "final": ("终期评估报告", "Final evaluation report")}  # fmt: skip
EVALUATION = {"early": ("提前实现", "achieved early"), "achieved": ("已实现", "achieved"),
              "basically_achieved": ("基本实现", "basically achieved"), "gap": ("尚存差距", "gap remains"),
              "no_clear_change": ("变化不明显", "no clear change"),
              "not_judged": ("无法判断", "cannot be judged")}  # fmt: skip


class RunMismatch(RuntimeError):
    """The database changed since the run; the document would not describe that run."""


# --- content --------------------------------------------------------------------------------------

def evaluation(status: str, as_of: int, target_year: int, mode: str, kind: str = "at_least",
               counts: bool = False) -> str:  # fmt: skip
    """The national evaluation reports' wording for a status.

    提前实现 only for a level target (达到…以上, 下降到…以下, …左右) shown to be reached before its
    year: a 保持/稳定在 target is met only by holding it to the end, a direction goal has no "early",
    and a rate of a few events (judged on its counts) cannot show it.
    """
    if status == "achieved":
        early = mode != "annual" and as_of < target_year and kind in ("at_least", "at_most", "about") and not counts
        return "early" if early else "achieved"
    return status if status in ("basically_achieved", "gap", "no_clear_change") else "not_judged"


class ReportBuilder:
    def __init__(self, year: int, region: str, mode: str, lang: str, reports_dir: Path, processed_dir: Path,
                 scratch: Path):  # fmt: skip
        if mode not in MODES:
            raise ValueError(f"mode is one of {list(MODES)}")
        self.year, self.region, self.mode, self.lang = year, region, mode, lang
        self.run_folder = reports_dir / str(year) / region
        manifest = self.run_folder / "manifest.json"
        if not manifest.exists():
            raise FileNotFoundError(f"no run for {region} {year}: run `python -m analysis run --year {year}` first")
        self.manifest = json.loads(manifest.read_text(encoding="utf-8"))
        current = json.loads((processed_dir / "manifest.json").read_text(encoding="utf-8"))
        if current.get("inputs") != self.manifest["database"].get("inputs"):
            raise RunMismatch("the monitoring database changed since this run; run it again before the document")
        frame = observations(processed_dir)
        self.observations = frame.loc[frame["region"].isin(region_and_towns(region)) & (frame["year"] <= year)]
        self.results = stored_or_assessed(processed_dir, self.observations, year, region, DEFAULT_CONFIG)
        self.headline = self.results.headline(region)
        counted = self.headline["test_p"].notna() if "test_p" in self.headline else [False] * len(self.headline)
        self.headline["evaluation"] = [evaluation(s, year, int(t), mode, k, bool(c)) for s, t, k, c in
                                       zip(self.headline["status"], self.headline["target_year"],
                                           self.headline["target_kind"], counted)]  # fmt: skip
        self.synthetic = bool(self.observations["synthetic"].any())
        self.revisions = pd.read_csv(processed_dir / "revisions.csv", encoding="utf-8-sig")
        with MonitoringDatabase(processed_dir / DATABASE_NAME, read_only=True) as db:
            self.batches = db.batches()
        self.scratch = scratch  # figures live here until they are embedded
        self.processed_dir = processed_dir

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def figure(self, fig, name: str) -> Path:
        path = save_figure(fig, self.scratch / name, ("png",))[0]
        plt.close(fig)
        return path

    def blocks(self) -> list:
        evaluation = midterm_blocks(self, self.processed_dir) if self.mode != "annual" else []
        return [*self.title_page(), Contents(), PageBreak(), *self.summary(), *self.chapters(), *evaluation,
                *self.method_appendix(), *self.data_appendix()]  # fmt: skip

    def title_page(self) -> list:
        kind = MODES[self.mode][0 if self.lang == "zh" else 1]
        out = [Heading(self.t(f"《金口河妇女发展纲要（2021—2030年）》{self.year}年{kind}",
                              f"Jinkouhe Women's Development Outline 2021–2030: {kind}, {self.year}"), 0),
               Paragraph(self.t(f"地区：{self.region}", f"Region: {charts.region_name(self.region, 'en')}")),
               Paragraph(self.t(f"数据截至：{self.year}年", f"Data up to: {self.year}")),
               Paragraph(self.t(f"生成日期：{date.today().isoformat()}（运行于 {self.manifest['started']}）",
                                f"Produced: {date.today().isoformat()} (run of {self.manifest['started']})"))]  # fmt: skip
        if self.synthetic:
            out.append(Paragraph(self.t("本报告中的区级数据为合成示例数据，不是真实统计，仅用于演示方法。",
                                        "The district figures in this report are SYNTHETIC example data, not "
                                        "statistics; they only demonstrate the method."), bold=True))  # fmt: skip
        files = self.batches.groupby("file").agg(sha256=("sha256", "last"), loaded=("loaded_at", "last")).reset_index()
        files["sha256"] = files["sha256"].str[:12]
        files["loaded"] = pd.to_datetime(files["loaded"]).dt.strftime("%Y-%m-%d %H:%M")
        out += [Paragraph(self.t("数据文件（sha256 前 12 位；入库时间为世界协调时）：",
                                 "Data files (first 12 digits of sha256; loaded, UTC):")),
                Table(files.rename(columns={"file": self.t("文件", "File"), "loaded": self.t("入库时间", "Loaded")}),
                      self.t("数据文件", "Data files"))]  # fmt: skip
        return [*out, PageBreak()]

    def _rate_sentence(self, table: pd.DataFrame) -> str:
        judged = table["evaluation"] != "not_judged"
        met = table["evaluation"].isin(["early", "achieved", "basically_achieved"])
        early = int((table["evaluation"] == "early").sum())
        if not judged.sum():
            return self.t("暂无可判断的指标。", "No indicator can be judged yet.")
        rate = met.sum() / judged.sum()
        parts = []
        for kinds, zh, en in ((QUANTIFIED, "量化目标", "quantified targets"), (DIRECTIONAL, "方向性目标", "direction goals")):
            of_kind = judged & table["target_kind"].isin(kinds)
            if of_kind.sum():
                share = (met & of_kind).sum() / of_kind.sum()
                parts.append(self.t(f"{zh}{(met & of_kind).sum()}/{of_kind.sum()}项（{share:.1%}）",
                                    f"{en} {(met & of_kind).sum()} of {of_kind.sum()} ({share:.1%})"))  # fmt: skip
        split = self.t("其中" + "，".join(parts) + "。", "Of these, " + "; ".join(parts) + ".") if parts else ""
        if self.mode == "annual":
            return self.t(f"在可监测的{judged.sum()}项指标中，{met.sum()}项已实现或基本实现，达标率{rate:.1%}。",
                          f"Of {judged.sum()} indicators that can be monitored, {met.sum()} are achieved or "
                          f"basically achieved: an attainment rate of {rate:.1%}. ") + split  # fmt: skip
        return self.t(f"在可监测的{judged.sum()}项指标中，{early}项提前实现，{met.sum()}项提前实现、已实现或基本实现，"
                      f"总达标率{rate:.1%}。",
                      f"Of {judged.sum()} indicators that can be monitored, {early} were achieved early and "
                      f"{met.sum()} achieved early, achieved or basically achieved: {rate:.1%}. ") + split  # fmt: skip

    def summary(self) -> list:
        rolled = roll_up(self.headline)
        levels = rolled.set_index("domain").loc["all"]
        counts = pd.DataFrame({self.t("预警等级", "Warning"): [self.t(z, e) for z, e in
                               (("红色", "red"), ("黄色", "yellow"), ("绿色", "green"), ("灰色", "grey"))],
                               self.t("指标数", "Indicators"): [int(levels[f"level_{k}"]) for k in
                               ("red", "yellow", "green", "grey")]})  # fmt: skip
        red = self.headline.loc[self.headline["level"] == "red"]
        red_table = pd.DataFrame({self.t("指标", "Indicator"): red["indicator_id"] + " " + red[self.t("name_zh", "name_en")],
                                  self.t("原因", "Reasons"): red[self.t("reasons_zh", "reasons_en")]})  # fmt: skip
        fig, ax = plt.subplots(figsize=charts.figsize("double", 70))
        charts.scorecard(self.headline, ax=ax, lang=self.lang, synthetic=self.synthetic)
        return [Heading(self.t("一、总体情况", "1. Summary"), 1), Paragraph(self._rate_sentence(self.headline)),
                Table(counts, self.t("预警等级分布", "Warning levels")),
                Figure(self.figure(fig, "scorecard"), self.t("各领域预警等级", "Warning levels by domain")),
                Heading(self.t("红色预警指标", "Indicators in red"), 2),
                Table(red_table, self.t("红色预警指标及原因", "Indicators in red and why"))
                if len(red) else Paragraph(self.t("无。", "None."))]  # fmt: skip

    def chapters(self) -> list:
        out = []
        numbers = "二三四五六七八九"
        for i, row in enumerate(CATALOG.domains.itertuples()):
            name = row.name_zh if self.lang == "zh" else row.name_en
            out.append(Heading(self.t(f"{numbers[i]}、{name}", f"{i + 2}. {name}"), 1))
            part = self.headline.loc[self.headline["domain"] == row.domain]
            out.append(Paragraph(self._rate_sentence(part)))
            table = indicator_table(part, self.lang)  # text formatted by unit
            # narrower for the page: value with its year, forecast with its interval
            table["latest_value"] = [v if y == MISSING else f"{v}（{y}）" if self.lang == "zh" else f"{v} ({y})"
                                     for v, y in zip(table["latest_value"], table["latest_year"])]  # fmt: skip
            if "forecast_2030" in table:
                table["forecast_2030"] = [f if i == MISSING else f"{f}（{i}）" if self.lang == "zh" else f"{f} ({i})"
                                          for f, i in zip(table["forecast_2030"], table["interval_80"])]  # fmt: skip
            # the unit goes with the name (one column fewer on an A4 page)
            table["name"] = [f"{n}（{u}）" if u and self.lang == "zh" else f"{n} ({u})" if u else n
                             for n, u in zip(table["name"], table["unit"])]  # fmt: skip
            table = table.drop(columns=["reasons", "latest_year", "interval_80", "evidence", "unit"], errors="ignore")
            if self.mode != "annual":  # evaluations speak in the evaluation reports' words instead
                table.insert(list(table.columns).index("status"), "evaluation",
                             [EVALUATION[e][0 if self.lang == "zh" else 1] for e in part["evaluation"]])  # fmt: skip
                table = table.drop(columns=["status"])
            table = labelled(table, self.lang).rename(columns={
                "evaluation": self.t("评估结论", "Evaluation"),
                LABELS["latest_value"][0 if self.lang == "zh" else 1]: self.t("最新值（年份）", "Latest (year)"),
                LABELS["forecast_2030"][0 if self.lang == "zh" else 1]: self.t("2030年预测（80%区间）",
                                                                               "2030 forecast (80% interval)")})  # fmt: skip
            out.append(Table(table, self.t(f"{name}指标评估", f"Indicators, {name}")))
            measures = progress_table(part, self.lang)
            if len(measures):
                out.append(Table(measures, self.t(f"{name}官方口径进展测度（StatCan、Eurostat、UNSD、时间进度）",
                                                  f"Official-style progress measures, {name}")))  # fmt: skip
            # every indicator of the domain with data is charted, on as many pages as it takes
            series = [(r.indicator_id, self.results.assessments.get(
                          (r.indicator_id, r.region, r.sex, r.urban_rural, r.population_group))) for r in part.itertuples()]
            series = [(i, r) for i, r in series if r is not None and len(r.years)]  # fmt: skip
            if series:
                pages = charts.small_multiples([r for _, r in series],
                                               [f"{i} {charts.indicator_name(i, self.lang)}" for i, _ in series],
                                               lang=self.lang, synthetic=self.synthetic)  # fmt: skip
                for n, fig in enumerate(pages, start=1):
                    suffix = f"（{n}/{len(pages)}）" if len(pages) > 1 and self.lang == "zh" else (
                        f" ({n}/{len(pages)})" if len(pages) > 1 else "")  # fmt: skip
                    out.append(Figure(self.figure(fig, f"{row.domain}_{n}"),
                                      self.t(f"{name}各指标趋势与2030年预测{suffix}",
                                             f"Trends and forecasts to 2030, {name}{suffix}"),
                                      indicators=[i for i, _ in series]))  # fmt: skip
            qualitative = CATALOG.indicators.loc[(CATALOG.indicators["target_kind"] == "qualitative")
                                                 & CATALOG.indicators["goal_id"].str.startswith(row.code)]  # fmt: skip
            if self.mode != "annual" and len(qualitative):
                goals = CATALOG.goals.set_index("goal_id").loc[qualitative["goal_id"].unique()]
                out += [Heading(self.t("无法用统计数据判断的目标", "Goals that statistics cannot judge"), 2),
                        Table(pd.DataFrame({self.t("目标", "Goal"): goals.index,
                                            self.t("内容", "Text"): goals["text_zh" if self.lang == "zh" else "text_en"]}),
                              self.t(f"{name}：无法用统计数据判断的目标", f"Goals statistics cannot judge, {name}"))]  # fmt: skip
        return out

    def method_appendix(self) -> list:
        c = DEFAULT_CONFIG
        text = self.t(
            [f"现状：最新值与目标比较。已实现：达到目标；基本实现：比例类差距不超过{c.basically_share_pp:g}个百分点、"
             f"其他指标不超过目标值的{c.basically_relative:.0%}（约数目标为容差的{c.basically_about_factor:g}倍以内），"
             "为本项目约定。“左右”目标看剔除年度波动后的基本水平；“达到并保持”看到目标年前达到并此后保持；"
             f"方向性目标（提高、降低、差距缩小）须较2020年基期有超出年度波动的变化（方向正确的概率不低于{c.clear_change_probability:.0%}），"
             "否则为“变化不明显”；“上升趋势减缓”比较2020年前后的年均增幅。面向女性的目标评估女性数值。",
             "进展测度：加拿大统计局（目标比值0.95/0.60/0，无目标时年均增速1.5%/0.5%/0）、欧盟统计局（同一比值，"
             "无目标时±1%）、联合国统计司预期与所需进展之比（0.95/0.5/0.1/−0.1），以及“时间过半、任务过半”的时间进度；"
             "最新值已达标时各测度均判为已达标。",
             "预测：按指标类别由回测（只用较早的预测起点）选定：比例类在原尺度上预测、最后按自然界限截断，逐序列估计参数的指数平滑"
             "（按AICc选模型）、带漂移的随机游走与不变三种模型等权组合；正值类在对数尺度上用阻尼漂移；各分量为t分布，区间再按预测年数用随库附带的真实全国和国际序列以往预测校准（80%区间取能覆盖其80%实际值的宽度）。给出至2030年每年的中位数及80%、"
             f"95%预测区间。少数事件比率合并近{c.count_window_years}年按计数判断，事件数不少于{c.count_min_events_for_trend}例时才拟合趋势。",
             f"预警：红色须同时满足达标概率低于{c.red_probability:.0%}且时间进度滞后；概率低于{c.green_probability:.0%}为黄色；"
             "已达标的指标不因趋势单独判为红色。每个概率都注明其含义。孕产妇死亡率等少数事件比率不作比率预测，"
             f"以精确检验判断计数是否与目标相符（p<{c.count_red_p:g}为红色，p<{c.count_yellow_p:g}为黄色），"
             "并列出例数、合并率及其精确区间，每一例死亡按个案报告制度评审。人大、政协、村（社区）两委等换届产生的机构，"
             "按本届席位判断，只在换届年份变化。波动较大（去趋势变异系数超过"
             f"{c.volatility_cv:.0%}，席位和设施的整数变化除外）、数据陈旧（超过该指标发布周期）、曾达标后回落等原因同时列出；"
             "无法判断的为灰色。"],
            ["Status compares the latest value with the target. Basically achieved: within "
             f"{c.basically_share_pp:g} percentage point for shares, {c.basically_relative:.0%} of the target "
             "otherwise (a project convention). 'About' targets judge the underlying level, noise removed; "
             "'reach and keep' targets must be reached by the target year and held; direction goals need a change "
             f"since 2020 beyond yearly noise (probability of the right direction at least {c.clear_change_probability:.0%}), "
             "else 'no clear change'. Targets set for women judge the female series.",
             "Progress measures: Statistics Canada (ratio 0.95/0.60/0; without a target CAGR 1.5 %/0.5 %/0), "
             "Eurostat (same ratio; without a target ±1 %), the UNSD ratio of expected to required progress "
             "(0.95/0.5/0.1/−0.1) and time progress; a latest value that meets the target is 'met' in all.",
             "Forecast, per family of indicator as chosen by the backtest on earlier origins: shares on the raw "
             "scale with their bounds applied at the end, exponential smoothing estimated per series (model by AICc), "
             "drift and no change mixed equally; positive quantities on a "
             "log scale with a damped drift; Student-t components, with intervals calibrated by horizon on the "
             "past forecasts of real national and international series (an 80 % interval is as wide as those that "
             "held 80 % of their outcomes). Medians and "
             "80 %/95 % intervals for every year to 2030. Rates of a few events are judged on counts pooled over "
             f"{c.count_window_years} years, with a trend only from {c.count_min_events_for_trend} events.",
             f"Warnings: red needs a probability below {c.red_probability:.0%} and progress lagging the required "
             f"pace; yellow below {c.green_probability:.0%}; a met target is never red on its trend alone; every "
             "probability says what it is about. Rates of a few events get no rate forecast: an exact test says "
             f"whether the counts contradict the target (red p < {c.count_red_p:g}, yellow p < {c.count_yellow_p:g}), "
             "beside the counts, the pooled rate and its exact interval; every death is a case to review. Elected "
             "bodies are judged by term and change only at elections. Large swings (not steps of one seat or "
             "facility), stale data (beyond the statistic's release interval) and slipping are listed as reasons; "
             "grey when the series cannot be judged."])  # fmt: skip
        out = [Heading(self.t("附录一 方法", "Appendix 1. Method"), 1), *(Paragraph(p) for p in text)]
        backtest = REPORTS / "examples" / "backtest_summary.csv"
        if backtest.exists():
            table = pd.read_csv(backtest, encoding="utf-8-sig")
            table = table.loc[table["horizon"].astype(str) == "all"]
            if "subset" in table:
                table = table.loc[table["subset"] == "later origins"].drop(columns="subset")
            table = table.drop(columns="horizon").dropna(axis=1, how="all").round(3)
            out += [Paragraph(self.t("回测：在仓库附带的全部真实年度序列上滚动预测，方法在较早的预测起点上选定，"
                                     "此处报告较晚的预测起点（全部预测期合计；详见 reports/examples/backtest.md）。",
                                     "Backtest: rolling forecasts over every real annual series shipped, methods chosen "
                                     "on earlier origins, scored here on later origins (all horizons; see "
                                     "reports/examples/backtest.md).")),
                    Table(table, self.t("预测方法回测", "Backtest of the forecasts"))]  # fmt: skip
        return out

    def data_appendix(self) -> list:
        used = self.observations
        sources = used.groupby(["source", "file"]).agg(values=("year", "size"), first=("year", "min"),
                                                        last=("year", "max")).reset_index()  # fmt: skip
        sources = sources.rename(columns={"source": self.t("数据来源", "Source"), "file": self.t("文件", "File"),
                                          "values": self.t("数值个数", "Values"), "first": self.t("起", "From"),
                                          "last": self.t("止", "To")})  # fmt: skip
        revisions = self.revisions.loc[self.revisions["region"].isin(region_and_towns(self.region))]
        out = [Heading(self.t("附录二 数据", "Appendix 2. Data"), 1), Table(sources, self.t("数据来源", "Data sources")),
               Heading(self.t("数据修订", "Revisions"), 2)]  # fmt: skip
        if len(revisions):
            out.append(Table(revisions[["indicator_id", "region", "year", "value", "batch_id", "file", "cell"]],
                             self.t("数据修订", "Revisions")))
        else:
            out.append(Paragraph(self.t("本期无数据修订。", "No revisions.")))
        return out


# --- rendering ------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _field(paragraph, instruction: str, shown: str = "") -> None:
    """A Word field (PAGE, SEQ, TOC) with the text it shows until Word updates it."""
    def char(kind):
        run = paragraph.add_run()
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        return run

    char("begin")
    instr = paragraph.add_run()._r
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    instr.append(text)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _toc(document, entries: list[tuple[int, str]], lang: str) -> None:
    """The contents: a TOC field whose result is already the list of headings, so the contents are
    there when the file opens (in Word, LibreOffice, WPS); Word adds page numbers as it updates
    fields on opening (``updateFields`` in the settings)."""
    paragraphs = [document.add_paragraph() for _ in entries] or [document.add_paragraph()]
    first, last = paragraphs[0], paragraphs[-1]
    begin = first.add_run()
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), "begin")
    begin._r.append(element)
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(text)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    first.add_run()._r.append(separate)
    for paragraph, (level, heading) in zip(paragraphs, entries):
        paragraph.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)
        paragraph.add_run(heading)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    last.add_run()._r.append(end)
    settings = document.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    settings.append(update)


TEXT_WIDTH_CM = 15.6  # A4 with the 公文 margins below: 210 − 28 − 26 mm
TABLE_FONT = Pt(8)
BODY_FONT, HEADING_FONT, TITLE_FONT, CAPTION_FONT = "仿宋", "黑体", "宋体", "楷体"  # GB/T 9704 公文 equivalents
LATIN_FONT = "Times New Roman"


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)  # a Han character is twice as wide


def _column_widths(frame: pd.DataFrame, width_cm: float) -> tuple[list[float], bool]:
    """Column widths (cm) from their longest entry, and whether the numbers kept theirs: short
    columns get what they need, running text (names, reasons) wraps into the rest."""
    # a header may wrap (to about four Han characters); the cells set the width
    units = [max([min(_display_width(str(c)), 8), *(_display_width(_cell_text(v)) for v in frame[c])])
             for c in frame.columns]  # fmt: skip
    natural = [0.16 * u + 0.45 for u in units]  # cm at 8 pt, with cell padding
    if sum(natural) <= width_cm:
        return natural, True
    text = [frame[c].astype(str).str.len().max() > 10 and frame[c].astype(str).str.contains(r"[\u4e00-\u9fff]{4}|[A-Za-z]{3,} [A-Za-z]").any()
            for c in frame.columns]  # fmt: skip
    fixed = sum(w for w, t in zip(natural, text) if not t)
    flexible = sum(w for w, t in zip(natural, text) if t)
    fits = bool(flexible) and fixed < width_cm - 2.5 * sum(text)
    if fits:  # the text columns share the rest in proportion, none below 2.5 cm
        floored: set[int] = set()
        while True:
            free = width_cm - fixed - 2.5 * len(floored)
            rest = sum(w for i, (w, t) in enumerate(zip(natural, text)) if t and i not in floored)
            share = {i: 2.5 if i in floored else free * w / rest for i, (w, t) in enumerate(zip(natural, text)) if t}
            low = {i for i, w in share.items() if w < 2.5}
            if low <= floored:
                break
            floored |= low
        natural = [share.get(i, w) for i, w in enumerate(natural)]
    elif flexible:  # even the numbers do not fit: running text gets 2.5 cm a column, numbers share the rest
        squeeze = (width_cm - 2.5 * sum(text)) / fixed
        natural = [2.5 if t else w * squeeze for w, t in zip(natural, text)]
    scale = width_cm / sum(natural)
    return [w * min(1.0, scale) for w in natural], fits


def _is_wide(frame: pd.DataFrame) -> bool:
    """Set on landscape pages: many columns, or numbers that portrait would break across lines."""
    return len(frame.columns) >= LANDSCAPE_COLUMNS or not _column_widths(frame, TEXT_WIDTH_CM)[1]


def _fit(table, widths: list[float]) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths):  # the grid, which LibreOffice and WPS read
        column.width = Cm(width)
    for row in table.rows:  # and each cell, which Word reads
        for cell, width in zip(row.cells, widths):
            cell.width = Cm(width)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = TABLE_FONT


def _fonts(style, east_asian: str, size: float | None = None, bold: bool | None = None) -> None:
    style.font.name = LATIN_FONT  # also creates the rFonts element the East Asian font goes in
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    if size:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)


def _orient(section, landscape: bool = False) -> None:
    """A4 with the 公文 margins (top 37, bottom 35, left 28, right 26 mm), turned for wide tables."""
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)


LANDSCAPE_COLUMNS = 10  # a table this wide is set on a landscape page
LANDSCAPE_WIDTH_CM = 22.5  # 297 − 37 − 35 mm


def _page_setup(document, lang: str) -> None:
    """A4, 公文 margins, page number centred in the footer as "— 1 —"."""
    for section in document.sections:
        _orient(section)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("— ")
        _field(footer, "PAGE", "1")
        footer.add_run(" —")


def caption_text(text: str) -> str:
    """A caption without a hand-written label ("表 …", "Figure: …"): the number is added when rendering."""
    return re.sub(r"^(表|图|Table:|Figure:)\s*", "", text)


def _caption(document, kind: str, number: int, text: str, lang: str) -> None:
    """A numbered caption 图 1 / 表 1 (a SEQ field, already numbered) in the Caption style."""
    text = caption_text(text)
    label = {"figure": ("图", "Figure"), "table": ("表", "Table")}[kind][0 if lang == "zh" else 1]
    paragraph = document.add_paragraph(style="Caption")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if kind == "table":  # a table's caption sits above it, apart from what comes before (another table)
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.keep_with_next = True
    paragraph.add_run(f"{label} ")
    _field(paragraph, f"SEQ {label} \\* ARABIC", str(number))
    paragraph.add_run(f"  {text}")


def _repeat_header(row) -> None:
    """The header row repeats at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def render_docx(blocks: list, path: Path, lang: str) -> Path:
    document = Document()
    _page_setup(document, lang)
    _fonts(document.styles["Normal"], BODY_FONT, 12)
    document.styles["Normal"].paragraph_format.line_spacing = 1.25
    _fonts(document.styles["Title"], TITLE_FONT, 22, True)
    for level, size in ((1, 16), (2, 14), (3, 12)):
        _fonts(document.styles[f"Heading {level}"], HEADING_FONT, size, False)
    _fonts(document.styles["Caption"], CAPTION_FONT, 10.5, False)
    numbers = {"figure": 0, "table": 0}
    entries = [(b.level, b.text) for b in blocks if isinstance(b, Heading) and 1 <= b.level <= 2]
    landscape = False
    for block in blocks:
        # A wide table gets landscape pages, and so does the wide table right after it (no empty
        # portrait page between them); the page numbers run on (the footer is linked).
        wide = isinstance(block, Table) and _is_wide(block.frame)
        if wide != landscape:
            _orient(document.add_section(WD_SECTION.NEW_PAGE), landscape=wide)
            landscape = wide
        if isinstance(block, Heading):
            heading = document.add_heading(block.text, level=block.level)
            if block.level == 0:
                heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif isinstance(block, Paragraph):
            document.add_paragraph().add_run(block.text).bold = block.bold
        elif isinstance(block, Contents):  # not a Heading, so the contents do not list themselves
            title = document.add_paragraph()
            title.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = title.add_run("目  录" if lang == "zh" else "Contents")
            run.bold, run.font.size = True, Pt(16)
            _toc(document, entries, lang)
        elif isinstance(block, PageBreak):
            document.add_page_break()
        elif isinstance(block, Table):
            frame = block.frame
            if block.caption:
                numbers["table"] += 1
                _caption(document, "table", numbers["table"], block.caption, lang)
            table = document.add_table(rows=1, cols=len(frame.columns), style="Table Grid")
            for cell, name in zip(table.rows[0].cells, frame.columns):
                cell.text = str(name)
                cell.paragraphs[0].runs[0].bold = True
            _repeat_header(table.rows[0])
            for row in frame.itertuples(index=False):
                for cell, value in zip(table.add_row().cells, row):
                    cell.text = _cell_text(value)
            _fit(table, _column_widths(frame, LANDSCAPE_WIDTH_CM if wide else TEXT_WIDTH_CM)[0])
        elif isinstance(block, Figure):
            document.add_picture(str(block.path), width=Cm(block.width_cm))
            picture = document.paragraphs[-1]
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # single spacing: LibreOffice drew a picture under a 1.25-spaced body over the table above it
            picture.paragraph_format.line_spacing = 1.0
            picture.paragraph_format.space_before = Pt(6)
            if block.caption:
                numbers["figure"] += 1
                _caption(document, "figure", numbers["figure"], block.caption, lang)
    return write_whole(path, lambda p: _save_stable(document, p))


def _save_stable(document, path: Path) -> None:
    """Save with every part dated at the ZIP epoch: python-docx stamps the parts with the time of
    saving, so the same report saved twice differed in bytes though not in a single character."""
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as made, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as stable:
        for info in made.infolist():
            stable.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), made.read(info.filename),
                            compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip


def render_html(blocks: list, path: Path, lang: str) -> Path:
    parts = [f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(blocks[0].text)}</title>',
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:60em;margin:2em auto;"
             "line-height:1.6}table{border-collapse:collapse;font-size:.85em;margin:1em 0}td,th{border:1px solid "
             "#999;padding:.2em .5em;text-align:left;vertical-align:top}img{max-width:100%}"
             "figcaption,.caption{color:#555;font-size:.9em;text-align:center}"
             "@media print{@page{size:A4;margin:20mm 18mm}body{max-width:none;margin:0}"
             "table,figure{break-inside:avoid}thead{display:table-header-group}h1,h2{break-after:avoid}}</style>"]  # fmt: skip
    numbers = {"figure": 0, "table": 0}
    for block in blocks:
        if isinstance(block, Heading):
            level = max(1, block.level + 1)
            parts.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            text = html.escape(block.text)
            parts.append(f"<p><strong>{text}</strong></p>" if block.bold else f"<p>{text}</p>")
        elif isinstance(block, Table):
            if block.caption:
                numbers["table"] += 1
                label = f"{'表' if lang == 'zh' else 'Table'} {numbers['table']}"
                parts.append(f'<p class="caption">{label}  {html.escape(caption_text(block.caption))}</p>')
            frame = block.frame.map(_cell_text)
            parts.append(frame.to_html(index=False, escape=True, border=0))
        elif isinstance(block, Figure):
            data = base64.b64encode(block.path.read_bytes()).decode()
            numbers["figure"] += 1
            label = f"{'图' if lang == 'zh' else 'Figure'} {numbers['figure']}"
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block.caption)}">'
                         f"<figcaption>{label}  {html.escape(caption_text(block.caption))}</figcaption></figure>")  # fmt: skip
    parts.append("</html>")
    return write_whole(path, lambda p: p.write_text("\n".join(parts), encoding="utf-8"))


def build_document(year: int, region: str = "金口河区", mode: str = "annual", lang: str = "zh",
                   reports_dir: Path = REPORTS, processed_dir: Path = DATA_PROCESSED) -> tuple[Path, Path]:  # fmt: skip
    """Write ``reports/<year>/<region>/document/<name>.docx`` and ``.html``; return both paths."""
    use_paper_style()
    with tempfile.TemporaryDirectory(prefix="document-") as scratch:
        builder = ReportBuilder(year, region, mode, lang, reports_dir, processed_dir, Path(scratch))
        blocks = builder.blocks()
        name = f"{region}_{year}_{mode}_{lang}"
        folder = builder.run_folder / "document"
        return render_docx(blocks, folder / f"{name}.docx", lang), render_html(blocks, folder / f"{name}.html", lang)
