"""The real national figures the repository ships, judged as an NBS statistician would (issue #20).

``data/raw/national/`` holds published 全国 figures keyed to the district catalog. The run
``python -m analysis run --region 全国 --year 2024`` judges 17 indicators on them. For each, the call
below was written from the data (years and values, printed in ``why``) and the district outline's
target wording, before looking at what the code says.

The outline's period starts in 2020 (the base; 2019 or 2021 may stand in, named as such); older
values are context. Elected bodies are judged by term: national village and residents' committees
were re-elected in 2021, so a value of 2020 or before is the previous term's, and the 2021 term has
not been reported in these data.

(Revised by the lead after the higher-level review changed the shipped national data; the totals are
now those of ``test_national_totals``.) Calls first written here: 0 red, 1 yellow (孕产妇死亡率城乡差距), 7 green (two of them — 就业人员中女性比例 at
the low edge of its band and 孕产妇死亡率 on pace but not yet at ≤12 — may rightly be yellow on the
forecast's spread), 9 grey; 达标率 6 of 8 judged = 75.0 %. The issue's own tally (about 1 red,
1–2 yellow, 7 green, 8 grey, 66.7 %) judges 村委会成员中女性比例 on its 2020 value; here that value is
the 2018 term's and the indicator is grey 本届数据尚未报送 (see the row's ``why``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pytest

from analysis.assessment.panel import assess_observations, roll_up
from analysis.data import ingest, load_observations
from analysis.paths import DATA_RAW

YEAR = 2024
NATION = "全国"
NOT_RED = {"green", "yellow"}
GREY_REASONS = {"no_value_in_period", "term_not_reported"}


@dataclass(frozen=True)
class Call:
    status: str | None
    level: str | set
    why: str
    reasons: tuple = ()  # all must be present
    any_of: tuple = ()  # at least one must be present
    absent: tuple = ()
    data: tuple = ()  # (DataStatus field, value) pairs


CALLS = {
    "DM-02-1": Call("monitored", "grey", "党员中女性比例: monitored, no target (29.4 in 2021, 30.4 in 2023)"),
    "ED-07-2": Call("monitored", "grey", "公民具备科学素质的比例: monitored without a target"),
    "DM-03-1": Call("achieved", "green",
                    "人大代表中女性比例 提高: 23.4 (2013 term), 24.9 (2018 term), 26.54 (2023 term): the current term "
                    "is higher than the one in force at the 2020 base"),
    "DM-03-4": Call("insufficient_data", "grey",
                    "政协委员中女性比例 提高: 20.4 for the 2018 term only; the 2023 term is not reported",
                    reasons=("term_not_reported",)),
    "EN-04-1": Call("insufficient_data", "grey",
                    "互联网普及率 提高: 77.5 (2023) only, no base near 2020: cannot be judged (a total standing for "
                    "women's use: a labelled proxy)", any_of=("no_base", "no_value_in_period")),
    "DM-08-3": Call("insufficient_data", "grey",
                    "村委会成员 ≥30 %: 22.7 (2013), 23.1 (2017), 24.0 (2018), 24.2 (2020). 2020 is the last year of "
                    "the term elected in 2018; the 2021 换届's committees are not reported: 本届数据尚未报送",
                    reasons=("term_not_reported",), absent=("seats_short", "stale"), data=(("per_term", True),)),
    "DM-08-4": Call("insufficient_data", "grey",
                    "村委会主任 逐步提高: 11.5 (2015), 11.1 (2018): nothing from the current term or the period",
                    any_of=tuple(GREY_REASONS)),
    "DM-09-3": Call("insufficient_data", "grey",
                    "居委会成员 保持在50%左右: 49.2 (2015), 49.7 (2017), 50.4 (2018): previous terms only",
                    any_of=tuple(GREY_REASONS), absent=("seats_short",)),
    "DM-09-4": Call("insufficient_data", "grey",
                    "居委会主任 ≥40 %: 39.9 (2017) only: previous term, before the period — not 基本实现",
                    any_of=tuple(GREY_REASONS)),
    "EC-02-1": Call("achieved", NOT_RED,
                    "就业人员中女性比例 保持在45%左右: 42.9–43.7 every year 2015–2022, inside 45±2 and flat for a decade: "
                    "met (green; yellow only on the forecast's spread at the band's low edge). Revised by the lead after "
                    "the higher-level review dropped the grade-C 2024 value: the latest is 2022, so 'stale' is a data "
                    "note beside the call, never its reason",
                    absent=("unlikely_target", "short_series")),
    "EC-04-2": Call("insufficient_data", "grey",
                    "高级专业技术人员中女性比例 ≥40 %: 39.3 (2017) only — context, not evidence; not 基本实现",
                    reasons=("no_value_in_period",)),
    "ED-07-3": Call("insufficient_data", "grey",
                    "科学素质 gender gap: after the higher-level review only the 2023 survey's women's value (12.53 "
                    "beside 14.14 for both sexes) is citable; one point, no base: cannot be judged",
                    any_of=("no_base", "no_value_in_period")),
    "ED-09-2": Call("insufficient_data", "grey",
                    "女性平均受教育年限 不断提高: 9.59 in the 2020 census only; the next census is 2030: cannot be "
                    "judged yet, and not stale", absent=("stale",), data=(("stale", False),)),
    "EN-06-1": Call("achieved", "green",
                    "农村自来水普及率 达到90%: 83 (2020), 84, 87, 90 (2023), rising 2–3 points a year: met",
                    absent=("at_risk", "met_at_risk", "stale"), data=(("latest_year", 2023), ("stale", False))),
    "EN-07-1": Call("insufficient_data", "grey",
                    "农村卫生厕所普及率 稳步提高: 72.0 (2012), 74.1 (2013); 77 is 2025's, after the report year: "
                    "no value in the period by 2024", reasons=("no_value_in_period",)),
    "HE-01-1": Call("insufficient_data", "grey",
                    "妇女人均预期寿命 延长: 77.37 (2010), 79.43 (2015), 80.88 (2020): 2020 is the base, nothing after "
                    "it — the 2015 → 2020 rise is the last outline's, not 已实现 of this one"),
    "HE-02-1": Call("gap", NOT_RED,
                    "孕产妇死亡率 ≤12/10万: 16.9 (2020) → 16.1, 15.7, 15.1, 14.3 (2024): 0.65 a year where 0.38 is "
                    "needed to reach 12 by 2030 — short, on pace, not red",
                    absent=("unlikely_target", "wrong_direction")),
    "HE-02-2": Call("no_clear_change", "yellow",
                    "孕产妇死亡率城乡差距 缩小: published 4.4 (2020), 1.1 (2021); from the same file's 城乡 rates "
                    "2.3, 4.5, 3.4 (2022–24): one low year, no clear narrowing",
                    absent=("unlikely_target",)),
    "HE-02-4": Call("achieved", "green",
                    "孕产妇系统管理率 ≥90 %: 92.7 (2020) → 94.9 (2024): met and rising",
                    absent=("at_risk", "met_at_risk")),
    "HE-05-1": Call("achieved", NOT_RED,
                    "艾滋病母婴传播率 ≤2 %: 3.0 (2022), 1.3 (2023), 1.2 (2024): met and falling; 6.1 (2014) is context. "
                    "Met is never red; a yellow on a forecast from three points is the forecast's spread, acceptable",
                    absent=("unlikely_target", "counts_contradict_target")),
    "ED-06-1": Call("insufficient_data", "grey",
                    "中职在校生中女生比例 逐步提高: 41.8 (2021) only: one value shows no direction, and there is no "
                    "base near 2020 to compare it with", reasons=("no_base",)),
    "HE-05-2": Call("insufficient_data", "grey",
                    "先天梅毒发病率 减少: 6.3/10万 (2023) only: one value shows no direction, and there is no base "
                    "near 2020 to compare it with", reasons=("no_base",)),
    "HE-09-1": Call("insufficient_data", "grey",
                    "经常参加体育锻炼的女性比例 提高: 15.1 (2014) only: no value in the period",
                    reasons=("no_value_in_period",)),
}

# Totals for both sexes where the catalog judges girls: judged as labelled proxies (issue #20, item 9)
PROXIES = {
    "ED-04-1": Call("basically_achieved", NOT_RED,
                    "九年义务教育巩固率 ≥96 % (girls): totals 94.2 (2018), 94.8 (2019), 95.2 (2020): 0.8 short on the "
                    "total, rising: 基本实现 as a proxy", reasons=("proxy_total",), data=(("proxy", True),)),
    "ED-05-1": Call("gap", NOT_RED,
                    "高中阶段毛入学率 达到并保持95 % (girls): totals 82.5 (2010), 88.8 (2018), 89.5 (2019, stand-in "
                    "base): short, rising 0.7 a year where 0.5 is needed", reasons=("proxy_total",),
                    data=(("proxy", True), ("base_stand_in", 2019))),
}

MET = ("achieved", "basically_achieved")
JUDGED = ("achieved", "basically_achieved", "gap", "no_clear_change")


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    processed = tmp_path_factory.mktemp("national") / "processed"
    ingest(DATA_RAW, processed)
    observations = load_observations(processed)
    observations = observations.loc[observations["region"] == NATION]
    results = assess_observations(observations, YEAR)
    return observations, results


@pytest.fixture(scope="module")
def headline(national) -> pd.DataFrame:
    _, results = national
    return results.headline(NATION).set_index("indicator_id", drop=False)


def test_the_national_run_judges_the_indicators_called_here(headline):
    judged = set(headline.index) - set(PROXIES)
    assert judged == set(CALLS), f"called here but not judged: {set(CALLS) - judged}; judged, not called: {judged - set(CALLS)}"


def _check(row: pd.Series, result, call: Call, indicator: str):
    codes = set(filter(None, str(row["reasons"] or "").split(";")))
    shown = f"{indicator}: {call.why}\n{result.summary() if result is not None else row.to_dict()}\nreasons {sorted(codes)}"
    levels = call.level if isinstance(call.level, set) else {call.level}
    assert row["level"] in levels, f"level {row['level']} — {shown}"
    if call.status:
        assert row["status"] == call.status, f"status {row['status']} — {shown}"
    for code in call.reasons:
        assert code in codes, f"expected {code} — {shown}"
    if call.any_of:
        assert codes & set(call.any_of), f"expected one of {call.any_of} — {shown}"
    for code in call.absent:
        assert code not in codes, f"unexpected {code} — {shown}"
    for name, value in call.data:
        got = getattr(result.data_status, name)
        assert got == value, f"data_status.{name} = {got!r}, expected {value!r} — {shown}"


def _result(results, row):
    key = (row["indicator_id"], NATION, row["sex"], row["urban_rural"], row["population_group"])
    return results.assessments.get(key)


@pytest.mark.parametrize("indicator", sorted(CALLS))
def test_national_call(indicator, national, headline):
    _, results = national
    assert indicator in headline.index, f"{indicator} is not judged in the national run"
    row = headline.loc[indicator]
    _check(row, _result(results, row), CALLS[indicator], indicator)


@pytest.mark.parametrize("indicator", sorted(PROXIES))
def test_national_total_judged_as_a_labelled_proxy(indicator, national, headline):
    """The bureau reports totals for these; the headline shows the total, judged and labelled."""
    _, results = national
    assert indicator in headline.index, f"{indicator}: the total was assessed but the headline says 暂无数据"
    row = headline.loc[indicator]
    assert bool(row["data_proxy"]), f"{indicator} is judged on a total but not labelled as a proxy"
    _check(row, _result(results, row), PROXIES[indicator], indicator)


def test_every_status_rests_on_a_value_in_the_period(national, headline):
    """已实现 / 基本实现 / 尚存差距 / 变化不明显 need a value from 2019 on (2019 only as the 2020 base's stand-in)."""
    observations, _ = national
    for indicator, row in headline.iterrows():
        if row["status"] not in JUDGED:
            continue
        years = observations.loc[(observations["indicator_id"] == indicator) & (observations["year"] <= YEAR), "year"]
        if indicator == "HE-02-2" and years.empty:  # the gap may be derived from the 城乡 rates
            years = observations.loc[(observations["indicator_id"] == "HE-02-1") & (observations["year"] <= YEAR), "year"]
        assert years.max() >= 2019, f"{indicator} is {row['status']} on values up to {years.max()}"


def test_national_totals(headline):
    """0 red, 16 grey, 7 judged of which 5 met: 达标率 71.4 % over the 23 indicators called here
    (中职女生比例 and 先天梅毒发病率 joined, grey, with one published value each).

    The lead's revision after the higher-level review changed the shipped national data (grade-C values
    left out, 城镇非私营单位 no longer read as 城镇单位, party, NPC/CPPCC, internet and science-literacy
    rows added): the totals follow from the per-indicator calls above, each written from the data."""
    called = headline.loc[headline.index.isin(list(CALLS))]
    levels = called["level"].value_counts().to_dict()
    assert levels.get("red", 0) == 0, levels
    assert levels.get("grey", 0) == 16, levels
    assert levels.get("green", 0) + levels.get("yellow", 0) == 7, levels
    assert 1 <= levels.get("yellow", 0) <= 3, levels
    assert levels.get("green", 0) >= 4, levels
    judged = called["status"].isin(JUDGED)
    met = called["status"].isin(MET)
    assert (int(judged.sum()), int(met.sum())) == (7, 5), called[["status", "level"]]
    rolled = roll_up(called.reset_index(drop=True))
    overall = rolled.loc[rolled["domain"] == "all"].iloc[0]
    assert overall["attainment_rate"] == pytest.approx(5 / 7), overall.to_dict()


def test_no_data_note_makes_a_national_yellow(headline):
    """A yellow speaks of progress: none of the national yellows rests only on 数据陈旧 / 数据点过少."""
    notes = {"stale", "short_series", "proxy_total"}
    for indicator, row in headline.loc[headline["level"] == "yellow"].iterrows():
        codes = set(filter(None, str(row["reasons"] or "").split(";")))
        assert codes - notes, f"{indicator} is yellow only for data notes: {sorted(codes)}"
