"""Tables for people: the columns a report shows, labelled and formatted in Chinese or English, and their export.

One list, ``INDICATOR_COLUMNS``, says which columns of the assessment table a report shows, in
which order, under which label and with which number format; a column is shown only when the
assessment table has it, so a new column of the engine appears by adding one line here.

Numbers are formatted by unit (shares with one decimal, 元 with thousands separators, probabilities
as whole per cent), missing values as "—", codes as words. The same formatting serves the
notebooks (a pandas Styler: JupyterLab shows what the HTML shows), the HTML reports and the Word
document. Exported tables (CSV, XLSX) keep numbers as numbers, and say where they come from and,
when any come from the synthetic example, say so in their first row (XLSX) or a ``synthetic`` column.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from pandas.io.formats.style import Styler

from analysis.assessment.progress import EUROSTAT_ZH, STATCAN_ZH, UNSD_ZH
from analysis.assessment.series import LEVEL_ZH, STATUS_EN
from analysis.catalog import CATALOG, unit_text
from analysis.files import write_whole

LEVEL_FILL = {"red": "#F4B6B0", "yellow": "#FCE8A6", "green": "#BFE3C8", "grey": "#E0E0E0"}
LEVEL_EN = {"red": "Red", "yellow": "Yellow", "green": "Green", "grey": "Grey"}
SYNTHETIC_BANNER = {"zh": "【合成示例数据，非真实统计】", "en": "[SYNTHETIC EXAMPLE DATA — NOT REAL STATISTICS]"}
MISSING = "—"
KIND_TEXT = {"at_most": ("不高于", "at most"), "at_least": ("不低于", "at least"), "about": ("约为", "about"),
             "keep_at_least": ("保持在…以上", "keep at least"), "increase": ("提高", "increase"),
             "decrease": ("降低", "decrease"), "slower_rise": ("上升趋势减缓", "slower rise"),
             "gap_narrowing": ("差距缩小", "narrow the gap"),
             "monitor": ("监测", "monitor"), "qualitative": ("定性", "qualitative")}  # fmt: skip
GROUP_TEXT = {"female": ("女", "women"), "male": ("男", "men"), "total": ("合计", "total"),
              "urban": ("城镇", "urban"), "rural": ("农村", "rural")}  # fmt: skip
JUDGED_ON_TEXT = {"female": ("女性", "women"), "total": ("合计", "total"), "gap": ("差距", "gap"),
                  "township": ("各乡镇", "each township")}  # fmt: skip
DECIMALS = {"%": 1, "‰": 1, "1/10万": 1, "百分点": 1, "岁": 1, "年": 1, "小时": 1, "元": 0, "人": 0, "个": 0, "件": 0}


@dataclass(frozen=True)
class Column:
    """One column of a report table: where it comes from (per language), its label, its format."""

    key: str
    source_zh: str
    source_en: str
    label_zh: str
    label_en: str
    kind: str = "text"  # text | value (formatted by the row's unit) | probability | year | level | status

    def source(self, lang: str) -> str:
        return self.source_zh if lang == "zh" else self.source_en

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


# The per-indicator table of a report. Add a line to show a new column of the assessment table.
INDICATOR_COLUMNS = [
    Column("indicator_id", "indicator_id", "indicator_id", "指标代码", "Indicator"),
    Column("name", "name_zh", "name_en", "指标名称", "Indicator name"),
    Column("unit", "unit", "unit", "单位", "Unit", "unit"),
    Column("target", "target", "target_en", "目标", "Target"),
    Column("judged_on", "judged_on", "judged_on", "评估对象", "Judged on", "group"),
    Column("latest_value", "latest_value", "latest_value", "最新值", "Latest value", "value"),
    Column("latest_year", "latest_year", "latest_year", "年份", "Year", "year"),
    Column("status", "status_zh", "status", "现状", "Status", "status"),
    Column("forecast_2030", "forecast_2030", "forecast_2030", "2030年预测", "Forecast 2030", "value"),
    Column("interval_80", "interval_80", "interval_80", "80%区间", "80% interval", "interval"),
    Column("probability", "probability", "probability", "概率", "Probability", "probability"),
    Column("probability_of", "probability_of", "probability_of_en", "概率含义", "Probability of"),
    Column("level", "level_zh", "level", "预警", "Warning", "level"),
    Column("reasons", "reasons_zh", "reasons_en", "原因", "Reasons"),
    Column("evidence", "evidence_zh", "evidence_en", "计数依据", "Counts"),
]
EXPORT_ONLY = [Column("sources", "sources", "sources", "数据来源", "Sources"),
               Column("synthetic", "synthetic", "synthetic", "合成数据", "Synthetic")]  # fmt: skip
LABELS = {c.key: (c.label_zh, c.label_en) for c in INDICATOR_COLUMNS + EXPORT_ONLY} | {
    "name_zh": ("指标名称", "Indicator name"), "name_en": ("指标名称", "Indicator name"),
    "statcan_category": ("StatCan进展类别", "StatCan progress"), "unsd_category": ("UNSD进展类别", "UNSD progress"),
    "eurostat_category": ("Eurostat进展类别", "Eurostat progress"), "time_category": ("时间进度", "Time progress"),
    "base_value": ("基期值", "Base value"), "base_year": ("基期年份", "Base year"),
}  # fmt: skip


def format_number(value, unit: str = "", decimals: int | None = None) -> str:
    """A number as a report writes it: by unit, thousands separated, missing as "—"."""
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    value = float(value)
    if decimals is None:
        decimals = DECIMALS.get(unit)
    if decimals is None:  # no unit known: three significant digits, never scientific notation
        decimals = max(0, 2 - int(math.floor(math.log10(abs(value))))) if value else 0
    return f"{value:,.{decimals}f}"


def format_percent(share, decimals: int = 0) -> str:
    """A share (0–1) as per cent: 0.4515 → 45%; 达标率 with ``decimals=1`` → 72.7%."""
    if share is None or share is pd.NA or (isinstance(share, float) and not math.isfinite(share)):
        return MISSING
    return f"{float(share):.{decimals}%}"


def _interval(low, high, unit: str) -> str:
    if any(v is None or v is pd.NA or (isinstance(v, float) and not math.isfinite(v)) for v in (low, high)):
        return MISSING
    return f"{format_number(low, unit)}–{format_number(high, unit)}"


def indicator_table(headline: pd.DataFrame, lang: str = "zh", export: bool = False) -> pd.DataFrame:
    """The per-indicator table of a report, with the INDICATOR_COLUMNS the assessment table has.

    For display (``export=False``) every cell is text formatted by its unit; for export numbers
    stay numbers (rounded), and the sources and synthetic columns are added. Columns are keyed by
    ``Column.key``; ``labelled`` turns them into the report's language.
    """
    t = headline.reset_index(drop=True)
    if "lower_80_2030" in t and "upper_80_2030" in t:
        t = t.assign(interval_80=[_interval(lo, hi, u) for lo, hi, u in zip(t["lower_80_2030"], t["upper_80_2030"],
                                                                            t["unit"])])  # fmt: skip
    out = {}
    for column in INDICATOR_COLUMNS + (EXPORT_ONLY if export else []):
        source = column.source(lang)
        if source not in t:
            continue
        values = t[source]
        if column.kind == "value":
            out[column.key] = (values.astype(float).round(4) if export else
                               [format_number(v, u) for v, u in zip(values, t["unit"])])  # fmt: skip
        elif column.kind == "probability":
            out[column.key] = values.astype(float).round(3) if export else values.map(format_percent)
        elif column.kind == "year":
            out[column.key] = values.astype("Int64") if export else values.map(
                lambda y: MISSING if pd.isna(y) else str(int(y)))  # fmt: skip
        elif column.kind == "unit":
            out[column.key] = values.map(lambda u: unit_text(u, lang))
        elif column.kind == "status" and lang == "en":
            out[column.key] = values.map(lambda s: STATUS_EN.get(s, s))
        elif column.kind == "level" and lang == "en":
            out[column.key] = values.map(lambda s: LEVEL_EN.get(s, s))
        elif column.kind == "group":
            out[column.key] = values.map(lambda g: JUDGED_ON_TEXT.get(g, GROUP_TEXT.get(g, (g, g)))[0 if lang == "zh" else 1])
        else:
            out[column.key] = values.map(lambda v: MISSING if _blank(v) else v) \
                if not export and values.dtype == object else values  # fmt: skip
    return pd.DataFrame(out)


TIME_EN = {"已达期末目标": "target met", "超过进度要求": "ahead of pace", "达到进度要求": "on pace", "滞后": "lagging",
           "已达标后回落": "fell back after meeting", "无目标值": "no target", "数据不足": "insufficient data"}  # fmt: skip


def progress_words(headline: pd.DataFrame, lang: str = "zh") -> list[str]:
    """The bureau's 时间进度 category of each row, in the report's language."""
    return [c if lang == "zh" else TIME_EN.get(c, c) if isinstance(c, str) and c else MISSING
            for c in headline.get("time_category", pd.Series([""] * len(headline)))]  # fmt: skip


def progress_table(headline: pd.DataFrame, lang: str = "zh", counted: dict[str, str] | None = None) -> pd.DataFrame:
    """The official-style measures beside each other: StatCan, Eurostat, UNSD and 时间进度.

    Deterministic (base and latest values only); shown for comparison with published assessments.
    Values formatted by unit, as every report table; ``counted``: the indicators judged on pooled
    counts, with their counts (``findings.counted_values``), shown instead of one year's rate.
    """
    zh = lang == "zh"
    t = headline.loc[headline["target_kind"] != "monitor"]

    def name(mapping: dict, code) -> str:
        return (mapping.get(code, code) if zh else str(code).replace("_", " ")) if isinstance(code, str) and code else MISSING

    def ratio(values) -> list:
        return [MISSING if pd.isna(v) else f"{v:.2f}" for v in values]

    def with_year(values, years, units) -> list:
        return [MISSING if pd.isna(v) else f"{format_number(v, u)}（{int(y)}）" if zh else f"{format_number(v, u)} ({int(y)})"
                for v, y, u in zip(values, years, units)]  # fmt: skip

    def measure(ratios, categories, mapping) -> list:
        return [name(mapping, c) if pd.isna(r) else f"{r:.2f} {name(mapping, c)}" for r, c in zip(ratios, categories)]

    def time(done, elapsed, category) -> list:
        out = []
        for a, e, c in zip(done, elapsed, category):
            text = c if zh or not isinstance(c, str) else TIME_EN.get(c, c)
            text = text if isinstance(text, str) and text else MISSING
            out.append(text if pd.isna(a) else f"{a:.0%} / {e:.0%} {text}")
        return out

    out = pd.DataFrame({
        "indicator_id": t["indicator_id"],
        "name_zh" if zh else "name_en": t["name_zh" if zh else "name_en"],
        "target": t["target" if zh else "target_en"],
        "base": [MISSING if i in (counted or {}) else v for i, v in
                 zip(t["indicator_id"], with_year(t["base_value"], t["base_year"], t["unit"]))],
        "latest": [(counted or {}).get(i, v) for i, v in
                   zip(t["indicator_id"], with_year(t["latest_value"], t["latest_year"], t["unit"]))],
        "statcan": measure(t["statcan_ratio"], t["statcan_category"], STATCAN_ZH),
        "eurostat": measure(t["eurostat_ratio"], t["eurostat_category"], EUROSTAT_ZH),
        "unsd": measure(t["unsd_ratio"], t["unsd_category"], UNSD_ZH),
        "time": time(t["time_progress"], t["time_elapsed"], t["time_category"]),
    })  # fmt: skip
    labels = {"base": ("基期值（年份）", "Base (year)"), "latest": ("最新值（年份）", "Latest (year)"),
              "statcan": ("StatCan（比值、类别）", "StatCan"), "eurostat": ("Eurostat（比值或增速、类别）", "Eurostat"),
              "unsd": ("UNSD（比值、类别）", "UNSD"), "time": ("时间进度（完成/时间）", "Time progress (done / elapsed)")}  # fmt: skip
    out = out.rename(columns={k: v[0 if zh else 1] for k, v in labels.items()})
    return labelled(out, lang).reset_index(drop=True)


def _blank(value) -> bool:
    return value is None or value is pd.NA or value == "" or (isinstance(value, float) and math.isnan(value))


def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Column names in the report's language."""
    return frame.rename(columns={c: LABELS[c][0 if lang == "zh" else 1] for c in frame.columns if c in LABELS})


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as report text: numbers formatted (3 significant digits, no scientific notation),
    missing values as "—", booleans as 是/否 never True/False."""
    def cell(value):
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return MISSING
        if isinstance(value, bool):
            return "是" if value else "否"
        if isinstance(value, int):
            return f"{value:,}" if abs(value) >= 10000 else str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() and abs(value) < 10000 else format_number(value)
        return str(value)

    return frame.astype(object).map(cell)


class ReportTable(Styler):
    """A styled table whose plain-text form is the table (a Styler's is its memory address, which
    differs every run and made the notebooks differ between runs of the same inputs)."""

    def __repr__(self) -> str:
        return self.data.to_string(index=False)


def styled(frame: pd.DataFrame, level_column: str | None = None, caption: str = ""):
    """A table for the notebook and its HTML: no index, text left, numbers right, warning rows tinted."""
    text = as_text(frame).reset_index(drop=True)
    # The table's HTML id (its CSS scope) from its content, not pandas' random one: the same
    # inputs give the same report, byte for byte; two different tables in one page differ.
    content = pd.util.hash_pandas_object(text, index=False).values.tobytes() + repr((list(text.columns), caption,
                                                                                       level_column)).encode()  # fmt: skip
    identity = hashlib.sha256(content).hexdigest()[:8]
    numeric = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])
               or frame[c].astype(str).str.fullmatch(r"[—\-−]?[\d,.%–]+").fillna(False).all()]  # fmt: skip
    styler = ReportTable(text, uuid=identity).hide(axis="index")
    styler = styler.set_table_attributes('class="report-table"')
    styler = styler.set_properties(**{"text-align": "left"}).set_properties(subset=numeric, **{"text-align": "right"})
    styler = styler.set_table_styles([{"selector": "th", "props": [("text-align", "left")]}])
    short = [c for c in text.columns if text[c].str.len().max() <= 12 and len(str(c)) <= 12]
    styler = styler.set_properties(subset=short, **{"white-space": "nowrap"})
    # A column of sentences gets a width from its longest text (about 2–5 lines), so that no such column
    # is squeezed to three characters a line when a wide table is printed on A4 (min-width is ignored
    # on table cells by browsers; a width is taken as the column's preferred width).
    for column in (c for c in text.columns if c not in short):
        longest = max([len(str(column)), *text[column].astype(str).str.len()])
        styler = styler.set_properties(subset=[column], **{"width": f"{min(14.0, max(7.0, longest / 4.5)):.1f}em"})
    if caption:
        styler = styler.set_caption(caption)
    if level_column and level_column in frame:
        codes = frame[level_column].map({**{v: k for k, v in LEVEL_ZH.items()}, **{v: k for k, v in LEVEL_EN.items()}})
        fills = codes.map(LEVEL_FILL).fillna("")
        styler = styler.apply(lambda row: [f"background-color: {fills.iloc[row.name]}" if fills.iloc[row.name] else ""
                                           for _ in row], axis=1)  # fmt: skip
    return styler


FILE_DATE = datetime(1980, 1, 1, tzinfo=timezone.utc)


def save_table(frame: pd.DataFrame, stem: Path, lang: str = "zh", level_column: str | None = None,
               title: str = "") -> list[Path]:  # fmt: skip
    """CSV (UTF-8 with BOM, for Excel) and XLSX (title row, warning levels coloured), each whole."""
    synthetic = "synthetic" in frame and bool(frame["synthetic"].fillna(False).any())
    shown = labelled(frame, lang)
    csv = write_whole(stem.with_suffix(".csv"), lambda p: shown.to_csv(p, index=False, encoding="utf-8-sig"))

    def write_xlsx(path: Path) -> None:
        with pd.ExcelWriter(path, engine="xlsxwriter") as writer:
            shown.to_excel(writer, index=False, startrow=1, sheet_name="table")
            book, sheet = writer.book, writer.sheets["table"]
            # A fixed file date (the ZIP epoch, as the workbook's parts already have): the same
            # inputs give the same bytes; the run's manifest records when it was made.
            book.set_properties({"created": FILE_DATE})
            banner = (SYNTHETIC_BANNER[lang] if synthetic else "") + title
            sheet.write(0, 0, banner, book.add_format({"bold": True, "font_color": "#B00000" if synthetic else "#000000"}))
            sheet.freeze_panes(2, 0)
            for i, column in enumerate(shown.columns):
                longest = max([len(str(column)), *(len(str(v)) for v in shown[column])])
                width = min(48, max(8, longest + 2))
                sheet.set_column(i, i, width)
            if level_column and level_column in frame:
                formats = {lv: book.add_format({"bg_color": c}) for lv, c in LEVEL_FILL.items()}
                codes = frame[level_column].map({**{v: k for k, v in LEVEL_ZH.items()},
                                                 **{v: k for k, v in LEVEL_EN.items()}}).fillna(frame[level_column])  # fmt: skip
                for r, code in enumerate(codes, start=2):
                    if code in formats:
                        sheet.set_row(r, None, formats[code])

    xlsx = write_whole(stem.with_suffix(".xlsx"), write_xlsx)
    return [csv, xlsx]


def domain_name(domain: str, lang: str) -> str:
    names = CATALOG.domains.set_index("domain")
    return names.loc[domain, "name_zh" if lang == "zh" else "name_en"] if domain in names.index else domain
