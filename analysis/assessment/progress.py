"""Official-style progress measures, for comparison with published assessments.

- Statistics Canada (as implemented in open-sdg/sdg-build ``ProgressMeasure.py``): with a target,
  R = oriented CAGR observed / |CAGR required|, categories at 0.95, 0.60, 0. Without a target,
  the oriented CAGR against 1.5 %, 0.5 % and 0, each threshold scaled by C = 1 − (y0/limit)^4.44
  near a natural limit.
- Eurostat (EU SDG monitoring report): with a target, the same ratio and cut-offs (StatCan took
  them from Eurostat) under Eurostat's own names; without a target, the oriented CAGR against
  +1 %, 0 and −1 % (significant progress / moderate progress / moderate movement away /
  significant movement away).
- UNSD SDG Progress Chart: r = (expected value in the target year at the observed CAGR − base) /
  (target − base); ≥0.95 on track, 0.5 moderate, 0.1 marginal, −0.1 stagnation, below regression;
  a latest value that meets the target is "target met" whatever the trend (UNSD/Eustat exception).
- 时间进度 (Chinese plan reviews, 时间过半、任务过半): the share of the required change achieved
  against the share of the period elapsed; a met target is 已达期末目标, a base that already met the
  target and a latest value that no longer does is 已达标后回落.
Every measure first asks whether the latest value meets the target, so a rate of 0 or a value past
the target never becomes "not computable". Each uses only the base and latest values:
deterministic, no uncertainty.
"""

from __future__ import annotations

from dataclasses import dataclass

ZERO_SUBSTITUTE = 0.001  # sdg-build replaces a base or target of 0 by 0.001
RATIO_CUTS = (0.95, 0.60, 0.0)  # actual/required growth: Eurostat's cut-offs, which StatCan took over

STATCAN_ZH = {"target_achieved": "已达到目标", "substantial_progress": "显著进展", "moderate_progress": "中等进展",
              "limited_progress": "进展有限", "deterioration": "退步", "not_computable": "无法计算",
              "insufficient_data": "数据不足"}  # fmt: skip
EUROSTAT_ZH = {"target_achieved": "已达到目标", "significant_progress": "显著进展", "moderate_progress": "中等进展",
               "insufficient_progress": "进展不足", "moderate_movement_away": "轻度偏离",
               "significant_movement_away": "明显偏离", "movement_away": "偏离目标",
               "not_computable": "无法计算", "insufficient_data": "数据不足"}  # fmt: skip
UNSD_ZH = {"target_met": "已达到目标", "on_track": "按进度", "moderate_progress": "中等进展",
           "marginal_progress": "进展微弱", "stagnation": "停滞", "regression": "倒退",
           "not_computable": "无法计算", "insufficient_data": "数据不足", "no_target": "无目标值"}  # fmt: skip


@dataclass(frozen=True)
class Progress:
    statcan_ratio: float | None
    statcan_category: str
    unsd_ratio: float | None
    unsd_category: str
    time_progress: float | None  # share of the required change achieved
    time_elapsed: float | None  # share of the period elapsed
    time_category: str
    eurostat_ratio: float | None = None
    eurostat_category: str = ""

    @property
    def on_pace(self) -> bool:
        """The change so far keeps pace with the change the target requires (时间进度)."""
        return self.time_category in ("已达期末目标", "超过进度要求", "达到进度要求")


def cagr(value: float, base: float, years: float) -> float:
    return (value / base) ** (1 / years) - 1


def _met(value: float, target: float, direction: int) -> bool:
    return (direction > 0 and value >= target) or (direction < 0 and value <= target)


def _ratio(y0, t0, yt, t, target, T, direction) -> float | None:
    """Oriented observed CAGR over |required CAGR| (StatCan and Eurostat), or None."""
    y0 = y0 if y0 != 0 else ZERO_SUBSTITUTE
    if (y0 < 0) != (yt < 0) or yt == 0:
        return None
    target = target if target != 0 else ZERO_SUBSTITUTE
    required = abs(cagr(target, y0, T - t0))
    if required == 0:
        return None
    sign = -1 if y0 < 0 else 1
    return sign * direction * cagr(yt, y0, t - t0) / required


def _oriented_cagr(y0, t0, yt, t, direction) -> float | None:
    y0 = y0 if y0 != 0 else ZERO_SUBSTITUTE
    if (y0 < 0) != (yt < 0) or yt == 0:
        return None
    return (-1 if y0 < 0 else 1) * direction * cagr(yt, y0, t - t0)


def statcan(y0, t0, yt, t, target, T, direction, limit=None) -> tuple[float | None, str]:
    if t - t0 < 1 or direction == 0:
        return None, "insufficient_data"
    if target is not None:
        if _met(yt, target, direction):
            return None, "target_achieved"
        ratio, thresholds = _ratio(y0, t0, yt, t, target, T, direction), RATIO_CUTS
    else:
        ratio = _oriented_cagr(y0, t0, yt, t, direction)
        c = 1.0
        if limit and ratio is not None:
            if y0 <= limit:
                c = 1 - (y0 / limit) ** 4.44
            elif y0 <= 2 * limit:
                c = 1 - ((2 * limit - y0) / limit) ** 4.44
        thresholds = (0.015 * c, 0.005 * c, 0.0)
    if ratio is None:
        return None, "not_computable"
    high, med, low = thresholds
    category = ("substantial_progress" if ratio >= high else "moderate_progress" if ratio >= med
                else "limited_progress" if ratio >= low else "deterioration")  # fmt: skip
    return ratio, category


def eurostat(y0, t0, yt, t, target, T, direction) -> tuple[float | None, str]:
    if t - t0 < 1 or direction == 0:
        return None, "insufficient_data"
    if target is not None:
        if _met(yt, target, direction):
            return None, "target_achieved"
        ratio = _ratio(y0, t0, yt, t, target, T, direction)
        if ratio is None:
            return None, "not_computable"
        high, med, low = RATIO_CUTS
        category = ("significant_progress" if ratio >= high else "moderate_progress" if ratio >= med
                    else "insufficient_progress" if ratio >= low else "movement_away")  # fmt: skip
        return ratio, category
    growth = _oriented_cagr(y0, t0, yt, t, direction)
    if growth is None:
        return None, "not_computable"
    category = ("significant_progress" if growth > 0.01 else "moderate_progress" if growth > 0
                else "moderate_movement_away" if growth >= -0.01 else "significant_movement_away")  # fmt: skip
    return growth, category


def unsd(y0, t0, yt, t, target, T, direction: int = 0) -> tuple[float | None, str]:
    if target is None:
        return None, "no_target"
    if t - t0 < 1:
        return None, "insufficient_data"
    if direction and _met(yt, target, direction):
        return None, "target_met"  # UNSD/Eustat: a latest value that meets the target is achieved
    if direction and _met(y0, target, direction):
        return None, "regression"  # it met the target at the base and no longer does
    if target == y0 or y0 <= 0 or yt <= 0:
        return None, "not_computable"
    expected = yt * (1 + cagr(yt, y0, t - t0)) ** (T - t)
    r = (expected - y0) / (target - y0)
    category = ("on_track" if r >= 0.95 else "moderate_progress" if r >= 0.5 else "marginal_progress"
                if r >= 0.1 else "stagnation" if r >= -0.1 else "regression")  # fmt: skip
    return r, category


def time_progress(y0, t0, yt, t, target, T, direction: int = 0) -> tuple[float | None, float | None, str]:
    if target is None:
        return None, None, "无目标值"
    if t - t0 < 1 or T <= t0:
        return None, None, "数据不足"
    elapsed = (t - t0) / (T - t0)
    if direction and _met(yt, target, direction):
        return None, elapsed, "已达期末目标"
    if direction and _met(y0, target, direction):
        return None, elapsed, "已达标后回落"  # the required change is negative: a share of it means nothing
    if target == y0:
        return None, elapsed, "数据不足"
    achieved = (yt - y0) / (target - y0)
    if achieved >= 1:
        category = "已达期末目标"
    elif achieved >= elapsed * 1.05:
        category = "超过进度要求"
    elif achieved >= elapsed * 0.95:
        category = "达到进度要求"
    else:
        category = "滞后"
    return achieved, elapsed, category


def measure_progress(y0, t0, yt, t, target_value, target_year, direction, limit=None, met: bool | None = None) -> Progress:
    """The four official measures. ``met``: the caller's own reading that the latest value meets the
    target (a …左右 band, whose met region the measures' one-sided arithmetic cannot see): then
    every measure reports the target as met, never 倒退 or 滞后 for an in-band series."""
    if met and t - t0 >= 1:
        elapsed = (t - t0) / (target_year - t0) if target_year > t0 else None
        return Progress(None, "target_achieved", None, "target_met", None, elapsed, "已达期末目标", None,
                        "target_achieved")  # fmt: skip
    s_ratio, s_cat = statcan(y0, t0, yt, t, target_value, target_year, direction, limit)
    e_ratio, e_cat = eurostat(y0, t0, yt, t, target_value, target_year, direction)
    u_ratio, u_cat = unsd(y0, t0, yt, t, target_value, target_year, direction)
    achieved, elapsed, t_cat = time_progress(y0, t0, yt, t, target_value, target_year, direction)
    return Progress(s_ratio, s_cat, u_ratio, u_cat, achieved, elapsed, t_cat, e_ratio, e_cat)
