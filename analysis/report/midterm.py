"""The mid-term (and final) evaluation's own chapter: levels, sexes, places, measures, and the
forecasts' track record, as document blocks for ``analysis.report.document``.

Each part is a small function returning blocks, so the document adds them with one line:
``levels_part`` (the district beside 乐山市, 四川省, 全国, women's with women's values, with the
higher levels' targets and a 注 line of sources; ``levels_citations_part`` is its appendix table of
every source: title, URL, quote),
``sex_part`` (分性别: gaps and their direction since 2020), ``places_part`` (town/country,
towns and ethnic townships), ``ages_part`` (分年龄), ``measures_part`` (策略措施 and qualitative goals as the member units
report them: a self-assessment), ``track_record_part`` (earlier forecasts and warnings against
what happened). Every table and figure made from synthetic values says so.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.assessment import comparison
from analysis.catalog import CATALOG, unit_text, with_unit
from analysis.data import measures
from analysis.data.vocabulary import ethnic_townships
from analysis.evaluation import vintages
from analysis.figures.charts import region_name
from analysis.figures.style import figsize, mark_synthetic
from analysis.report import breakdowns
from analysis.report.blocks import Figure, Heading, Paragraph, Table
from analysis.report.findings import unit_name
from analysis.report.tables import format_number

TOWNSHIP_INDICATORS = ("HE-02-1", "DM-02-3", "DM-03-3")


def _fmt(value, digits: int = 3) -> str:
    """A published value as its page states it (the citations): thousands separated, otherwise at most
    ``digits`` decimals; the tables write every value to its unit's decimals (``breakdowns.number``)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, (float, np.floating)):
        return f"{value:,.0f}" if abs(value) >= 1000 else f"{round(float(value), digits):g}"
    return str(value)


def midterm_blocks(builder, processed_dir: Path, number: str = "三") -> list:
    """The evaluation chapter, numbered ``number`` (一、 … in Chinese, 1. … in English): every part, in order."""
    everything = comparison.observations_for_comparison(processed_dir, builder.year)
    builder.chapter = number
    return [Heading(builder.t(f"{number}、中期评估专题", f"{number}. Mid-term evaluation topics"), 1),
            *levels_part(builder, everything), *sex_part(builder, everything), *places_part(builder, everything),
            *ages_part(builder, comparison.observations_for_comparison(processed_dir, builder.year, by_age=True)),
            *measures_part(builder, processed_dir), *track_record_part(builder, processed_dir)]  # fmt: skip


def _level_cell(row: pd.Series, level: str, lang: str) -> str:
    """A higher level's value as the levels table shows it: value (year)[ref], △ when more than
    ``comparison.STALE_YEARS`` older than the district's, 届 for a term value."""
    value = row.get(f"{level}_value", np.nan)
    if pd.isna(value):
        return ""
    year = int(row[f"{level}_year"])
    term = ("届" if lang == "zh" else " term") if row[f"{level}_term"] else ""
    stale = "△" if row[f"{level}_stale"] else ""
    when = f"（{year}{term}）" if lang == "zh" else f" ({year}{term})"
    return f"{breakdowns.number(value, row['unit'])}{when}{stale}[{int(row[f'{level}_ref'])}]"


def levels_part(b, obs: pd.DataFrame) -> list:
    """The district beside 乐山市, 四川省, 全国: women's values beside women's values, both sexes beside
    both sexes; every higher-level value with its year and a reference number, the 注 line under the
    table (``comparison.source_note``); the full citations go to the appendix (``levels_citations_part``)."""
    table = comparison.levels_latest(obs, b.region)
    out = [Heading(b.t("（一）与乐山市、四川省和全国比较", f"{b.chapter}.1 Beside Leshan, Sichuan and the nation"), 2),
           Paragraph(b.t("女性指标与上级的女性数值比较，男女合计与上级的男女合计比较；上级数值为各自最新的已公开发布统计，"
                         "与本区同年的数值优先，不向后延用（人大、政协按届期）。",
                         "Women's values are set beside the higher levels' women's values, both sexes beside both "
                         "sexes; each higher level's latest published value, that of the district's year where it "
                         "exists, never carried forward (people's congress and CPPCC shares: the term)."))]  # fmt: skip
    if table.empty:
        return out + [Paragraph(b.t("本期没有可比较的上级数值。", "No higher-level value to compare."))]
    frame = pd.DataFrame({
        b.t("指标", "Indicator"): table["indicator_id"].map(lambda i: breakdowns.label(i, b.lang)),
        b.t("性别", "Sex"): table[b.t("sex_zh", "sex_en")],
        b.t("单位", "Unit"): table["unit"].map(lambda u: unit_text(u, b.lang)),
        b.t("本区（年份）", "District (year)"): [breakdowns.number(v, u) + b.t(f"（{y}）", f" ({y})") + (
            f"{b.t('；', '; ')}{b.t(p, p.replace('合并', ' pooled'))}" if p else "")
            for v, u, y, p in zip(table[b.region], table["unit"], table["year"], table["pooled"])],
        b.t("四川省（年份）[出处]", "Sichuan (year) [source]"): [_level_cell(r, "四川省", b.lang) for _, r in table.iterrows()],
        b.t("全国（年份）[出处]", "China (year) [source]"): [_level_cell(r, "全国", b.lang) for _, r in table.iterrows()],
        b.t("口径说明", "Scope"): table["scope_note"] if b.lang == "zh" else table["scope_note"].map(
            lambda s: "differs: see the Chinese edition" if s else ""),
        b.t("本区目标", "District target"): table[b.t("target", "target_en")],
        # one column for both outlines' targets: a column more squeezed the values until 30.4 broke as 30. / 4
        b.t("全国、四川纲要目标", "National, Sichuan targets"): [
            b.t("；", "; ").join(f"{b.t(name_zh, name_en)}{b.t('：', ': ')}{t}" for name_zh, name_en, t in
                                 (("全国", "China", nat), ("四川", "Sichuan", sc)) if isinstance(t, str) and t)
            for nat, sc in zip(table[b.t("全国_target", "全国_target_en")], table[b.t("四川省_target", "四川省_target_en")])],
    })  # fmt: skip
    return out + [Table(frame, b.t("表 区级与上级数值及目标", "Table: district beside higher levels, with targets"),
                        note=comparison.source_note(table, lang=b.lang))]


def levels_appendix(builder, processed_dir: Path) -> list:
    """The appendix blocks of the higher levels' sources, for ``analysis.report.document`` to add in its
    appendix (the same observations ``midterm_blocks`` compares)."""
    return levels_citations_part(builder, comparison.observations_for_comparison(processed_dir, builder.year))


def levels_citations_part(b, obs: pd.DataFrame) -> list:
    """The appendix's full list of the higher-level values' sources (编号 as in the levels table):
    level, indicator, sex, year, value, source title, URL and the quoted sentence."""
    table = comparison.levels_latest(obs, b.region)
    out = [Heading(b.t("上级数值出处", "Sources of higher-level values"), 2)]
    cited = comparison.citations(table)
    if cited.empty:
        return out + [Paragraph(b.t("本期没有引用上级数值。", "No higher-level value cited."))]
    level = {"全国": b.t("全国", "China"), "四川省": b.t("四川省", "Sichuan"), "乐山市": b.t("乐山市", "Leshan")}
    frame = pd.DataFrame({
        b.t("编号", "No."): cited["ref"].map(lambda n: f"[{n}]"),
        b.t("层级", "Level"): cited["level"].map(level),
        b.t("指标", "Indicator"): cited["indicator_id"].map(lambda i: breakdowns.label(i, b.lang)),
        b.t("性别", "Sex"): cited[b.t("sex", "sex_en")],
        b.t("年份", "Year"): cited["year"].astype(str) + cited["term"].map(lambda t: b.t(f"（{t}）", " (term)") if t else ""),
        b.t("数值", "Value"): [with_unit(_fmt(v), u, b.lang) for v, u in zip(cited["value"], cited["unit"])],
    })  # fmt: skip
    if b.lang == "zh":  # titles and quoted sentences are Chinese pages: the English edition gives the address
        frame["来源"], frame["口径说明"] = cited["source"], cited["scope"]
    frame[b.t("网址", "URL (Chinese-language page)")] = cited["url"]
    if b.lang == "zh":
        frame["原文"] = cited["quote"]
    return out + [Table(frame, b.t("表 上级数值出处", "Table: sources of higher-level values")),
                  Paragraph(b.t("注：来源标题、网址和原文照录页面（繁体转载页照录）；多为官方发布的第三方转载页，"
                                "正式引用前须核对原发布机构原文。",
                                "Note: the pages are in Chinese; titles and the quoted sentences are in the Chinese "
                                "edition. Many are third-party reprints of official releases."))]  # fmt: skip


def sex_part(b, obs: pd.DataFrame) -> list:
    gaps = comparison.breakdown_gaps(obs, "sex", b.region)
    out = [Heading(b.t("（二）分性别统计", f"{b.chapter}.2 Women and men"), 2)]
    if gaps.empty:
        return out + [Paragraph(b.t("没有分性别数据。", "No sex-disaggregated data."))]
    direction = comparison.gap_direction(gaps)
    latest = gaps.loc[gaps["year"].str.isdigit()].sort_values("year").groupby("indicator_id").tail(1)
    merged = latest.merge(direction[["indicator_id", "gap_then", "then", "direction"]], on="indicator_id", how="left")
    out.append(Paragraph(b.t("差距为女性减男性；比值为女性除以男性。有分子分母时给出95%区间（比例用 Newcombe 法，"
                             "小数事件率用泊松 score 法）；只有比率时不计算区间。差距变化：与2020年相比差距的绝对值缩小或扩大超出年度波动（概率≥90%）才写“缩小”“扩大”，否则写“变化不明显”；有计数时比较2016—2020年与2021年以来的合并差距。",
                             "Gap = women − men; ratio = women / men. 95% intervals where counts exist (Newcombe for "
                             "shares, Poisson score for rates); none from rates alone. "
                             "Change: “narrowed” or “widened” only when the absolute gap moved beyond its yearly noise since 2020 (probability ≥ 90 %), else “no clear change”; with counts, the pooled 2016–2020 gap against the pooled gap since 2021.")))  # fmt: skip
    units = merged["unit"]
    interval = [f"{breakdowns.number(lo, u)}—{breakdowns.number(hi, u)}" if pd.notna(lo) else b.t("无计数", "no counts")
                for lo, hi, u in zip(merged["difference_lower"], merged["difference_upper"], units)]  # fmt: skip

    def by_unit(column: str) -> list[str]:  # one format for a unit, as in every report table
        return [breakdowns.number(v, u) for v, u in zip(merged[column], units)]

    frame = pd.DataFrame({
        b.t("指标", "Indicator"): merged["indicator_id"].map(lambda i: breakdowns.label(i, b.lang)),
        b.t("单位", "Unit"): merged["unit"].map(lambda u: unit_text(u, b.lang)),
        b.t("年份", "Year"): merged["year"], b.t("女", "Women"): by_unit("value_1"),
        b.t("男", "Men"): by_unit("value_2"), b.t("差距", "Gap"): by_unit("difference"),
        b.t("95%区间", "95% interval"): interval, b.t("比值", "Ratio"): merged["ratio"].map(lambda v: "" if pd.isna(v) else f"{v:.2f}"),
        b.t("2020年差距", "Gap 2020"): by_unit("gap_then"),
        b.t("变化", "Change"): merged["direction"].map(lambda d: d if b.lang == "zh" else
                                                       breakdowns.DIRECTION_EN.get(d, "")),
    })  # fmt: skip
    out.append(Table(frame, b.t("表 分性别指标：差距及其变化", "Table: gaps between women and men")))
    out.append(Figure(b.figure(ratio_chart(direction, gaps, b.lang), "sex_ratio"),
                      b.t("图 女性与男性之比：2020年与最新年份", "Figure: women-to-men ratio, 2020 and latest")))  # fmt: skip
    return out


def ratio_chart(direction: pd.DataFrame, gaps: pd.DataFrame, lang: str = "zh"):
    """Women/men ratio in 2020 (hollow) and latest (filled): unit-free, so every indicator shares an axis."""
    yearly = gaps.loc[gaps["year"].str.isdigit()].assign(y=lambda g: g["year"].astype(int))
    rows = []
    for indicator_id, frame in yearly.groupby("indicator_id"):
        base = frame.loc[frame["y"] == 2020, "ratio"]
        last = frame.loc[frame["y"].idxmax()]
        if len(base) and pd.notna(base.iloc[0]) and pd.notna(last["ratio"]):
            rows.append((breakdowns.label(indicator_id, lang), float(base.iloc[0]), float(last["ratio"]), int(last["y"])))
    fig, ax = plt.subplots(figsize=figsize("double", max(60, 9 * len(rows) + 20)), layout="constrained")
    for i, (label, then, now, _) in enumerate(rows):
        ax.plot([then, now], [i, i], color="#888888", lw=1)
        ax.plot(then, i, "o", mfc="white", mec="#1f77b4", ms=5)
        ax.plot(now, i, "o", color="#1f77b4", ms=5)
    ax.axvline(1.0, color="#b00000", lw=0.8, ls="--")
    ax.set_yticks(range(len(rows)), [r[0] for r in rows], fontsize="small")
    ax.invert_yaxis()
    ax.set_xlabel("女性÷男性（空心：2020年；实心：最新年份）" if lang == "zh" else "Women ÷ men (hollow 2020, filled latest)")
    if gaps["synthetic"].any():
        mark_synthetic(fig, lang)
    return fig


def places_part(b, obs: pd.DataFrame) -> list:
    out = [Heading(b.t("（三）城乡、乡镇与民族乡", f"{b.chapter}.3 Town and country, towns, ethnic townships"), 2)]
    urban_rural = comparison.urban_rural_table(obs, b.region)
    if len(urban_rural):
        out += [Paragraph(b.t("城镇减农村；小数事件（如孕产妇死亡）按纲要期（2021年起）合并，列出例数/分母及精确区间，"
                              f"少于{comparison.MIN_EVENTS}例不计算比率。差距变化：与2020年相比差距的绝对值缩小或扩大超出年度波动（概率≥90%）才写“缩小”“扩大”，否则写“变化不明显”；有计数时比较2016—2020年与2021年以来的合并差距。",
                              "Urban − rural; rare events (maternal deaths) pooled since 2021 as events/base with exact "
                              f"intervals, no rate below {comparison.MIN_EVENTS} events. "
                              "Change: “narrowed” or “widened” only when the absolute gap moved beyond its yearly noise since 2020 (probability ≥ 90 %), else “no clear change”; with counts, the pooled 2016–2020 gap against the pooled gap since 2021.")),
                Table(breakdowns.urban_rural_view(urban_rural, b.lang),
                      b.t("表 分城乡指标：城乡差距及其变化", "Table: urban–rural gaps and their change"))]  # fmt: skip
    ethnic = comparison.ethnic_table(obs, b.region)
    if len(ethnic):
        names = b.t("、".join(ethnic_townships(b.region)), ", ".join(region_name(r, "en") for r in ethnic_townships(b.region)))
        out += [Paragraph(b.t(f"民族乡（{names}）与其他乡镇比较，对应纲要中的少数民族妇女、"
                              "少数民族适龄女童和民族地区教育。小数事件合并计数并给出精确区间；其他指标为各乡镇最新值的简单平均。",
                              f"The ethnic townships ({names}) beside the other towns, for the outline's ethnic-minority "
                              "women and girls. Rare events as pooled counts with exact intervals; other indicators as "
                              "the towns' simple mean.")),
                Table(breakdowns.ethnic_view(ethnic, b.lang),
                      b.t("表 民族乡与其他乡镇", "Table: ethnic townships and the other towns"))]  # fmt: skip
    for indicator_id in TOWNSHIP_INDICATORS:
        table = comparison.towns(obs, indicator_id, b.region)
        if table.empty:
            continue
        unit = CATALOG.indicator(indicator_id)["unit"]
        frame = pd.DataFrame({b.t("乡镇", "Town"): table[b.t("region", "region_en")],
                              b.t("年份", "Years"): table[b.t("years", "years_en")],
                              b.t("例数", "Events"): table["numerator"].map(_fmt),
                              b.t("分母", "Base"): table["denominator"].map(_fmt),
                              b.t("数值", "Value"): table["value"].map(lambda v, u=unit: "" if pd.isna(v) else
                                                                     format_number(v, u)),  # one format a column
                              b.t("说明", "Shown as"): table[b.t("shown_as", "shown_as_en")]})  # fmt: skip
        label = breakdowns.label(indicator_id, b.lang)
        out.append(Table(frame, b.t(f"表 {label}：各乡镇与民族乡", f"Table: {label} by town")))
    return out


def ages_part(b, obs: pd.DataFrame) -> list:
    """分年龄 (the outline's 四(二) 分性别分年龄指标): each age group's women and men, latest year."""
    table = comparison.age_table(obs, b.region)
    out = [Heading(b.t("（四）分年龄统计", f"{b.chapter}.4 By age group"), 2)]
    if table.empty:
        return out + [Paragraph(b.t("尚无分年龄数据。", "No data by age group yet."))]  # fmt: skip
    return out + [Paragraph(b.t("各年龄组的女性、男性数值及女性减男性之差；只有比率时不计算区间。",
                                "Women, men and women − men in each age group; no interval from rates alone.")),
                  Table(breakdowns.age_view(table, b.lang), b.t("表 分年龄、分性别指标", "Table: by age group and sex"))]


SELF_STATUS_EN = {"已完成": "done", "推进中": "in progress", "未启动": "not started", "未填报": "not reported"}
SYNTHETIC_UNIT = r"[（(]合成示例[)）]"


DOMAIN_NAME_EN = dict(zip(CATALOG.domains["name_zh"], CATALOG.domains["name_en"])) | {"合计": "Total"}


def _unit_en(units: pd.Series) -> pd.Series:
    """A reporting unit in English: its register name, '(synthetic)' when the answers are."""
    bare = units.str.replace(SYNTHETIC_UNIT, "", regex=True)
    return bare.map(lambda u: unit_name(u, "en")) + units.str.contains(SYNTHETIC_UNIT).map({True: " (synthetic)", False: ""})


def _summary_en(summary: pd.DataFrame) -> pd.DataFrame:
    out = summary.rename(columns={"领域": "Domain", "总数": "Total", **SELF_STATUS_EN})
    return out.assign(Domain=out["Domain"].map(DOMAIN_NAME_EN).fillna(out["Domain"]))


def measures_part(b, processed_dir: Path) -> list:
    table = measures.load_self_assessment(processed_dir)
    out = [Heading(b.t("（五）策略措施落实情况（成员单位自评）", f"{b.chapter}.5 Measures (member units' self-assessment)"), 2),
           Paragraph(b.t("以下为区妇儿工委成员单位自报的落实情况，属自评，不是统计数据；未填报的措施不计为“未启动”。"
                         "定性目标通过同一自评表报告。", "As reported by the member units: a self-assessment, not "
                         "statistics; measures nobody reported are not counted as not started. Qualitative goals "
                         "are reported through the same form."))]  # fmt: skip
    if table.empty:
        return out + [Paragraph(b.t("尚未收到成员单位自评表。", "No self-assessment received yet."))]
    for kind, zh, en in (("measure", "策略措施", "Measures"), ("qualitative", "定性目标", "Qualitative goals")):
        summary = measures.summary(table, kind)
        out.append(Table(summary if b.lang == "zh" else _summary_en(summary),
                         b.t(f"表 {zh}落实情况 {summary.attrs['label']}", f"Table: {en} (self-assessment)")))
    answers = measures.current_answers(table.loc[table["kind"] == "measure"])
    idle = answers.loc[answers["status"] == "未启动"].sort_values(["item_id", "unit"])
    if len(idle):  # the measures a unit says it has not started: named, with the unit, for follow-up
        frame = pd.DataFrame({b.t("措施", "Measure"): idle["item_id"]})
        if b.lang == "zh":
            frame["内容"] = idle["text"].str.slice(0, 40)
        frame[b.t("填报单位", "Unit")] = idle["unit"] if b.lang == "zh" else _unit_en(idle["unit"])
        out.append(Table(frame,
                         b.t(f"表 成员单位自报“未启动”的策略措施（{len(idle)}项）" +
                             ("【合成示例】" if idle["synthetic"].any() else ""),
                             f"Table: measures reported as not started ({len(idle)})")))  # fmt: skip
    coverage = measures.coverage_table(table)
    if len(coverage):
        shown = coverage.drop(columns="合成数据")
        if b.lang == "en":  # the targets' wording is the outline's Chinese: the Chinese edition gives it
            shown = pd.DataFrame({"No.": shown["编号"], "Domain": shown["领域"].map(DOMAIN_NAME_EN).fillna(shown["领域"]),
                                  "Unit": _unit_en(shown["填报单位"]), "Covered": shown["已覆盖数"],
                                  "To cover": shown["应覆盖数"], "Status": shown["落实状态"].map(SELF_STATUS_EN),
                                  "Coverage (%, self-reported)": shown["覆盖率（%，自报）"]})  # fmt: skip
        out.append(Table(shown,
                         b.t("表 全覆盖目标（成员单位自报）" + ("【合成示例】" if coverage["合成数据"].any() else ""),
                             "Table: full-coverage targets (self-reported)")))  # fmt: skip
    return out


def track_record_part(b, processed_dir: Path) -> list:
    out = [Heading(b.t("（六）往年预测与预警的检验", f"{b.chapter}.6 How earlier forecasts and warnings turned out"), 2)]
    earlier = vintages.load_vintages(processed_dir / "vintages", before=b.year)
    earlier = earlier.loc[earlier["region"].isin(b.results.table["region"].unique())]
    if earlier.empty:
        return out + [Paragraph(b.t("尚无往年预测存档；每次出报告时存档当年预测，次年起可检验。",
                                    "No earlier forecasts stored yet; each report stores its year's forecasts."))]  # fmt: skip
    made = ", ".join(f"{v}（数据指纹 {f}）" for v, f in earlier.groupby("vintage")["data_fingerprint"].first().items())
    record = vintages.track_record(earlier, b.observations)
    summary = vintages.track_summary(record)
    out.append(Paragraph(b.t(f"所用预测存档：{made}。80%区间应约有80%的实际值落入，95%区间约95%；检验次数少时仅供参考。",
                             f"Vintages used: {made}. About 80 % / 95 % of outcomes should fall inside the intervals.")))  # fmt: skip
    total = summary.loc[summary["indicator_id"] == "合计"]
    if len(total):
        t = total.iloc[0]
        out.append(Paragraph(b.t(f"合计检验 {t['n']} 个预测值：落入80%区间 {t['inside_80_share']:.0%}，落入95%区间 {t['inside_95_share']:.0%}。",
                                 f"{t['n']} forecasts checked: {t['inside_80_share']:.0%} inside 80 %, "
                                 f"{t['inside_95_share']:.0%} inside 95 %.")))  # fmt: skip
    shown = summary.rename(columns={"indicator_id": b.t("指标", "Indicator"), "n": b.t("检验次数", "Checked"),
                                    "mean_abs_error": b.t("平均绝对误差", "Mean abs. error"),
                                    "inside_80_share": b.t("落入80%区间", "Inside 80%"),
                                    "inside_95_share": b.t("落入95%区间", "Inside 95%")}).round(3)  # fmt: skip
    out.append(Table(shown, b.t("表 往年预测的检验（按指标）", "Table: track record by indicator")))
    out.append(Figure(b.figure(coverage_chart(record, b.lang), "track_record"),
                      b.t("图 往年预测落入区间的比例（按预测步长）", "Figure: share of outcomes inside the intervals, by horizon")))  # fmt: skip
    outcomes = vintages.warning_outcomes(earlier, b.results)
    if len(outcomes):
        counts = pd.crosstab(outcomes["vintage"], outcomes["outcome"].map(vintages.OUTCOME_ZH if b.lang == "zh" else str))
        counts.columns.name = None
        out.append(Table(counts.reset_index().rename(columns={"vintage": b.t("预测年份", "Vintage")}),
                         b.t("表 往年预警的结果（序列数）", "Table: what became of earlier warnings (series)")))  # fmt: skip
    return out


def coverage_chart(record: pd.DataFrame, lang: str = "zh"):
    """Share of outcomes inside the 80 % and 95 % intervals by horizon, against the nominal levels."""
    by = record.groupby("horizon").agg(n=("error", "size"), i80=("inside_80", "mean"), i95=("inside_95", "mean"))
    fig, ax = plt.subplots(figsize=figsize("single"), layout="constrained")
    x = np.arange(len(by))
    ax.bar(x - 0.2, by["i80"], 0.4, label="80%区间" if lang == "zh" else "80% interval", color="#1f77b4")
    ax.bar(x + 0.2, by["i95"], 0.4, label="95%区间" if lang == "zh" else "95% interval", color="#9ecae1")
    for level in (0.8, 0.95):
        ax.axhline(level, color="#b00000", lw=0.8, ls="--")
    ax.set_xticks(x, [f"{h}\n(n={n})" for h, n in zip(by.index, by["n"])], fontsize="small")
    ax.set_xlabel("预测步长（年）" if lang == "zh" else "Horizon (years)")
    ax.set_ylabel("实际值落入区间的比例" if lang == "zh" else "Share inside")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize="x-small", frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=2)
    if record["synthetic"].any():
        mark_synthetic(fig, lang)
    return fig
