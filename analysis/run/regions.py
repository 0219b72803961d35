"""Comparing regions: many regions assessed in one pass, a ranked table and a map-free chart.

The regions are those named, or ``all``: every region in the database except the levels the
district is compared against (乐山市, 四川省, 全国) — the towns of the district, or the counties
when a city or province loads theirs. The ranking is by attainment rate (达标率: of the indicators
that can be judged, the share 已实现 or 基本实现, as in the bureau's reports), then by fewer red
warnings; a region without a judged indicator comes last.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.assessment.panel import HIGHER_LEVELS, AssessmentResults

COLUMNS = {"rank": ("排名", "rank"), "region": ("地区", "region"), "indicators": ("指标数", "indicators"),
           "judged": ("可判断", "judged"), "met": ("已实现或基本实现", "met"),
           "attainment_rate": ("达标率", "attainment rate"), "level_red": ("红色预警", "red"),
           "level_yellow": ("黄色预警", "yellow"), "level_green": ("绿色", "green"), "level_grey": ("灰色", "grey"),
           "synthetic": ("合成数据", "synthetic")}  # fmt: skip
MOST_BARS = 40  # beyond this many regions the chart shows the 20 first and the 20 last


class UnknownRegion(ValueError):
    """--region names a region the database does not have."""


def regions_in(observations: pd.DataFrame) -> list[str]:
    """Every region with data, except the comparison levels."""
    return sorted(set(observations["region"]) - set(HIGHER_LEVELS))


def resolve_regions(text: str, observations: pd.DataFrame) -> list[str]:
    """``all`` or a comma-separated list (、，, ; accepted) → regions, each checked against the database."""
    available = regions_in(observations)
    if text.strip().lower() == "all":
        return available
    named = [r.strip() for r in re.split(r"[,，、;；]", text) if r.strip()]
    unknown = [r for r in named if r not in set(observations["region"])]
    if unknown:
        shown = "、".join(available[:12]) + ("…" if len(available) > 12 else "")
        raise UnknownRegion(f"no data for region(s) {'、'.join(unknown)} → use one of {shown}, or all")
    return list(dict.fromkeys(named))


def compare_regions(results: AssessmentResults, regions: list[str]) -> pd.DataFrame:
    """One row per region: its headline indicators' attainment and warnings, ranked."""
    table = results.table
    rows = []
    for region in regions:
        total = results.roll_up(region).iloc[-1] if len(results.headline(region)) else None
        row = {"region": region}
        for column in ("indicators", "judged", "met", "attainment_rate", "level_red", "level_yellow", "level_green",
                       "level_grey"):  # fmt: skip
            row[column] = total[column] if total is not None else (None if column == "attainment_rate" else 0)
        row["synthetic"] = bool(table.loc[table["region"] == region, "synthetic"].any()) if len(table) else False
        rows.append(row)
    frame = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    frame["attainment_rate"] = pd.to_numeric(frame["attainment_rate"], errors="coerce")
    frame = frame.sort_values(["attainment_rate", "level_red", "region"], ascending=[False, True, True],
                              na_position="last", kind="stable").reset_index(drop=True)  # fmt: skip
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    return frame


def comparison_chart(frame: pd.DataFrame, lang: str = "zh"):
    """Attainment rate per region as ranked horizontal bars, labelled with met/judged and red warnings."""
    from analysis.figures.style import figsize, mark_synthetic, use_paper_style

    use_paper_style()
    shown = frame if len(frame) <= MOST_BARS else pd.concat([frame.head(MOST_BARS // 2), frame.tail(MOST_BARS // 2)])
    fig, ax = plt.subplots(figsize=figsize("double", 25 + 4.2 * len(shown)))
    labels = [f"{r.rank}. {r.region}" for r in shown.itertuples()]
    rates = 100 * shown["attainment_rate"].fillna(0).to_numpy(float)
    bars = ax.barh(labels, rates, color="#4c72b0")
    red = "红" if lang == "zh" else "red"
    ax.bar_label(bars, labels=[f"{int(r.met)}/{int(r.judged)}，{red}{int(r.level_red)}" if lang == "zh"
                               else f"{int(r.met)}/{int(r.judged)}, {red} {int(r.level_red)}" for r in shown.itertuples()],
                 padding=2, fontsize="small")  # fmt: skip
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("达标率（%）" if lang == "zh" else "Attainment rate (%)")
    title = "各地区达标率排名" if lang == "zh" else "Regions ranked by attainment rate"
    if len(shown) < len(frame):
        title += (f"（{len(frame)}个地区中前{MOST_BARS // 2}名与后{MOST_BARS // 2}名）" if lang == "zh"
                  else f" (first and last {MOST_BARS // 2} of {len(frame)})")  # fmt: skip
    ax.set_title(title)
    if frame["synthetic"].any():
        mark_synthetic(fig, lang)
    return fig


def write_comparison(results: AssessmentResults, regions: list[str], out_dir: Path, lang: str = "zh") -> list[Path]:
    """The ranked table (CSV, XLSX), the chart (PNG, PDF) and the whole assessment (Parquet) in ``out_dir``."""
    from analysis.figures.style import save_figure
    from analysis.files import write_whole
    from analysis.report.tables import save_table

    out_dir.mkdir(parents=True, exist_ok=True)
    frame = compare_regions(results, regions)
    shown = frame.rename(columns={k: v[0 if lang == "zh" else 1] for k, v in COLUMNS.items() if k != "synthetic"})
    title = "各地区达标率排名" if lang == "zh" else "Regions ranked by attainment rate"
    paths = save_table(shown, out_dir / "regions_ranked", lang, title=title)
    fig = comparison_chart(frame, lang)
    paths += save_figure(fig, out_dir / "regions_ranked", ("png", "pdf"))
    plt.close(fig)
    table = results.table.loc[results.table["region"].isin(regions)]
    paths.append(write_whole(out_dir / "assessment.parquet", lambda p: table.to_parquet(p, index=False)))
    return paths
