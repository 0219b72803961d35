"""A target as the assessment needs it: kind, value, year, better direction and natural bounds."""

from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.assessment.config import AssessmentConfig

ABOUT_SIDES = ("low", "high", "both")
KINDS = ("at_most", "at_least", "about", "keep_at_least", "increase", "decrease", "slower_rise",
         "gap_narrowing", "monitor", "qualitative")  # fmt: skip


def _number(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else x


def _side(x) -> str:
    """The catalog's about_side: empty (or missing) means both sides."""
    if x is None or (isinstance(x, float) and math.isnan(x)) or str(x).strip() == "":
        return "both"
    return str(x).strip()


@dataclass(frozen=True)
class Target:
    kind: str
    value: float | None = None
    year: int = 2030
    better: str = "higher"  # higher | lower | target | none
    lower: float | None = None  # natural bounds of the indicator
    upper: float | None = None
    tolerance: float | None = None  # for "about"
    unit: str = ""
    # for "about": which side of the band is a shortfall. "low": a women's share worded
    # "达到/保持…左右" (above the band is met); "high"; "both" (parity bodies: either side falls short).
    about_side: str = "both"
    # worded 保持/稳定在 (held to the end, as "保持在45%左右"): met only by holding it, never 提前实现
    hold: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown target kind {self.kind!r}; one of {KINDS}")
        if self.kind in ("at_most", "at_least", "about", "keep_at_least") and self.value is None:
            raise ValueError(f"a {self.kind} target needs a value")
        if self.kind == "about" and self.tolerance is None:
            raise ValueError("an 'about' target needs a tolerance")
        if self.about_side not in ABOUT_SIDES:
            raise ValueError(f"about_side must be one of {ABOUT_SIDES}, not {self.about_side!r}")

    @classmethod
    def from_indicator(cls, indicator, value: float | None = None) -> "Target":
        """From a catalog row; ``value`` supplies a relative target (target_reference)."""
        kind = indicator.target_kind
        better = indicator.better
        if kind == "gap_narrowing":
            better = "lower"
        target_value = _number(indicator.target_value)
        return cls(
            kind=kind,
            value=target_value if target_value is not None else _number(value),
            year=int(indicator.target_year) if _number(indicator.target_year) else 2030,
            better=better,
            lower=_number(indicator.lower_bound),
            upper=_number(indicator.upper_bound),
            tolerance=_number(indicator.target_tolerance),
            unit=indicator.unit,
            about_side=_side(getattr(indicator, "about_side", "")),
            hold=kind == "keep_at_least" or any(w in str(getattr(indicator, "target_text", "") or "")
                                                for w in ("保持", "稳定在")),
        )

    @property
    def quantified(self) -> bool:
        return self.kind in ("at_most", "at_least", "about", "keep_at_least")

    @property
    def directional(self) -> bool:
        """A goal stated by direction only (提高, 降低, 差距缩小, 上升趋势减缓)."""
        return self.kind in ("increase", "decrease", "slower_rise", "gap_narrowing")

    @property
    def direction(self) -> int:
        """+1 when higher is better, -1 when lower is better, 0 otherwise."""
        if self.kind in ("at_least", "keep_at_least", "increase"):
            return 1
        if self.kind in ("at_most", "decrease", "slower_rise", "gap_narrowing"):
            return -1
        return {"higher": 1, "lower": -1}.get(self.better, 0)

    def met(self, value: float) -> bool:
        if self.kind in ("at_most",):
            return value <= self.value
        if self.kind in ("at_least", "keep_at_least"):
            return value >= self.value
        if self.kind == "about":
            return self.about_distance(value) <= self.tolerance
        raise ValueError(f"{self.kind} has no level to meet")

    def about_distance(self, value: float) -> float:
        """How far a value falls short of an "about" target: on the side that is a shortfall only."""
        if self.about_side == "low":
            return max(self.value - value, 0.0)
        if self.about_side == "high":
            return max(value - self.value, 0.0)
        return abs(value - self.value)

    @property
    def band(self) -> tuple[float, float]:
        """The band an "about" target accepts: one-sided for a low or high shortfall."""
        lo = self.value - self.tolerance if self.about_side in ("low", "both") else -math.inf
        hi = self.value + self.tolerance if self.about_side in ("high", "both") else math.inf
        return lo, hi

    def basically_met(self, value: float, config: AssessmentConfig) -> bool:
        """Close enough to call 基本实现 (see AssessmentConfig for the rule)."""
        if self.met(value):
            return True
        if self.kind == "about":
            return self.about_distance(value) <= self.tolerance * config.basically_about_factor
        shortfall = abs(value - self.value)
        if self.unit == "%":
            return shortfall <= config.basically_share_pp
        return shortfall <= abs(self.value) * config.basically_relative

    def text(self, lang: str = "zh") -> str:
        v = "" if self.value is None else f"{self.value:g}"
        zh = {"at_most": f"≤{v}", "at_least": f"≥{v}", "about": f"{v}±{self.tolerance or 0:g}",
              "keep_at_least": f"保持≥{v}", "increase": "提高", "decrease": "降低", "slower_rise": "上升趋势减缓",
              "gap_narrowing": "差距缩小", "monitor": "监测", "qualitative": "定性"}  # fmt: skip
        en = {"at_most": f"≤{v}", "at_least": f"≥{v}", "about": f"{v}±{self.tolerance or 0:g}",
              "keep_at_least": f"stay ≥{v}", "increase": "increase", "decrease": "decrease",
              "slower_rise": "rise slows",
              "gap_narrowing": "gap narrows", "monitor": "monitor", "qualitative": "qualitative"}  # fmt: skip
        return (zh if lang == "zh" else en)[self.kind]
