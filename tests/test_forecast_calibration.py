"""Interval calibration (calibration.py): calibrated intervals hold what they say, and never read the future."""

from dataclasses import replace

import numpy as np
import pytest

from analysis.assessment import DEFAULT_CONFIG, calibration
from analysis.assessment.config import FamilyForecast
from analysis.assessment.forecast import Scale, forecast_series
from analysis.evaluation import choice, methods, reference
from analysis.evaluation.choice import base_forecasts, calibrated, rolling_engine
from analysis.evaluation.reference import ReferenceSeries
from analysis.evaluation.scoring import rolling_origin

LEVELS = np.asarray(DEFAULT_CONFIG.calibration_levels)


def test_a_map_learned_on_calibrated_levels_is_close_to_the_identity():
    seen = np.random.default_rng(1).uniform(size=4000)
    model = calibration.level(calibration.learn_map(seen, LEVELS))
    np.testing.assert_allclose(model, LEVELS, atol=0.03)
    assert np.all(np.diff(model) > 0)


def test_too_few_outcomes_learn_nothing_and_a_sparse_group_takes_the_pooled_map():
    rng = np.random.default_rng(2)
    assert calibration.learn_map(rng.uniform(size=calibration.MIN_FORECASTS - 1), LEVELS) is None
    c = np.r_[rng.uniform(size=290) ** 2, np.full(10, 0.99)]  # too wide at 1 year; 10 misses at 6 years
    h = np.r_[np.ones(290, int), np.full(10, 6)]
    table = calibration.learn_table(c, h, (1, 6), LEVELS)
    assert table[1] == calibration.learn_map(c, LEVELS)  # 10 forecasts 6 years ahead: the pooled map
    assert calibration.level(table[0][7]) < 0.8  # the model's 80 % level is more than enough: the map narrows it


def test_a_calibrated_interval_is_never_narrower_further_ahead():
    rng = np.random.default_rng(4)
    c = np.r_[rng.uniform(size=200), rng.uniform(size=200) ** 3]  # 6 years ahead the model looks too wide
    h = np.r_[np.ones(200, int), np.full(200, 6)]
    near, far = calibration.learn_table(c, h, (1, 6), LEVELS)
    assert calibration.learn_map(c[200:], LEVELS)[7] < calibration.learn_map(c[:200], LEVELS)[7]  # alone, it would be
    assert all(b >= a for a, b in zip(near, far))


def test_the_bend_keeps_the_median_and_its_inverse_undoes_it():
    bend = calibration.Bend(np.asarray(calibration.learn_map(np.random.default_rng(3).uniform(size=200) ** 1.5,
                                                             LEVELS)), LEVELS)  # fmt: skip
    p = np.linspace(0, 1, 101)
    assert float(bend.probability(0.5)) == 0.5 and float(bend.model_probability(0.5)) == 0.5
    np.testing.assert_allclose(bend.model_probability(bend.probability(p)), p, atol=1e-12)
    np.testing.assert_allclose(bend.probability(1 - p), 1 - bend.probability(p), atol=1e-12)  # symmetric
    assert np.all(np.diff(bend.probability(p)) >= 0)


def test_the_engine_reads_quantiles_and_p_from_the_same_calibrated_distribution():
    years, values = np.arange(2010, 2021), np.array([40, 42, 41, 44, 46, 45, 48, 50, 49, 52, 53.0])
    plain = replace(DEFAULT_CONFIG.forecast_bounded, calibration=None)
    widths = tuple(float(w) for w in calibration.half_width(0.8 * LEVELS))
    narrow = replace(plain, calibration=(widths,) * 5)
    horizon = list(range(2021, 2031))
    f0 = forecast_series(years, values, horizon, Scale("clipped", 0, 100), replace(DEFAULT_CONFIG, forecast_bounded=plain))
    f1 = forecast_series(years, values, horizon, Scale("clipped", 0, 100), replace(DEFAULT_CONFIG, forecast_bounded=narrow))
    for year in horizon:
        assert f1.quantile(year, 0.5) == pytest.approx(f0.quantile(year, 0.5), abs=1e-9)  # the median stays
        assert f1.quantile(year, 0.9) - f1.quantile(year, 0.1) < f0.quantile(year, 0.9) - f0.quantile(year, 0.1)
        for q in (0.025, 0.1, 0.3, 0.9, 0.975):
            assert f1.cdf(year, f1.quantile(year, q)) == pytest.approx(q, abs=1e-7)
        # the map says the model's 64 % interval (0.8 × 80 %) holds 80 %: P(inside) read from the cdf
        lo, hi = f0.quantile(year, 0.18), f0.quantile(year, 0.82)
        assert f1.cdf(year, hi) - f1.cdf(year, lo) == pytest.approx(0.8, abs=1e-7)


# --- simulated series whose error distribution is known --------------------------------------


def _random_walks(n, seed, length=16):
    """Random walks with drift and normal steps (sd 1), far above 0 (the positive family, raw scale)."""
    rng = np.random.default_rng(seed)
    years = np.arange(2000, 2000 + length)
    return [ReferenceSeries(f"synthetic walk {seed}-{i}", years,
                            50 + np.cumsum(rng.normal(rng.uniform(-1, 1), 1.0, length)), 0.0, None, "synthetic")
            for i in range(n)]  # fmt: skip


def test_a_calibrated_80_percent_interval_covers_about_80_percent_of_simulated_outcomes():
    """The base intervals are deliberately far too narrow (Student-t df 5, × 0.45: its 80 % interval holds
    under 0.45; × 0.45 since the engine widens forecasts from few points, forecast.few_points_factor); the map learned on one set of simulated walks brings the intervals of fresh walks to
    their nominal levels. (A normal base this narrow puts some outcomes beyond 8 normal units, where
    its cdf is 0 or 1 in floating point: calibration.WIDEST is as far as a map reaches.)"""
    narrow = FamilyForecast("clipped", ("drift",), None, 5.0, 0.45, 0.0)
    config = replace(DEFAULT_CONFIG, forecast_positive=narrow)
    learn, judge = _random_walks(150, seed=10), _random_walks(150, seed=11)
    base = base_forecasts(learn, config)
    fitted = calibrated(config, base, 2100)
    assert fitted.forecast_positive.calibration is not None
    detail, _ = rolling_origin(judge, {"plain": methods.engine(config), "calibrated": methods.engine(fitted)},
                               wis=False)  # fmt: skip
    cover = detail.groupby("method")[["in_80", "in_95"]].mean()
    assert cover.loc["plain", "in_80"] < 0.45 and cover.loc["plain", "in_95"] < 0.65  # the base really is off
    assert cover.loc["calibrated", "in_80"] == pytest.approx(0.80, abs=0.04)
    assert cover.loc["calibrated", "in_95"] == pytest.approx(0.95, abs=0.03)


# --- the rolling calibration never reads an outcome after its origin ---------------------------


@pytest.fixture(scope="module")
def shipped():
    return reference.reference_series()


def _perturbed(series, after):
    """Every value after ``after`` moved far away (a different future)."""
    out = []
    for s in series:
        later = s.years > after
        values = np.where(later, s.values * 1.5 + 3, s.values)
        if s.upper is not None:
            values = np.where(later, np.minimum(values, s.upper), values)
        out.append(replace(s, values=values))
    return out


T = 2012


@pytest.fixture(scope="module")
def bases(shipped):
    """The uncalibrated engine's forecasts on the shipped series, and on the same series with every value
    after ``T`` moved far away."""
    return base_forecasts(shipped, DEFAULT_CONFIG), base_forecasts(_perturbed(shipped, T), DEFAULT_CONFIG)


def test_a_calibration_learned_at_origin_t_is_the_same_whatever_happened_after_t(shipped, bases):
    t = T
    base, other = bases
    at_t, other_at_t = calibrated(DEFAULT_CONFIG, base, t), calibrated(DEFAULT_CONFIG, other, t)
    assert at_t.forecast_bounded.calibration is not None
    for fam in ("bounded", "positive", "free"):
        assert at_t.family_forecast(fam).calibration == other_at_t.family_forecast(fam).calibration
    # the perturbation is real: a calibration learned later sees it
    assert calibrated(DEFAULT_CONFIG, base, 2020).forecast_bounded.calibration != \
        calibrated(DEFAULT_CONFIG, other, 2020).forecast_bounded.calibration  # fmt: skip
    # and the rolling engine's forecast at origin t is the same in both worlds
    s = next(s for s in shipped if s.family == "bounded" and s.years.min() < 2005 and s.years.max() > 2018)
    keep = s.years <= t
    horizon = list(range(t + 1, t + 9))
    one = rolling_engine(DEFAULT_CONFIG, base)(s.years[keep], s.values[keep], horizon, s.lower, s.upper)
    two = rolling_engine(DEFAULT_CONFIG, other)(s.years[keep], s.values[keep], horizon, s.lower, s.upper)
    for year in horizon:
        assert one[year][0] == two[year][0]
        assert [one[year][1].ppf(q) for q in (0.1, 0.9)] == [two[year][1].ppf(q) for q in (0.1, 0.9)]


def test_the_maps_frozen_in_config_are_what_the_shipped_series_give(shipped):
    """config.py holds the calibration the backtest chose: the static maps learned on outcomes ≤ SPLIT_YEAR,
    or none when its rule chose the fixed tails (as it has since issue 20)."""
    base = base_forecasts(shipped, DEFAULT_CONFIG)
    variant = "fixed tails" if DEFAULT_CONFIG.forecast_bounded.calibration is None else "static calibration"
    learned = choice.calibrated_as_of(DEFAULT_CONFIG, base, variant, int(base["year"].max()))
    for fam in ("bounded", "positive", "free"):
        assert learned.family_forecast(fam).calibration == DEFAULT_CONFIG.family_forecast(fam).calibration, fam


# --- adaptive conformal inference (ACI): the update rule, no look-ahead, and adaptation ----------

def test_the_aci_update_is_the_papers_rule_with_each_interval_checked_at_its_own_origin():
    """α ← α + γ(α* − err), all outcomes of one year together, each against the interval issued at its
    origin. Worked by hand with γ = 0.1 and one level, 80 % (α* = 0.2)."""
    c = [0.9, 0.5, 0.85, 0.85]  # central levels of the outcomes under the model
    origins = [1999, 1999, 2000, 1999]
    years = [2000, 2000, 2001, 2001]
    aci = calibration.AdaptiveLevels(c, origins, years, (0.8,), step=0.1)
    assert aci.alpha_at(1999)[0] == pytest.approx(0.2) and aci.map_at(1999) is None  # nothing known yet
    # 2000: both issued at 1999 with level 0.8: 0.9 missed, 0.5 held → 0.2 + 0.1 (−0.8 + 0.2) = 0.14
    assert aci.alpha_at(2000)[0] == pytest.approx(0.14)
    # 2001: the outcome forecast at 2000 had level ≈ 0.86 and held 0.85 (+0.02); the one forecast at 1999
    # had level 0.8 and missed 0.85 (−0.08): 0.14 − 0.06 = 0.08
    assert calibration.level(aci.map_at(2000)[0]) == pytest.approx(0.86, abs=1e-3)
    assert aci.alpha_at(2001)[0] == pytest.approx(0.08)
    assert aci.alpha_at(2030)[0] == aci.alpha_at(2001)[0]


def _shift(seed=7, years=range(1990, 2030), per_year=60, shift=2005):
    """Central levels of a base whose intervals are right until ``shift`` (c uniform) and far too wide after
    (every outcome within the model's central 50 %)."""
    rng = np.random.default_rng(seed)
    y = np.repeat(np.asarray(years), per_year)
    o = y - rng.integers(1, 6, len(y))
    c = np.where(y <= shift, rng.uniform(size=len(y)), rng.uniform(0, 0.5, size=len(y)))
    return c, o, y


def test_aci_at_origin_t_ignores_outcomes_after_t_and_moves_with_an_earlier_one():
    c, o, y = _shift()
    t = 2010
    moved = np.where(y > t, 1.0, c)  # every later outcome far outside every interval
    one, two = calibration.AdaptiveLevels(c, o, y, LEVELS), calibration.AdaptiveLevels(moved, o, y, LEVELS)
    for origin in range(1990, t + 1):
        np.testing.assert_array_equal(one.alpha_at(origin), two.alpha_at(origin))
        assert one.map_at(origin) == two.map_at(origin)
    assert not np.array_equal(one.alpha_at(t + 1), two.alpha_at(t + 1))  # the change is real once known
    earlier = c.copy()
    earlier[np.flatnonzero(y == 2003)[0]] = 1.0  # one earlier outcome moves out of every interval
    three = calibration.AdaptiveLevels(earlier, o, y, LEVELS)
    assert np.array_equal(one.alpha_at(2002), three.alpha_at(2002))
    assert not np.array_equal(one.alpha_at(t), three.alpha_at(t))


def test_under_a_shift_to_wider_intervals_aci_coverage_returns_to_the_target_and_the_static_maps_does_not():
    c, o, y = _shift()
    static = calibration.learn_map(c[y <= 2005], LEVELS)  # learned before the shift, as the static variant is
    aci = calibration.AdaptiveLevels(c, o, y, LEVELS)
    i80, i95 = list(LEVELS).index(0.8), list(LEVELS).index(0.95)
    late = y >= 2020
    static_80 = np.mean(c[late] <= calibration.level(static[i80]))
    held = np.array([c[k] <= aci.model_levels(int(o[k])) for k in np.flatnonzero(late)])
    assert static_80 > 0.97  # the static map keeps the too-wide intervals
    assert held[:, i80].mean() == pytest.approx(0.80, abs=0.05)
    # the 95 % level moves too, but slowly: a held outcome moves its α by only γ × 0.05 (ACI's known asymmetry)
    assert aci.model_levels(2029)[i95] < aci.model_levels(2005)[i95] - 0.1
    right_after = np.array([c[k] <= aci.model_levels(int(o[k]))[i80] for k in np.flatnonzero((y > 2005) & (y <= 2008))])
    assert right_after.mean() > held[:, i80].mean()  # it moves back toward the target, not there at once


def test_aci_with_no_step_is_the_uncalibrated_engine_exactly(shipped, bases):
    base, _ = bases
    frozen = {fam: calibration.AdaptiveLevels(part["central_level"], part["origin"], part["year"], LEVELS, step=0.0)
              for fam, part in base.groupby("family")}  # fmt: skip
    for origin in (2005, 2014, 2023):
        assert choice.adaptive(DEFAULT_CONFIG, frozen, origin) == choice.uncalibrated(DEFAULT_CONFIG)


def test_the_aci_engine_at_origin_t_is_the_same_whatever_happened_after_t(shipped, bases):
    base, other = bases
    s = next(s for s in shipped if s.family == "bounded" and s.years.min() < 2005 and s.years.max() > 2018)
    keep = s.years <= T
    horizon = list(range(T + 1, T + 9))
    one = choice.adaptive_engine(DEFAULT_CONFIG, base)(s.years[keep], s.values[keep], horizon, s.lower, s.upper)
    two = choice.adaptive_engine(DEFAULT_CONFIG, other)(s.years[keep], s.values[keep], horizon, s.lower, s.upper)
    assert choice.adaptive(DEFAULT_CONFIG, choice.adaptive_states(DEFAULT_CONFIG, base), T).forecast_bounded \
        .calibration is not None  # fmt: skip
    for year in horizon:
        assert [one[year][1].ppf(q) for q in (0.025, 0.1, 0.9, 0.975)] == \
            [two[year][1].ppf(q) for q in (0.025, 0.1, 0.9, 0.975)]  # fmt: skip
    later = choice.adaptive_states(DEFAULT_CONFIG, base)["bounded"].map_at(2020)
    assert later != choice.adaptive_states(DEFAULT_CONFIG, other)["bounded"].map_at(2020)
