"""Whether a gap between women and men (or town and country) narrowed since 2020: only beyond chance.

Each case's answer is obvious to a statistician: a gap moving by less than its yearly wobble has
not "narrowed"; a gap of 10 points falling steadily to 0 has; 50 % against 70 % of 1,000 people a
year becoming 60 % against 70 % has narrowed, while the same percentages from 10 people a year
cannot tell.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.assessment.comparison import TOO_FEW, UNCLEAR, gap_direction

YEARS = list(range(2015, 2026))
WOBBLE = np.array([0.3, -0.2, 0.25, -0.3, 0.1, -0.15, 0.3, -0.25, 0.2, -0.1, 0.0])


def yearly_gaps(differences) -> pd.DataFrame:
    """Female − male gaps typed as rates (no counts)."""
    return pd.DataFrame({"indicator_id": "X", "name_zh": "某指标", "between": "sex", "unit": "%",
                         "year": [str(y) for y in YEARS], "difference": differences, "numerator_1": np.nan,
                         "denominator_1": np.nan, "numerator_2": np.nan, "denominator_2": np.nan, "per": np.nan,
                         "synthetic": False})  # fmt: skip


def counted_gaps(share_1, share_2, people_per_year) -> pd.DataFrame:
    """Shares of two groups from counts: share_x(year) in %, people_per_year in each group."""
    rows = []
    for y in YEARS:
        k1, k2 = round(share_1(y) * people_per_year / 100), round(share_2(y) * people_per_year / 100)
        rows.append({"indicator_id": "X", "name_zh": "某指标", "between": "sex", "unit": "%", "year": str(y),
                     "difference": (k1 - k2) / people_per_year * 100, "numerator_1": k1,
                     "denominator_1": people_per_year, "numerator_2": k2, "denominator_2": people_per_year,
                     "per": 100.0, "synthetic": False})  # fmt: skip
    return pd.DataFrame(rows)


def call(gaps: pd.DataFrame) -> pd.Series:
    return gap_direction(gaps).set_index("indicator_id").loc["X"]


def test_a_gap_moving_within_its_wobble_has_not_narrowed():
    # 3.18 in 2020 and 3.10 in 2025 around a flat 3.1: comparing two points said 缩小
    row = call(yearly_gaps(3.1 - 0.5 * WOBBLE))
    assert abs(row["gap_now"]) < abs(row["gap_then"])
    assert row["direction"] == UNCLEAR and 0.1 < row["p_narrowed"] < 0.9


def test_a_gap_falling_steadily_has_narrowed_and_one_rising_has_widened():
    falling = call(yearly_gaps([10 - (y - 2015) + 0.2 * w for y, w in zip(YEARS, WOBBLE)]))
    assert falling["direction"] == "缩小" and falling["p_narrowed"] >= 0.9
    rising = call(yearly_gaps([2 + 0.8 * (y - 2015) + 0.2 * w for y, w in zip(YEARS, WOBBLE)]))
    assert rising["direction"] == "扩大" and rising["p_narrowed"] <= 0.1


def test_a_negative_gap_narrows_towards_zero():
    # women 8 points below men, closing a point a year: |gap| falls though the difference rises
    row = call(yearly_gaps([-10 + (y - 2015) + 0.2 * w for y, w in zip(YEARS, WOBBLE)]))
    assert row["direction"] == "缩小"


def before_after(before: float, after: float):
    return lambda y: before if y <= 2020 else after


@pytest.mark.parametrize("people, expected", [(1000, "缩小"), (10, UNCLEAR)])
def test_counted_gaps_are_tested_on_their_counts(people, expected):
    # women 50 % → 60 %, men 70 % throughout: the gap goes from −20 to −10 points
    row = call(counted_gaps(before_after(50, 60), lambda y: 70, people))
    assert row["gap_then"] == pytest.approx(-20) and row["gap_now"] == pytest.approx(-10)
    assert row["direction"] == expected


def test_a_handful_of_events_gives_no_direction():
    gaps = counted_gaps(lambda y: 0.0, lambda y: 0.0, 400)
    gaps.loc[gaps["year"] == "2017", "numerator_1"] = 1
    gaps.loc[gaps["year"] == "2023", "numerator_2"] = 1
    row = call(gaps)
    assert row["direction"] == TOO_FEW and pd.isna(row["p_narrowed"])
