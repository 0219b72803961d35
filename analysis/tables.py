"""Tables for people: the columns a report shows, labelled in Chinese or English, and their export.

Every exported table says where its numbers come from and, when any come from the synthetic
example, says so in its first row (XLSX) or in a ``synthetic`` column (CSV).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.assessment.progress import EUROSTAT_ZH, STATCAN_ZH, UNSD_ZH
from analysis.assessment.series import LEVEL_ZH, STATUS_EN
from analysis.catalog import unit_text
from analysis.files import write_whole

LEVEL_FILL = {"red": "#F4B6B0", "yellow": "#FCE8A6", "green": "#BFE3C8", "grey": "#E0E0E0"}
SYNTHETIC_BANNER = {"zh": "【合成示例数据，非真实统计】", "en": "[SYNTHETIC EXAMPLE DATA — NOT REAL STATISTICS]"}

# column -> (中文, English)
LABELS = {
    "indicator_id": ("指标代码", "Indicator"),
    "name_zh": ("指标名称", "Indicator name"),
    "name_en": ("指标名称", "Indicator name"),
    "domain_zh": ("领域", "Domain"),
    "region": ("地区", "Region"),
    "sex": ("性别", "Sex"),
    "urban_rural": ("城乡", "Urban/rural"),
    "unit": ("单位", "Unit"),
    "target": ("目标", "Target"),
    "latest_value": ("最新值", "Latest value"),
    "latest_year": ("年份", "Year"),
    "status_zh": ("现状", "Status"),
    "status": ("现状", "Status"),
    "forecast_2030": ("2030年预测", "Forecast 2030"),
    "interval_80": ("80%区间", "80% interval"),
    "probability": ("概率", "Probability"),
    "probability_of": ("概率含义", "Probability of"),
    "probability_of_en": ("概率含义", "Probability of"),
    "judged_on": ("评估对象", "Judged on"),
    "evidence_zh": ("计数依据", "Counts"),
    "evidence_en": ("计数依据", "Counts"),
    "eurostat_category": ("Eurostat进展类别", "Eurostat progress"),
    "base_value": ("基期值", "Base value"),
    "base_year": ("基期年份", "Base year"),
    "level_zh": ("预警", "Warning"),
    "level": ("预警", "Warning"),
    "reasons_zh": ("原因", "Reasons"),
    "reasons_en": ("原因", "Reasons"),
    "statcan_category": ("StatCan进展类别", "StatCan progress"),
    "unsd_category": ("UNSD进展类别", "UNSD progress"),
    "time_category": ("时间进度", "Time progress"),
    "sources": ("数据来源", "Sources"),
    "synthetic": ("合成数据", "Synthetic"),
}


def indicator_table(headline: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The per-indicator table of a report: latest value, target, status, 2030 forecast, P, warning."""
    t = headline.copy()
    interval = [
        "" if pd.isna(lo) else f"{lo:.3g}–{hi:.3g}"
        for lo, hi in zip(t.get("lower_80_2030", pd.Series([pd.NA] * len(t))),
                          t.get("upper_80_2030", pd.Series([pd.NA] * len(t))))
    ]  # fmt: skip
    out = pd.DataFrame({
        "indicator_id": t["indicator_id"],
        "name_zh" if lang == "zh" else "name_en": t["name_zh" if lang == "zh" else "name_en"],
        "unit": t["unit"].map(lambda u: unit_text(u, lang)),
        "target": t["target" if lang == "zh" else "target_en"],
        "latest_value": t["latest_value"].round(2),
        "latest_year": t["latest_year"].astype("Int64"),
        "status_zh" if lang == "zh" else "status": t["status_zh"] if lang == "zh" else t["status"].map(STATUS_EN),
        "forecast_2030": t["forecast_2030"].round(2) if "forecast_2030" in t else pd.NA,
        "interval_80": interval,
        "judged_on": t["judged_on"].map(lambda j: JUDGED_ON_TEXT.get(j, ("", ""))[0 if lang == "zh" else 1])
        if "judged_on" in t else "",
        "probability": t["probability"].round(2),
        "probability_of" if lang == "zh" else "probability_of_en": t.get(
            "probability_of" if lang == "zh" else "probability_of_en", ""),
        "evidence_zh" if lang == "zh" else "evidence_en": t.get("evidence_zh" if lang == "zh" else "evidence_en", ""),
        "level_zh" if lang == "zh" else "level": t["level_zh"] if lang == "zh" else t["level"],
        "reasons_zh" if lang == "zh" else "reasons_en": t["reasons_zh" if lang == "zh" else "reasons_en"],
        "sources": t["sources"],
        "synthetic": t["synthetic"],
    })  # fmt: skip
    return out


JUDGED_ON_TEXT = {"female": ("女性", "women"), "total": ("合计", "total"), "gap": ("差距", "gap"),
                  "township": ("各乡镇", "each township")}  # fmt: skip


def progress_table(headline: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The official-style measures beside each other: StatCan, Eurostat, UNSD and 时间进度.

    Deterministic (base and latest values only); shown for comparison with published assessments.
    """
    zh = lang == "zh"
    t = headline.loc[headline["target_kind"] != "monitor"]

    def name(mapping: dict, code) -> str:
        return (mapping.get(code, code) if zh else str(code).replace("_", " ")) if isinstance(code, str) else ""

    def ratio(values) -> list:
        return ["" if pd.isna(v) else f"{v:.2f}" for v in values]

    time_share = ["" if pd.isna(a) else f"{a:.0%} / {e:.0%}" for a, e in zip(t["time_progress"], t["time_elapsed"])]
    out = pd.DataFrame({
        "indicator_id": t["indicator_id"],
        "name_zh" if zh else "name_en": t["name_zh" if zh else "name_en"],
        "target": t["target" if zh else "target_en"],
        "base_year": t["base_year"].astype("Int64"), "base_value": t["base_value"].round(2),
        "latest_year": t["latest_year"].astype("Int64"), "latest_value": t["latest_value"].round(2),
        "statcan_ratio": ratio(t["statcan_ratio"]), "statcan_category": t["statcan_category"].map(lambda c: name(STATCAN_ZH, c)),
        "eurostat_ratio": ratio(t["eurostat_ratio"]),
        "eurostat_category": t["eurostat_category"].map(lambda c: name(EUROSTAT_ZH, c)),
        "unsd_ratio": ratio(t["unsd_ratio"]), "unsd_category": t["unsd_category"].map(lambda c: name(UNSD_ZH, c)),
        "time_share": time_share, "time_category": t["time_category"],
    })  # fmt: skip
    labels = {"statcan_ratio": ("StatCan比值", "StatCan ratio"), "eurostat_ratio": ("Eurostat比值", "Eurostat ratio/CAGR"),
              "unsd_ratio": ("UNSD比值", "UNSD ratio"), "time_share": ("完成进度/时间进度", "Done / time elapsed")}  # fmt: skip
    out = labelled(out, lang)
    return out.rename(columns={k: v[0 if zh else 1] for k, v in labels.items()}).reset_index(drop=True)


def labelled(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Column names in the report's language."""
    return frame.rename(columns={c: LABELS[c][0 if lang == "zh" else 1] for c in frame.columns if c in LABELS})


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
            banner = (SYNTHETIC_BANNER[lang] if synthetic else "") + title
            sheet.write(0, 0, banner, book.add_format({"bold": True, "font_color": "#B00000" if synthetic else "#000000"}))
            sheet.freeze_panes(2, 0)
            for i, column in enumerate(shown.columns):
                longest = max([len(str(column)), *(len(str(v)) for v in shown[column])])
                width = min(48, max(8, longest + 2))
                sheet.set_column(i, i, width)
            if level_column and level_column in frame:
                formats = {lv: book.add_format({"bg_color": c}) for lv, c in LEVEL_FILL.items()}
                codes = frame[level_column].map({v: k for k, v in LEVEL_ZH.items()}).fillna(frame[level_column])
                for r, code in enumerate(codes, start=2):
                    if code in formats:
                        sheet.set_row(r, None, formats[code])

    xlsx = write_whole(stem.with_suffix(".xlsx"), write_xlsx)
    return [csv, xlsx]
