"""Stage 1, catalog: the 纲要 as data: domains, goals (主要目标) and their measurable indicators.

The CSV files beside this module are the catalog; this module reads and checks them.
Each goal names its 牵头单位 (``lead_unit``), 配合单位 (``partner_units``) from the register of
member units (``units.csv``, with the spellings a unit may write) and the 策略措施 of its domain
that serve it (``measure_ids``, from ``measures.csv``).
Each indicator carries its target (kind, value, year, tolerance), which direction is better,
natural bounds, whether it is a rate of small counts (kept as numerator and denominator), and
the breakdowns its goal names. See README.md in this folder for the meaning of every column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

HERE = Path(__file__).parent
DOMAINS_CSV = HERE / "domains.csv"
GOALS_CSV = HERE / "goals.csv"
INDICATORS_CSV = HERE / "indicators.csv"
TARGETS_BY_LEVEL_CSV = HERE / "targets_by_level.csv"
MEASURES_CSV = HERE / "measures.csv"
UNITS_CSV = HERE / "units.csv"
AGE_GROUPS_CSV = HERE / "age_groups.csv"
ELECTIONS_CSV = HERE / "elections.csv"
# Which rows of elections.csv a region's level reads: a district and its towns follow the local
# (Sichuan county and township) calendar; the nation its own. Other levels (province, city) have no
# verified calendar here and fall back to AssessmentConfig.election_years.
ELECTION_LEVEL = {"national": "national", "district": "district", "township": "district"}

# Target kinds, grouped the way the summary and the assessment treat them.
QUANTIFIED_KINDS = ("at_most", "at_least", "about", "keep_at_least")
DIRECTION_KINDS = ("increase", "decrease", "slower_rise")
GAP_KINDS = ("gap_narrowing",)
MONITOR_KINDS = ("monitor",)  # measured, but the outline sets no target (reference values, baselines)
QUALITATIVE_KINDS = ("qualitative",)  # no statistic measures it
TARGET_KINDS = QUANTIFIED_KINDS + DIRECTION_KINDS + GAP_KINDS + MONITOR_KINDS + QUALITATIVE_KINDS

UNITS = ("%", "1/10万", "‰", "岁", "年", "百分点", "人", "万人", "元", "小时", "个", "件", "")
UNIT_EN = {"1/10万": "per 100,000", "岁": "years", "年": "years", "百分点": "pp", "人": "persons",
           "万人": "10,000 persons", "元": "yuan", "小时": "hours", "个": "units", "件": "cases"}  # fmt: skip


def unit_text(unit: str, lang: str = "zh") -> str:
    """A unit as a report in ``lang`` writes it."""
    return UNIT_EN.get(unit, unit) if lang == "en" else unit


def with_unit(number: str, unit: str, lang: str = "zh") -> str:
    """A number with its unit as the outline writes it: 12/10万 (a rate per 1/10万 written after the
    number would read 121/10万), 30%, 81.4岁; in English 12 per 100,000, 30%, 81.4 years."""
    unit = unit if isinstance(unit, str) else ""
    if lang == "en":
        return number + (unit if unit in ("%", "‰") else f" {unit_text(unit, 'en')}" if unit else "")
    return number + (unit[1:] if unit.startswith("1/") else unit)
BETTER = ("higher", "lower", "target", "none")
BREAKDOWNS = ("sex", "urban_rural", "township", "group", "age")
# Which series a target judges: the female breakdown of a statistic kept for both sexes, the
# indicator's own (total) value, the gap between breakdowns, or each township's own value.
JUDGED_ON = ("female", "total", "gap", "township")
# Whose statistic it is: women only (妇女人均预期寿命), the women's share of a group
# (村委会成员中女性比例), or everyone (九年义务教育巩固率, kept by sex where breakdowns say so).
POPULATIONS = ("women", "women_share", "all")
FREQUENCIES = (1, 5, 10)  # years between releases: annual, 5-yearly survey, census
GAP_BETWEEN = ("sex", "urban_rural", "township")

NUMERIC_COLUMNS = (
    "target_value", "target_tolerance", "target_year", "lower_bound", "upper_bound", "per",
    "national_target_value", "measure_no", "frequency_years",
)  # fmt: skip
BOOL_COLUMNS = ("small_count", "proxy", "elected")

# The register of member units (妇儿工委成员单位) the goals name.
UNIT_COLUMNS = ["unit", "unit_en", "short", "aliases", "kind", "outline_names"]
UNIT_KINDS = ("党委部门", "人大机关", "政协机关", "政府部门", "司法机关", "群团组织")
_SPACES = re.compile(r"[\s\u3000]+")
# How a unit may prefix the district's name: 乐山市金口河区卫生健康局, 中共金口河区委组织部 → 区….
_DISTRICT_PREFIX = re.compile(r"^(?:中共)?(?:乐山市)?金口河区")
# A second name in brackets after the unit's own: 区卫生健康局（区中医药管理局）, 区委宣传部(区文明办).
_TRAILING_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")


class CatalogError(ValueError):
    """The catalog files are inconsistent; the message lists every problem found."""


def _goal_schema(domain_codes: dict[str, str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "goal_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}-\d{2}$"), unique=True),
            "domain": pa.Column(str, pa.Check.isin(list(domain_codes))),
            "goal_no": pa.Column(int, pa.Check.in_range(1, 20)),
            "text_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
            "text_en": pa.Column(str, pa.Check.str_length(min_value=2)),
            "lead_unit": pa.Column(str, pa.Check.str_length(min_value=2)),
            "partner_units": pa.Column(str),
            "measure_ids": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{2}-M\d{2}(;[A-Z]{2}-M\d{2})*$")),
            "responsibility_note": pa.Column(str),
        },
        checks=[
            pa.Check(
                lambda g: g["goal_id"]
                == g["domain"].map(domain_codes) + "-" + g["goal_no"].map("{:02d}".format),
                error="goal_id must be <domain code>-<two-digit goal_no>",
            )
        ],
        strict=True,
        ordered=True,
    )


def _indicator_schema() -> pa.DataFrameSchema:
    text = pa.Column(str)
    number = pa.Column(float, nullable=True)
    return pa.DataFrameSchema(
        {
            "indicator_id": pa.Column(
                str, pa.Check.str_matches(r"^[A-Z]{2}-\d{2}-\d+$"), unique=True
            ),
            "goal_id": text,
            "origin": pa.Column(str, pa.Check.isin(["goal", "measure"])),
            "measure_no": number,
            "name_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
            "name_en": pa.Column(str, pa.Check.str_length(min_value=2)),
            "unit": pa.Column(str, pa.Check.isin(list(UNITS))),
            "target_kind": pa.Column(str, pa.Check.isin(list(TARGET_KINDS))),
            "target_value": number,
            "target_tolerance": number,
            "target_reference": text,
            "target_year": number,
            "target_text": text,
            "better": pa.Column(str, pa.Check.isin(list(BETTER))),
            "lower_bound": number,
            "upper_bound": number,
            "small_count": pa.Column(bool),
            "numerator_zh": text,
            "denominator_zh": text,
            "per": number,
            "gap_of": text,
            "gap_between": pa.Column(str, pa.Check.isin(list(GAP_BETWEEN) + [""])),
            "breakdowns": pa.Column(
                str,
                pa.Check(
                    lambda s: s.map(
                        lambda v: all(b in BREAKDOWNS for b in v.split(";") if b)
                    ),
                    error=f"breakdowns: ';'-separated names from {BREAKDOWNS}",
                ),
            ),
            "judged_on": pa.Column(str, pa.Check.isin(list(JUDGED_ON) + [""])),
            "population": pa.Column(str, pa.Check.isin(list(POPULATIONS) + [""])),
            "frequency_years": pa.Column(float, pa.Check.isin(list(FREQUENCIES)), nullable=True),
            "elected": pa.Column(bool),
            "proxy": pa.Column(bool),
            "proxy_note": text,
            "national_target_value": number,
            "national_target_source": text,
            "notes": text,
            "about_side": pa.Column(str, pa.Check.isin(["low", "high", "both", ""])),
        },
        strict=True,
        ordered=True,
    )


def _read(path: Path) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for column in frame.columns:
        frame[column] = frame[column].str.strip()
    for column in NUMERIC_COLUMNS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
    for column in BOOL_COLUMNS:
        if column in frame:
            frame[column] = frame[column].str.lower().map({"true": True, "false": False})
    if "goal_no" in frame:
        frame["goal_no"] = pd.to_numeric(frame["goal_no"], errors="coerce").astype("Int64")
    return frame


def _schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, path: Path) -> list[str]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
        return [
            f"{path.name} line {int(row['index']) + 2 if pd.notna(row['index']) else '-'}, "
            f"column {row['column']}: {row['check']} (found {row['failure_case']!r})"
            for _, row in cases.iterrows()
        ]
    return []


def _relational_problems(goals: pd.DataFrame, indicators: pd.DataFrame) -> list[str]:
    """Rules that tie columns and files together; each names the CSV line to fix."""
    problems = []
    ids = set(indicators["indicator_id"])
    goal_ids = set(goals["goal_id"])
    for i, row in indicators.iterrows():
        where = f"indicators.csv line {i + 2} ({row['indicator_id']})"
        kind = row["target_kind"]

        def need(ok: bool, message: str) -> None:
            if not ok:
                problems.append(f"{where}: {message}")

        need(row["goal_id"] in goal_ids, f"goal_id {row['goal_id']} is not in goals.csv")
        need(row["indicator_id"].startswith(row["goal_id"] + "-"), "id must start with goal_id")
        need((row["origin"] == "measure") == pd.notna(row["measure_no"]),
             "measure_no is set exactly when origin is 'measure'")  # fmt: skip
        has_value = pd.notna(row["target_value"]) or bool(row["target_reference"])
        if kind in QUANTIFIED_KINDS:
            need(has_value, f"a {kind} target needs target_value or target_reference")
            need(row["unit"] != "", "a quantified target needs a unit")
        else:
            need(pd.isna(row["target_value"]), f"a {kind} target has no target_value")
        need(row["about_side"] == "" or kind == "about", "about_side only for 'about' targets")
        need((kind == "about") == pd.notna(row["target_tolerance"]),
             "target_tolerance is set exactly for 'about' targets")  # fmt: skip
        if row["target_reference"]:
            need(row["target_reference"] in ids,
                 f"target_reference {row['target_reference']} is not an indicator")  # fmt: skip
        if kind in QUALITATIVE_KINDS:
            need(row["better"] == "none", "a qualitative goal has better='none'")
            need(row["unit"] == "", "a qualitative goal has no unit")
        elif kind in MONITOR_KINDS:
            need(row["unit"] != "", "a monitored indicator needs a unit")
        else:
            need(pd.notna(row["target_year"]), "target_year is required")
            need(row["better"] != "none", "say which direction is better")
            need(row["target_text"] != "", "target_text quotes the outline's phrase")
        if kind in ("at_most", "decrease", "slower_rise"):
            need(row["better"] == "lower", f"a {kind} target has better='lower'")
        if kind in ("at_least", "keep_at_least", "increase"):
            need(row["better"] == "higher", f"a {kind} target has better='higher'")
        if kind in GAP_KINDS:
            need(row["gap_of"] in ids, f"gap_of {row['gap_of']!r} is not an indicator")
            need(row["gap_between"] != "", "gap_between names the breakdown")
        else:
            need(row["gap_of"] == "" and row["gap_between"] == "",
                 "gap_of/gap_between only for gap_narrowing")  # fmt: skip
        counts = (row["numerator_zh"], row["denominator_zh"], row["per"])
        if row["small_count"]:
            need(all(pd.notna(v) and v != "" for v in counts),
                 "a small-count rate needs numerator_zh, denominator_zh and per")  # fmt: skip
        lo, hi = row["lower_bound"], row["upper_bound"]
        if pd.notna(lo) and pd.notna(hi):
            need(lo < hi, "lower_bound must be below upper_bound")
        if pd.notna(row["target_value"]):
            value = row["target_value"]
            need((pd.isna(lo) or value >= lo) and (pd.isna(hi) or value <= hi),
                 "target_value lies outside the natural bounds")  # fmt: skip
        if row["unit"] == "%":  # a ratio such as a gross enrolment ratio may exceed 100: no upper bound
            need(lo == 0 and (hi == 100 or pd.isna(hi)), "a share in % has bounds 0 and 100 (or no upper bound)")
        measured = kind not in QUALITATIVE_KINDS
        need((row["judged_on"] != "") == measured, "judged_on is set exactly for measured indicators")
        need((row["judged_on"] == "gap") == (kind in GAP_KINDS), "judged_on is 'gap' exactly for gap targets")
        if row["judged_on"] == "township":
            need("township" in row["breakdowns"].split(";"), "judged_on='township' needs a township breakdown")
        if row["judged_on"] == "female":
            need("sex" in row["breakdowns"].split(";") and row["population"] == "all",
                 "judged_on='female' needs a sex breakdown of a statistic of everyone (population='all')")  # fmt: skip
        need((row["population"] != "") == (measured and kind not in GAP_KINDS),
             "population is set exactly for measured indicators that are not gaps")  # fmt: skip
        need(pd.notna(row["frequency_years"]) == measured, "frequency_years is set exactly for measured indicators")
        if row["elected"]:
            need(row["population"] == "women_share", "elected: the women's share of an elected body")
        need(row["proxy"] == (row["proxy_note"] != ""), "proxy_note is set exactly for proxies")
    missing = goal_ids - set(indicators["goal_id"])
    problems += [f"goals.csv: goal {g} has no indicator" for g in sorted(missing)]
    return problems


def split_list(value: str) -> list[str]:
    """A ';'-separated cell as a list (empty cell → [])."""
    return [part.strip() for part in value.split(";") if part.strip()]


def _squeeze_name(name: str) -> str:
    return _SPACES.sub("", name)


def unit_names(units: pd.DataFrame) -> dict[str, str]:
    """Every spelling in the register (canonical name, short name, aliases) → canonical name."""
    names = {}
    for row in units.itertuples():
        for spelling in [row.unit, row.short, *split_list(row.aliases)]:
            names.setdefault(_squeeze_name(spelling), row.unit)
    return names


def canonical_unit(name: str, names: dict[str, str]) -> str | None:
    if not isinstance(name, str):
        return None
    squeezed = _squeeze_name(name)
    if not squeezed:
        return None
    for candidate in (squeezed, _TRAILING_BRACKETS.sub("", squeezed)):
        if not candidate:
            continue
        for spelling in (candidate, _DISTRICT_PREFIX.sub("区", candidate)):
            if spelling in names:
                return names[spelling]
    return None


def _unit_problems(units: pd.DataFrame, path: Path) -> list[str]:
    """The register: one row per unit, a known kind, and no spelling that names two units."""
    if list(units.columns) != UNIT_COLUMNS:
        return [f"{path.name}: columns must be {UNIT_COLUMNS}"]
    problems = []
    owner: dict[str, tuple[str, int]] = {}
    for i, row in units.iterrows():
        where = f"{path.name} line {i + 2} ({row['unit']})"
        if not (row["unit"] and row["short"]):
            problems.append(f"{where}: unit and short are required")
        if row["kind"] not in UNIT_KINDS:
            problems.append(f"{where}: kind must be one of {UNIT_KINDS} (found {row['kind']!r})")
        for spelling in [row["unit"], row["short"], *split_list(row["aliases"])]:
            key = _squeeze_name(spelling)
            if key in owner and owner[key][0] != row["unit"]:
                problems.append(f"{where}: {spelling!r} also names {owner[key][0]} (line {owner[key][1]})")
            owner.setdefault(key, (row["unit"], i + 2))
    if units["unit"].duplicated().any():
        problems.append(f"{path.name}: one row per unit (repeated: {sorted(set(units.loc[units['unit'].duplicated(), 'unit']))})")
    return problems


def _responsibility_problems(goals: pd.DataFrame, units: pd.DataFrame, measures: pd.DataFrame) -> list[str]:
    """Every goal's units are in the register and its measures exist and are of its domain."""
    problems = []
    registered = set(units["unit"])
    measure_domain = dict(zip(measures["measure_id"], measures["domain"]))
    for i, row in goals.iterrows():
        where = f"goals.csv line {i + 2} ({row['goal_id']})"
        if row["lead_unit"] not in registered:
            problems.append(f"{where}: lead_unit {row['lead_unit']!r} is not a unit of units.csv")
        partners = split_list(row["partner_units"])
        for unit in partners:
            if unit not in registered:
                problems.append(f"{where}: partner unit {unit!r} is not a unit of units.csv")
        if row["lead_unit"] in partners:
            problems.append(f"{where}: the lead unit is not also a partner")
        if len(set(partners)) != len(partners):
            problems.append(f"{where}: a partner unit is listed twice")
        ids = split_list(row["measure_ids"])
        if not ids:
            problems.append(f"{where}: measure_ids names at least one 策略措施")
        for measure in ids:
            if measure not in measure_domain:
                problems.append(f"{where}: measure {measure} is not in measures.csv")
            elif measure_domain[measure] != row["domain"]:
                problems.append(f"{where}: measure {measure} is of domain {measure_domain[measure]}, not {row['domain']}")
    return problems


@dataclass(frozen=True)
class Catalog:
    """Domains, goals and indicators of the outline, checked against their schema."""

    domains: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    units: pd.DataFrame

    @cached_property
    def _unit_names(self) -> dict[str, str]:
        return unit_names(self.units)

    def canonical_unit(self, name: str) -> str | None:
        """The register's name of a unit as a member unit may write it (区卫健局 → 区卫生健康局); None if unknown.

        Spaces (also full-width) are ignored, 金口河区 / 乐山市金口河区 / 中共金口河区 before a name is
        read as 区, and a second name in brackets after it (区卫生健康局（区中医药管理局）) is dropped.
        """
        return canonical_unit(name, self._unit_names)

    def unit_of(self, goal_id: str) -> str:
        """The 牵头单位 of a goal (``goals.csv`` column ``lead_unit``)."""
        match = self.goals.loc[self.goals["goal_id"] == goal_id, "lead_unit"]
        if match.empty:
            raise KeyError(f"unknown goal {goal_id!r}; see analysis/catalog/goals.csv")
        return match.iloc[0]

    def partners_of(self, goal_id: str) -> list[str]:
        """The 配合单位 of a goal, in the order ``goals.csv`` lists them."""
        self.unit_of(goal_id)  # raises for an unknown goal
        value = self.goals.loc[self.goals["goal_id"] == goal_id, "partner_units"].iloc[0]
        return split_list(value)

    def measures_of(self, goal_id: str) -> list[str]:
        """The 策略措施 (``measures.csv`` ids) that serve a goal."""
        self.unit_of(goal_id)
        return split_list(self.goals.loc[self.goals["goal_id"] == goal_id, "measure_ids"].iloc[0])

    def indicator(self, indicator_id: str) -> pd.Series:
        match = self.indicators.loc[self.indicators["indicator_id"] == indicator_id]
        if match.empty:
            raise KeyError(f"unknown indicator {indicator_id!r}; see analysis/catalog/indicators.csv")
        return match.iloc[0]

    def domain_indicators(self, domain: str) -> pd.DataFrame:
        goals = self.goals.loc[self.goals["domain"] == domain, "goal_id"]
        return self.indicators.loc[self.indicators["goal_id"].isin(goals)]

    @cached_property
    def counts(self) -> dict[str, int]:
        kind = self.indicators["target_kind"]
        return {
            "domains": len(self.domains),
            "goals": len(self.goals),
            "indicators": len(self.indicators),
            "quantified": int(kind.isin(QUANTIFIED_KINDS).sum()),
            "direction_only": int(kind.isin(DIRECTION_KINDS + GAP_KINDS).sum()),
            "monitored": int(kind.isin(MONITOR_KINDS).sum()),
            "qualitative": int(kind.isin(QUALITATIVE_KINDS).sum()),
            "proxies": int(self.indicators["proxy"].sum()),
            "small_count": int(self.indicators["small_count"].sum()),
        }

    def summary(self) -> str:
        c = self.counts
        return (
            f"纲要指标目录 catalog: {c['domains']} domains, {c['goals']} goals, "
            f"{c['indicators']} indicators ({c['quantified']} quantified, "
            f"{c['direction_only']} direction-only, {c['monitored']} monitored without target, "
            f"{c['qualitative']} qualitative; "
            f"{c['proxies']} proxies, {c['small_count']} small-count rates)"
        )

    def __str__(self) -> str:
        return self.summary()


def load_catalog(
    domains_csv: Path = DOMAINS_CSV,
    goals_csv: Path = GOALS_CSV,
    indicators_csv: Path = INDICATORS_CSV,
    units_csv: Path = UNITS_CSV,
    measures_csv: Path = MEASURES_CSV,
) -> Catalog:
    """Read the catalog files and check them; raise CatalogError listing every problem.

    Besides each file's own rules: every goal's lead and partner units are in the units
    register, and every measure a goal names exists and is of the goal's domain.
    """
    domains = _read(domains_csv)
    goals = _read(goals_csv)
    indicators = _read(indicators_csv)
    units = _read(units_csv)
    measures = _read(measures_csv)
    codes = dict(zip(domains["domain"], domains["code"]))
    problems = _schema_problems(_goal_schema(codes), goals, goals_csv)
    problems += _schema_problems(_indicator_schema(), indicators, indicators_csv)
    problems += _unit_problems(units, units_csv)
    if not problems:
        problems = _relational_problems(goals, indicators)
        problems += _responsibility_problems(goals, units, measures)
    if problems:
        raise CatalogError("catalog check failed:\n  " + "\n  ".join(problems))
    order = {d: i for i, d in enumerate(domains["domain"])}
    goals = goals.sort_values(["domain", "goal_no"], key=lambda s: s.map(order) if s.name == "domain" else s)
    return Catalog(domains.reset_index(drop=True), goals.reset_index(drop=True), indicators,
                   units.reset_index(drop=True))


CATALOG: Catalog = load_catalog()


# --- Higher levels' targets and the outline's measures (mid-term evaluation) -------------------

LEVELS = ("全国", "四川省", "乐山市")
TARGET_LEVEL_COLUMNS = ["indicator_id", "level", "target_kind", "target_value", "target_year", "target_text",
                        "source", "source_url", "quote", "note"]  # fmt: skip


_NUMBER = re.compile(r"(?<![\d./])\d+(?:\.\d+)?(?![\d.])")  # not the 10 of "/10万"


def numbers_in(text: str) -> list[float]:
    """The numbers a text states, each whole: "12/10万以下" -> [12] (the 10 of a unit "/10万" is no figure); "99。9%" (a reprint's full stop
    for the decimal point) -> [99.9]; full-width digits read as digits; "1,200" -> [1200]."""
    text = unicodedata.normalize("NFKC", str(text))
    text = re.sub(r"(?<=\d)[。．](?=\d)", ".", text)
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)
    return [float(n) for n in _NUMBER.findall(text)]


def states_number(text: str, value: float) -> bool:
    """Whether ``text`` states ``value`` as a number of its own: 2 is not found in "12" nor in "2.5"."""
    return any(abs(n - float(value)) < 1e-9 for n in numbers_in(text))


def load_targets_by_level(path: Path = TARGETS_BY_LEVEL_CSV, catalog: Catalog | None = None) -> pd.DataFrame:
    """The national and provincial outlines' 2021–2030 targets for catalog indicators, each with its quote.

    Only targets verified on a published page are rows; an indicator without a row has no verified
    higher-level target. Raises CatalogError naming the line for an unknown indicator or level, a
    target kind the catalog does not know, a missing source, or a value that the quote does not state.
    """
    catalog = catalog or CATALOG
    frame = _read(path)
    problems = []
    if list(frame.columns) != TARGET_LEVEL_COLUMNS:
        raise CatalogError(f"{path.name}: columns must be {TARGET_LEVEL_COLUMNS}")
    frame["target_value"] = pd.to_numeric(frame["target_value"].replace("", None), errors="coerce")
    frame["target_year"] = pd.to_numeric(frame["target_year"], errors="coerce").astype("Int64")
    ids = set(catalog.indicators["indicator_id"])
    for i, row in frame.iterrows():
        where = f"{path.name} line {i + 2} ({row['indicator_id']} {row['level']})"
        if row["indicator_id"] not in ids:
            problems.append(f"{where}: not a catalog indicator")
        if row["level"] not in LEVELS:
            problems.append(f"{where}: level must be one of {LEVELS}")
        if row["target_kind"] not in TARGET_KINDS:
            problems.append(f"{where}: unknown target_kind {row['target_kind']!r}")
        if not (row["source"] and row["source_url"] and row["quote"]):
            problems.append(f"{where}: source, source_url and quote are required")
        if pd.notna(row["target_value"]) and not states_number(row["quote"], row["target_value"]):
            problems.append(f"{where}, column target_value: the quote does not state {row['target_value']:g} as a "
                            f"number (2 is not found in 12) → copy the sentence stating the target, or correct "
                            "target_value")
    if frame.duplicated(["indicator_id", "level"]).any():
        problems.append(f"{path.name}: one row per indicator and level")
    if problems:
        raise CatalogError("targets by level check failed:\n  " + "\n  ".join(problems))
    return frame.reset_index(drop=True)


# --- Age groups (分年龄) --------------------------------------------------------------------------

AGE_GROUP_COLUMNS = ["indicator_id", "age_group", "label_zh", "label_en", "why"]


def load_age_groups(path: Path = AGE_GROUPS_CSV, catalog: Catalog | None = None) -> pd.DataFrame:
    """The age groups of each indicator whose ``breakdowns`` has ``age``, in the order a table shows them.

    Raises CatalogError naming the line when an indicator has age rows without an ``age``
    breakdown (or the reverse), an age group repeats, or a label is missing.
    """
    catalog = catalog or CATALOG
    frame = _read(path)
    if list(frame.columns) != AGE_GROUP_COLUMNS:
        raise CatalogError(f"{path.name}: columns must be {AGE_GROUP_COLUMNS}")
    with_age = {r.indicator_id for r in catalog.indicators.itertuples() if "age" in r.breakdowns.split(";")}
    problems = []
    for i, row in frame.iterrows():
        where = f"{path.name} line {i + 2} ({row['indicator_id']} {row['age_group']})"
        if row["indicator_id"] not in with_age:
            problems.append(f"{where}: the indicator has no 'age' in its breakdowns (indicators.csv)")
        if not (row["age_group"] and row["label_zh"] and row["label_en"]):
            problems.append(f"{where}: age_group, label_zh and label_en are required")
    problems += [f"{path.name}: {i} has 'age' in its breakdowns but fewer than two age groups here"
                 for i in sorted(with_age) if (frame["indicator_id"] == i).sum() < 2]  # fmt: skip
    if frame.duplicated(["indicator_id", "age_group"]).any():
        problems.append(f"{path.name}: one row per indicator and age group")
    if problems:
        raise CatalogError("age groups check failed:\n  " + "\n  ".join(problems))
    return frame.reset_index(drop=True)


def load_elections(path: Path = ELECTIONS_CSV) -> pd.DataFrame:
    """Election (换届) years per level and elected body, with the source of each (elections.csv).

    One row per level and body; ``indicators`` lists the catalog indicators of that body
    (';'-separated), ``years`` the election years (';'-separated, increasing), ``source`` the law or
    notice they rest on.
    """
    frame = _read(path)
    problems = []
    known = set(CATALOG_INDICATOR_IDS()) if path == ELECTIONS_CSV else None
    for i, row in frame.iterrows():
        where = f"{path.name} line {i + 2}"
        years = [y for y in row["years"].split(";") if y]
        if not years or not all(y.isdigit() for y in years) or years != sorted(years):
            problems.append(f"{where}: years must be increasing whole years separated by ';'")
        if row["level"] not in set(ELECTION_LEVEL.values()):
            problems.append(f"{where}: level must be one of {sorted(set(ELECTION_LEVEL.values()))}")
        if not row["source"]:
            problems.append(f"{where}: every calendar needs its source")
        if known is not None:
            problems += [f"{where}: unknown indicator {x}" for x in row["indicators"].split(";") if x and x not in known]
    if problems:
        raise CatalogError("\n".join(problems))
    return frame


def election_calendar(path: Path = ELECTIONS_CSV) -> dict[tuple[str, str], tuple[int, ...]]:
    """(level, indicator_id) → election years, from elections.csv."""
    out = {}
    for row in load_elections(path).itertuples():
        years = tuple(int(y) for y in row.years.split(";") if y)
        for indicator in (x for x in row.indicators.split(";") if x):
            out[(row.level, indicator)] = years
    return out


def election_years_for(indicator_id: str, region_level: str | None,
                       calendar: dict | None = None) -> tuple[int, ...] | None:  # fmt: skip
    """The 换届 years of an elected indicator's body at a region's level (None: not listed)."""
    level = ELECTION_LEVEL.get(region_level or "")
    if level is None:
        return None
    return (calendar if calendar is not None else election_calendar()).get((level, indicator_id))


def CATALOG_INDICATOR_IDS() -> list[str]:
    return list(_read(INDICATORS_CSV)["indicator_id"])
