"""The backtest on a few real series: every method on the same forecasts, earlier/later kept apart."""

import numpy as np
import pytest

from analysis.evaluation import choice, scoring
from analysis.evaluation.methods import OURS, methods
from analysis.evaluation.reference import NATIONAL_GROUP, SPLIT_YEAR, reference_series
from analysis.evaluation.replay import replay_2011_2020
from analysis.evaluation.scoring import earlier, later, rolling_origin, summarise


@pytest.fixture(scope="module")
def few():
    series = reference_series()
    named = {s.name: s for s in series}
    # the national maternal mortality series is the longer catalogued one ([HE-02-1]) since 2019 was added
    picks = [next(n for n in named if n.startswith("孕产妇死亡率（全国）")), "就业人员中女性比例（全国）"]
    picks.append(next(n for n in named if "[SH.H2O.BASW.RU.ZS]" in n))  # rural water, toward 100 %
    return [named[n] for n in picks]


def test_every_shipped_source_is_in_the_backtest_and_labelled():
    series = reference_series()
    groups = {s.group for s in series}
    assert NATIONAL_GROUP in groups and len(groups) == 2
    assert any("[HE-02-1]" in s.name for s in series)  # data/raw/national/ is read too
    # a series is counted once even when two files carry it
    fingerprints = [tuple(zip(s.years.tolist(), s.values.tolist())) for s in series]
    assert len(set(fingerprints)) == len(fingerprints)
    gross = [s for s in series if "毛入学率" in s.name]
    assert gross and all(s.upper is None for s in gross)  # gross ratios can pass 100


def test_every_method_is_scored_on_exactly_the_same_forecasts(few):
    chosen = methods(include_peers=False)

    def fails_sometimes(years, values, horizon, lower, upper):  # a peer that cannot fit every window
        return None if len(years) % 2 else chosen["naive"](years, values, horizon, lower, upper)

    chosen["flaky peer"] = fails_sometimes
    detail, calls = rolling_origin(few, chosen)
    assert set(detail["method"]) == set(chosen)
    keys = {m: set(map(tuple, part[["series", "origin", "horizon"]].to_numpy())) for m, part in detail.groupby("method")}
    first = keys[OURS]
    assert first and all(k == first for k in keys.values())
    # the official rules are scored as calls on the same targets as the methods
    call_keys = calls.groupby("method").size()
    assert {"StatCan/Eurostat CAGR ratio rule", "UNSD ratio rule"} <= set(call_keys.index)
    assert call_keys[OURS] == call_keys["naive"] == call_keys["flaky peer"]
    assert calls["p"].between(0, 1).all()
    table = summarise(later(detail), later(calls))
    assert set(table["method"]) >= set(chosen)
    ours = table.set_index("method").loc[OURS]
    assert 0 <= ours["coverage_80"] <= ours["coverage_95"] <= 1 and ours["MASE"] > 0


def test_earlier_and_later_never_share_an_outcome(few):
    detail, _ = rolling_origin(few, {OURS: methods(False)[OURS]})
    assert earlier(detail)["year"].max() <= SPLIT_YEAR <= later(detail)["origin"].min()
    # choosing on the earlier origins sees no later value at all
    cut, _ = rolling_origin(few, {OURS: methods(False)[OURS]}, last_year=SPLIT_YEAR)
    assert cut.empty or cut["year"].max() <= SPLIT_YEAR


def test_the_replay_keeps_decided_calls_apart():
    replay = replay_2011_2020(as_of=2018)
    decided = replay.loc[replay["already_met_then"]]
    # a target met in 2018 by the latest value is "already decided"; the maternal mortality ratio
    # (18.3 in 2018 against at most 20) is one
    assert "孕产妇死亡率" in set(decided["indicator"])
    assert not replay.loc[~replay["already_met_then"], "latest_known"].dropna().empty


def test_covered_counts_a_value_on_the_bound():
    class AtBound:  # censored at 100 with 30 % of the mass on the bound
        def cdf(self, x):
            return 1.0 if x >= 100 else 0.7 * np.clip((x - 90) / 10, 0, 1)

    assert scoring._covered(AtBound(), 100.0, 0.8)
    assert not scoring._covered(AtBound(), 80.0, 0.8)


def test_the_configuration_is_chosen_on_earlier_origins_only(monkeypatch):
    """Changing every value after the split year changes nothing in the choice; changing earlier ones does."""
    import math
    from dataclasses import replace

    named = {s.name: s for s in reference_series()}
    few = [next(s for n, s in named.items() if code in n) for code in ("[SH.STA.MMRT]", "[SH.H2O.BASW.RU.ZS]")]
    assert {s.family for s in few} == {"positive", "bounded"}

    monkeypatch.setattr(choice, "POINT_CANDIDATES", {k: choice.POINT_CANDIDATES[k]
                                                       for k in ("drift + naive", "ETS + drift + naive")})  # fmt: skip
    monkeypatch.setattr(choice, "TAIL_DF", (math.inf, 3.0))
    monkeypatch.setattr(choice, "TAIL_SCALE", (0.8, 1.0))
    monkeypatch.setattr(choice, "TAIL_GROWTH", (0.0, 0.1))

    def altered(series, when):
        out = []
        for s in series:
            hi = s.upper if s.upper is not None else np.inf
            moved = np.clip(s.values * np.where(when(s.years), 0.5, 1.0), 0, hi)
            out.append(replace(s, values=moved))
        return out

    quiet = lambda *_: None  # noqa: E731
    config, table = choice.choose(few, log=quiet)
    later_changed, later_table = choice.choose(altered(few, lambda y: y > SPLIT_YEAR), log=quiet)
    assert later_changed == config
    assert later_table.equals(table)
    _, earlier_table = choice.choose(altered(few, lambda y: y <= SPLIT_YEAR - 3), log=quiet)
    assert not earlier_table.equals(table)  # the test can fail: the scores do read the earlier values


def test_reliability_says_how_many_series_a_bin_rests_on():
    import pandas as pd

    calls = pd.DataFrame({"method": OURS, "series": ["a"] * 9 + ["b"], "p": 0.45,
                          "met": [True] * 9 + [False]})  # fmt: skip
    row = scoring.reliability(calls).iloc[0]
    assert row["calls"] == 10 and row["series"] == 2
    assert row["observed"] == pytest.approx(0.9) and row["observed_series_weighted"] == pytest.approx(0.5)
    assert row["largest_series_share"] == pytest.approx(0.9)
    # an isotonic map learned on these calls sends P 0.45 to the share observed at it
    assert scoring.recalibration(calls)(np.array([0.45]))[0] == pytest.approx(0.9)


def test_coverage_interval_counts_series_not_forecasts():
    """30 series × 10 forecasts with 80 % covered: if a series' forecasts miss together the interval is
    about as wide as 30 tries allow (±1.96·√(0.16/30) ≈ ±0.14); if they miss independently, as 300 tries
    allow (≈ ±0.045)."""
    import pandas as pd

    from analysis.evaluation.backtest import coverage_interval

    rng = np.random.default_rng(7)
    together = [{"series": s, "method": OURS, "in_80": s % 5 != 0} for s in range(30) for _ in range(10)]
    apart = [{"series": s, "method": OURS, "in_80": k % 5 != 0} for s in range(30) for k in range(10)]
    value, lo, hi = coverage_interval(pd.DataFrame(together), OURS)
    assert value == 0.8 and lo < 0.8 < hi and 0.2 < hi - lo < 0.36
    value, lo, hi = coverage_interval(pd.DataFrame(apart), OURS)
    assert value == 0.8 and (lo, hi) == (0.8, 0.8)  # every series covers 8 of its 10: resampling series changes nothing
    noisy = [{"series": s, "method": OURS, "in_80": bool(rng.random() < 0.8)} for s in range(30) for _ in range(10)]
    value, lo, hi = coverage_interval(pd.DataFrame(noisy), OURS)
    assert lo < value < hi and hi - lo < 0.14
