"""What a cell may say: known indicators, regions, years and breakdowns, and sane values.

Each check returns an error message and a fix, or ``None`` when the cell is fine; the readers
attach the file, sheet and cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.catalog import CATALOG, HERE, Catalog, load_age_groups
from analysis.data.cells import RATE_UNITS, clean_text, read_number
from analysis.data.records import GROUP_WOMEN_WORDS, SEX_LABELS, SEX_WORDS, URBAN_RURAL_WORDS

REGIONS_CSV = HERE / "regions.csv"
# Ranges beyond the natural bounds (a count of persons, an income, hours in a day), for the
# indicators whose catalog bounds alone would let a figure off by 万 or a typo through.
PLAUSIBLE_CSV = Path(__file__).with_name("plausible_ranges.csv")
FIRST_YEAR = 2000  # the oldest year the monitoring reads; older figures are history, not monitoring
UNIT_WORDS = {"%": "%", "1/10万": "1/10万", "/10万": "1/10万", "每10万": "1/10万", "‰": "‰"}
# Below this a share given in % is more likely a fraction (0.45 for 45 %) than a real value,
# unless the indicator is a rate of rare events (small_count) or its target itself is small.
FRACTION_SUSPECT_BELOW = 1.0
FRACTION_CHECK_MIN_TARGET = 5.0

Error = tuple[str, str] | None  # (message, fix)
COUNT_UNITS = ("人", "件", "个")  # counts of persons and events: whole numbers


def load_regions(path: Path = REGIONS_CSV) -> pd.DataFrame:
    """The regions, with ``ethnic_township`` (民族乡) as a boolean: true/false for each township, empty otherwise."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if "ethnic_township" not in frame:
        frame["ethnic_township"] = ""
    for row, (level, flag) in enumerate(zip(frame["level"], frame["ethnic_township"]), start=2):
        if (level == "township") != (flag in ("true", "false")) or flag not in ("true", "false", ""):
            raise ValueError(f"{path}: row {row}, column ethnic_township: {flag!r} for a {level} — write true "
                             "(民族乡) or false for every township, and leave it empty for other levels")
    frame["ethnic_township"] = frame["ethnic_township"] == "true"
    return frame


def ethnic_townships(parent: str, regions: pd.DataFrame | None = None) -> list[str]:
    """The 民族乡 among a district's townships (``regions.csv`` column ``ethnic_township``)."""
    r = load_regions() if regions is None else regions
    return r.loc[(r["parent"] == parent) & (r["level"] == "township") & r["ethnic_township"], "region"].tolist()


def load_plausible_ranges(path: Path = PLAUSIBLE_CSV) -> dict[str, tuple[float, float, str]]:
    frame = pd.read_csv(path, encoding="utf-8-sig")
    return {r.indicator_id: (float(r.plausible_min), float(r.plausible_max), r.why) for r in frame.itertuples()}


def _age_word(raw: object) -> str:
    """An age group as people write it, compared loosely: 60岁及以上 = 60岁以上 = 60+, 15-24岁 = 15—24岁."""
    text = clean_text(str(raw or "")).lower().replace(" ", "")
    text = re.sub(r"[—–~～至]", "-", text)
    return text.replace("岁及以上", "+").replace("岁以上", "+").replace("以上", "+").replace("岁", "")


def _bare_name(text: str) -> str:
    """An indicator name without spaces and a trailing unit in brackets: 孕产妇死亡率（1/10万） -> 孕产妇死亡率."""
    text = re.sub(r"\s+", "", clean_text(text))
    return re.sub(r"[(（][^()（）]*[)）]$", "", text)


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
        self._by_bare_name = {_bare_name(n): ids[0] for n, ids in names.items() if len(ids) == 1}
        self.plausible = load_plausible_ranges()
        self.age_groups = load_age_groups(catalog=self.catalog)
        self._age_words = {
            (r.indicator_id, _age_word(w)): r.age_group
            for r in self.age_groups.itertuples() for w in (r.age_group, r.label_zh, r.label_en)
        }  # fmt: skip
        unknown = set(self.plausible) - set(self.indicators)
        if unknown:
            raise ValueError(f"{PLAUSIBLE_CSV.name} names indicators not in the catalog: {sorted(unknown)}")

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

    def name_matches(self, indicator, raw: object, expected: str = "") -> tuple[Error, str]:
        """Check the name written beside a code: (error if it names another indicator, warning if unknown)."""
        text = _bare_name(str(raw or ""))
        expected = _bare_name(expected or indicator.name_zh)
        if not text or text == expected:
            return None, ""
        other = self._by_bare_name.get(text)
        if other and other != indicator.indicator_id:
            return (f"the code {indicator.indicator_id} is {expected!r}, but the name {clean_text(str(raw))!r} is "
                    f"{other}", f"correct the code (to {other}) or the name"), ""  # fmt: skip
        return None, (f"the name {clean_text(str(raw))!r} differs from the catalog's {expected!r} for "
                      f"{indicator.indicator_id}: check that the code is the indicator you meant")  # fmt: skip

    def region(self, raw: object) -> tuple[str | None, Error]:
        text = clean_text(str(raw or ""))
        if text in self._regions:
            return text, None
        return None, (f"unknown region {text!r}",
                      "use a name from analysis/catalog/regions.csv, or add the region there")  # fmt: skip

    def year(self, raw: object) -> tuple[int | None, Error]:
        text = clean_text(str(raw or "")).removesuffix("年度").removesuffix("年")  # "2024年" is a year too
        parsed = read_number(text or raw)
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

    def age_group(self, indicator, raw: object) -> tuple[str | None, Error]:
        """An age group of the indicator (analysis/catalog/age_groups.csv), or "" for all ages."""
        text = _age_word(raw)
        if text in ("", "合计", "全部", "全部年龄", "total", "all"):
            return "", None
        name = f"{indicator.indicator_id} {indicator.name_zh}"
        labels = self.age_groups.loc[self.age_groups["indicator_id"] == indicator.indicator_id, "label_zh"].tolist()
        if not labels:
            return None, (f"{name} has no breakdown by age (年龄组 {raw!r}): the report would never read it",
                          "leave 年龄组 empty (all ages), or add the indicator's age groups to "
                          "analysis/catalog/age_groups.csv and 'age' to its breakdowns")  # fmt: skip
        code = self._age_words.get((indicator.indicator_id, text))
        if code is None:
            return None, (f"unknown age group {raw!r} for {name}",
                          f"write one of: {'、'.join(labels)}, or leave 年龄组 empty for all ages")  # fmt: skip
        return code, None

    @staticmethod
    def place(indicator, sex: str, group: str) -> tuple[str, str, str, Error]:
        """Where a value lands given whose statistic the indicator is (catalog ``population``).

        Returns (sex, group, note, error). A statistic of women only typed with 性别=女 or 群体=妇女 is
        the headline itself; a women's share has no sex breakdown; a statistic of everyone is kept
        by sex only where the goal names that breakdown. Anything else would be stored where no
        report reads it, so it is refused with the reason.
        """
        name = f"{indicator.indicator_id} {indicator.name_zh}"
        parts = indicator.breakdowns.split(";")
        women = clean_text(group) in GROUP_WOMEN_WORDS
        if group and not women and "group" not in parts:
            return sex, group, "", (f"{name} has no breakdown by group (群体 {group!r}): the report would never read it",
                                    "give the figure for the whole population with 群体 empty, or leave this row out")  # fmt: skip
        if women:
            if sex == "male":
                return sex, group, "", (f"群体 {group!r} and 性别 男 contradict each other", "correct one of them")
            sex, group = "female", ""
        population = indicator.population
        if population == "women":
            if sex == "male":
                return sex, group, "", (f"{name} is a statistic of women only: it has no value for men",
                                        "check the indicator code, or leave this row out")  # fmt: skip
            if sex == "female":
                return "total", group, f"{name}: 性别=女/群体=妇女 is the indicator itself (a statistic of women only), stored as its value", None  # fmt: skip
            return sex, group, "", None
        if sex != "total" and (population == "women_share" or "sex" not in parts):
            why = ("is the women's share of a group, so a breakdown by sex is meaningless"
                   if population == "women_share" else "has no breakdown by sex in the catalog: the report reads the total only")  # fmt: skip
            fix = "leave 性别 and 群体 empty" if women else "leave 性别 empty"
            return sex, group, "", (f"{name} {why} (性别 {SEX_LABELS[sex]})", fix)
        return sex, group, "", None

    @staticmethod
    def unit(indicator, raw: object) -> Error:
        text = clean_text(str(raw or ""))
        if not text:
            return None
        if UNIT_WORDS.get(text, text) != indicator.unit:
            return (f"unit {text!r} differs from the indicator's unit {indicator.unit!r}",
                    f"convert the figure to {indicator.unit} or leave the unit empty")  # fmt: skip
        return None


def rate_multiplier(indicator) -> float | None:
    """What numerator/denominator is multiplied by to give the value (100 for %)."""
    if not math.isnan(indicator.per):
        return float(indicator.per)
    return RATE_UNITS.get(indicator.unit)


def check_value(indicator, value: float | None, numerator: float | None, denominator: float | None,
                plausible: tuple[float, float, str] | None = None) -> list[tuple[str, str, str]]:  # fmt: skip
    """Problems with one observation's numbers, as (field, message, fix)."""
    problems = []
    lo, hi = indicator.lower_bound, indicator.upper_bound
    if value is not None:
        if (not math.isnan(lo) and value < lo) or (not math.isnan(hi) and value > hi):
            bounds = "–".join("" if math.isnan(b) else f"{b:g}" for b in (lo, hi))
            problems.append(("value", f"{value:g} is outside the possible range {bounds} {indicator.unit}",
                             "check the figure and its unit"))  # fmt: skip
        elif plausible and not plausible[0] <= value <= plausible[1]:
            problems.append(("value", f"{value:g} {indicator.unit} is outside the plausible range "
                             f"{plausible[0]:g}–{plausible[1]:g} ({plausible[2]})",
                             "check the figure for a misplaced decimal point or a wrong unit"
                             + (" (人 or 万人, 元 or 万元)" if indicator.unit in ("人", "元") else "")))  # fmt: skip
        target = indicator.target_value
        if (indicator.unit == "%" and not indicator.small_count and 0 < value < FRACTION_SUSPECT_BELOW
                and (math.isnan(target) or target >= FRACTION_CHECK_MIN_TARGET)):  # fmt: skip
            problems.append(("value", f"{value:g} looks like a fraction, but {indicator.indicator_id} is in %",
                             f"write {value * 100:g} (percent), or format the cell as %"))  # fmt: skip
    if value is not None and indicator.unit in COUNT_UNITS and value != int(value):
        problems.append(("value", f"{value:g} {indicator.unit} is not a whole number: {indicator.indicator_id} counts "
                         "events or persons", f"write the number of {indicator.unit} (a whole number, e.g. "
                         f"{math.floor(value):g} or {math.ceil(value):g}); a rate or an average belongs to another indicator"))  # fmt: skip
    for name, count in (("numerator", numerator), ("denominator", denominator)):
        if count is not None and (count < 0 or count != int(count)):
            problems.append((name, f"{name} {count:g} is not a whole count", "write the number of cases"))
    if numerator is not None and denominator is not None:
        per = rate_multiplier(indicator)
        if denominator == 0:
            problems.append(("denominator", f"the denominator is 0 ({indicator.denominator_zh or 'the base'}): a "
                             "rate of nothing is undefined", "give the real count; if there were no cases in the "
                             "base that year, leave numerator and denominator empty"))  # fmt: skip
        elif numerator > denominator and per is not None:
            problems.append(("numerator", f"numerator {numerator:g} exceeds denominator {denominator:g}",
                             f"check both counts ({indicator.numerator_zh or 'cases'} ≤ {indicator.denominator_zh or 'base'})"))  # fmt: skip
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
