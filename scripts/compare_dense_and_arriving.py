"""What real data's sparseness does to the judgement: the SYNTHETIC district dense and as it arrives.

    python scripts/compare_dense_and_arriving.py [--year 2025]

Assesses the synthetic district twice — every indicator in every year (``--dense`` of
make_synthetic_example.py) and as shipped, thinned as real district data arrive
(synthetic/arrival.py) — and writes reports/examples/synthetic_dense_vs_arriving.md (and .csv):
every headline indicator whose warning level changes, with both calls' reasons and data status, and
the width of the 2030 80 % interval in each (fewer, older points must widen it: the median ratio
arriving/dense is reported). Synthetic numbers, never statistics.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from synthetic.arrival import as_they_arrive  # noqa: E402
from synthetic.district import generate, to_csv_frame  # noqa: E402

from analysis.assessment.panel import assess_observations  # noqa: E402
from analysis.data import ingest, load_observations  # noqa: E402
from analysis.files import write_whole  # noqa: E402

OUT = ROOT / "reports" / "examples" / "synthetic_dense_vs_arriving"
KEEP = ["indicator_id", "name_zh", "level", "status", "reasons", "n_points", "latest_year", "width_80"]


def headline(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The district's headline assessment of a synthetic long table, as the run makes it."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw" / "synthetic"
        raw.mkdir(parents=True)
        to_csv_frame(frame).to_csv(raw / "jinkouhe_synthetic_example.csv", index=False, lineterminator="\n")
        ingest(raw.parent, Path(tmp) / "processed")
        observations = load_observations(Path(tmp) / "processed")
    table = assess_observations(observations, year).headline("金口河区").copy()
    low, high = f"lower_80_{2030}", f"upper_80_{2030}"
    table["width_80"] = table[high] - table[low] if low in table and high in table else np.nan
    return table[[c for c in KEEP if c in table]].set_index("indicator_id")


# Why a call changes when the data thin, read from the arriving call's reasons (first match wins).
WHY = [
    ("no_value_in_period", "nothing after the base year: a census or survey value of 2020 alone cannot show a change"),
    ("needs_both_periods", "a 5-yearly survey has one point after 2020: the slopes before and after cannot be compared"),
    ("term_not_reported", "the current term has not been reported"),
    ("evidence_insufficient", "a year of counts missing leaves too few events to test: 证据不足 (yellow), never green"),
    ("next_election", "judged by term: the 2021 term against the term in force in 2020, without the turnover "
                      "between elections that the dense series invents"),
    ("seats_", "judged by term, on the seats reported at the 换届"),
    ("gap_trend_unknown", "too few real points to forecast: a gap with no evidence of closing is not green"),
    ("moving_away_sparse", "each of the last three values further from the target"),
]


def why(row) -> str:
    reasons = str(row["reasons_arriving"]) if pd.notna(row["reasons_arriving"]) else ""
    for code, text in WHY:
        if code in reasons:
            return text
    return f"{row['n_points_dense']:.0f} → {row['n_points_arriving']:.0f} points: a different forecast"


def compare(year: int) -> tuple[pd.DataFrame, str]:
    dense_frame = generate()
    dense, arriving = headline(dense_frame, year), headline(as_they_arrive(dense_frame), year)
    both = dense.add_suffix("_dense").join(arriving.add_suffix("_arriving"), how="outer")
    both["width_ratio"] = both["width_80_arriving"] / both["width_80_dense"]
    changed = both.loc[both["level_dense"] != both["level_arriving"]].copy()
    changed["why"] = [why(r) for _, r in changed.iterrows()]
    ratios = both["width_ratio"].replace([np.inf, -np.inf], np.nan).dropna()
    moves = changed.groupby(["level_dense", "level_arriving"]).size().rename("n").reset_index()
    lines = [
        "# 合成示例数据：逐年完整 与 按真实到达方式 · SYNTHETIC district: dense vs as real data arrive",
        "",
        f"Made by `scripts/compare_dense_and_arriving.py` for the report year {year}. Synthetic numbers, "
        "never statistics. *Dense*: every indicator in every year 2015–2025. *Arriving*: the shipped "
        "example — surveys in 2015/2020/2025, the census in 2020, elected bodies at their 换届, about "
        "15 % of annual years missing, a fifth of indicators a year late (scripts/synthetic/arrival.py).",
        "",
        f"- headline indicators judged: {len(both)}; warning level changed: **{len(changed)}**",
        f"- 2030 80 % interval width, arriving / dense: median ratio **{ratios.median():.2f}** over "
        f"{len(ratios)} indicators forecast in both (share wider: {(ratios > 1).mean():.0%}; "
        f"share narrower: {(ratios < 1).mean():.0%})",
        "",
        "Level changes (dense → arriving):",
        "",
        moves.to_markdown(index=False) if len(moves) else "(none)",
        "",
        "Every indicator whose level changed, with both calls' reasons (reason codes of "
        "analysis/assessment/reasons.py) and the points each call saw:",
        "",
        changed[["name_zh_dense", "level_dense", "level_arriving", "n_points_dense", "n_points_arriving",
                 "latest_year_arriving", "reasons_dense", "reasons_arriving", "why"]].to_markdown(),
    ]  # fmt: skip
    return both, "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    table, text = compare(args.year)
    write_whole(OUT.with_suffix(".csv"), lambda tmp: table.to_csv(tmp, encoding="utf-8-sig"))
    write_whole(OUT.with_suffix(".md"), lambda tmp: tmp.write_text(text, encoding="utf-8"))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
