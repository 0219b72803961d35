"""The assessment engine on hand-made series: statuses, official measures, probabilities, warnings."""

import math

import numpy as np
import pandas as pd
import pytest

from analysis.assessment import AssessmentConfig, Target, assess_series
from analysis.assessment.panel import roll_up
from analysis.assessment.progress import statcan, time_progress, unsd

MMR = Target("at_most", 12, 2030, "lower", 0, None, unit="1/10万")
SHARE_30 = Target("at_least", 30, 2030, "higher", 0, 100, unit="%")
KEEP_95 = Target("keep_at_least", 95, 2030, "higher", 0, 100, unit="%")
ABOUT_45 = Target("about", 45, 2030, "target", 0, 100, tolerance=2, unit="%")
UP = Target("increase", None, 2030, "higher", 0, None, unit="岁")


def no_nan(row: dict) -> bool:
    return not any(isinstance(v, float) and math.isnan(v) for v in row.values())


@pytest.mark.parametrize(
    ("years", "values", "target", "as_of", "status", "level", "reason"),
    [
        ([], [], SHARE_30, 2024, "insufficient_data", "grey", "insufficient_data"),
        ([2022], [31.0], SHARE_30, 2024, "achieved", "green", "short_series"),  # a data note, not a warning
        ([2018, 2019, 2020, 2021, 2022], [5.0] * 5, SHARE_30, 2022, "gap", "red", "unlikely_target"),
        ([2018, 2019, 2020, 2021, 2022], [0.0] * 5, SHARE_30, 2022, "gap", "red", "unlikely_target"),
        ([2027, 2028, 2029, 2030], [40.0, 41, 42, 43], SHARE_30, 2032, "achieved", "green", "target_year_passed"),
        ([2008, 2009, 2019, 2020, 2021], [20.0, 21, 25, 26, 27], SHARE_30, 2021, "gap", "yellow", "at_risk"),
        ([2019, 2020, 2021], [78.0, 78.0, 78.0], UP, 2021, "no_clear_change", "yellow", "no_clear_change"),
        ([2020], [78.0], UP, 2020, "insufficient_data", "grey", "no_value_in_period"),
    ],
    ids=["empty", "one point", "constant", "all zeros", "target passed", "ten-year gap", "constant, direction",
         "one point, direction"],
)
def test_degenerate_series_get_a_clear_status(years, values, target, as_of, status, level, reason):
    result = assess_series(years, values, target, as_of=as_of, name="x")
    assert (result.status, result.level) == (status, level)
    assert reason in {r.code for r in result.reasons}
    assert no_nan(result.to_row())
    assert result.summary() and result.summary("en")


def test_probability_follows_the_target_kind():
    years = list(range(2013, 2025))
    falling = [30 * 0.93**i for i in range(12)]  # 7 % a year: 13.4 in 2024, 8.8 in 2030 at that pace
    # 1.8 % a year is enough, a quarter of the pace kept for twelve years: likely
    assert assess_series(years, falling, MMR).probability > 0.75
    below = [20 * 0.95**i for i in range(12)]  # already 11.4 and still falling
    assert assess_series(years, below, MMR).probability > 0.8
    rising = [20 + 0.5 * i + 0.3 * (-1) ** i for i in range(12)]
    assert assess_series(years, rising, MMR).probability < 0.05
    steady = [45 + 0.4 * (-1) ** i for i in range(12)]
    assert assess_series(years, steady, ABOUT_45).probability > 0.55  # in the band, with ±0.8 swings


def test_keep_at_least_takes_the_weakest_year():
    years = list(range(2015, 2025))
    values = [93.0 + 0.25 * i for i in range(10)]  # 95.25 in 2024, creeping up
    keep = assess_series(years, values, KEEP_95)
    once = assess_series(years, values, Target("at_least", 95, 2030, "higher", 0, 100, unit="%"))
    assert keep.probability <= once.probability + 1e-12


def test_share_intervals_stay_inside_0_100():
    years = list(range(2014, 2025))
    values = [96.0, 97.1, 97.9, 98.4, 99.0, 99.3, 99.5, 99.6, 99.8, 99.9, 99.9]
    table = assess_series(years, values, KEEP_95).forecast_table()
    assert (table["lower_95"] >= 0).all() and (table["upper_95"] <= 100).all()
    assert (table["lower_95"] <= table["lower_80"]).all() and (table["upper_80"] <= table["upper_95"]).all()


def test_small_counts_with_no_deaths_are_judged_on_counts_not_forecast():
    years = list(range(2015, 2026))
    result = assess_series(years, None, MMR, numerators=[0] * 11, denominators=[350] * 11, per=100000)
    assert result.latest_value == 0 and result.status == "achieved"
    assert result.pooled.upper_95 > 100  # zero deaths in 1,750 births cannot rule out 200/10万
    assert result.probability is None and result.forecast is None  # no invented 2030 rate
    assert result.test_p == 1.0 and result.level == "green"
    assert "few_events" in {r.code for r in result.reasons}  # said, but not a warning


def test_small_counts_with_many_events_fit_a_poisson_trend():
    years = np.arange(2010, 2025)
    births = np.full(15, 20000)
    deaths = np.round(births * (40 - 2 * (years - 2010)) / 100000)  # 8 deaths falling to 2
    result = assess_series(years, None, MMR, numerators=deaths, denominators=births, per=100000)
    assert result.forecast.models == ["Poisson GLM trend"]
    assert result.at_target_year()["forecast"] < result.latest_value


def test_official_measures_match_a_worked_example():
    # base 20 (2015), latest 16 (2020), target ≤ 12 in 2030, lower is better
    ratio, category = statcan(20, 2015, 16, 2020, 12, 2030, direction=-1)
    assert ratio == pytest.approx((1 - (16 / 20) ** (1 / 5)) / (1 - (12 / 20) ** (1 / 15)))
    assert category == "substantial_progress"
    r, category = unsd(20, 2015, 16, 2020, 12, 2030)
    assert r == pytest.approx((16 * (16 / 20) ** (10 / 5) - 20) / (12 - 20)) and category == "on_track"
    achieved, elapsed, category = time_progress(20, 2015, 16, 2020, 12, 2030)
    assert (achieved, elapsed, category) == (pytest.approx(0.5), pytest.approx(1 / 3), "超过进度要求")
    assert statcan(20, 2015, 22, 2020, 12, 2030, -1)[1] == "deterioration"
    assert statcan(20, 2015, 11, 2020, 12, 2030, -1)[1] == "target_achieved"


def test_basically_achieved_follows_the_bureau_examples():
    mmr_20 = Target("at_most", 20, 2020, "lower", 0, None, unit="1/10万")
    assert assess_series([2014, 2015], [21.7, 20.1], mmr_20, as_of=2015).status == "basically_achieved"
    screening = Target("at_least", 80, 2020, "higher", 0, 100, unit="%")
    assert assess_series([2017, 2018], [70.0, 75.5], screening, as_of=2018).status == "gap"


def test_warning_reasons():
    years = list(range(2012, 2025))
    swinging = [30, 42, 25, 44, 28, 45, 26, 43, 30, 46, 27, 44, 31]
    assert "volatile" in {r.code for r in assess_series(years, swinging, SHARE_30).reasons}
    stale = assess_series(list(range(2012, 2020)), [20 + i for i in range(8)], SHARE_30, as_of=2024)
    assert "stale" in {r.code for r in stale.reasons}
    slipping = [26, 27, 28, 29, 30, 31, 32, 31, 30, 29.5, 29, 28.5, 28]
    codes = {r.code for r in assess_series(years, slipping, SHARE_30).reasons}
    assert {"slipping", "moving_away"} <= codes


def test_direction_targets_use_the_base_year():
    years = list(range(2015, 2025))
    result = assess_series(years, [78 + 0.2 * i for i in range(10)], UP)
    assert result.base_year == 2020 and result.status == "achieved" and result.level == "green"
    falling = assess_series(years, [80 - 0.2 * i for i in range(10)], UP)
    assert falling.status == "gap" and falling.level == "red"


def test_same_input_same_result():
    years = list(range(2012, 2025))
    values = [20 + 0.7 * i + (i % 3) for i in range(13)]
    assert assess_series(years, values, SHARE_30).to_row() == assess_series(years, values, SHARE_30).to_row()


def test_config_changes_the_rules():
    years, values = list(range(2015, 2025)), [29.1 + 0.01 * i for i in range(10)]
    strict = AssessmentConfig(basically_share_pp=0.5)
    assert assess_series(years, values, SHARE_30).status == "basically_achieved"
    assert assess_series(years, values, SHARE_30, config=strict).status == "gap"


def test_roll_up_counts_the_attainment_rate_like_the_bureau():
    headline = pd.DataFrame({
        "domain": ["health"] * 4 + ["law"] * 2,
        "domain_zh": ["妇女与健康"] * 4 + ["妇女与法律"] * 2,
        "status": ["achieved", "basically_achieved", "gap", "insufficient_data", "monitored", "achieved"],
        "level": ["green", "green", "red", "grey", "grey", "green"],
    })  # fmt: skip
    table = roll_up(headline).set_index("domain")
    assert table.loc["health", "judged"] == 3 and table.loc["health", "attainment_rate"] == pytest.approx(2 / 3)
    assert table.loc["all", "met"] == 3 and table.loc["all", "attainment_rate"] == pytest.approx(3 / 4)


def test_no_series_gives_empty_tables_with_their_columns():
    from analysis.assessment.panel import SERIES_KEY, assess_observations

    empty = pd.DataFrame(columns=[*SERIES_KEY, "year", "value", "numerator", "denominator", "status", "source",
                                  "synthetic"])  # fmt: skip
    results = assess_observations(empty, 2025)
    assert results.headline().empty and {"level", "status", "probability_of", "judged_on"} <= set(results.headline())
    assert results.warnings().empty
    assert results.roll_up().set_index("domain").loc["all", "judged"] == 0


def test_official_measures_know_a_met_target():
    from analysis.assessment.progress import eurostat

    # a pooled maternal mortality of 0 against ≤12: met, not "not computable"
    assert statcan(20, 2020, 0, 2025, 12, 2030, -1)[1] == "target_achieved"
    assert unsd(20, 2020, 0, 2025, 12, 2030, -1)[1] == "target_met"
    # 医保 98.5 → 96.9 against ≥98: slipped below a target it had met, never 已达期末目标
    assert time_progress(98.5, 2020, 96.9, 2025, 98, 2030, 1)[2] == "已达标后回落"
    assert unsd(98.5, 2020, 96.9, 2025, 98, 2030, 1)[1] == "regression"
    assert statcan(98.5, 2020, 96.9, 2025, 98, 2030, 1)[1] == "deterioration"
    # beyond the target: met, whatever the arithmetic of the shares
    assert time_progress(80, 2020, 99, 2025, 95, 2030, 1)[2] == "已达期末目标"


def test_eurostat_and_statcan_use_their_own_no_target_thresholds():
    from analysis.assessment.progress import eurostat

    # +1.2 % a year: Eurostat's "significant" (> 1 %), StatCan's "moderate" (0.5–1.5 %)
    y0, yt = 100.0, 100 * 1.012**5
    assert eurostat(y0, 2020, yt, 2025, None, 2030, 1)[1] == "significant_progress"
    assert statcan(y0, 2020, yt, 2025, None, 2030, 1)[1] == "moderate_progress"
    # −0.5 % a year: Eurostat's "moderate movement away", StatCan's "deterioration"
    yt = 100 * 0.995**5
    assert eurostat(y0, 2020, yt, 2025, None, 2030, 1)[1] == "moderate_movement_away"
    assert statcan(y0, 2020, yt, 2025, None, 2030, 1)[1] == "deterioration"


def test_early_achievement_only_for_level_targets_shown_by_data():
    from analysis.report.document import evaluation

    assert evaluation("achieved", 2025, 2030, "midterm", "at_least") == "early"
    assert evaluation("achieved", 2025, 2030, "midterm", "keep_at_least") == "achieved"  # 保持: held to the end
    assert evaluation("achieved", 2025, 2030, "midterm", "increase") == "achieved"
    assert evaluation("achieved", 2025, 2030, "midterm", "at_most", counts=True) == "achieved"  # 0 deaths proves nothing
    assert evaluation("achieved", 2025, 2030, "annual", "at_least") == "achieved"
    assert evaluation("no_clear_change", 2025, 2030, "midterm", "increase") == "no_clear_change"


def _towns_with_facilities(counts: dict[str, int]) -> pd.DataFrame:
    """SS-08-2 (≥1 养老服务综合体 per township), each town holding its count every year 2015–2025."""
    from analysis.assessment.panel import SERIES_KEY

    rows = [{"indicator_id": "SS-08-2", "region": town, "sex": "total", "urban_rural": "total",
             "population_group": "", "year": year, "value": float(n), "numerator": np.nan,
             "denominator": np.nan, "status": "value", "source": f"{town}民政办", "synthetic": False}
            for town, n in counts.items() for year in range(2015, 2026)]  # fmt: skip
    return pd.DataFrame(rows)[[*SERIES_KEY, "year", "value", "numerator", "denominator", "status", "source",
                               "synthetic"]]  # fmt: skip


def test_a_per_township_target_is_met_only_when_every_town_meets_it():
    from analysis.assessment.panel import assess_observations

    def district_row(counts):
        headline = assess_observations(_towns_with_facilities(counts), 2025).headline("金口河区")
        return headline.set_index("indicator_id").loc["SS-08-2"]

    # two towns with a facility, one without: the district has not met "每个乡镇…"
    row = district_row({"永和镇": 1, "金河镇": 2, "吉星乡": 0})
    assert row["status"] == "gap" and row["level"] in {"yellow", "red"}
    assert row["evidence_zh"] == "2/3个乡镇达标；未达标：吉星乡"
    assert set(row["sources"].split("；")) == {"永和镇民政办", "金河镇民政办", "吉星乡民政办"}
    # every town with one: met, nothing to warn about
    row = district_row({"永和镇": 1, "金河镇": 2, "吉星乡": 1})
    assert row["status"] == "achieved" and row["level"] == "green"
    assert row["evidence_zh"] == "3/3个乡镇达标"


def test_the_straight_line_fit_is_statsmodels_ols():
    import statsmodels.api as sm

    from analysis.assessment.rules import fit_line

    rng = np.random.default_rng(7)
    for n in (3, 4, 6, 11):
        x = np.arange(2015, 2015 + n, dtype=float)
        y = 40 + 0.7 * (x - 2015) + rng.normal(0, 1.5, n)
        ours, theirs = fit_line(x, y), sm.OLS(y, sm.add_constant(x)).fit()
        assert ours.intercept == pytest.approx(theirs.params[0], rel=1e-9)
        assert ours.slope == pytest.approx(theirs.params[1], rel=1e-9)
        assert ours.slope_se == pytest.approx(theirs.bse[1], rel=1e-9)
        assert ours.residual_sd == pytest.approx(np.sqrt(theirs.mse_resid), rel=1e-9)
        assert ours.df == theirs.df_resid
