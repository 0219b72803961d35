"""Assessing one series: where it stands, where it is heading, how likely the target is, and why warn.

``assess_series`` needs no catalog and no database: years and values (optionally numerators and
denominators), a Target, and the report year. It never raises on thin or odd data; it says what
it could not judge instead.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.counts import (
    PooledRate,
    count_evidence,
    forecast_counts,
    informative_events,
    judge_counts,
)
from analysis.assessment.data_status import DataStatus
from analysis.assessment.forecast import Forecast, choose_scale, forecast_series
from analysis.assessment.progress import Progress, measure_progress
from analysis.assessment.reasons import LEVEL_ORDER, LEVEL_ZH, Reason, level_of, reason
from analysis.assessment.rules import RULES, Evidence, Judgement, fit_line, underlying_level
from analysis.assessment.seats import current_term, judge_seats, term_length
from analysis.assessment.target import Target

__all__ = ["LEVEL_ORDER", "LEVEL_ZH", "STATUS_EN", "STATUS_ZH", "DataStatus", "Reason", "SeriesAssessment",
           "assess_series", "reason"]  # fmt: skip

STATUS_ZH = {"achieved": "已实现", "basically_achieved": "基本实现", "gap": "尚存差距",
             "no_clear_change": "变化不明显", "within_chance": "与目标无显著差异（例数少）",
             "insufficient_data": "数据不足", "monitored": "仅监测", "qualitative": "定性目标"}  # fmt: skip
STATUS_EN = {"achieved": "achieved", "basically_achieved": "basically achieved", "gap": "gap remains",
             "no_clear_change": "no clear change", "within_chance": "not distinguishable from the target (few cases)",
             "insufficient_data": "insufficient data", "monitored": "monitored (no target)",
             "qualitative": "qualitative goal"}  # fmt: skip


@dataclass
class SeriesAssessment:
    """The assessment of one series; ``summary()`` explains it (``analysis.figures.fan_chart`` draws it).

    ``probability`` is always about what ``probability_of`` says (P that the 2030 value meets a
    threshold, that the 2030 level lies in a band, that the 2030 value is better than 2020 …).
    Rates of a few events carry no probability: ``test_p`` is an exact test's p, described by
    ``test_of``, and ``evidence_zh`` gives the counts.
    """

    name: str
    target: Target
    as_of: int
    years: list[int]
    values: list[float]
    status: str
    level: str
    reasons: list[Reason] = field(default_factory=list)
    latest_year: int | None = None
    latest_value: float | None = None
    base_year: int | None = None
    base_value: float | None = None
    pooled: PooledRate | None = None
    gap_window: tuple[int, int, float] | None = None  # a gap of rare events: pooled years and their events
    progress: Progress | None = None
    forecast: Forecast | None = None
    probability: float | None = None
    probability_of: tuple[str, str] = ("", "")
    test_p: float | None = None
    test_of: tuple[str, str] = ("", "")
    evidence: tuple[str, str] = ("", "")
    volatility: float | None = None
    numerators: list[float] | None = None
    denominators: list[float] | None = None
    per: float | None = None  # the rate's multiplier when the series is counts
    notes: list[str] = field(default_factory=list)
    data_status: DataStatus = field(default_factory=DataStatus)

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    @property
    def level_zh(self) -> str:
        return LEVEL_ZH[self.level]

    @property
    def early_possible(self) -> bool:
        """Whether 已实现 may read 提前实现: a level target (达到…以上, 下降到…以下, 达到…左右) met before its
        year on values, not a 保持/稳定在 target (met only by holding it to the end, "保持在45%左右"),
        nor a direction goal or a rate of a few events judged on its counts."""
        t = self.target
        return (self.status == "achieved" and self.as_of < t.year and t.kind in ("at_least", "at_most", "about")
                and not t.hold and self.pooled is None)  # fmt: skip

    def forecast_table(self) -> pd.DataFrame:
        columns = ["year", "forecast", "lower_80", "upper_80", "lower_95", "upper_95"]
        return pd.DataFrame(self.forecast.table() if self.forecast else [], columns=columns)

    def at_target_year(self) -> dict:
        rows = [r for r in (self.forecast.table() if self.forecast else []) if r["year"] == self.target.year]
        return {k: float(v) for k, v in rows[0].items() if k != "year"} if rows else {}

    def to_row(self) -> dict:
        """One flat row for the tidy results table (no NaN: missing numbers are None)."""
        p = self.progress
        row = {
            "series": self.name, "target_kind": self.target.kind, "target": self.target.text(),
            "target_en": self.target.text("en"),
            "target_value": self.target.value, "target_year": self.target.year, "as_of": self.as_of,
            "n_points": len(self.years), "first_year": self.years[0] if self.years else None,
            "latest_year": self.latest_year, "latest_value": self.latest_value,
            "base_year": self.base_year, "base_value": self.base_value,
            "status": self.status, "status_zh": self.status_zh,
            "statcan_ratio": p.statcan_ratio if p else None, "statcan_category": p.statcan_category if p else "",
            "eurostat_ratio": p.eurostat_ratio if p else None, "eurostat_category": p.eurostat_category if p else "",
            "unsd_ratio": p.unsd_ratio if p else None, "unsd_category": p.unsd_category if p else "",
            "time_progress": p.time_progress if p else None, "time_elapsed": p.time_elapsed if p else None,
            "time_category": p.time_category if p else "",
            # always the same columns, None without a forecast: a table's columns never depend on its series
            **{f"{k}_{self.target.year}": self.at_target_year().get(k) for k in
               ("forecast", "lower_80", "upper_80", "lower_95", "upper_95")},
            "probability": self.probability, "probability_of": self.probability_of[0],
            "probability_of_en": self.probability_of[1],
            "test_p": self.test_p, "test_of": self.test_of[0], "test_of_en": self.test_of[1],
            "evidence_zh": self.evidence[0], "evidence_en": self.evidence[1],
            "level": self.level, "level_zh": self.level_zh,
            "reasons": ";".join(r.code for r in self.reasons), "reasons_zh": "；".join(r.zh for r in self.reasons),
            "reasons_en": "; ".join(r.en for r in self.reasons),
            "models": "+".join(self.forecast.models) if self.forecast else "",
            **self.data_status.to_row(),
            "early_possible": self.early_possible,
        }  # fmt: skip
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}

    def summary(self, lang: str = "zh") -> str:
        t, zh = self.target, lang == "zh"
        if zh:
            lines = [f"{self.name}（目标：{t.text()}，{t.year}年；截至{self.as_of}年）",
                     f"  现状：{self.status_zh}；预警：{self.level_zh}"]  # fmt: skip
            if self.latest_value is not None:
                lines.append(f"  最新值：{self.latest_value:.4g}（{self.latest_year}年）")
        else:
            lines = [f"{self.name} (target {t.text('en')} by {t.year}; as of {self.as_of})",
                     f"  status: {STATUS_EN[self.status]}; warning: {self.level}"]  # fmt: skip
            if self.latest_value is not None:
                lines.append(f"  latest: {self.latest_value:.4g} ({self.latest_year})")
        if self.evidence[0]:
            lines.append("  " + (self.evidence[0] if zh else self.evidence[1]))
        end = self.at_target_year()
        if end:
            lines.append(f"  {t.year}: {end['forecast']:.4g} [80% {end['lower_80']:.4g}–{end['upper_80']:.4g}; "
                         f"95% {end['lower_95']:.4g}–{end['upper_95']:.4g}] ({'+'.join(self.forecast.models)})")  # fmt: skip
        if self.probability is not None:
            about = self.probability_of[0 if zh else 1]
            lines.append(f"  {about}: {self.probability:.0%}" if about else f"  P: {self.probability:.0%}")
        if self.test_p is not None:
            lines.append(f"  {self.test_of[0 if zh else 1]}: p = {self.test_p:.3f}")
        for r in self.reasons:
            lines.append("  - " + (r.zh if zh else r.en))
        note = self.data_status.note_zh if zh else self.data_status.note_en
        if note:
            lines.append(("  数据：" if zh else "  data: ") + note)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()


def _clean(years, values, numerators, denominators, as_of):
    fast = _clean_sorted(years, values, numerators, denominators, as_of)
    if fast is not None:
        return fast
    frame = pd.DataFrame({"year": np.asarray(years), "value": np.asarray(values, dtype=float)})
    counts = numerators is not None and denominators is not None
    if counts:  # positions, not index labels: callers pass Series cut from bigger frames
        frame["num"], frame["den"] = np.asarray(numerators, float), np.asarray(denominators, float)
    frame = frame.dropna(subset=["year"])
    frame["year"] = frame["year"].astype(int)
    frame = frame.loc[frame["year"] <= as_of] if as_of is not None else frame
    notes = []
    if frame["year"].duplicated().any():
        notes.append("duplicate years were averaged")
        frame = frame.groupby("year", as_index=False).mean()
    frame = frame.sort_values("year")
    if counts:
        frame = frame.dropna(subset=["num", "den"])
        frame = frame.loc[frame["den"] > 0]
    else:
        frame = frame.dropna(subset=["value"])
    return {c: frame[c].to_numpy() for c in frame.columns}, counts, notes


def _clean_sorted(years, values, numerators, denominators, as_of):
    """``_clean`` without pandas for whole-number years without repeats (every series of a panel).

    Same frame as the general path; repeated or missing years go the general way (they average).
    """
    yrs = np.asarray(years)
    if yrs.dtype.kind not in "iu":
        return None
    yrs = yrs.astype(np.int64)
    columns = {"year": yrs, "value": np.asarray(values, dtype=float)}
    counts = numerators is not None and denominators is not None
    if counts:
        columns["num"], columns["den"] = np.asarray(numerators, float), np.asarray(denominators, float)
    keep = yrs <= as_of if as_of is not None else np.ones(len(yrs), bool)
    if len(np.unique(yrs[keep])) < keep.sum():
        return None
    if counts:
        keep &= ~np.isnan(columns["num"]) & ~np.isnan(columns["den"])
        keep &= columns["den"] > 0
    else:
        keep &= ~np.isnan(columns["value"])
    order = np.flatnonzero(keep)
    order = order[np.argsort(yrs[order], kind="stable")]
    return {k: v[order] for k, v in columns.items()}, counts, []


def _base(frame: dict, base_year: int, latest_year: int) -> int | None:
    """The base year, else the nearest year within one of it (2019 first: it precedes the period),
    named as a stand-in by the caller; nothing older or later. The base comes before the latest value."""
    years = frame["year"]
    for year in (base_year, base_year - 1, base_year + 1):
        if year < latest_year and (years == year).any():
            return year
    return None


def _period_start(years, base_year: int) -> int:
    """The first year whose value is evidence: the base year, or 2019 standing in for a missing 2020."""
    years = np.asarray(years)
    if not (years == base_year).any() and (years == base_year - 1).any():
        return base_year - 1
    return base_year


def _volatility(years, values) -> float | None:
    values = np.asarray(values, float)
    level = abs(values.mean())
    if level == 0:
        return None
    return fit_line(years, values).residual_sd / level


def _granular(y, denominators, elected: bool, unit: str, config: AssessmentConfig, years) -> bool:
    """Swings that are steps of one seat, one person or one facility: not 波动较大."""
    if elected:
        return True
    if unit == "个" or (np.allclose(y, np.round(y)) and np.abs(y).max() < 20):
        return True
    if unit == "件" and (y >= 0).all() and y.mean() > 0:  # yearly counts of cases: Poisson swings are √mean
        return fit_line(years, y).residual_sd <= config.volatility_granularity_steps * np.sqrt(y.mean())
    if denominators is not None and unit == "%":
        step = 100 / np.median(denominators)
        return fit_line(years, y).residual_sd <= config.volatility_granularity_steps * step
    return False


def _common_reasons(frame, y, counts: bool, elected: bool, target: Target, config: AssessmentConfig,
                    as_of: int, frequency_years: int, result) -> list[Reason]:  # fmt: skip
    """Warnings every kind shares: large swings and stale data."""
    reasons = []
    n = len(frame["year"])
    at_bound = any(r.code == "at_bound" for r in result.reasons)  # held at 0 or 100: no swings to speak of
    if not counts and not at_bound and n >= config.volatility_min_points and len(np.unique(y)) > 2:  # a step is not a swing
        denominators = np.asarray(frame["den"], float) if "den" in frame else None
        if not _granular(y, denominators, elected, target.unit, config, frame["year"]):
            cv = _volatility(frame["year"], y)
            result.volatility = cv
            if cv is not None and cv > config.volatility_cv:
                reasons.append(reason("volatile", cv=cv))
    if result.data_status.stale:
        reasons.append(reason("stale", latest=int(frame["year"].max()), every=frequency_years))
    return reasons


def assess_series(
    years, values=None, target: Target | None = None, *, numerators=None, denominators=None,
    per: float | None = None, as_of: int | None = None, name: str = "", config: AssessmentConfig = DEFAULT_CONFIG,
    frequency_years: int = 1, elected: bool = False, count_labels: tuple[str, str] | None = None,
    base_year: int | None = None, election_years: tuple[int, ...] | None = None, proxy: bool = False,
    seats: int | None = None,
) -> SeriesAssessment:  # fmt: skip
    """Assess one annual series against its target as of the report year ``as_of``.

    ``frequency_years``: years between releases (5 for a periodic survey), so a survey is not
    called stale between rounds. ``elected``: a women's share of an elected body, judged by term
    (see seats.py) on ``election_years`` (the 换届 years of the body's level; default the
    configuration's). ``numerators``/``denominators`` with ``per``: a rate of counts (counts.py);
    ``count_labels`` names them in the evidence ("孕产妇死亡", "活产"). ``base_year`` (default the
    configuration's 2020, or ten years before an earlier target year): a status needs a value from
    it on, or from the year before or after it standing in (named); older values are context, never
    evidence. ``proxy``: the values are
    totals standing in for a women's target. ``seats``: the body's size; the tolerance of an
    "about" target is then at least one seat.
    """
    if target is None:
        raise TypeError("assess_series needs a Target")
    if base_year is None:  # an outline runs ten years to its target year: 2020 for the 2030 targets
        base_year = min(config.base_year, target.year - 10)
    if base_year != config.base_year:
        config = dataclasses.replace(config, base_year=int(base_year))
    base_year = config.base_year
    years = list(years)
    values = list(values) if values is not None else [None] * len(years)
    frame, counts, notes = _clean(years, values, numerators, denominators, as_of)
    as_of = int(as_of if as_of is not None else (frame["year"].max() if len(frame["year"]) else target.year))
    if counts and per is None:
        raise TypeError("a rate of small counts needs `per` (100000 for 1/10万)")
    result = SeriesAssessment(name, target, as_of, frame["year"].tolist(),
                              (frame["num"] / frame["den"] * per if counts else frame["value"]).tolist(),
                              status="insufficient_data", level="grey", notes=notes)  # fmt: skip
    if counts:
        result.numerators, result.denominators, result.per = frame["num"].tolist(), frame["den"].tolist(), per
    if elected and election_years is None:
        election_years = tuple(config.election_years)
    size = seats if seats else (float(frame["den"][-1]) if elected and counts and len(frame["den"]) else None)
    if target.kind == "about" and size:
        target = dataclasses.replace(target, tolerance=max(target.tolerance, 100 / size))
        result.target = target
    _data_status(result, frame, target, as_of, config, frequency_years, elected, election_years, proxy)
    if target.kind == "qualitative":
        result.status, result.reasons = "qualitative", [reason("qualitative")]
        return result
    if not len(frame["year"]):
        result.reasons = [reason("insufficient_data")]
        return result
    yrs_all = frame["year"].astype(int)
    latest_seen = int(yrs_all[yrs_all <= target.year].max()) if (yrs_all <= target.year).any() else int(yrs_all.max())
    # a status needs a value in the outline's period; an elected body needs one in the current term
    by_term = elected and target.kind != "monitor"
    term = current_term(election_years, min(as_of, target.year)) if by_term else None
    if term is not None and latest_seen < term:
        result.reasons = [reason("term_not_reported", election=term)]
    elif not by_term and result.data_status.points_in_period == 0:
        result.reasons = [reason("no_value_in_period", since=f"{base_year}年以来", since_en=f"since {base_year}",
                                 latest=latest_seen)]  # fmt: skip
    if result.reasons:  # cannot be judged: the latest value is shown as context
        result.latest_year = latest_seen
        result.latest_value = float(np.asarray(result.values, float)[yrs_all == latest_seen][0])
        return _finish(result, frame, counts, elected, target, config, as_of, frequency_years, proxy)
    few = counts and informative_events(frame["num"], frame["den"], per) < config.count_min_events_for_trend
    if counts and few and target.kind != "monitor" and not elected:
        return _assess_counts(result, frame, target, as_of, config, count_labels, frequency_years, proxy)

    y = np.asarray(result.values, float)
    if target.kind == "gap_narrowing":
        y = np.abs(y)
    yrs = yrs_all
    past_target = as_of > target.year
    upto = yrs <= target.year if past_target else np.ones(len(yrs), bool)
    if not upto.any():
        upto = np.ones(len(yrs), bool)
    if past_target:
        notes.append("target year passed")
    idx = np.flatnonzero(upto)[-1]
    latest_year, latest = int(yrs[idx]), float(y[idx])
    result.latest_year, result.latest_value = latest_year, latest
    if elected:
        base = _term_base(yrs, y, election_years, base_year, latest_year)
    else:
        base = _base(frame, base_year, latest_year)
    if base is not None and base != latest_year:
        result.base_year, result.base_value = base, float(y[yrs == base][-1])
    direction = target.direction
    if target.kind == "about":  # the side that is a shortfall says which way is better
        direction = {"low": 1, "high": -1}.get(target.about_side, 0)

    if result.base_value is not None and target.kind not in ("monitor", "slower_rise"):
        limit = (target.upper if direction > 0 else target.lower) if not target.quantified else None
        # an "about" target is met by its underlying level (rules.judge_about), not one noisy year
        met = (target.met(underlying_level(yrs, y)) if target.kind == "about"
               else target.met(latest) if target.quantified else None)  # fmt: skip
        result.progress = measure_progress(result.base_value, result.base_year, latest, latest_year, target.value,
                                           target.year, direction, limit, met=met)  # fmt: skip

    horizon = list(range(as_of + 1, target.year + 1))
    if not elected:
        if counts:
            forecast = forecast_counts(yrs, frame["num"], frame["den"], per, horizon, config, as_of)
        else:
            scale = choose_scale(y, 0.0 if target.kind == "gap_narrowing" else target.lower, target.upper, config)
            forecast = forecast_series(yrs, y, horizon, scale, config)
        result.forecast = forecast
        if forecast is not None:
            result.notes += forecast.notes

    evidence = Evidence(target, config, as_of, yrs[upto], y[upto], latest_year, latest, result.base_year,
                        result.base_value, result.forecast, result.progress, past_target,
                        election_years=election_years, counts_of_cases=target.unit == "件")  # fmt: skip
    if elected:
        seat_size = float(frame["den"][-1]) if counts else size
        judgement = judge_seats(evidence, seat_size)
    else:
        judgement = RULES[target.kind](evidence)
    _apply(result, judgement)
    return _finish(result, frame, counts, elected, target, config, as_of, frequency_years, proxy, y)


def _finish(result, frame, counts, elected, target, config, as_of, frequency_years, proxy, y=None):
    """Common notes, the data notes as information, and the level (never red with 基本实现)."""
    if y is not None:
        result.reasons += _common_reasons(frame, y, counts, elected, target, config, as_of, frequency_years, result)
    elif result.data_status.stale:
        result.reasons.append(reason("stale", latest=int(frame["year"].max()), every=frequency_years))
    ds = result.data_status
    if ds.base_stand_in is not None and result.base_year == ds.base_stand_in:
        result.reasons.append(reason("base_stand_in", base_year=config.base_year, stand_in=ds.base_stand_in))
    if proxy:
        result.reasons.append(reason("proxy_total"))
    if result.status == "basically_achieved":  # red needs evidence that the target is hard to reach
        red = [r for r in result.reasons if r.severity == "red"]
        if red:
            kept = [r for r in result.reasons if r.severity != "red"]
            softer = (reason("at_risk", year=target.year, p=result.probability) if result.probability is not None
                      else reason("basically_short"))  # fmt: skip
            result.reasons = [softer, *kept]
    result.level = level_of(result.status, result.reasons)
    return result


def _data_status(result, frame, target, as_of, config, frequency_years, elected, election_years, proxy) -> None:
    years = np.asarray(frame["year"], int)
    base_year = config.base_year
    start = _period_start(years, base_year)
    ds = result.data_status
    ds.proxy = bool(proxy)
    ds.per_term = bool(elected)
    ds.frequency_years = term_length(election_years) if elected else int(frequency_years)
    if not len(years):
        ds.describe(base_year, as_of)
        return
    ds.latest_year = int(years.max())
    if elected:  # an elected body's seats in the base year are those of the term then in force
        start = min(start, current_term(election_years, base_year) or start)
    ds.points_in_period = int(((years >= start) & (years <= as_of)).sum())
    upto = years[years <= target.year] if (years <= target.year).any() else years
    if not elected and "den" not in frame:  # an elected body's base is its term; counts pool whole windows
        base = _base(frame, base_year, int(upto.max()))
        ds.base_stand_in = base if base is not None and base != base_year else None
    if ds.base_stand_in is None and not elected and _period_start(years, base_year) != base_year:
        ds.base_stand_in = base_year - 1  # the only value near the base is the year before it
    if not elected and frequency_years == 1 and ds.points_in_period:
        seen = set(years.tolist())  # gaps within what has arrived; lateness is ``stale``
        first = max(start, int(years[years >= start].min()))
        ds.missing_years = [y for y in range(first, ds.latest_year + 1) if y not in seen]
    if not elected:
        ds.stale = (as_of - ds.latest_year >= frequency_years + config.stale_after_years - 1
                    and as_of <= target.year)  # fmt: skip
    ds.describe(base_year, as_of)


def _term_base(years, y, election_years, base_year: int, latest_year: int) -> int | None:
    """For an elected body, the base is the term in force in the base year: its latest value's year."""
    start = current_term(election_years, base_year)
    later = [e for e in sorted(election_years) if e > base_year]
    end = later[0] if later else 10**6
    inside = (years >= (start if start is not None else -10**6)) & (years < end) & (years < latest_year)
    return int(years[inside].max()) if inside.any() else None


def _apply(result: SeriesAssessment, judgement: Judgement) -> None:
    result.status = judgement.status
    result.probability, result.probability_of = judgement.probability, judgement.probability_of
    result.test_p, result.test_of = judgement.test_p, judgement.test_of
    result.reasons = list(judgement.reasons)


def _assess_counts(result, frame, target, as_of, config, labels, frequency_years, proxy=False) -> SeriesAssessment:
    """A rate of a few events: judged by its counts (counts.py), no forecast."""
    judgement, pooled, base = judge_counts(frame["year"], frame["num"], frame["den"], result.per, target, as_of,
                                           config, labels)  # fmt: skip
    _apply(result, judgement)
    result.pooled = pooled
    if pooled is not None:
        result.latest_year, result.latest_value = pooled.last_year, pooled.rate
        result.evidence = (count_evidence(pooled, result.per, labels, "zh"), count_evidence(pooled, result.per, labels, "en"))
        seen = set(np.asarray(frame["year"], int).tolist())
        gaps = [y for y in range(pooled.last_year - config.count_window_years + 1, pooled.last_year + 1) if y not in seen]
        if gaps:
            result.reasons.append(reason("missing_years", years="、".join(map(str, gaps)),
                                         years_en=", ".join(map(str, gaps))))  # fmt: skip
    if base is not None:
        result.base_year, result.base_value = base.last_year, base.rate
    result.notes.append("rate of few events: judged on counts, no forecast")
    return _finish(result, frame, True, False, target, config, as_of, frequency_years, proxy,
                   np.asarray(frame["value"], float))  # fmt: skip
