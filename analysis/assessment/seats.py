"""Women's shares of elected bodies (党代会, 人大, 政协, 村/社区两委): judged as seats, by term.

A share of seats is a fact of the current term, not a sample: one seat of 30 is 3.3 points, and
the share changes only at a 换届 (the level's election years, ``analysis/catalog/elections.csv``;
``AssessmentConfig.election_years`` when none are given). Values belong to the term in which they
were observed; a current term without a value is grey (本届数据尚未报送, series.py), never filled
from the previous term, and a body is never stale between elections. So no forecast and no
probability: the judgement says where the current term stands, how many seats the next election
must gain, and whether any election is left before the target year. A gain larger than any past
election achieved is flagged red; a short term with no election left is red; otherwise a shortfall
is yellow, to be made up at the next 换届.
"""

from __future__ import annotations

import math

import numpy as np

from analysis.assessment.reasons import reason
from analysis.assessment.rules import Evidence, Judgement, _passed, _status_level


def current_term(election_years, year: int) -> int | None:
    """The election year of the term in force in ``year`` (None before the first listed election)."""
    held = [e for e in sorted(election_years or ()) if e <= year]
    return held[-1] if held else None


def term_length(election_years) -> int | None:
    """Years between elections: the body's frequency (a term)."""
    years = sorted(election_years or ())
    if len(years) < 2:
        return None
    return int(min(b - a for a, b in zip(years[:-1], years[1:])))


def term_values(years, y, election_years) -> dict[int, float]:
    """Each term's value: the latest value observed in it (from its election year to the next).

    Values before the first listed election belong to the term before it (keyed by the year of
    their first value); a term without a value is absent, never filled from the previous term.
    """
    years, y = np.asarray(years, int), np.asarray(y, float)
    out = {}
    elections = sorted(election_years)
    before = years < elections[0] if elections else np.ones(len(years), bool)
    if before.any():
        out[int(years[before][0])] = float(y[np.flatnonzero(before)[-1]])
    bounds = [*elections, 10**6]
    for start, end in zip(bounds[:-1], bounds[1:]):
        inside = (years >= start) & (years < end)
        if inside.any():
            out[start] = float(y[np.flatnonzero(inside)[-1]])
    return out


def judge_seats(ev: Evidence, seats: float | None = None) -> Judgement:
    """``seats``: the body's size in the latest year when the counts are known."""
    t, c = ev.target, ev.config
    elections = tuple(ev.election_years if ev.election_years is not None else c.election_years)
    upcoming = [e for e in elections if ev.as_of < e <= t.year]
    election = upcoming[0] if upcoming else None
    direction = t.direction or 1
    step = 100 / seats if seats else None
    if t.quantified:
        status = _status_level(ev)
        if ev.past_target:
            return _passed(ev, status)
        if status == "achieved":
            return Judgement(status, reasons=[reason("next_election", election=election)] if election else [])
        gap = t.about_distance(ev.latest) if t.kind == "about" else direction * (t.value - ev.latest)
        if election is None:
            if status == "basically_achieved":
                return Judgement(status, reasons=[reason("basically_short")])
            return Judgement(status, reasons=[reason("seats_short_final", year=t.year)])
        terms = term_values(ev.years, ev.y, elections)
        starts = sorted(terms)
        gains = [direction * (terms[b] - terms[a]) for a, b in zip(starts[:-1], starts[1:])]
        if gains and gap > max(max(gains), step or 0) and status != "basically_achieved":
            return Judgement(status, reasons=[reason("seats_gain_unprecedented", gap=gap, election=election)])
        if step:
            k = math.ceil(gap / step - 1e-9)
            text, text_en = f"{k}席（{gap:.1f}个百分点）", f"{k} seat(s) ({gap:.1f} pp)"
        else:
            text, text_en = f"{gap:.1f}个百分点", f"{gap:.1f} pp"
        return Judgement(status, reasons=[reason("seats_short", gap_text=text, gap_text_en=text_en, election=election)])
    # direction targets (逐步提高): the current term against the term of the base year
    if ev.base is None:
        return Judgement("insufficient_data", reasons=[reason("no_base", year=c.base_year)])
    change = direction * (ev.latest - ev.base)
    status = "achieved" if change > 1e-9 else "gap" if change < -1e-9 else "no_clear_change"
    if ev.past_target:
        return _passed(ev, status if status != "no_clear_change" else "gap")
    if status == "achieved":
        return Judgement(status, reasons=[reason("next_election", election=election)] if election else [])
    if election is None:
        return Judgement(status, reasons=[reason("seats_short_final", year=t.year)])
    code = "seats_down" if status == "gap" else "seats_unchanged"
    return Judgement(status, reasons=[reason(code, base_year=ev.base_year, election=election)])
