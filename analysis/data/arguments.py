"""What a command is asked for, checked against the database before anything is written.

``--region``: a region of the catalog (``analysis/catalog/regions.csv``) with data in the database;
full-width letters, stray spaces, invisible characters and traditional characters (永和鎮) are
normalised; anything else is refused with the nearest known names. ``--year``: a year within the
region's data. ``--mode``: the mid-term evaluation needs 2025 data, the final one 2030. A refusal
is ``BadArgument`` (exit 2 on the command line), raised before any report or document is written.
"""

from __future__ import annotations

import difflib

import pandas as pd

from analysis.data.cells import clean_text
from analysis.data.vocabulary import load_regions

# Traditional → simplified, for the characters region names are written with (regions.csv and the
# words of Chinese place names); a name in traditional characters is the same name.
TRADITIONAL = str.maketrans({
    "鎮": "镇", "鄉": "乡", "區": "区", "縣": "县", "勝": "胜", "樂": "乐", "國": "国", "門": "门", "陽": "阳",
    "東": "东", "龍": "龙", "雲": "云", "華": "华", "興": "兴", "長": "长", "灣": "湾", "橋": "桥", "嶺": "岭",
    "溝": "沟", "壩": "坝", "關": "关", "寧": "宁", "豐": "丰", "廣": "广", "紅": "红", "農": "农", "場": "场",
    "廠": "厂", "園": "园", "環": "环", "島": "岛", "鳳": "凤", "鳴": "鸣", "員": "员", "廟": "庙", "覺": "觉",
    "義": "义", "億": "亿", "萬": "万", "與": "与", "業": "业", "邊": "边", "際": "际", "內": "内", "漢": "汉",
})  # fmt: skip
MODE_YEARS = {"midterm": 2025, "final": 2030}
MODE_NAMES = {"midterm": "mid-term evaluation (中期评估)", "final": "final evaluation (终期评估)"}


class BadArgument(ValueError):
    """A command-line argument the database cannot serve; nothing was written."""


def normalise(text: str) -> str:
    """永和鎮 → 永和镇; "永和镇 " → 永和镇; full-width and invisible characters folded away."""
    return clean_text(str(text)).replace(" ", "").translate(TRADITIONAL)


def known_regions() -> list[str]:
    return list(load_regions()["region"])


def check_region(text: str, observations: pd.DataFrame | None = None) -> str:
    """The region's name as the catalog writes it; refused when unknown, or without data in the database."""
    name = normalise(text)
    catalog = known_regions()
    if name not in catalog:
        near = difflib.get_close_matches(name, catalog, n=3, cutoff=0.3)
        hint = f"did you mean {'、'.join(near)}? " if near else ""
        raise BadArgument(f"unknown region {text!r} → {hint}use a region of analysis/catalog/regions.csv "
                          f"({'、'.join(catalog)}); nothing was written")  # fmt: skip
    if observations is not None and name not in set(observations["region"]):
        with_data = [r for r in catalog if r in set(observations["region"])]
        near = difflib.get_close_matches(name, with_data, n=3, cutoff=0.3)
        hint = f"did you mean {'、'.join(near)}? " if near else ""
        raise BadArgument(f"the database has no data for region {name!r} → {hint}regions with data: "
                          f"{'、'.join(with_data) or '(none: run python -m analysis ingest)'}; nothing was written")  # fmt: skip
    return name


def region_years(observations: pd.DataFrame, region: str) -> pd.Series:
    """The years of a region's data and its towns' ("all": of every region's)."""
    if region == "all":
        return observations["year"]
    regions = load_regions()
    family = [region, *regions.loc[regions["parent"] == region, "region"]]
    return observations.loc[observations["region"].isin(family), "year"]


def check_year(year: int | None, region: str, observations: pd.DataFrame) -> int | None:
    """The year, if the region (or its towns) has data up to it and from before it; None stays None (the default)."""
    if year is None:
        return None
    years = region_years(observations, region)
    if years.empty:
        raise BadArgument(f"the database has no data for {region}; nothing was written")
    first, last = int(years.min()), int(years.max())
    if not first <= int(year) <= last:
        whose = "any region" if region == "all" else region
        raise BadArgument(f"no data for {whose} in {year}: its data covers {first}–{last} → use --year {last} "
                          f"(or leave --year out for the latest year with data); nothing was written")  # fmt: skip
    return int(year)


def check_mode(mode: str, year: int) -> None:
    """The mid-term evaluation is of 2025 and the final one of 2030: not before their year has come."""
    due = MODE_YEARS.get(mode)
    if due is not None and year < due:
        raise BadArgument(f"the {MODE_NAMES[mode]} is of {due}, but the report year is {year} (the latest year with "
                          f"data) → use --mode annual, or wait for the {due} figures; nothing was written")  # fmt: skip
