"""A SYNTHETIC district example (合成示例数据), so that every feature runs before real data arrive.

NOTHING HERE IS A STATISTIC. Real figures for 金口河区 are not public; ``generate()`` invents a
plausible-looking long table for 2015–2025 from a seed, in the format ``analysis.data.longtable``
reads. Every row says ``synthetic=true`` and names this module and the seed as its source, and
the file it is written to (``scripts/make_synthetic_example.py`` →
``data/raw/synthetic/jinkouhe_synthetic_example.csv``) has "synthetic" in its name, so the
ingest keeps it apart from real data. Do not quote these numbers as facts about the district.

What is generated
-----------------
Every catalog indicator that has a statistic (not ``qualitative``) and is not a gap
(``gap_narrowing`` gaps are computed later from the breakdowns). The headline row is for
金口河区; breakdown rows are written where the catalog's ``breakdowns`` names them: 女/男 for
``sex``, 城镇/农村 for ``urban_rural``, one row per town (the regions whose parent is 金口河区)
for ``township``, and 女/男 within each age group of ``analysis/catalog/age_groups.csv`` for
``age`` (column ``age_group``; offsets per group in ``Trend.ages``: the young have more years of
schooling, people of 60 and over the highest pension coverage; the age rows are not weighted to
add up to the all-ages value). Indicators without a dedicated generator get town and urban/rural
rows around the total, assumed worse in rural areas and in the 民族乡 (``RURAL_DISADVANTAGE``,
``ETHNIC_DISADVANTAGE``); counts are split so that the parts add up to the total.

Scale. About 350 live births a year (≈400 in 2015–2017 after the two-child policy, ≈300 by 2025),
split across towns by an assumed population share and fertility, and within towns into urban
and rural births (``TOWN_PROFILE``; assumptions for the example, not census figures). Rates of
rare events (catalog ``small_count=true``) are written as integer numerator and denominator with
the value EMPTY (the ingest computes it): maternal deaths per live births, HIV/HBV mother-to-child
transmission among exposed births, congenital syphilis, treatment of the few cervical-cancer
patients and infected pregnant women, occupational disease among ~3,500 female employees. Town
and urban/rural counts are drawn per town × urban/rural cell and summed, so the district
numerator and denominator are the sums over towns, and 城镇 + 农村 = total.

Shares (%) move on the logit scale: a piecewise-linear path through anchor values plus AR(1)
noise, so they never leave 0–100. Shares of small bodies (村委会 ~40 members, 社区居委会 ~15,
乡镇领导班子 ~66, 5 community directors, 13 village heads …) are integer counts of women out of
the body size, redrawn at elections (people's congresses and Party congresses 2016, 2021; village
and community committees 2014, 2017, 2021) with a little turnover in between, then written as a
% with one decimal: they move in steps, like real data. The row's note gives the count (``9/40``).
Counts (人, 件, 个) are integers, 元 whole yuan, 岁/年 one decimal, 小时 two.

Which indicator shows which feature (default seed 20211001; other seeds differ in detail)
-----------------------------------------------------------------------------------------
- approaching their targets, on track for 2030 but not there by 2025: ED-05-1 高中毛入学率
  (keep ≥95; women 85 → 94.6), EC-04-2 高级职称女性比例 (≥40; 32 → 39.3), SS-04-1 养老保险参保率
  (≥95; women 86 → 94), EC-03-1 城镇单位女性比例 (≈40 ± 2; 35 → 39, in the band in 2020 and from
  2023), DM-07-5 职代会女代表 (relative target: closes on DM-07-4 女职工比例, passes it in 2025).
- target reached before 2025: HE-02-4 孕产妇系统管理率 (≥90 from 2021), HE-05-4 孕产妇三病检测率
  (≥98 from 2018), ED-04-1 义务教育巩固率 (women ≥96 from 2017), EN-06-1 农村自来水普及率 (≥90
  from 2022), SS-08-3 智慧养老 (1 from 2023), SS-08-4 特困供养设施 (1 throughout), DM-09-4
  社区居委会主任 (1 of 5 → 2 of 5 = 40 % at the 2021 election), SS-08-2 养老综合体 (per town:
  four of six towns have one by 2025, two have none).
- clearly off track: HE-03-1 宫颈癌筛查率 stuck at 43–50 % (≥70), HE-03-4 35—45岁高效筛查
  18–30 % (≥70; the series starts in 2018), EC-04-3 持证技能劳动者女性比例 27–30 % (≈40 ± 2),
  DM-08-3 村委会女性成员 (≥30) 5–8 of 39–40 members, 12.5–20.5 %, in steps.
- about-target oscillating around its value: EC-02-1 就业人员女性比例 (45 ± 2) between 42.7 and
  47.7, in and out of the band; DM-09-3 社区居委会女性成员 (50 ± 2) 40–50 % in steps of 1/15, 1/16.
- large year-to-year swings: HE-03-2 乳腺癌筛查率 (campaigns in even years: 15, 30, 17, 37 …).
- gaps (missing years): HE-08-1 育龄妇女贫血患病率 (no survey in 2016, 2019, 2021, 2022).
- stale (no values after 2021): HE-03-3 两癌防治知识知晓率 (≥90; 77.5 in 2021).
- reaches its target, then slips back: SS-03-1 基本医疗保险参保率 (keep ≥98): women ≥98 in
  2018–2022, 97.5, 97.0, 96.9 in 2023–2025.
- sex gaps: ED-07-2 公民科学素质 narrows (male − female, ED-07-3: 3.9 → 1.8 points); EC-05-1
  劳动收入 widens (EC-05-2, (male − female)/male: 17 % → 24 %); FA-07-1 家务劳动时间 barely moves
  (female − male ≈ 1.9 hours throughout).
- rare events: HE-02-1 孕产妇死亡 0 in 9 of 11 years, 1 in 2015 and in 2018 (both rural births,
  one in 永胜乡, one in 永和镇), so the urban-rural and between-town gaps (HE-02-2, HE-02-3) rest on
  two deaths; HE-05-1 艾滋病母婴传播 1–5 exposed births a year, one transmission in 2021 and one
  in 2023 (1/4, 1/2), 0 otherwise; HE-03-5 and HE-05-5 have denominators of 1–8 patients.
- relative targets: DM-02-2 区党代会女代表 (19.3 %) below the share of women among Party members
  (DM-02-1, 24–26 %) in the 2016 term, above it (30.6 % vs 26.5–28.5 %) from the 2021 congress;
  DM-02-3 per town: below in most towns before 2021; from 2021 above in four towns, below in
  和平彝族乡 and 吉星乡.
- small bodies moving in steps, with spells that look like setbacks: DM-04-2 乡镇正职 (0 of 12
  in 2019–2024), DM-08-2/DM-08-4 (13 villages), DM-09-2 (5 communities), EN-06-2 (8 water sources).
- monitor indicators with a shape: HE-06-2 焦虑障碍 rises ever more slowly (the outline's
  上升趋势减缓), HE-06-3 抑郁症 rises steadily; LA-04-1 家庭暴力警情 rises with Poisson noise.
Indicators added to the catalog later get a generic path from their unit and target kind.

Randomness: each indicator draws from its own ``numpy.random.default_rng((seed, crc32(id)))``, and
the births shared by several rates from ``(seed, crc32("births"))``, so adding an indicator to the
catalog does not change the others' numbers, and the same seed always gives the same frame.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis import CATALOG
from analysis.catalog import load_age_groups
from analysis.data.vocabulary import ethnic_townships, load_regions

DEFAULT_SEED = 20211001
COLUMNS = ("indicator_id", "region", "year", "sex", "urban_rural", "age_group", "value", "numerator",
           "denominator", "unit", "source", "note", "synthetic")  # fmt: skip
SOURCE = "合成示例数据 synthetic example (scripts/synthetic/district.py, seed={seed})"
FEMALE, MALE, URBAN, RURAL = "女", "男", "城镇", "农村"

# Decimals written per unit; the units in COUNT_UNITS are whole numbers.
DECIMALS = {"%": 1, "‰": 1, "1/10万": 1, "岁": 1, "年": 1, "百分点": 1, "万人": 1, "小时": 2}
COUNT_UNITS = ("人", "件", "个", "元")

# Assumed, not census figures: (share of the district's population, share living in towns'
# urban areas, fertility relative to the district). Towns missing here get an average profile.
TOWN_PROFILE = {
    "永和镇": (0.36, 0.72, 0.95),
    "金河镇": (0.22, 0.42, 0.95),
    "和平彝族乡": (0.12, 0.06, 1.30),
    "共安彝族乡": (0.11, 0.05, 1.30),
    "吉星乡": (0.10, 0.05, 1.10),
    "永胜乡": (0.09, 0.05, 1.10),
}
YI_TOWNS_RISK = 1.4  # assumed excess risk of maternal death in the remote Yi townships
RURAL_RISK = 1.5
RURAL_FERTILITY = 1.15
# Generic town and urban/rural rows: how much worse (in the direction of ``better``) rural areas
# and the 民族乡 (regions.csv ``ethnic_township``) are assumed to be, on the logit scale for
# shares and as a proportion for levels. Assumptions for the example, not findings.
RURAL_DISADVANTAGE = 0.25
ETHNIC_DISADVANTAGE = 0.35
# Expected live births in the district (two-child policy bump 2016–2017, then decline).
BIRTHS = {2015: 400, 2016: 425, 2017: 420, 2018: 385, 2019: 360, 2020: 335, 2021: 320, 2022: 305,
          2023: 295, 2024: 300, 2025: 290}  # fmt: skip
CONGRESS = (2006, 2011, 2016, 2021, 2026, 2031)  # people's congresses, Party congresses, CPPCC
VILLAGE = (2008, 2011, 2014, 2017, 2021, 2026, 2031)  # village and community committees

# What a row illustrates (the note column).
REACHED = "提前达标 target reached"
APPROACH = "接近目标 approaching target"
OFF = "偏离目标 off track"
ABOUT = "围绕目标值波动 oscillates about target"
SWINGS = "年度波动大 large swings"
GAPS = "缺年 missing years"
STALE = "数据陈旧 stale after 2021"
SLIPS = "达标后回落 reached then slipped"
NARROWS = "性别差距缩小 sex gap narrows"
WIDENS = "性别差距扩大 sex gap widens"
RARE = "小数计数 rare events"
RELATIVE = "相对目标 relative target"


@dataclass(frozen=True)
class Trend:
    """A path through anchor values plus AR(1) noise, for a share, a level or a count.

    ``scale``: ``logit`` (shares; noise in logit units), ``linear`` (noise in the unit), ``log``
    (noise as a proportion; counts rounded) or ``poisson`` (a Poisson count around the path).
    """

    anchors: dict[int, float]
    sd: float = 0.05
    scale: str = "logit"
    male: dict[int, float] | None = None  # men's anchors, for indicators broken down by sex
    female_weight: float = 0.5  # women's weight in the total of a sex breakdown
    phi: float = 0.5  # AR(1) coefficient; negative makes the series zig-zag
    swing: float = 0.0  # +swing in even years, -swing in odd years (campaign years)
    first: int | None = None  # the series starts in this year
    last: int | None = None  # no values after this year
    missing: tuple[int, ...] = ()
    note: str = ""
    # age group -> offset from the sex's path (logit units for shares, the unit for linear
    # levels), for indicators with an ``age`` breakdown; rows by sex within each age group.
    ages: dict[str, float] | None = None


@dataclass(frozen=True)
class Body:
    """Women among the members of a small body: integer counts, redrawn at elections."""

    size: int | dict[int, int]  # members; a dict gives the size from each year on
    share: dict[int, float]  # the % of women the body tends to at an election or appointment
    elections: tuple[int, ...] = ()  # years the whole body is elected; none: appointed
    turnover: float = 0.1  # share of seats that change hands in a year without an election
    sd: float = 1.0  # noise (in members) of the count of women at an election
    note: str = ""


@dataclass
class Context:
    seed: int
    years: list[int]
    district: str
    towns: list[str]
    ethnic: list[str]
    profile: dict[str, tuple[float, float, float]]
    births: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict)  # year → cell → n
    hiv_mothers: dict[int, int] = field(default_factory=dict)
    party: dict[int, dict[str, tuple[int, int]]] = field(default_factory=dict)  # women, members
    employees_share: dict[int, float] = field(default_factory=dict)

    def rng(self, key: str) -> np.random.Generator:
        return np.random.default_rng((self.seed, zlib.crc32(key.encode("utf-8"))))

    def births_in(self, year: int, town: str | None = None, area: str | None = None) -> int:
        return sum(n for (t, a), n in self.births[year].items()
                   if (town is None or t == town) and (area is None or a == area))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# paths


def _interp(years, anchors: dict[int, float], transform=lambda x: x) -> np.ndarray:
    """Piecewise-linear through the anchors (on the transformed scale), flat beyond them."""
    xs = sorted(anchors)
    return np.interp(years, xs, [transform(anchors[x]) for x in xs])


def _logit(percent: float) -> float:
    p = min(max(percent / 100, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _expit(z):
    return 100 / (1 + np.exp(-np.asarray(z, dtype=float)))


def _ar1(rng: np.random.Generator, n: int, sd: float, phi: float) -> np.ndarray:
    """Stationary AR(1) noise with standard deviation ``sd``."""
    z = rng.standard_normal(n)
    out = np.empty(n)
    out[0] = sd * z[0]
    for i in range(1, n):
        out[i] = phi * out[i - 1] + math.sqrt(1 - phi**2) * sd * z[i]
    return out


def _path(rng: np.random.Generator, years: list[int], anchors: dict[int, float], spec: Trend
          ) -> np.ndarray:  # fmt: skip
    noise = _ar1(rng, len(years), spec.sd, spec.phi)
    swing = np.array([spec.swing if y % 2 == 0 else -spec.swing for y in years])
    if spec.scale == "logit":
        return _expit(_interp(years, anchors, _logit) + noise + swing)
    if spec.scale == "linear":
        return _interp(years, anchors) + noise + swing
    mean = np.exp(_interp(years, anchors, math.log) + noise + swing)
    return rng.poisson(mean).astype(float) if spec.scale == "poisson" else np.round(mean)


def _round(value: float, unit: str) -> float:
    return float(round(value)) if unit in COUNT_UNITS else round(float(value), DECIMALS.get(unit, 1))


# ---------------------------------------------------------------------------------------------
# rows


class Rows:
    """Collects the rows of one indicator."""

    def __init__(self, ctx: Context, ind, note: str = ""):
        self.ctx, self.ind, self.note, self.rows = ctx, ind, note, []

    def add(self, year: int, value: float | None = None, numerator: int | None = None,
            denominator: int | None = None, region: str | None = None, sex: str = "",
            urban_rural: str = "", note: str = "", age_group: str = "") -> None:  # fmt: skip
        self.rows.append({
            "indicator_id": self.ind.indicator_id, "region": region or self.ctx.district,
            "year": int(year), "sex": sex, "urban_rural": urban_rural, "age_group": age_group,
            "value": math.nan if value is None else _round(value, self.ind.unit),
            "numerator": numerator, "denominator": denominator, "unit": self.ind.unit,
            "source": SOURCE.format(seed=self.ctx.seed),
            "note": "; ".join(n for n in (self.note, note) if n), "synthetic": "true",
        })  # fmt: skip


def _breakdowns(ind) -> set[str]:
    return {b for b in ind.breakdowns.split(";") if b}


def _trend(ctx: Context, ind, rng: np.random.Generator, spec: Trend) -> list[dict]:
    rows = Rows(ctx, ind, spec.note)
    years = ctx.years
    keep = [(spec.first is None or y >= spec.first) and (spec.last is None or y <= spec.last)
            and y not in spec.missing for y in years]  # fmt: skip
    breakdowns = _breakdowns(ind)
    is_count = spec.scale in ("poisson",) or ind.unit in ("人", "件", "个")
    female = _path(rng, years, spec.anchors, spec)
    base, male = female, None  # base: the total's path, which town and urban/rural rows vary around
    if "sex" in breakdowns:
        male_anchors = spec.male or {y: v * (0.9 if ind.better == "higher" else 1.1)
                                     for y, v in spec.anchors.items()}  # fmt: skip
        male = _path(rng, years, male_anchors, spec)
        if spec.scale == "logit":
            male = np.clip(male, 0, 100)
        w = spec.female_weight
        base = female + male if is_count else w * female + (1 - w) * male
        for i, y in enumerate(years):
            if not keep[i]:
                continue
            f, m = _round(female[i], ind.unit), _round(male[i], ind.unit)
            total = f + m if is_count else w * female[i] + (1 - w) * male[i]
            rows.add(y, total)
            rows.add(y, f, sex=FEMALE)
            rows.add(y, m, sex=MALE)
    else:
        for i, y in enumerate(years):
            if keep[i]:
                rows.add(y, female[i])
    # Generic town and urban/rural rows (used only by indicators without a dedicated generator):
    # counts split so the parts add up to the total; shares and levels around the total, worse in
    # rural areas and in the 民族乡 (RURAL_DISADVANTAGE, ETHNIC_DISADVANTAGE).
    sign = -1.0 if ind.better == "higher" else 1.0
    kinds = []
    if "township" in breakdowns:
        kinds.append([(t, "", ctx.profile[t][0], ETHNIC_DISADVANTAGE if t in ctx.ethnic else 0.0) for t in ctx.towns])
    if "urban_rural" in breakdowns:
        urban = sum(p[0] * p[1] for p in ctx.profile.values())
        kinds.append([(None, URBAN, urban, 0.0), (None, RURAL, 1 - urban, RURAL_DISADVANTAGE)])
    for groups in kinds:
        weights = np.array([g[2] for g in groups])
        raw = np.array([rng.normal(0, 0.08) + sign * worse for *_, worse in groups])
        offsets = raw - np.average(raw, weights=weights)  # the parts lie around the total, not all below it
        for i, y in enumerate(years):
            if not keep[i]:
                continue
            if is_count:
                split = rng.multinomial(int(round(base[i])), weights / weights.sum())
            for k, (region, area, _, _) in enumerate(groups):
                if is_count:
                    value = float(split[k])
                elif spec.scale == "logit":
                    value = float(_expit(_logit(base[i]) + offsets[k] + rng.normal(0, spec.sd)))
                else:
                    value = base[i] * math.exp(offsets[k] / 3 + rng.normal(0, spec.sd))
                rows.add(y, value, region=region, urban_rural=area)
    if "age" in breakdowns:
        rows.rows += _age_rows(ctx, ind, rng, spec, years, keep, female, male)
    return rows.rows


def _age_rows(ctx, ind, rng, spec: Trend, years, keep, female, male) -> list[dict]:
    """Rows by sex within each age group: the sex's path moved by the group's offset (``Trend.ages``),
    plus noise. Not weighted to add up to the all-ages value (no age structure is assumed)."""
    rows = Rows(ctx, ind, spec.note)
    groups = load_age_groups().query("indicator_id == @ind.indicator_id")["age_group"]
    offsets = spec.ages or {}
    for age in groups:
        for sex, path in ((FEMALE, female), (MALE, male)) if male is not None else (("", female),):
            shift = offsets.get(age, 0.0)
            for i, y in enumerate(years):
                if not keep[i]:
                    continue
                noise = rng.normal(0, spec.sd)
                if spec.scale == "logit":
                    value = float(_expit(_logit(path[i]) + shift + noise))
                else:
                    value = path[i] + shift + noise
                rows.add(y, value, sex=sex, age_group=age)
    return rows.rows


def _body_counts(rng: np.random.Generator, years: list[int], spec: Body,
                 share: Callable[[int], float] | None = None) -> list[tuple[int, int]]:  # fmt: skip
    """(women, members) per year."""

    def size_at(year: int) -> int:
        if isinstance(spec.size, int):
            return spec.size
        return next((spec.size[y] for y in sorted(spec.size, reverse=True) if y <= year),
                    spec.size[min(spec.size)])  # fmt: skip

    def elect(n: int, p: float) -> int:
        return int(np.clip(round(n * p + rng.normal(0, spec.sd)), 0, n))

    share = share or (lambda y: float(_interp([y], spec.share)[0]) / 100)
    out, k, n = [], None, None
    for y in years:
        if k is None or y in spec.elections:
            past = [e for e in spec.elections if e <= y]  # a series starts mid-term
            n = size_at(past[-1] if past else y)
            k = elect(n, share(y))
        else:
            p = share(y)
            new = size_at(y)
            if new != n:  # appointed bodies grow or shrink between years
                if new > n:
                    k += rng.binomial(new - n, p)
                else:
                    k -= rng.hypergeometric(k, n - k, n - new)
                n = new
            # Seats that change hands are refilled with about the intended share of women
            # (candidate lists are managed), so the count drifts towards n × p.
            r = rng.binomial(n, spec.turnover)
            leaving = rng.hypergeometric(k, n - k, r) if r else 0
            entering = int(np.clip(round(r * p + rng.normal(0, spec.sd)), 0, r)) if r else 0
            k = int(np.clip(k - leaving + entering, 0, n))
        out.append((k, n))
    return out


def _body(ctx: Context, ind, rng: np.random.Generator, spec: Body) -> list[dict]:
    rows = Rows(ctx, ind, spec.note)
    for y, (k, n) in zip(ctx.years, _body_counts(rng, ctx.years, spec)):
        rows.add(y, 100 * k / n, numerator=k, denominator=n, note=f"{k}/{n}")  # seats: women of members
    return rows.rows


# ---------------------------------------------------------------------------------------------
# the shared populations: births, HIV-infected mothers, Party members, employees


def _populations(ctx: Context) -> None:
    rng = ctx.rng("births")
    cells, weights = [], []
    for town in ctx.towns:
        pop, urban, fertility = ctx.profile[town]
        cells += [(town, URBAN), (town, RURAL)]
        weights += [pop * urban * fertility, pop * (1 - urban) * fertility * RURAL_FERTILITY]
    weights = np.array(weights) / sum(weights)
    expected = _interp(ctx.years, BIRTHS)
    for y, mean in zip(ctx.years, expected):
        split = rng.multinomial(rng.poisson(mean), weights)
        ctx.births[y] = {cell: int(n) for cell, n in zip(cells, split)}

    rng = ctx.rng("hiv-mothers")
    for y, mean in zip(ctx.years, _interp(ctx.years, {2015: 2.6, 2025: 1.8})):
        ctx.hiv_mothers[y] = 1 + int(rng.poisson(mean))

    rng = ctx.rng("party-members")
    offsets = {t: rng.normal(0, 0.12) + (0.12 if t == "永和镇" else 0) for t in ctx.towns}
    base = _interp(ctx.years, {2015: 22.0, 2025: 26.8}, _logit)
    for i, y in enumerate(ctx.years):
        ctx.party[y] = {}
        for town in ctx.towns:
            members = round(2600 * ctx.profile[town][0] * (1 + 0.012 * (y - 2015)))
            share = float(_expit(base[i] + offsets[town] + rng.normal(0, 0.015))) / 100
            ctx.party[y][town] = (round(members * share), members)

    rng = ctx.rng("employees")
    path = _interp(ctx.years, {2015: 40.6, 2025: 43.0}, _logit) + _ar1(rng, len(ctx.years), 0.02, 0.6)
    ctx.employees_share = dict(zip(ctx.years, (float(v) for v in _expit(path))))


# ---------------------------------------------------------------------------------------------
# dedicated generators


def _birth_events(ctx, ind, rng, rate: dict[int, float], note: str = RARE) -> list[dict]:
    """Events among live births (per 100,000), drawn per town × urban/rural cell and summed."""
    rows = Rows(ctx, ind, note)
    breakdowns = _breakdowns(ind)
    rate_per = float(ind.per) if not math.isnan(ind.per) else 100000.0
    base = _interp(ctx.years, rate)
    for i, y in enumerate(ctx.years):
        events = {}
        for (town, area), n in ctx.births[y].items():
            risk = (RURAL_RISK if area == RURAL else 1.0) * (YI_TOWNS_RISK if "彝族" in town else 1.0)
            events[(town, area)] = int(rng.binomial(n, min(1.0, base[i] * risk / rate_per)))

        def count(town=None, area=None):
            return sum(e for (t, a), e in events.items()
                       if (town is None or t == town) and (area is None or a == area))  # fmt: skip

        rows.add(y, numerator=count(), denominator=ctx.births_in(y))
        if "urban_rural" in breakdowns:
            for area in (URBAN, RURAL):
                rows.add(y, numerator=count(area=area), denominator=ctx.births_in(y, area=area),
                         urban_rural=area)  # fmt: skip
        if "township" in breakdowns:
            for town in ctx.towns:
                rows.add(y, numerator=count(town), denominator=ctx.births_in(y, town), region=town)
    return rows.rows


def _maternal_deaths(ctx, ind, rng):
    # Per 100,000 births in an urban, non-Yi cell; rural and Yi-town births carry more risk.
    return _birth_events(ctx, ind, rng, {2015: 70.0, 2025: 30.0})


def _congenital_syphilis(ctx, ind, rng):
    return _birth_events(ctx, ind, rng, {2015: 30.0, 2025: 6.0})


def _hiv_transmission(ctx, ind, rng):
    rows = Rows(ctx, ind, RARE)
    p = _interp(ctx.years, {2015: 0.03, 2025: 0.006})
    for i, y in enumerate(ctx.years):
        exposed = ctx.hiv_mothers[y]
        rows.add(y, numerator=int(rng.binomial(exposed, p[i])), denominator=exposed)
    return rows.rows


def _hbv_transmission(ctx, ind, rng):
    rows = Rows(ctx, ind, RARE)
    carriers = _interp(ctx.years, {2015: 0.058, 2025: 0.045})
    p = _interp(ctx.years, {2015: 0.03, 2025: 0.008})
    for i, y in enumerate(ctx.years):
        exposed = int(rng.binomial(ctx.births_in(y), carriers[i]))
        rows.add(y, numerator=int(rng.binomial(exposed, p[i])), denominator=exposed)
    return rows.rows


def _treated(ctx, ind, rng, cases: Callable[[int, int], int], p: dict[int, float]) -> list[dict]:
    rows = Rows(ctx, ind, RARE)
    probability = _interp(ctx.years, p)
    for i, y in enumerate(ctx.years):
        n = cases(i, y)
        rows.add(y, numerator=int(rng.binomial(n, probability[i])), denominator=n)
    return rows.rows


def _cervical_treatment(ctx, ind, rng):
    mean = _interp(ctx.years, {2015: 3.0, 2025: 4.0})
    return _treated(ctx, ind, rng, lambda i, y: 1 + int(rng.poisson(mean[i])), {2015: 0.8, 2025: 0.95})


def _infected_mothers_treatment(ctx, ind, rng):
    syphilis = _interp(ctx.years, {2015: 3.5, 2025: 2.5})
    return _treated(ctx, ind, rng, lambda i, y: ctx.hiv_mothers[y] + int(rng.poisson(syphilis[i])),
                    {2015: 0.86, 2025: 0.985})  # fmt: skip


def _occupational_disease(ctx, ind, rng):
    rows = Rows(ctx, ind, RARE)
    employees = _interp(ctx.years, {2015: 3300, 2025: 3950})
    rate = _interp(ctx.years, {2015: 9.0, 2025: 4.0})
    for i, y in enumerate(ctx.years):
        n = int(round(employees[i] * math.exp(rng.normal(0, 0.01))))
        rows.add(y, numerator=int(rng.poisson(n * rate[i] / 100000)), denominator=n)
    return rows.rows


def _party_members(ctx, ind, rng):
    rows = Rows(ctx, ind)
    for y in ctx.years:
        women = sum(k for k, _ in ctx.party[y].values())
        members = sum(n for _, n in ctx.party[y].values())
        rows.add(y, 100 * women / members)
        if "township" in _breakdowns(ind):
            for town, (k, n) in ctx.party[y].items():
                rows.add(y, 100 * k / n, region=town)
    return rows.rows


def _town_bodies(ctx, ind, rng, base: int, per_person: int, spec: Body,
                 share: Callable[[str, int], float]) -> list[dict]:  # fmt: skip
    """A body in every town (share(town, year) is the tendency); the district pools them."""
    rows = Rows(ctx, ind, spec.note)
    counts = {}
    for town in ctx.towns:
        size = base + round(per_person * ctx.profile[town][0])
        town_spec = Body(size, spec.share, spec.elections, spec.turnover, spec.sd)
        counts[town] = _body_counts(rng, ctx.years, town_spec, lambda y, t=town: share(t, y))
    for i, y in enumerate(ctx.years):
        women = sum(counts[t][i][0] for t in ctx.towns)
        members = sum(counts[t][i][1] for t in ctx.towns)
        rows.add(y, 100 * women / members, numerator=women, denominator=members, note=f"{women}/{members}")
        for town in ctx.towns:
            k, n = counts[town][i]
            rows.add(y, 100 * k / n, numerator=k, denominator=n, region=town, note=f"{k}/{n}")
    return rows.rows


def _town_party_congresses(ctx, ind, rng):
    """Delegates tend to the town's share of women among Party members, below it in the 2011 and
    2016 terms and above it from 2021, with a fixed lean per town."""
    lean = {t: rng.normal(0, 0.025) for t in ctx.towns}
    term = {2006: -0.04, 2011: -0.035, 2016: -0.02, 2021: 0.02, 2026: 0.03, 2031: 0.03}

    def share(town: str, year: int) -> float:
        k, n = ctx.party[year][town]
        started = max([e for e in CONGRESS if e <= year], default=CONGRESS[0])
        return min(max(k / n + term[started] + lean[town], 0.0), 1.0)

    spec = Body(0, {}, CONGRESS, turnover=0.0, note=RELATIVE)
    return _town_bodies(ctx, ind, rng, 40, 200, spec, share)


def _town_people_congresses(ctx, ind, rng):
    lean = {t: rng.normal(0, 0.03) for t in ctx.towns}
    base = {2015: 24.0, 2025: 31.0}
    spec = Body(0, base, CONGRESS, turnover=0.02)
    return _town_bodies(ctx, ind, rng, 30, 120, spec,
                        lambda t, y: float(_interp([y], base)[0]) / 100 + lean[t])  # fmt: skip


def _district_party_congress(ctx, ind, rng):
    spec = Body({2006: 140, 2016: 150, 2021: 160}, {2015: 20.0, 2016: 19.5, 2020: 19.5, 2021: 31.5},
                CONGRESS, turnover=0.0, note=RELATIVE)  # fmt: skip
    return _body(ctx, ind, rng, spec)


def _employees(ctx, ind, rng):
    rows = Rows(ctx, ind)
    for y in ctx.years:
        rows.add(y, ctx.employees_share[y])
    return rows.rows


def _workers_congress(ctx, ind, rng):
    """Delegates close in on the share of women among employees and pass it in the last years."""
    rows = Rows(ctx, ind, RELATIVE + "; " + APPROACH)
    shortfall = _interp(ctx.years, {2015: 9.0, 2025: -1.0}) + _ar1(rng, len(ctx.years), 0.5, 0.3)
    for y, gap in zip(ctx.years, shortfall):
        rows.add(y, ctx.employees_share[y] - gap)
    return rows.rows


def _facilities(opening: Callable[[Context, np.random.Generator], dict[str, list[int]]], note: str = ""):
    """Counts of facilities; opening(ctx, rng) gives the years each town's facilities open."""

    def generate(ctx, ind, rng):
        rows = Rows(ctx, ind, note)
        opened = opening(ctx, rng)
        for y in ctx.years:
            per_town = {t: sum(1 for o in opened.get(t, []) if o <= y) for t in ctx.towns}
            rows.add(y, sum(per_town.values()) + sum(1 for o in opened.get("", []) if o <= y))
            if "township" in _breakdowns(ind):
                for town in ctx.towns:
                    rows.add(y, per_town[town], region=town)
        return rows.rows

    return generate


def _complexes_opening(ctx, rng):
    """Bigger towns open their community elderly-care complex earlier; the largest adds a second."""
    order = sorted(ctx.towns, key=lambda t: -ctx.profile[t][0])
    opened = {t: [2019 + 2 * i + int(rng.integers(0, 2))] for i, t in enumerate(order)}
    if order:
        opened[order[0]].append(2024)
    return opened


GENERATORS: dict[str, Callable] = {
    "HE-02-1": _maternal_deaths,
    "HE-03-5": _cervical_treatment,
    "HE-05-1": _hiv_transmission,
    "HE-05-2": _congenital_syphilis,
    "HE-05-3": _hbv_transmission,
    "HE-05-5": _infected_mothers_treatment,
    "EC-06-1": _occupational_disease,
    "DM-02-1": _party_members,
    "DM-02-2": _district_party_congress,
    "DM-02-3": _town_party_congresses,
    "DM-03-3": _town_people_congresses,
    "DM-07-4": _employees,
    "DM-07-5": _workers_congress,
    "SS-08-2": _facilities(_complexes_opening, REACHED),
    "SS-08-3": _facilities(lambda ctx, rng: {"": [2023]}, REACHED),
    "SS-08-4": _facilities(lambda ctx, rng: {"": [2010]}, REACHED),
}

# ---------------------------------------------------------------------------------------------
# the other indicators: anchor values (the path passes near them) and noise

SPECS: dict[str, Trend | Body] = {
    # health
    "HE-01-1": Trend({2015: 79.3, 2025: 81.6}, sd=0.15, scale="linear"),
    "HE-01-2": Trend({2015: 68.2, 2025: 70.4}, sd=0.2, scale="linear"),
    "HE-02-4": Trend({2015: 85.5, 2019: 88.5, 2022: 91.2, 2025: 93.5}, sd=0.05, note=REACHED),
    "HE-03-1": Trend({2015: 44.0, 2025: 49.0}, sd=0.05, note=OFF),
    "HE-03-2": Trend({2015: 22.0, 2025: 45.0}, sd=0.08, swing=0.45, note=SWINGS),
    "HE-03-3": Trend({2015: 68.0, 2021: 79.0}, sd=0.06, last=2021, note=STALE),
    "HE-03-4": Trend({2018: 18.0, 2025: 31.0}, sd=0.06, first=2018, note=OFF),
    "HE-04-1": Trend({2015: 12.5, 2025: 9.0}, sd=0.04, scale="linear"),
    "HE-05-4": Trend({2015: 96.2, 2018: 98.3, 2025: 99.5}, sd=0.08, note=REACHED),
    "HE-06-1": Trend({2015: 11.0, 2025: 27.0}, sd=0.05),
    "HE-06-2": Trend({2015: 4.6, 2018: 5.4, 2021: 5.9, 2025: 6.2}, sd=0.015, phi=0.3),
    "HE-06-3": Trend({2015: 3.1, 2025: 4.6}, sd=0.02),
    "HE-07-1": Trend({2015: 8.0, 2025: 25.0}, sd=0.05),
    "HE-08-1": Trend({2015: 18.5, 2025: 13.0}, sd=0.04, missing=(2016, 2019, 2021, 2022), note=GAPS),
    "HE-08-2": Trend({2015: 21.0, 2025: 14.0}, sd=0.05),
    "HE-09-1": Trend({2015: 24.0, 2025: 35.0}, sd=0.04),
    "HE-09-2": Trend({2015: 85.5, 2025: 90.0}, sd=0.04),
    # education
    "ED-04-1": Trend({2015: 94.6, 2018: 96.6, 2025: 98.6}, male={2015: 93.8, 2018: 95.6, 2025: 98.0},
                     female_weight=0.48, sd=0.06, note=REACHED),
    "ED-05-1": Trend({2015: 85.5, 2025: 94.6}, male={2015: 84.0, 2025: 93.5}, female_weight=0.48,
                     sd=0.04, note=APPROACH),
    "ED-06-1": Trend({2015: 37.0, 2025: 44.0}, sd=0.04),
    "ED-07-1": Trend({2015: 21.0, 2025: 30.0}, sd=0.08),
    "ED-07-2": Trend({2015: 3.4, 2025: 10.2}, male={2015: 7.6, 2025: 11.8}, sd=0.03, note=NARROWS),
    "ED-08-1": Trend({2015: 140, 2025: 260}, sd=0.05, scale="poisson"),
    "ED-09-1": Trend({2015: 6.5, 2025: 2.4}, male={2015: 3.2, 2025: 1.6}, female_weight=0.49, sd=0.04),
    "ED-09-2": Trend({2015: 7.9, 2025: 9.2}, male={2015: 8.7, 2025: 9.6}, female_weight=0.49, sd=0.05,
                     scale="linear", ages={"15-24": 2.6, "25-34": 1.9, "35-44": 0.6, "45-54": -0.6,
                                           "55-64": -2.0, "65+": -3.6}),
    # economy
    "EC-02-1": Trend({2015: 45.0, 2025: 45.0}, sd=0.055, phi=-0.5, note=ABOUT),
    "EC-02-2": Trend({2015: 82.0, 2025: 90.0}, sd=0.06),
    "EC-02-3": Trend({2015: 29.0, 2025: 41.0}, sd=0.05),
    "EC-03-1": Trend({2015: 35.2, 2025: 39.4}, sd=0.03, note=APPROACH),
    "EC-04-1": Trend({2015: 27.5, 2025: 34.0}, sd=0.04),
    "EC-04-2": Trend({2015: 33.5, 2025: 39.2}, sd=0.03, note=APPROACH),
    "EC-04-3": Trend({2015: 27.0, 2025: 29.0}, sd=0.04, note=OFF),
    "EC-05-1": Trend({2015: 36500, 2025: 55000}, male={2015: 43500, 2025: 71500}, female_weight=0.45,
                     sd=0.015, scale="log", note=WIDENS),
    "EC-06-2": Trend({2015: 84.0, 2025: 95.5}, sd=0.06),
    # decision-making
    "DM-03-1": Body(120, {2015: 25.0, 2025: 31.0}, CONGRESS, turnover=0.02),
    "DM-03-2": Body(21, {2015: 14.0, 2025: 24.0}, CONGRESS, turnover=0.04),
    "DM-03-4": Body(130, {2015: 24.0, 2025: 30.0}, CONGRESS, turnover=0.03),
    "DM-03-5": Body(27, {2015: 15.0, 2025: 22.0}, CONGRESS, turnover=0.04),
    "DM-04-1": Body(66, {2015: 16.0, 2025: 22.0}, turnover=0.15),
    "DM-04-2": Body(12, {2015: 8.0, 2025: 17.0}, turnover=0.2, sd=0.6),
    "DM-05-1": Body(95, {2015: 18.0, 2025: 24.0}, turnover=0.15),
    "DM-05-2": Body(28, {2015: 14.0, 2025: 20.0}, turnover=0.12),
    "DM-06-1": Body(160, {2015: 30.0, 2025: 36.0}, turnover=0.12),
    "DM-07-1": Trend({2015: 14.0, 2025: 20.0}, sd=0.06),
    "DM-07-2": Trend({2015: 24.0, 2025: 30.0}, sd=0.06),
    "DM-07-3": Trend({2015: 24.0, 2025: 31.0}, sd=0.05),
    "DM-08-1": Body(65, {2015: 14.0, 2025: 22.0}, VILLAGE, turnover=0.03),
    "DM-08-2": Body(13, {2015: 8.0, 2025: 16.0}, VILLAGE, turnover=0.04),
    "DM-08-3": Body({2008: 40, 2021: 39}, {2015: 19.0, 2025: 22.0}, VILLAGE, turnover=0.03, note=OFF),
    "DM-08-4": Body(13, {2015: 7.0, 2025: 15.0}, VILLAGE, turnover=0.04),
    "DM-09-1": Body(25, {2015: 40.0, 2025: 50.0}, VILLAGE, turnover=0.05),
    "DM-09-2": Body(5, {2015: 40.0, 2025: 60.0}, VILLAGE, turnover=0.05, sd=0.3),
    "DM-09-3": Body({2008: 15, 2021: 16}, {2015: 50.0, 2025: 50.0}, VILLAGE, turnover=0.05, note=ABOUT),
    "DM-09-4": Body(5, {2015: 20.0, 2020: 20.0, 2021: 40.0, 2025: 40.0}, VILLAGE, turnover=0.0, sd=0.2,
                    note=REACHED),
    "DM-10-1": Trend({2015: 41.0, 2025: 48.5}, sd=0.04),
    "DM-10-2": Body({2008: 30, 2019: 36, 2023: 42}, {2015: 15.0, 2025: 23.0}, turnover=0.1),
    # social security
    "SS-02-1": Trend({2015: 2900, 2025: 4100}, male={2015: 3600, 2025: 4600}, sd=0.02, scale="log"),
    "SS-02-2": Trend({2015: 70.0, 2025: 86.0}, male={2015: 74.0, 2025: 88.0}, female_weight=0.45,
                     sd=0.04),
    "SS-03-1": Trend({2015: 96.8, 2018: 98.3, 2022: 98.6, 2023: 97.4, 2025: 96.9},
                     male={2015: 96.5, 2018: 98.1, 2022: 98.4, 2023: 97.2, 2025: 96.7}, sd=0.05,
                     note=SLIPS),
    "SS-04-1": Trend({2015: 86.0, 2025: 93.6}, male={2015: 88.0, 2025: 94.5}, sd=0.05, note=APPROACH,
                     ages={"16-44": -0.45, "45-59": 0.15, "60+": 0.9}),
    "SS-04-2": Trend({2015: 2150, 2025: 2980}, male={2015: 2560, 2025: 3460}, sd=0.01, scale="log"),
    "SS-05-1": Trend({2015: 2200, 2025: 3100}, male={2015: 3000, 2025: 3800}, sd=0.02, scale="log"),
    "SS-05-2": Trend({2015: 2600, 2025: 3700}, male={2015: 4800, 2025: 5900}, sd=0.02, scale="log"),
    "SS-06-1": Trend({2015: 1650, 2025: 1150}, sd=0.03, scale="log"),
    "SS-08-1": Trend({2015: 18.0, 2025: 78.0}, sd=0.08),
    # family
    "FA-06-1": Trend({2015: 140, 2025: 85}, sd=0.08, scale="poisson"),
    "FA-07-1": Trend({2015: 3.05, 2025: 2.85}, male={2015: 1.15, 2025: 1.05}, sd=0.05, scale="linear"),
    "FA-09-1": Trend({2015: 28.0, 2025: 86.0}, sd=0.08),
    # environment
    "EN-04-1": Trend({2015: 37.0, 2025: 72.0}, male={2015: 45.0, 2025: 76.0}, female_weight=0.49,
                     sd=0.04),
    "EN-06-1": Trend({2015: 80.0, 2021: 89.0, 2022: 90.8, 2025: 93.0}, sd=0.04, note=REACHED),
    "EN-06-2": Body(8, {2015: 86.0, 2025: 97.0}, turnover=1.0, sd=0.6),
    "EN-07-1": Trend({2015: 55.0, 2025: 88.0}, sd=0.06),
    # law
    "LA-03-1": Trend({2015: 60.0, 2025: 82.0}, sd=0.05),
    "LA-04-1": Trend({2015: 34, 2025: 58}, sd=0.1, scale="poisson"),
    "LA-09-1": Trend({2015: 70, 2025: 110}, sd=0.08, scale="poisson"),
}


def _generic(ind) -> Trend:
    """A plausible path for an indicator added to the catalog after this module was written."""
    unit, kind, target = ind.unit, ind.target_kind, ind.target_value
    up = ind.better != "lower"
    if unit == "%":
        if not math.isnan(target):
            lo = {"at_most": target * 1.5 + 2, "about": target}.get(kind, target * 0.88)
            hi = {"at_most": target * 1.05, "about": target}.get(kind, min(target * 1.02, 99.5))
            return Trend({2015: lo, 2025: hi}, sd=0.05)
        return Trend({2015: 40.0, 2025: 52.0} if up else {2015: 30.0, 2025: 22.0}, sd=0.05)
    levels = {"岁": (78.0, 0.2, "linear"), "年": (9.0, 0.05, "linear"), "小时": (2.0, 0.05, "linear"),
              "元": (3000.0, 0.02, "log"), "人": (300.0, 0.05, "poisson"), "件": (60.0, 0.1, "poisson"),
              "个": (3.0, 0.0, "poisson"), "万人": (5.0, 0.02, "linear")}  # fmt: skip
    start, sd, scale = levels.get(unit, (20.0, 0.05, "log"))
    start = target if not math.isnan(target) else start
    step = 1.15 if up else 0.87
    return Trend({2015: start / step, 2025: start * step}, sd=sd, scale=scale)


def _generic_small_count(ctx, ind, rng):
    if "活产" in ind.denominator_zh:
        target = ind.target_value if not math.isnan(ind.target_value) else 20.0
        return _birth_events(ctx, ind, rng, {2015: 2 * target, 2025: target})
    p = ind.target_value / ind.per if not math.isnan(ind.target_value) else 0.5
    p = min(max(p, 0.001), 0.999)
    mean = _interp(ctx.years, {2015: 4.0, 2025: 4.0})
    return _treated(ctx, ind, rng, lambda i, y: 1 + int(rng.poisson(mean[i])), {2015: p, 2025: p})


# ---------------------------------------------------------------------------------------------


def _context(seed: int, first_year: int, last_year: int) -> Context:
    regions = load_regions()
    district = regions.loc[regions["level"] == "district", "region"].iloc[0]
    towns = regions.loc[regions["parent"] == district, "region"].tolist()
    average = tuple(float(np.mean([p[i] for p in TOWN_PROFILE.values()])) for i in range(3))
    profile = {t: TOWN_PROFILE.get(t, (average[0], 0.05, 1.0)) for t in towns}
    total = sum(p[0] for p in profile.values())
    profile = {t: (p[0] / total, p[1], p[2]) for t, p in profile.items()}
    ctx = Context(seed, list(range(first_year, last_year + 1)), district, towns,
                  ethnic_townships(district, regions), profile)  # fmt: skip
    _populations(ctx)
    return ctx


def _natural_key(indicator_id: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", indicator_id))


def generate(seed: int = DEFAULT_SEED, first_year: int = 2015, last_year: int = 2025) -> pd.DataFrame:
    """The synthetic long table (see the module docstring); the same seed gives the same frame."""
    if last_year < first_year:
        raise ValueError("last_year must not be before first_year")
    ctx = _context(seed, first_year, last_year)
    rows: list[dict] = []
    for ind in CATALOG.indicators.itertuples():
        if ind.target_kind in ("qualitative", "gap_narrowing"):
            continue
        rng = ctx.rng(ind.indicator_id)
        if ind.indicator_id in GENERATORS:
            rows += GENERATORS[ind.indicator_id](ctx, ind, rng)
        elif ind.small_count:
            rows += _generic_small_count(ctx, ind, rng)
        else:
            spec = SPECS.get(ind.indicator_id) or _generic(ind)
            rows += _body(ctx, ind, rng, spec) if isinstance(spec, Body) else _trend(ctx, ind, rng, spec)
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    region_rank = {r: i for i, r in enumerate([ctx.district, *ctx.towns])}
    order = pd.DataFrame({
        "i": frame["indicator_id"].map(_natural_key),
        "r": frame["region"].map(region_rank),
        "s": frame["sex"].map({"": 0, FEMALE: 1, MALE: 2}),
        "u": frame["urban_rural"].map({"": 0, URBAN: 1, RURAL: 2}),
        "a": frame["age_group"].map(lambda a: (a != "", int(re.match(r"\d*", a)[0] or 0))),
        "y": frame["year"],
    })  # fmt: skip
    frame = frame.loc[order.sort_values(["i", "r", "a", "s", "u", "y"], kind="stable").index]
    frame = frame.reset_index(drop=True)
    for column in ("numerator", "denominator"):
        frame[column] = frame[column].astype("Int64")
    frame["year"] = frame["year"].astype("int64")
    frame["value"] = frame["value"].astype("float64")
    _check(frame)
    return frame


def _check(frame: pd.DataFrame) -> None:
    """Refuse to return a frame the ingest would refuse (bounds, fractions, counts)."""
    indicators = CATALOG.indicators.set_index("indicator_id")
    problems = []
    for row in frame.itertuples():
        ind = indicators.loc[row.indicator_id]
        lo, hi = ind["lower_bound"], ind["upper_bound"]
        v = row.value
        if not math.isnan(v):
            if (not math.isnan(lo) and v < lo) or (not math.isnan(hi) and v > hi):
                problems.append(f"{row.indicator_id} {row.region} {row.year}: {v} outside bounds")
            if ind["unit"] == "%" and not ind["small_count"] and 0 < v < 1:
                problems.append(f"{row.indicator_id} {row.region} {row.year}: {v} looks like a fraction")
        if ind["small_count"]:
            if pd.isna(row.numerator) or pd.isna(row.denominator) or row.denominator <= 0:
                problems.append(f"{row.indicator_id} {row.region} {row.year}: counts missing or zero")
            elif ind["unit"] == "%" and row.numerator > row.denominator:
                problems.append(f"{row.indicator_id} {row.region} {row.year}: numerator > denominator")
    if problems:
        raise ValueError("synthetic example is inconsistent:\n  " + "\n  ".join(problems[:20]))


def to_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as text, each value with its unit's fixed number of decimals (stable output)."""
    out = frame.copy()

    def fmt(value: float, unit: str) -> str:
        if math.isnan(value):
            return ""
        return f"{value:.0f}" if unit in COUNT_UNITS else f"{value:.{DECIMALS.get(unit, 1)}f}"

    out["value"] = [fmt(v, u) for v, u in zip(frame["value"], frame["unit"])]
    for column in ("numerator", "denominator"):
        out[column] = [("" if pd.isna(v) else str(int(v))) for v in frame[column]]
    out["year"] = frame["year"].astype(str)
    return out.astype(str)
