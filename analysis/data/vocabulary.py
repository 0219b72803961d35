"""What a cell may say: known indicators, regions, years and breakdowns, and sane values.

Each check returns an error message and a fix, or ``None`` when the cell is fine; the readers
attach the file, sheet and cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.catalog import CATALOG, HERE, Catalog
from analysis.data.cells import clean_text, read_number
from analysis.data.records import SEX_WORDS, URBAN_RURAL_WORDS

REGIONS_CSV = HERE / "regions.csv"
FIRST_YEAR = 2000  # the oldest year the monitoring reads; older figures are history, not monitoring
UNIT_WORDS = {"%": "%", "1/10万": "1/10万", "/10万": "1/10万", "每10万": "1/10万", "‰": "‰"}
# Below this a share given in % is more likely a fraction (0.45 for 45 %) than a real value,
# unless the indicator is a rate of rare events (small_count) or its target itself is small.
FRACTION_SUSPECT_BELOW = 1.0
FRACTION_CHECK_MIN_TARGET = 5.0

Error = tuple[str, str] | None  # (message, fix)


def load_regions(path: Path = REGIONS_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@dataclass
class Vocabulary:
    catalog: Catalog
    regions: pd.DataFrame

    @classmethod
    def default(cls) -> "Vocabulary":
        return cls(CATALOG, load_regions())

    def __post_init__(self) -> None:
        ind = self.catalog.indicators
        self.indicators = {r.indicator_id: r for r in ind.itertuples()}
        names = ind.groupby("name_zh")["indicator_id"].agg(list)
        self._by_name = {n: ids[0] for n, ids in names.items() if len(ids) == 1}
        self._regions = set(self.regions["region"])

    def indicator(self, raw: object) -> tuple[object | None, Error]:
        text = clean_text(str(raw or ""))
        if not text:
            return None, ("the indicator is empty", "write the indicator code, e.g. HE-02-1")
        row = self.indicators.get(text.upper()) or self.indicators.get(self._by_name.get(text, ""))
        if row is None:
            return None, (f"unknown indicator {text!r}",
                          "use a code from analysis/catalog/indicators.csv (or its exact 中文名称)")  # fmt: skip
        if row.target_kind == "qualitative":
            return None, (f"{row.indicator_id} is a qualitative goal with no statistic",
                          "report the figure under a measurable indicator of the same goal")  # fmt: skip
        return row, None

    def region(self, raw: object) -> tuple[str | None, Error]:
        text = clean_text(str(raw or ""))
        if text in self._regions:
            return text, None
        return None, (f"unknown region {text!r}",
                      "use a name from analysis/catalog/regions.csv, or add the region there")  # fmt: skip

    def year(self, raw: object) -> tuple[int | None, Error]:
        text = clean_text(str(raw or "")).removesuffix("年")  # "2024年" is a year too
        parsed = read_number(text or raw, percent=False)
        last = date.today().year
        if parsed.value is None or parsed.value != int(parsed.value):
            return None, (f"year {raw!r} is not a whole number", "write the year as four digits, e.g. 2024")
        year = int(parsed.value)
        if not FIRST_YEAR <= year <= last:
            return None, (f"year {year} is outside {FIRST_YEAR}–{last}", "check the year")
        return year, None

    @staticmethod
    def breakdown(raw: object, words: dict[str, str], what: str) -> tuple[str | None, Error]:
        text = clean_text(str(raw or "")).lower()
        if text in words:
            return words[text], None
        allowed = "、".join(sorted({w for w in words if w and not w.isascii()}))
        return None, (f"unknown {what} {raw!r}", f"write one of: {allowed}, or leave it empty for 合计")

    def sex(self, raw: object) -> tuple[str | None, Error]:
        return self.breakdown(raw, SEX_WORDS, "sex")

    def urban_rural(self, raw: object) -> tuple[str | None, Error]:
        return self.breakdown(raw, URBAN_RURAL_WORDS, "urban/rural")

    @staticmethod
    def unit(indicator, raw: object) -> Error:
        text = clean_text(str(raw or ""))
        if not text:
            return None
        if UNIT_WORDS.get(text, text) != indicator.unit:
            return (f"unit {text!r} differs from the indicator's unit {indicator.unit!r}",
                    f"convert the figure to {indicator.unit} or leave the unit empty")  # fmt: skip
        return None


PER_UNIT = {"%": 100, "1/10万": 100000, "‰": 1000}


def rate_multiplier(indicator) -> float | None:
    """What numerator/denominator is multiplied by to give the value (100 for %)."""
    if not math.isnan(indicator.per):
        return float(indicator.per)
    return PER_UNIT.get(indicator.unit)


def check_value(indicator, value: float | None, numerator: float | None,
                denominator: float | None) -> list[tuple[str, str, str]]:  # fmt: skip
    """Problems with one observation's numbers, as (field, message, fix)."""
    problems = []
    lo, hi = indicator.lower_bound, indicator.upper_bound
    if value is not None:
        if (not math.isnan(lo) and value < lo) or (not math.isnan(hi) and value > hi):
            bounds = "–".join("" if math.isnan(b) else f"{b:g}" for b in (lo, hi))
            problems.append(("value", f"{value:g} is outside the possible range {bounds} {indicator.unit}",
                             "check the figure and its unit"))  # fmt: skip
        target = indicator.target_value
        if (indicator.unit == "%" and not indicator.small_count and 0 < value < FRACTION_SUSPECT_BELOW
                and (math.isnan(target) or target >= FRACTION_CHECK_MIN_TARGET)):  # fmt: skip
            problems.append(("value", f"{value:g} looks like a fraction, but {indicator.indicator_id} is in %",
                             f"write {value * 100:g} (percent), or format the cell as %"))  # fmt: skip
    for name, count in (("numerator", numerator), ("denominator", denominator)):
        if count is not None and (count < 0 or count != int(count)):
            problems.append((name, f"{name} {count:g} is not a whole count", "write the number of cases"))
    if numerator is not None and denominator is not None:
        if denominator == 0 and numerator > 0:
            problems.append(("denominator", "denominator is 0 but the numerator is not", "check both counts"))
        if indicator.unit == "%" and denominator and numerator > denominator:
            problems.append(("numerator", f"numerator {numerator:g} exceeds denominator {denominator:g}",
                             "check both counts"))  # fmt: skip
        per = rate_multiplier(indicator)
        if per is None:
            problems.append(("numerator", f"{indicator.indicator_id} is not a rate, so it has no numerator "
                             "and denominator", "give the value only"))  # fmt: skip
        elif value is not None and denominator:
            implied = numerator / denominator * per
            if abs(implied - value) > max(0.051, abs(value) * 0.005):  # allows one-decimal rounding
                problems.append(("value", f"value {value:g} disagrees with numerator/denominator "
                                 f"({implied:.2f})", "correct the value or the counts"))  # fmt: skip
    elif (numerator is None) != (denominator is None):
        which = "denominator" if denominator is None else "numerator"
        problems.append((which, f"the {which} is missing", "give both numerator and denominator, or neither"))
    return problems
