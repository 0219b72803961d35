"""Women's shares of elected bodies (党代会, 人大, 政协, 村/社区两委): judged as seats, by term.

A share of seats is a fact of the current term, not a sample: one seat of 30 is 3.3 points, and
the share changes only at a 换届 (``AssessmentConfig.election_years``). So no forecast and no
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


def term_values(years, y, election_years) -> dict[int, float]:
    """The first value observed in each term (from its election year to the next)."""
    years, y = np.asarray(years, int), np.asarray(y, float)
    out = {}
    bounds = [*sorted(election_years), 10**6]
    for start, end in zip(bounds[:-1], bounds[1:]):
        inside = (years >= start) & (years < end)
        if inside.any():
            out[start] = float(y[np.flatnonzero(inside)[0]])
    return out


def judge_seats(ev: Evidence, seats: float | None = None) -> Judgement:
    """``seats``: the body's size in the latest year when the counts are known."""
    t, c = ev.target, ev.config
    upcoming = [e for e in c.election_years if ev.as_of < e <= t.year]
    election = upcoming[0] if upcoming else None
    direction = t.direction or 1
    step = 100 / seats if seats else None
    if t.quantified:
        status = "achieved" if t.kind == "about" and abs(ev.latest - t.value) <= t.tolerance else _status_level(ev)
        if ev.past_target:
            return _passed(ev, status)
        if status == "achieved":
            return Judgement(status, reasons=[reason("next_election", election=election)] if election else [])
        gap = abs(t.value - ev.latest) if t.kind == "about" else direction * (t.value - ev.latest)
        if election is None:
            return Judgement(status, reasons=[reason("seats_short_final", year=t.year)])
        terms = term_values(ev.years, ev.y, c.election_years)
        starts = sorted(terms)
        gains = [direction * (terms[b] - terms[a]) for a, b in zip(starts[:-1], starts[1:])]
        if gains and gap > max(max(gains), step or 0):
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
