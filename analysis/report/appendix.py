"""The document's appendices: how the figures were judged, the official measures beside each other,
the forecasts' backtest, and where every number came from (files, hashes, revisions).

Provenance belongs here, not on page 1: the district government reads the findings first.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis.assessment import DEFAULT_CONFIG
from analysis.data.region import region_and_towns
from analysis.paths import REPORTS
from analysis.report.blocks import Heading, Paragraph, Table
from analysis.report.midterm import levels_appendix
from analysis.report.findings import counted_values
from analysis.report.tables import progress_table


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
    return [Heading(self.t("附件1  评估方法", "Annex 1. Method"), 1), *(Paragraph(p) for p in text)]


# the backtest summary's columns, as a reader of the report reads them (no code names)
BACKTEST_COLUMNS = {
    "method": ("方法", "Method"), "forecasts": ("预测个数", "Forecasts"),
    "MASE": ("平均绝对标度误差", "Mean absolute scaled error"),
    "coverage_80": ("80%区间覆盖率", "80% interval coverage"), "coverage_95": ("95%区间覆盖率", "95% interval coverage"),
    "calls": ("达标判断个数", "Target calls"), "brier": ("达标概率Brier分数（越低越好）", "Brier score (lower is better)"),
}  # fmt: skip
METHOD_ZH = {"ours (engine)": "本项目方法", "statsforecast AutoETS": "自动指数平滑（AutoETS）", "drift": "带漂移随机游走",
             "naive": "不变（朴素）", "CAGR (ESCAP/UNSD)": "年均增速（ESCAP/UNSD）",
             "StatCan/Eurostat CAGR ratio rule": "加拿大统计局/欧盟统计局比值规则", "UNSD ratio rule": "联合国统计司比值规则"}  # fmt: skip


def backtest_appendix(self) -> list:
    summary = REPORTS / "examples" / "backtest_summary.csv"
    out = [Heading(self.t("附件3  预测方法回测", "Annex 3. Backtest of the forecasts"), 1)]
    if not summary.exists():
        return [*out, Paragraph(self.t("未找到回测结果。", "No backtest results found."))]
    table = pd.read_csv(summary, encoding="utf-8-sig")
    table = table.loc[(table["horizon"].astype(str) == "all") & (table.get("subset", "later origins") == "later origins")]
    table = table[[c for c in BACKTEST_COLUMNS if c in table]].copy()
    if self.lang == "zh":
        table["method"] = table["method"].map(lambda m: METHOD_ZH.get(m, m))
    for column in table.columns[1:]:
        digits = 0 if column in ("forecasts", "calls") else 3
        table[column] = [("—" if pd.isna(v) or not pd.api.types.is_number(v) or abs(v) == float("inf")
                          else f"{v:,.{digits}f}") for v in table[column]]  # fmt: skip
    table = table.rename(columns={k: v[0 if self.lang == "zh" else 1] for k, v in BACKTEST_COLUMNS.items()})
    return [*out, Paragraph(self.t(
        "在随库附带的全部真实年度序列（全国统计监测报告数据和国际数据库中国序列）上滚动预测；方法只在较早的预测起点上选定，"
        "此处报告较晚的预测起点（全部预测年数合计）。覆盖率越接近区间水平越好。",
        "Rolling forecasts over every real annual series shipped (national monitoring reports and international "
        "series for China); methods chosen on earlier origins only, scored here on the later origins (all "
        "horizons). Coverage should be close to the interval's level.")),
        Table(table, self.t("预测方法回测（较晚的预测起点）", "Backtest, later origins"))]  # fmt: skip


def measures_appendix(self) -> list:
    """The official-style measures beside each other, with why they can disagree."""
    out = [Heading(self.t("附件2  官方口径进展测度对照", "Annex 2. Official-style progress measures"), 1),
           Paragraph(self.t(
               "正文采用统计局“时间过半、任务过半”的时间进度。下表并列加拿大统计局、欧盟统计局和联合国统计司的测度，"
               "供与已发表评估对照。四者可能不一致，原因在于：加拿大统计局和欧盟统计局比较实际与所需的年均增速"
               "（对接近目标或接近自然上限的指标偏严），联合国统计司比较预期与所需进展之比（依赖基期到最新值的直线外推），"
               "时间进度比较完成比例与时间比例（不看增速）；“左右”目标在区间内即为达标，不按增速判断。",
               "The body uses the bureau's time progress. The table sets the measures of Statistics Canada, "
               "Eurostat and UNSD beside it, for comparison with published assessments. They can disagree: "
               "StatCan and Eurostat compare actual with required annual growth (strict near a target or a natural "
               "bound), UNSD compares expected with required progress (a straight line from the base), and time "
               "progress compares the share done with the share of time elapsed; an 'about' target within its "
               "band is met whatever its growth."))]  # fmt: skip
    measures = progress_table(self.headline, self.lang, counted_values(self.headline, self.results.assessments, self.lang))
    if len(measures):
        out.append(Table(measures, self.t("各指标官方口径进展测度", "Progress measures by indicator")))
    return out


HAN = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")


CHINESE_SOURCE = "Chinese-language publication (cited in full in the Chinese edition)"


def _balanced(run: str) -> str:
    """A run of English cut out of a Chinese title, without the brackets the cut left open."""
    run = re.sub(r"^[\s;,:)）]+|[\s;,:(（]+$", "", run)
    if run.count("(") > run.count(")"):
        run += ")"
    elif run.count(")") > run.count("(") and run.endswith(")"):
        run = run[:-1]
    return run


def english_source(source: str) -> str:
    """A source for an English document: its English words where it has them (the synthetic label,
    an English press release), else a pointer to the Chinese edition, which cites it in full."""
    runs = [_balanced(re.sub(r"\s+", " ", run)) for run in HAN.split(str(source))]
    latin = max(runs, key=lambda run: len(re.findall(r"[A-Za-z]", run)), default="")
    if len(re.findall(r"[A-Za-z]{3,}", latin)) >= 2:  # the longest run of English between Chinese words
        return latin
    return CHINESE_SOURCE


def data_appendix(self) -> list:
    """Where every number came from: sources, files with their hashes and load times, revisions."""
    used = self.observations
    if self.lang == "en":  # a source's own words may be Chinese: keep its English part, else say where it is
        used = used.assign(source=used["source"].map(english_source))
    used = used.assign(file=used["file"].str.replace(r"^data/raw/", "", regex=True),
                       source=used["source"].str.replace(r"[\w./-]+\.py,?\s*", "", regex=True))  # no code paths
    sources = used.groupby(["source", "file"]).agg(values=("year", "size"), first=("year", "min"),
                                                    last=("year", "max")).reset_index()  # fmt: skip
    sources = sources.rename(columns={"source": self.t("数据来源", "Source"), "file": self.t("文件", "File"),
                                      "values": self.t("数值个数", "Values"), "first": self.t("起", "From"),
                                      "last": self.t("止", "To")})  # fmt: skip
    files = self.batches.groupby("file").agg(sha256=("sha256", "last"), loaded=("loaded_at", "last")).reset_index()
    files["file"] = files["file"].str.replace(r"^data/raw/", "", regex=True)  # as the data folder names them
    files["sha256"] = files["sha256"].str[:12]
    files["loaded"] = pd.to_datetime(files["loaded"]).dt.strftime("%Y-%m-%d %H:%M")
    files = files.rename(columns={"file": self.t("文件", "File"), "sha256": self.t("校验值（sha256前12位）", "sha256 (12)"),
                                  "loaded": self.t("入库时间（UTC）", "Loaded (UTC)")})  # fmt: skip
    revisions = self.revisions.loc[self.revisions["region"].isin(region_and_towns(self.region))]
    out = [Heading(self.t("附件4  数据来源", "Annex 4. Data"), 1),
           Paragraph(self.t(f"本报告依据{self.manifest['started'][:16].replace('T', ' ')}（UTC）运行时监测数据库中的数据。",
                            f"Data as in the monitoring database at the run of {self.manifest['started'][:16]} UTC.")),
           Table(sources, self.t("数据来源", "Data sources")),
           Table(files, self.t("数据文件及校验值", "Data files and their hashes"))]  # fmt: skip
    if len(revisions):
        out.append(Table(revisions[["indicator_id", "region", "year", "value", "batch_id", "file", "cell"]],
                         self.t("数据修订", "Revisions")))
    else:
        out.append(Paragraph(self.t("本期无数据修订。", "No revisions.")))
    return out


def appendices(self) -> list:
    """The annexes, numbered in the order they stand. In the evaluation the higher levels' citations
    (landscape, like the measures before them) come before the portrait backtest and data annexes:
    each change of orientation starts a page, and a small table left before one stood alone on a page."""
    parts = [method_appendix(self), measures_appendix(self)]
    if self.mode != "annual":  # the evaluation compares with higher levels: their full citations
        parts.append([Heading(self.t("附件  上级数值出处", "Annex. Sources of higher-level values"), 1),
                      *levels_appendix(self, self.processed_dir)[1:]])
    parts += [backtest_appendix(self), data_appendix(self)]
    out = []
    for number, (heading, *rest) in enumerate(parts, start=1):
        text = re.sub(r"^附件\d*", f"附件{number}", heading.text)
        out += [Heading(re.sub(r"^Annex( \d+)?\.?", f"Annex {number}.", text), heading.level), *rest]
    return out
