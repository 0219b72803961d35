"""Tables for people: the columns a report shows, labelled in Chinese or English, and their export.

Every exported table says where its numbers come from and, when any come from the synthetic
example, says so in its first row (XLSX) or in a ``synthetic`` column (CSV).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

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
    "probability": ("达标概率", "P(target met)"),
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
        "probability": t["probability"].round(2),
        "level_zh" if lang == "zh" else "level": t["level_zh"] if lang == "zh" else t["level"],
        "reasons_zh" if lang == "zh" else "reasons_en": t["reasons_zh" if lang == "zh" else "reasons_en"],
        "sources": t["sources"],
        "synthetic": t["synthetic"],
    })  # fmt: skip
    return out


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
