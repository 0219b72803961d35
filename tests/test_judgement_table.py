"""The judgement table: hand-made series, each with the call a statistician would make and why.

Each row is a series whose right answer is obvious without running the code: far from or at its
target, clearly rising or flat within its noise, a handful of deaths in a district of 350 births a
year, seats of a village committee around a 换届. The expected level is either one level or a set
of acceptable levels where the call rightly depends on the forecast's spread (e.g. "not red").
The judgement must stay right when the forecasts improve, so no row depends on a forecast's
exact numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from analysis.assessment import Target, assess_series

SHARE_30 = Target("at_least", 30, 2030, "higher", 0, 100, unit="%")
SHARE_95 = Target("at_least", 95, 2030, "higher", 0, 100, unit="%")
KEEP_95 = Target("keep_at_least", 95, 2030, "higher", 0, 100, unit="%")
KEEP_98 = Target("keep_at_least", 98, 2030, "higher", 0, 100, unit="%")
ABOUT_45 = Target("about", 45, 2030, "target", 0, 100, tolerance=2, unit="%")
RATE_12 = Target("at_most", 12, 2030, "lower", 0, None, unit="1/10万")
MMR = Target("at_most", 12, 2030, "lower", 0, None, unit="1/10万")
TREATED_95 = Target("at_least", 95, 2030, "higher", 0, 100, unit="%")
MTCT_2 = Target("at_most", 2, 2030, "lower", 0, 100, unit="%")
UP = Target("increase", None, 2030, "higher", 0, 100, unit="%")
UP_PERSONS = Target("increase", None, 2030, "higher", 0, None, unit="人")
DOWN = Target("decrease", None, 2030, "lower", 0, 100, unit="%")
DOWN_RATE = Target("decrease", None, 2030, "lower", 0, None, unit="1/10万")
GAP = Target("gap_narrowing", None, 2030, "lower", None, None, unit="小时")
SLOWER = Target("slower_rise", None, 2030, "lower", 0, 100, unit="%")
MONITOR = Target("monitor", None, 2030, "none", 0, None, unit="件")
FACILITY = Target("at_least", 1, 2030, "higher", 0, None, unit="个")

NOT_RED = {"green", "yellow"}
Y = list(range(2015, 2026))  # eleven years to the 2025 mid-term
WIGGLE = np.array([0.3, -0.2, 0.25, -0.3, 0.1, -0.15, 0.3, -0.25, 0.2, -0.1, 0.0])  # small fixed noise


def line(start: float, slope: float, years=Y, noise: float = 1.0) -> list[float]:
    return list(start + slope * (np.asarray(years) - years[0]) + noise * WIGGLE[: len(years)])


@dataclass
class Case:
    name: str
    why: str  # the one-line reason a statistician would give
    target: Target
    years: list
    values: list | None
    status: str
    level: str | set
    as_of: int | None = None
    options: dict = field(default_factory=dict)
    reason: str | None = None  # a reason code that must be present
    absent: str | None = None  # a reason code that must not be present


CASES = [
    # --- at least / at most, values ------------------------------------------------------------
    Case("share far above", "35 % every year against ≥30: met, nothing threatens it",
         SHARE_30, Y, line(35, 0), "achieved", "green"),
    Case("share far below, flat", "15 % and not moving against ≥30 by 2030: off track",
         SHARE_30, Y, line(15, 0), "gap", "red", reason="unlikely_target"),
    Case("on the required pace", "20 in 2020 rising 1 a year reaches 30 in 2030: not off track",
         SHARE_30, Y, line(15, 1), "gap", NOT_RED, absent="unlikely_target"),
    Case("basically there", "29.5 against ≥30, rising: within a point, not red",
         SHARE_30, Y, line(24.5, 0.5), "basically_achieved", NOT_RED),
    Case("met but falling", "31 and falling 1 a year: met today, at risk, never red on its trend",
         SHARE_30, Y, line(41, -1), "achieved", "yellow"),
    Case("met, drifting within a big margin", "99.6 → 98.7 against ≥95: far above, no warning",
         SHARE_95, [2020, 2021, 2022, 2023, 2024, 2025], [99.6, 99.4, 99.2, 99.0, 98.9, 98.7],
         "achieved", "green", absent="moving_away"),
    Case("one point, met", "a single value cannot show a trend, but it meets the target: a data note, not a warning",
         SHARE_30, [2025], [31.0], "achieved", "green", reason="short_series"),
    Case("no data", "nothing to judge", SHARE_30, [], [], "insufficient_data", "grey"),
    Case("stale annual series", "met in 2020, no value since for an annual statistic: stale is a data note",
         SHARE_30, list(range(2013, 2021)), line(33, 0.2, list(range(2013, 2021))), "achieved", "green",
         as_of=2025, reason="stale"),
    Case("target year passed, met", "judged on 2030: met", SHARE_30, list(range(2024, 2031)),
         line(31, 0.2, list(range(2024, 2031))), "achieved", "green", as_of=2032, reason="target_year_passed"),
    Case("target year passed, missed", "judged on 2030: missed", SHARE_30, list(range(2024, 2031)),
         line(20, 0.2, list(range(2024, 2031))), "gap", "red", as_of=2032, reason="target_missed"),
    Case("rate falling towards its target", "20 → 13 falling 0.7 a year against ≤12: crosses it soon",
         RATE_12, Y, line(20, -0.7, noise=0.3), "gap", NOT_RED),
    Case("rate rising away", "10 → 14 rising against ≤12: off track", RATE_12, Y, line(10, 0.4, noise=0.3),
         "gap", "red"),
    # --- 左右 --------------------------------------------------------------------------------------
    Case("about: on the value", "45 ± 1 swings around 45 ± 2: its level is on target",
         ABOUT_45, Y, list(45 + 2 * WIGGLE), "achieved", NOT_RED, absent="unlikely_target"),
    Case("about: exactly 50 against 50 ± 2", "level at the value: met",
         Target("about", 50, 2030, "target", 0, 100, tolerance=2, unit="%"), Y, list(50 + 3 * WIGGLE),
         "achieved", NOT_RED),
    Case("about: inside the band near its edge", "level 46.9 against 45 ± 2: met",
         ABOUT_45, Y, list(46.9 + 0.5 * WIGGLE), "achieved", NOT_RED),
    Case("about: far off", "38 flat against 45 ± 2: off track", ABOUT_45, Y, line(38, 0), "gap", "red"),
    # --- 达到并保持 -------------------------------------------------------------------------------
    Case("keep: just reached, rising", "94 → 96 rising against 保持≥95: reached, not red",
         KEEP_95, Y, line(93.9, 0.21, noise=0.2), "achieved", NOT_RED),
    Case("keep: below, rising fast enough", "93 rising 0.5 a year reaches 95 by 2029: not red",
         KEEP_95, Y, line(88, 0.5, noise=0.2), "gap", NOT_RED),
    Case("keep: well above", "98.5–99 every year against 保持≥95", KEEP_95, Y, line(98.7, 0, noise=0.5),
         "achieved", "green"),
    Case("keep: at the bound", "100 every year against 保持≥98: held", KEEP_98, Y, [100.0] * 11,
         "achieved", "green"),
    Case("keep: slipping towards the line", "97 → 95.2 falling against 保持≥95: at risk, not red",
         KEEP_95, Y, line(99.2, -0.4, noise=0.1), "achieved", "yellow"),
    Case("keep: fell below after reaching", "98.5 → 96.9 against 保持≥98: slipped",
         KEEP_98, Y, line(99.9, -0.3, noise=0.1), "gap", {"yellow", "red"}, reason="slipping"),
    # --- 提高 / 降低 / 差距缩小 ---------------------------------------------------------------------
    Case("increase: clear rise", "60 → 70 steadily", UP, Y, line(60, 1), "achieved", "green"),
    Case("increase: flat with noise", "70 ± 1: no change beyond noise", UP, Y, list(70 + 3 * WIGGLE),
         "no_clear_change", "yellow", reason="no_clear_change"),
    Case("increase: one uptick", "flat 70 ± 1, last year 71.5: one noisy year is not progress", UP, Y,
         list(70 + 3 * WIGGLE[:10]) + [71.5], "no_clear_change", "yellow"),
    Case("increase: clear decline", "70 → 60 steadily: moving the wrong way", UP, Y, line(70, -1),
         "gap", "red", reason="wrong_direction"),
    Case("increase: persons insured", "1,000 → 1,500 insured", UP_PERSONS, Y, line(1000, 50, noise=5),
         "achieved", "green"),
    Case("decrease: clear fall", "anaemia 20 → 15", DOWN, Y, line(20, -0.5, noise=0.2), "achieved", "green"),
    Case("decrease: clear rise", "anaemia 15 → 20", DOWN, Y, line(15, 0.5, noise=0.2), "gap", "red"),
    Case("gap narrows", "housework gap 2.0 → 1.5 hours", GAP, Y, line(2.0, -0.05, noise=0.02), "achieved", "green"),
    Case("gap widens", "housework gap 1.5 → 2.0 hours", GAP, Y, line(1.5, 0.05, noise=0.02), "gap", "red"),
    # --- 上升趋势减缓 -----------------------------------------------------------------------------
    Case("slower rise", "+0.3 a year before 2020, +0.05 after", SLOWER, Y,
         [4.0 + 0.3 * min(y - 2015, 5) + 0.05 * max(y - 2020, 0) for y in Y], "achieved", "green"),
    Case("faster rise", "+0.1 a year before 2020, +0.4 after", SLOWER, Y,
         [4.0 + 0.1 * min(y - 2015, 5) + 0.4 * max(y - 2020, 0) for y in Y], "gap", "red"),
    Case("slower rise without the years before", "nothing before 2020 to compare with", SLOWER,
         list(range(2021, 2026)), [5.0, 5.1, 5.2, 5.3, 5.4], "insufficient_data", "grey"),
    Case("monitor", "no target: monitored", MONITOR, Y, line(100, 5), "monitored", "grey"),
    # --- periodic surveys and facilities ---------------------------------------------------------
    Case("five-yearly survey between rounds", "survey of 2015, 2020, 2025: not stale in 2028",
         UP, [2015, 2020, 2025], [40.0, 45.0, 50.0], "achieved", NOT_RED, as_of=2028,
         options={"frequency_years": 5}, absent="stale"),
    Case("annual series with the same gaps", "an annual statistic missing since 2025 is stale in 2028 (a data note)",
         UP, [2015, 2020, 2025], [40.0, 45.0, 50.0], "achieved", "green", as_of=2028, reason="stale"),
    Case("facility built", "0, 0, 1, 1, 1 facilities against at least 1: built, stays",
         FACILITY, list(range(2019, 2026)), [0, 0, 0, 0, 1, 1, 1], "achieved", "green", absent="volatile"),
    Case("wide swings", "a share jumping 25 ↔ 45 every year", SHARE_30, list(range(2013, 2026)),
         [30, 42, 25, 44, 28, 45, 26, 43, 30, 46, 27, 44, 31], "achieved", "yellow", reason="volatile"),
]

# --- rates of a few events: maternal deaths at district scale (350 live births a year) ------------
BIRTHS = [350] * 11


def deaths(*recent: int) -> list[int]:
    return [0] * (11 - len(recent)) + list(recent)


COUNT_CASES = [
    Case("0 deaths in 5 years", "no death in 1,750 births is consistent with ≤12/10万", MMR, Y, None,
         "achieved", "green", options={"numerators": deaths(0, 0, 0, 0, 0), "denominators": BIRTHS, "per": 100000},
         reason="few_events"),
    Case("1 death in 5 years", "one death in 1,750 births: p≈0.19 at 12/10万, pooled 57/10万 above the target: "
         "too few to test, not evidence of being on track", MMR, Y, None, "within_chance", "yellow",
         options={"numerators": deaths(0, 0, 0, 0, 1), "denominators": BIRTHS, "per": 100000}, reason="case_review"),
    Case("2 deaths in 5 years", "two deaths in 1,750 births: p≈0.02 if the rate were 12/10万", MMR, Y, None,
         "gap", "red", options={"numerators": deaths(1, 0, 0, 1, 0), "denominators": BIRTHS, "per": 100000},
         reason="counts_contradict_target"),
    Case("3 deaths in 5 years", "three deaths in 1,750 births contradict ≤12/10万", MMR, Y, None, "gap", "red",
         options={"numerators": deaths(1, 0, 1, 0, 1), "denominators": BIRTHS, "per": 100000}),
    Case("0 deaths, big population", "no death in 150,000 births shows the rate is below 12/10万", MMR, Y, None,
         "achieved", "green", options={"numerators": [0] * 11, "denominators": [30000] * 11, "per": 100000},
         absent="few_events"),
    Case("29 of 29 treated", "all infected mothers treated against ≥95 %", TREATED_95, Y, None, "achieved", "green",
         options={"numerators": [3, 2, 3, 2, 3, 6, 6, 6, 6, 5, 6][:11], "denominators": [3, 2, 3, 2, 3, 6, 6, 6, 6, 5, 6],
                  "per": 100}),
    Case("27 of 29 treated", "27 of 29 (93 %) is below 95 % but consistent with it (p≈0.4): evidence insufficient",
         TREATED_95, Y, None, "within_chance", "yellow",
         options={"numerators": [3, 2, 3, 2, 3, 6, 5, 6, 5, 5, 6], "denominators": [3, 2, 3, 2, 3, 6, 6, 6, 6, 5, 6],
                  "per": 100}),
    Case("20 of 29 treated", "20 of 29 (69 %) contradicts ≥95 %", TREATED_95, Y, None, "gap", "red",
         options={"numerators": [3, 2, 3, 2, 3, 4, 4, 4, 4, 4, 4], "denominators": [3, 2, 3, 2, 3, 6, 6, 6, 6, 5, 6],
                  "per": 100}),
    Case("0 of 14 infants infected", "no transmission against ≤2 %", MTCT_2, Y, None, "achieved", "green",
         options={"numerators": [0] * 11, "denominators": [3, 2, 3, 2, 3, 3, 3, 3, 3, 2, 3], "per": 100}),
    Case("2 of 14 infants infected", "2 of 14 (14 %) contradicts ≤2 % (p≈0.03)", MTCT_2, Y, None, "gap", "red",
         options={"numerators": [0] * 6 + [1, 0, 0, 1, 0], "denominators": [3, 2, 3, 2, 3, 3, 3, 3, 3, 2, 3],
                  "per": 100}),
    Case("congenital syphilis: 5 cases before 2020, none after", "nothing left to reduce", DOWN_RATE, Y, None,
         "achieved", "green",
         options={"numerators": [0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0], "denominators": BIRTHS, "per": 100000}),
    Case("congenital syphilis: 1 case before, 2 after", "too few cases to tell a change", DOWN_RATE, Y, None,
         "no_clear_change", "yellow",
         options={"numerators": [0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0], "denominators": BIRTHS, "per": 100000}),
]

# --- seats of elected bodies around the 2021 and 2026 elections ---------------------------------
TERMS = list(range(2016, 2026))


def seats(before: int, after: int, size: int = 40) -> dict:
    women = [before] * 5 + [after] * 5  # the 2016 term, then the 2021 term
    return {"numerators": women, "denominators": [size] * 10, "per": 100, "elected": True}


def share(women: dict) -> list[float]:
    return [100 * w / n for w, n in zip(women["numerators"], women["denominators"])]


SEAT_CASES = [
    Case("seats: 12 of 40 against ≥30 %", "30 % today: met, to be held at the 2026 election", SHARE_30, TERMS,
         share(seats(10, 12)), "achieved", "green", options=seats(10, 12), reason="next_election"),
    Case("seats: one seat short before 2026", "11 of 40: one seat to gain at the 2026 election", SHARE_30, TERMS,
         share(seats(10, 11)), "gap", "yellow", options=seats(10, 11), reason="seats_short"),
    Case("seats: far short, small past gains", "6 of 40 (15 %) needs 6 seats, past elections gained 1",
         SHARE_30, TERMS, share(seats(5, 6)), "gap", "red", options=seats(5, 6), reason="seats_gain_unprecedented"),
    Case("seats: short after the last election", "11 of 40 in 2027: no election left before 2030", SHARE_30,
         list(range(2018, 2028)), [25.0] * 3 + [27.5] * 7, "gap", "red", as_of=2027,
         options={"numerators": [10] * 3 + [11] * 7, "denominators": [40] * 10, "per": 100, "elected": True},
         reason="seats_short_final"),
    Case("seats: more women this term", "25 % → 28 % at the 2021 election: 逐步提高 achieved", UP, TERMS,
         [25.0] * 5 + [28.0] * 5, "achieved", "green", options={"elected": True}),
    Case("seats: unchanged this term", "the same share as the last term: to be raised in 2026", UP, TERMS,
         [25.0] * 10, "no_clear_change", "yellow", options={"elected": True}, reason="seats_unchanged"),
    Case("seats: 1 of 5 ↔ 2 of 5", "a body of five moves 20 points a person: not 波动较大", UP, TERMS,
         [20.0, 40.0, 20.0, 20.0, 20.0, 40.0, 20.0, 40.0, 40.0, 40.0], "achieved", NOT_RED,
         options={"elected": True}, absent="volatile"),
]


@pytest.mark.parametrize("case", CASES + COUNT_CASES + SEAT_CASES, ids=lambda c: c.name)
def test_judgement(case: Case):
    options = dict(case.options)
    result = assess_series(case.years, case.values, case.target, as_of=case.as_of, name=case.name, **options)
    codes = {r.code for r in result.reasons}
    levels = case.level if isinstance(case.level, set) else {case.level}
    assert result.status == case.status, f"{case.why}: status {result.status}\n{result.summary()}"
    assert result.level in levels, f"{case.why}: level {result.level}\n{result.summary()}"
    if case.reason:
        assert case.reason in codes, f"{case.why}: expected reason {case.reason}\n{result.summary()}"
    if case.absent:
        assert case.absent not in codes, f"{case.why}: unexpected reason {case.absent}\n{result.summary()}"


def test_the_table_covers_every_kind_and_has_forty_cases():
    cases = CASES + COUNT_CASES + SEAT_CASES
    assert len(cases) >= 40
    kinds = {c.target.kind for c in cases}
    assert {"at_least", "at_most", "about", "keep_at_least", "increase", "decrease", "gap_narrowing",
            "slower_rise", "monitor"} <= kinds  # fmt: skip


def test_every_probability_says_what_it_is_about():
    for case in CASES + COUNT_CASES + SEAT_CASES:
        result = assess_series(case.years, case.values, case.target, as_of=case.as_of, **case.options)
        if result.probability is not None:
            assert result.probability_of[0] and result.probability_of[1], case.name
        if result.test_p is not None:
            assert result.test_of[0] and result.test_of[1], case.name
        if result.test_p is not None:  # judged on its counts: no invented rate, no P of meeting it
            assert result.forecast is None and result.probability is None, case.name
