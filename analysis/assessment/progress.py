"""Official-style progress measures, for comparison with published assessments.

- Statistics Canada / Eurostat (as implemented in open-sdg/sdg-build ``ProgressMeasure.py``):
  with a target, R = oriented CAGR observed / |CAGR required|; categories at 0.95, 0.60, 0.
  Without a target, the oriented CAGR against 1.5 %, 0.5 % and 0, each threshold scaled by
  C = 1 − (y0/limit)^4.44 near a natural limit.
- UNSD SDG Progress Chart: r = (expected value in the target year at the observed CAGR − base) /
  (target − base); ≥0.95 on track, 0.5 moderate, 0.1 marginal, −0.1 stagnation, below regression.
- 时间进度 (Chinese plan reviews, 时间过半、任务过半): the share of the required change achieved
  against the share of the period elapsed.
Each uses only the base and latest values: deterministic, no uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass

ZERO_SUBSTITUTE = 0.001  # sdg-build replaces a base or target of 0 by 0.001


@dataclass(frozen=True)
class Progress:
    statcan_ratio: float | None
    statcan_category: str
    unsd_ratio: float | None
    unsd_category: str
    time_progress: float | None  # share of the required change achieved
    time_elapsed: float | None  # share of the period elapsed
    time_category: str


def cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1


def statcan(y0, t0, yt, t, target, T, direction, limit=None) -> tuple[float | None, str]:
    if t - t0 < 1 or direction == 0:
        return None, "insufficient_data"
    y0 = y0 if y0 != 0 else ZERO_SUBSTITUTE
    if (y0 < 0) != (yt < 0) or yt == 0:
        return None, "not_computable"
    sign = -1 if y0 < 0 else 1
    if target is not None:
        if (direction > 0 and yt >= target) or (direction < 0 and yt <= target):
            return None, "target_achieved"
        target = target if target != 0 else ZERO_SUBSTITUTE
        required = abs(cagr(target, y0, T - t0))
        if required == 0:
            return None, "not_computable"
        ratio = sign * direction * cagr(yt, y0, t - t0) / required
        thresholds = (0.95, 0.60, 0.0)
    else:
        ratio = sign * direction * cagr(yt, y0, t - t0)
        c = 1.0
        if limit:
            if y0 <= limit:
                c = 1 - (y0 / limit) ** 4.44
            elif y0 <= 2 * limit:
                c = 1 - ((2 * limit - y0) / limit) ** 4.44
        thresholds = (0.015 * c, 0.005 * c, 0.0)
    high, med, low = thresholds
    category = ("substantial_progress" if ratio >= high else "moderate_progress" if ratio >= med
                else "limited_progress" if ratio >= low else "deterioration")  # fmt: skip
    return ratio, category


def unsd(y0, t0, yt, t, target, T) -> tuple[float | None, str]:
    if target is None or t - t0 < 1 or target == y0 or y0 <= 0 or yt <= 0:
        return None, "insufficient_data" if t - t0 < 1 else "not_computable"
    expected = yt * (1 + cagr(yt, y0, t - t0)) ** (T - t)
    r = (expected - y0) / (target - y0)
    category = ("on_track" if r >= 0.95 else "moderate_progress" if r >= 0.5 else "marginal_progress"
                if r >= 0.1 else "stagnation" if r >= -0.1 else "regression")  # fmt: skip
    return r, category


def time_progress(y0, t0, yt, t, target, T) -> tuple[float | None, float | None, str]:
    if target is None or t - t0 < 1 or target == y0 or T <= t0:
        return None, None, "数据不足"
    achieved = (yt - y0) / (target - y0)
    elapsed = (t - t0) / (T - t0)
    if achieved >= 1:
        category = "已达期末目标"
    elif achieved >= elapsed * 1.05:
        category = "超过进度要求"
    elif achieved >= elapsed * 0.95:
        category = "达到进度要求"
    else:
        category = "滞后"
    return achieved, elapsed, category


def measure_progress(y0, t0, yt, t, target_value, target_year, direction, limit=None) -> Progress:
    s_ratio, s_cat = statcan(y0, t0, yt, t, target_value, target_year, direction, limit)
    u_ratio, u_cat = unsd(y0, t0, yt, t, target_value, target_year)
    achieved, elapsed, t_cat = time_progress(y0, t0, yt, t, target_value, target_year)
    return Progress(s_ratio, s_cat, u_ratio, u_cat, achieved, elapsed, t_cat)
