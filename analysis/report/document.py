"""The report document for the district government: Word (.docx) and HTML from one run.

Modes: ``annual`` (年度监测报告), ``midterm`` (中期评估, 2025) and ``final`` (终期评估, 2030). The
document is built from the run's parameters and the same database (its inputs' hashes must match
the run's manifest), as a list of blocks rendered twice: Word with real tables, Heading styles (so
Word can insert a table of contents) and figures at 300 dpi; and self-contained HTML.
"""

from __future__ import annotations

import base64
import html
import json
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from analysis.assessment import DEFAULT_CONFIG, comparison
from analysis.assessment.panel import (
    DIRECTIONAL,
    QUANTIFIED,
    SERIES_KEY,
    assess_observations,
)
from analysis.assessment.stored import stored_or_assessed
from analysis.catalog import CATALOG
from analysis.data.region import observations, region_and_towns
from analysis.data.store import DATABASE_NAME, MonitoringDatabase
from analysis.evaluation.vintages import load_vintages
from analysis.figures import charts, save_figure, use_paper_style
from analysis.files import write_whole
from analysis.paths import DATA_PROCESSED, REPORTS
from analysis.report.appendix import CHINESE_SOURCE, appendices, english_source
from analysis.report.blocks import Figure, Heading, Note, PageBreak, Paragraph, Table, label_synthetic
from analysis.report.findings import (
    changes,
    cn_number,
    in_english,
    problems,
    recommendations,
    unit_name,
    units_of,
    value_text,
    warning_lines,
    warnings_by_unit,
)
from analysis.report.midterm import midterm_blocks
from analysis.report.tables import LABELS, MISSING, indicator_table, labelled, progress_words
from analysis.report.word import _cell_text, caption_text, render_docx

MODES = {"annual": ("度监测报告", "Annual monitoring report"),  # 2025年 + 度监测报告
         "midterm": ("中期评估报告", "Mid-term evaluation report"),
         "final": ("终期评估报告", "Final evaluation report")}  # fmt: skip
EVALUATION = {"early": ("提前实现", "achieved early"), "achieved": ("已实现", "achieved"),
              "basically_achieved": ("基本实现", "basically achieved"), "gap": ("尚存差距", "gap remains"),
              "no_clear_change": ("变化不明显", "no clear change"),
              "not_judged": ("无法判断", "cannot be judged")}  # fmt: skip


# who prepares the report (编制单位): the 区妇儿工委's office, with the research base
COMPILER = (("金口河区妇女儿童工作委员会办公室", "金口河区妇女发展研究基地"),
            ("Office of the Jinkouhe District Working Committee on Women and Children",
             "Jinkouhe Women's Development Research Base"))


def english_block(block):
    """A block of the English edition with the towns' Chinese names replaced by their English ones."""
    if isinstance(block, (Paragraph, Note, Heading)):
        return replace(block, text=in_english(block.text))
    if isinstance(block, Table):
        return replace(block, frame=block.frame.map(lambda v: in_english(v) if isinstance(v, str) else v),
                       caption=in_english(block.caption))  # fmt: skip
    return block


# How to read the domain tables, said once rather than under every table.
READING = ("各领域指标表中，“最新值”后括号内为年份；孕产妇死亡率等少数事件比率列出合并年份的例数、比率及95%区间，不作单年比率；"
           "“时间进度”为统计局口径（时间过半、任务过半）；“概率”为到2030年达到目标的概率，其含义见原因列；预警原因写在每一行。"
           "预警等级只反映进展，数据缺失、陈旧或以合计代替女性数值在原因列另行说明。",
           "In the domain tables the year of the latest value is in brackets; rates of a few events show the pooled "
           "years' counts, rate and 95% interval, never one year's rate; time progress is the bureau's measure; "
           "probability is that of meeting the target by 2030 (the reasons say what it is about); every row "
           "gives the reasons for its warning. Warnings speak of progress only; missing, stale or proxy data are "
           "noted apart in the reasons.")


SOURCES_SHOWN = 6  # under a domain table; the annex lists them all


class UnknownUnit(ValueError):
    """``--unit`` names no member unit of the register (analysis/catalog/units.csv)."""


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
                 scratch: Path, unit: str | None = None):  # fmt: skip
        if mode not in MODES:
            raise ValueError(f"mode is one of {list(MODES)}")
        # 全国, 四川省, 乐山市: their published figures held against the district's targets, a reference
        self.reference = region in comparison.HIGHER
        self.unit = None
        if unit is not None:
            self.unit = CATALOG.canonical_unit(unit)
            if self.unit is None:
                raise UnknownUnit(f"no member unit {unit!r}; one of: {'、'.join(CATALOG.units['unit'])}")
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
        if self.unit:  # a unit's own extract: the goals it leads or shares
            mine = [self.unit in units_of(g) for g in self.headline["goal_id"]]
            self.headline = self.headline.loc[mine].reset_index(drop=True)
        counted = self.headline["test_p"].notna() if "test_p" in self.headline else [False] * len(self.headline)
        self.headline["evaluation"] = [evaluation(s, year, int(t), mode, k, bool(c)) for s, t, k, c in
                                       zip(self.headline["status"], self.headline["target_year"],
                                           self.headline["target_kind"], counted)]  # fmt: skip
        self.synthetic = bool(self.observations["synthetic"].any())
        self.revisions = pd.read_csv(processed_dir / "revisions.csv", encoding="utf-8-sig")
        with MonitoringDatabase(processed_dir / DATABASE_NAME, read_only=True) as db:
            self.batches = db.batches()
        self.scratch = scratch  # figures live here until they are embedded
        self.compiler = COMPILER
        self.processed_dir = processed_dir

    def t(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def figure(self, fig, name: str) -> Path:
        path = save_figure(fig, self.scratch / name, ("png",))[0]
        plt.close(fig)
        return path

    def blocks(self) -> list:
        """The document in 公文 order: what matters and what to do first, the evidence after, the
        provenance in the appendices."""
        parts = [self.summary, self.progress]
        if self.mode != "annual":
            parts.append(lambda number: midterm_blocks(self, self.processed_dir, number))
        parts.append(self.problems)
        if not self.reference:  # the district's units act on the district's report, not on a reference run
            parts.append(self.recommendations)
        self.last_part = len(parts)
        out = self.title_page()
        for n, part in enumerate(parts, start=1):
            out += part(cn_number(n) if self.lang == "zh" else str(n))
        return [*out, PageBreak(), *appendices(self)]

    def title_page(self) -> list:
        kind = MODES[self.mode][0 if self.lang == "zh" else 1]
        today = date.today()
        if self.reference:
            title = self.t(f"{self.region}数据对照《金口河妇女发展纲要（2021—2030年）》目标{self.year}年度参照报告",
                           f"{charts.region_name(self.region, 'en')} figures against the Jinkouhe Women's Development "
                           f"Outline 2021–2030 targets: reference report, {self.year}")  # fmt: skip
        else:
            title = self.t(f"{self.region}《金口河妇女发展纲要（2021—2030年）》{self.year}年{kind}",
                           f"Jinkouhe Women's Development Outline 2021–2030: {kind}, {self.year} "
                           f"({charts.region_name(self.region, 'en')})")  # fmt: skip
        out = [Heading(title, 0),
               *(Paragraph(self.t(f"编制单位：{unit}" if i == 0 else unit, f"Prepared by: {unit}" if i == 0 else unit),
                           center=True) for i, unit in enumerate(self.compiler[0 if self.lang == "zh" else 1])),
               Paragraph(self.t(f"{today.year}年{today.month}月{today.day}日", today.strftime("%d %B %Y")),
                         center=True)]  # fmt: skip
        if self.unit:
            out.insert(1, Paragraph(self.t(f"（{self.unit}牵头或参与的目标）", f"(goals led or shared by "
                                           f"{unit_name(self.unit, 'en')})"), center=True))  # fmt: skip
        if self.synthetic:
            out.append(Paragraph(self.t("本报告中的区级数据为合成示例数据，不是真实统计，仅用于演示方法。",
                                        "The district figures in this report are SYNTHETIC example data, not "
                                        "statistics; they only demonstrate the method."), bold=True))  # fmt: skip
        return out

    def previous_headline(self) -> tuple[pd.DataFrame | None, str]:
        """Last year's headline: the vintage published then, else last year's data as known now."""
        last = self.year - 1
        vintages = load_vintages(self.processed_dir / "vintages", before=self.year)
        if len(vintages) and (vintages["vintage"] == last).any():
            v = vintages.loc[(vintages["vintage"] == last) & (vintages["record"] == "assessment")]
            merged = self.headline[SERIES_KEY].merge(v[[*SERIES_KEY, "level"]], on=SERIES_KEY, how="inner")
            if len(merged):  # last year's report of this region (a vintage of another region is no comparison)
                return merged, self.t(f"{last}年报告", f"the {last} report")
        earlier = self.observations.loc[self.observations["year"] <= last]
        if not len(earlier):
            return None, ""
        then = assess_observations(earlier, last).headline(self.region)
        return then, self.t(f"按现有数据重算的{last}年结果", f"{last} as re-assessed on today's data")

    def summary(self, number: str) -> list:
        """一、总体情况: the attainment rates, the warnings, what changed, every red warning with its unit."""
        h = self.headline
        count = {k: int((h["level"] == k).sum()) for k in ("red", "yellow", "green", "grey")}
        out = [Heading(self.t(f"{number}、总体情况", f"{number}. Summary"), 1), Paragraph(self._rate_sentence(h)),
               Paragraph(self.t(f"按预警等级，红色{count['red']}项、黄色{count['yellow']}项、绿色{count['green']}项，"
                                f"另有{count['grey']}项暂无法判断（灰色，原因见各领域表）。",
                                f"By warning level: {count['red']} red, {count['yellow']} yellow, {count['green']} "
                                f"green, and {count['grey']} that cannot be judged yet (grey; why is in each "
                                "domain's table)."))]  # fmt: skip
        previous, source = self.previous_headline()
        changed = changes(h, previous, self.lang)
        if previous is None:
            out.append(Paragraph(self.t("首次监测，无上年结果可比。", "First year monitored: nothing to compare with.")))
        elif changed:
            out.append(Paragraph(self.t(f"与{source}相比，{'，'.join(changed)}。",
                                        f"Compared with {source}: {', '.join(changed)}.")))  # fmt: skip
        else:
            out.append(Paragraph(self.t(f"与{source}相比，各指标预警等级没有变化。",
                                        f"Compared with {source}, no warning level changed.")))  # fmt: skip
        red = warning_lines(h, "red", self.lang, self.results.assessments, why=False)  # why: 存在的主要问题
        if red:
            out.append(Paragraph(self.t(f"红色预警指标{len(red)}项：", f"{len(red)} indicators in red:")))
            out += [Paragraph(f"{i}. {line}") for i, line in enumerate(red, start=1)]
        else:
            out.append(Paragraph(self.t("本期无红色预警指标。", "No indicator is in red.")))
        by_unit = self.flagged_by_unit()
        if self.reference:
            out.append(Paragraph(self.t(f"本报告以{self.region}已公开发布的数据对照金口河区纲要目标，用于检验评估方法和提供参照，"
                                        "不对区级责任单位提出工作建议。",
                                        f"This report holds the published figures of {charts.region_name(self.region, 'en')} "
                                        "against the district outline's targets, to test the method and give a reference; "
                                        "it makes no recommendation to district units.")))  # fmt: skip
        elif by_unit:
            out.append(Paragraph(self.t(
                "主要建议：请" + "；".join(by_unit) + f"，对照纲要策略措施制定整改措施（详见第{cn_number(self.last_part)}部分）。",
                "Recommendations: " + "; ".join(by_unit) + ", each to act on the outline's own measures "
                f"(part {self.last_part}).")))  # fmt: skip
        return out

    def flagged_by_unit(self) -> list[str]:
        """'区卫生健康局牵头处理红色2项、黄色5项' for every unit with an indicator in red or yellow, reds first
        (the rows of ``warnings_by_unit``)."""
        lines = []
        for unit, red, yellow, _ in warnings_by_unit(self.headline, self.lang).itertuples(index=False):
            lines.append(self.t(f"{unit}牵头处理" + "、".join(f"{w}{n}项" for w, n in (("红色", red), ("黄色", yellow)) if n),
                                f"{unit} ({', '.join(f'{n} {w}' for w, n in (('red', red), ('yellow', yellow)) if n)})"))
        return lines

    def progress(self, number: str) -> list:
        """二、各领域进展: per domain its rate, its indicator table and its charts."""
        fig, ax = plt.subplots(figsize=charts.figsize("double", 70))
        charts.scorecard(self.headline, ax=ax, lang=self.lang, synthetic=self.synthetic)
        out = [Heading(self.t(f"{number}、各领域进展", f"{number}. Progress by domain"), 1),
               Paragraph(self.t(*READING)),
               Figure(self.figure(fig, "scorecard"), self.t("各领域预警等级", "Warning levels by domain"))]
        for i, row in enumerate(CATALOG.domains.itertuples(), start=1):
            out += self.domain(row, self.t(f"（{cn_number(i)}）", f"{number}.{i}"))
        return out

    def problems(self, number: str) -> list:
        """存在的主要问题: every red, then yellow, indicator by domain, with why and who is responsible."""
        out = [Heading(self.t(f"{number}、存在的主要问题", f"{number}. Main problems"), 1)]
        found = problems(self.headline, self.lang, self.results.assessments)
        if not found:
            return [*out, Paragraph(self.t("本期无红色、黄色预警指标。", "No indicator is in red or yellow."))]
        for i, (domain, lines) in enumerate(found.items(), start=1):
            out.append(Heading(self.t(f"（{cn_number(i)}）{domain}", f"{number}.{i} {domain}"), 2))
            out += [Paragraph(f"{k}. {line}") for k, line in enumerate(lines, start=1)]
        return out

    def recommendations(self, number: str) -> list:
        """下一步工作建议: the outline's own measures for each flagged goal, grouped by the unit responsible."""
        out = [Heading(self.t(f"{number}、下一步工作建议", f"{number}. Recommendations"), 1),
               Paragraph(self.t("以下建议按责任单位列出，措施均出自纲要本身的策略措施。",
                                "Listed by responsible unit; every measure is one of the outline's own."))]  # fmt: skip
        grouped = recommendations(self.headline, self.lang)
        by_unit = warnings_by_unit(self.headline, self.lang)
        if len(by_unit):
            out.append(Table(by_unit, self.t("各责任单位预警指标", "Warnings by responsible unit")))
        grey = self.headline.loc[self.headline["level"] == "grey"]
        for i, (unit, lines) in enumerate(grouped.items(), start=1):
            out.append(Heading(self.t(f"（{cn_number(i)}）{unit}", f"{number}.{i} {unit}"), 2))
            out += [Paragraph(f"{k}. {line}") for k, line in enumerate(lines, start=1)]
        if len(grey):
            i = len(grouped) + 1
            out.append(Heading(self.t(f"（{cn_number(i)}）数据报送", f"{number}.{i} Data"), 2))
            out.append(Paragraph(self.t(
                f"{len(grey)}项指标暂无法判断，请统计局和相关成员单位按分性别统计要求报送2020年以来的数据："
                + "、".join(grey[self.t("name_zh", "name_en")].head(12)) + ("等。" if len(grey) > 12 else "。"),
                f"{len(grey)} indicators cannot be judged yet; the statistics bureau and member units are asked "
                "for their sex-disaggregated figures since 2020: " + ", ".join(grey["name_en"].head(12))
                + (", …" if len(grey) > 12 else "."))))  # fmt: skip
        return out

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

    def domain(self, row, label: str) -> list:
        """One domain of 各领域进展: its rate, its indicators (counts for rare events, the bureau's 时间进度
        beside the status, the reasons in the row) and a chart of every indicator with data."""
        name = row.name_zh if self.lang == "zh" else row.name_en
        out = [Heading(self.t(f"{label}{name}", f"{label} {name}"), 2)]
        part = self.headline.loc[self.headline["domain"] == row.domain]
        if part.empty:  # a unit's extract: a domain none of whose goals the unit leads or shares
            who = self.unit or self.t("本区", "the district")
            return out + [Paragraph(self.t(f"本领域没有{who}牵头或参与的监测指标。",
                                           f"No monitored indicator in this domain is led or shared by {unit_name(who, 'en')}."))]
        out.append(Paragraph(self._rate_sentence(part)))
        if self.mode != "annual":
            out.append(Paragraph(self.conclusion(part), bold=True))
        table = indicator_table(part, self.lang)  # text formatted by unit
        found = [self.results.assessments.get((r.indicator_id, r.region, r.sex, r.urban_rural, r.population_group))
                 for r in part.itertuples()]  # fmt: skip
        table["latest_value"] = [value_text(r, a, self.lang) for r, a in zip(part.itertuples(), found)]
        if "forecast_2030" in table:
            table["forecast_2030"] = [f if i == MISSING else f"{f}（{i}）" if self.lang == "zh" else f"{f} ({i})"
                                      for f, i in zip(table["forecast_2030"], table["interval_80"])]  # fmt: skip
        table["name"] = [f"{n}（{u}）" if u and self.lang == "zh" else f"{n} ({u})" if u else n
                         for n, u in zip(table["name"], table["unit"])]  # fmt: skip
        table.insert(list(table.columns).index("status") + 1, "time_category",
                     progress_words(part, self.lang))  # fmt: skip
        table = table.drop(columns=["latest_year", "interval_80", "evidence", "unit", "indicator_id",
                                    "probability_of"], errors="ignore")  # fmt: skip
        if self.mode != "annual":  # evaluations speak in the evaluation reports' words instead
            table.insert(list(table.columns).index("status"), "evaluation",
                         [EVALUATION[e][0 if self.lang == "zh" else 1] for e in part["evaluation"]])  # fmt: skip
            table = table.drop(columns=["status"])
        table = labelled(table, self.lang).rename(columns={
            "evaluation": self.t("评估结论", "Evaluation"), "time_category": self.t("时间进度", "Time progress"),
            LABELS["latest_value"][0 if self.lang == "zh" else 1]: self.t("最新值（年份）或合并计数",
                                                                          "Latest (year) or pooled counts"),
            LABELS["forecast_2030"][0 if self.lang == "zh" else 1]: self.t("2030年预测（80%区间）",
                                                                           "2030 forecast (80% interval)")})  # fmt: skip
        out.append(Table(table, self.t(f"{name}指标评估", f"Indicators, {name}"), note=self.notes(part)))
        series = [(r.indicator_id, a) for r, a in zip(part.itertuples(), found) if a is not None and len(a.years)]
        if series:
            pages = charts.small_multiples([a for _, a in series],
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
        if self.mode != "annual" and len(qualitative):  # as running text: a small table would strand a page
            goals = CATALOG.goals.set_index("goal_id").loc[qualitative["goal_id"].unique()]
            out.append(Paragraph(self.t("无法用统计数据判断的目标（由成员单位自评报告）：",
                                        "Goals that statistics cannot judge (reported in the units' self-assessments):")))
            out += [Paragraph(f"{i}. {g}　{text}") for i, (g, text) in
                    enumerate(goals["text_zh" if self.lang == "zh" else "text_en"].items(), start=1)]  # fmt: skip
        return out

    def conclusion(self, part: pd.DataFrame) -> str:
        """The evaluation's verdict on a domain: off track with any red warning, at risk with a yellow
        one, on track otherwise; naming what decides it."""
        names = part[self.t("name_zh", "name_en")]
        red, yellow = names[part["level"] == "red"].tolist(), names[part["level"] == "yellow"].tolist()
        judged = int((part["level"] != "grey").sum())
        if red:
            return self.t(f"{'中期' if self.mode == 'midterm' else '终期'}结论：进度滞后。红色预警{len(red)}项（"
                          f"{'、'.join(red)}），另有黄色预警{len(yellow)}项。",
                          f"Verdict: off track. {len(red)} in red ({'; '.join(red)}), {len(yellow)} in yellow.")
        if yellow:
            return self.t(f"{'中期' if self.mode == 'midterm' else '终期'}结论：存在风险。无红色预警，黄色预警{len(yellow)}项（"
                          f"{'、'.join(yellow)}）。",
                          f"Verdict: at risk. None in red; {len(yellow)} in yellow ({'; '.join(yellow)}).")
        return self.t(f"{'中期' if self.mode == 'midterm' else '终期'}结论：符合进度。可判断的{judged}项指标均无预警。",
                      f"Verdict: on track. None of the {judged} indicators that can be judged is in red or yellow.")

    def synthetic_note(self) -> str:
        return self.t("注：区级和乡镇数值为合成示例数据，不是统计数据。",
                      "Note: the district's and towns' values are SYNTHETIC, not statistics.")

    def notes(self, part: pd.DataFrame) -> str:
        """The 注 under an indicator table: where the numbers come from (the synthetic label is added
        under every table by ``label_synthetic``). What the columns mean is said once, at the head of
        各领域进展 (``READING``)."""
        titles = sorted({t for s in part.get("sources", pd.Series(dtype=str)).dropna() for t in str(s).split("；") if t})
        if not titles or self.synthetic:
            return ""
        if self.lang == "en":  # English titles where a source has them; Chinese titles are cited in the Chinese edition
            english = [english_source(t) for t in titles]
            chinese = english.count(CHINESE_SOURCE)
            named = list(dict.fromkeys(e for e in english if e != CHINESE_SOURCE))[:SOURCES_SHOWN]
            if chinese:
                named.append(f"{chinese} Chinese-language publication{'s' if chinese > 1 else ''} (cited in full in "
                             "the Chinese edition)")
            every = f"; all {len(titles)} are listed in the annex 'Data'" if len(titles) > SOURCES_SHOWN else ""
            return "Note: sources: " + "; ".join(named) + every + "."
        more = f"等{len(titles)}个来源（全部列于附件“数据来源”）" if len(titles) > SOURCES_SHOWN else ""
        return "注：数据来源：" + "；".join(titles[:SOURCES_SHOWN]) + more + "。"


def render_html(blocks: list, path: Path, lang: str) -> Path:
    parts = [f'<!doctype html><html lang="{lang}"><meta charset="utf-8"><title>{html.escape(blocks[0].text)}</title>',
             "<style>body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:60em;margin:2em auto;"
             "line-height:1.6}table{border-collapse:collapse;font-size:.85em;margin:1em 0}td,th{border:1px solid "
             "#999;padding:.2em .5em;text-align:left;vertical-align:top}img{max-width:100%}"
             "figcaption,.caption{color:#555;font-size:.9em;text-align:center}p{text-indent:2em}"
             ".note{color:#444;font-size:.85em;text-indent:0}"
             # printed landscape as the notebook reports are: portrait gave 评估对象 one character a line
             "@media print{@page{size:A4 landscape;margin:14mm 14mm}body{max-width:none;margin:0}"
             "table{width:100%}th{word-break:keep-all}tr,figure{break-inside:avoid}.caption,h1,h2,h3{break-after:avoid}thead{display:table-header-group}}"
             "</style>"]  # fmt: skip
    numbers = {"figure": 0, "table": 0}
    for block in blocks:
        if isinstance(block, Heading):
            level = max(1, block.level + 1)
            parts.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif isinstance(block, Paragraph):
            text = html.escape(block.text)
            style = ' style="text-align:center;text-indent:0"' if block.center else ""
            parts.append(f"<p{style}><strong>{text}</strong></p>" if block.bold else f"<p{style}>{text}</p>")
        elif isinstance(block, Note):
            parts.append(f'<p class="note">{html.escape(block.text)}</p>')
        elif isinstance(block, Table):
            if block.caption:
                numbers["table"] += 1
                label = f"{'表' if lang == 'zh' else 'Table'} {numbers['table']}"
                parts.append(f'<p class="caption">{label}  {html.escape(caption_text(block.caption))}</p>')
            frame = block.frame.map(_cell_text)
            parts.append(frame.to_html(index=False, escape=True, border=0))
            if block.note:
                parts += [f'<p class="note">{html.escape(line)}</p>' for line in block.note.split("\n")]
        elif isinstance(block, Figure):
            data = base64.b64encode(block.path.read_bytes()).decode()
            numbers["figure"] += 1
            label = f"{'图' if lang == 'zh' else 'Figure'} {numbers['figure']}"
            parts.append(f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(block.caption)}">'
                         f"<figcaption>{label}  {html.escape(caption_text(block.caption))}</figcaption></figure>")  # fmt: skip
    parts.append("</html>")
    return write_whole(path, lambda p: p.write_text("\n".join(parts), encoding="utf-8"))


def build_document(year: int, region: str = "金口河区", mode: str = "annual", lang: str = "zh",
                   reports_dir: Path = REPORTS, processed_dir: Path = DATA_PROCESSED,
                   unit: str | None = None) -> tuple[Path, Path]:  # fmt: skip
    """Write ``reports/<year>/<region>/document/<name>.docx`` and ``.html``; return both paths.

    ``unit``: a member unit's own extract (the goals it leads or shares), named ``…_<unit>``."""
    use_paper_style()
    with tempfile.TemporaryDirectory(prefix="document-") as scratch:
        builder = ReportBuilder(year, region, mode, lang, reports_dir, processed_dir, Path(scratch), unit)
        blocks = builder.blocks()
        if lang == "en":  # town names inside reasons and notes, as the English edition names them
            blocks = [english_block(b) for b in blocks]
        if builder.synthetic:
            blocks = label_synthetic(blocks, builder.synthetic_note())
        name = f"{region}_{year}_{mode}_{lang}" + (f"_{builder.unit}" if builder.unit else "")
        folder = builder.run_folder / "document"
        header = builder.t("合成示例数据 · 非真实统计", "SYNTHETIC EXAMPLE DATA · NOT STATISTICS") if builder.synthetic else ""
        return (render_docx(blocks, folder / f"{name}.docx", lang, running_header=header),
                render_html(blocks, folder / f"{name}.html", lang))
