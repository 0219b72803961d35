"""The catalog against the outline's own text: every goal, every number, every kind."""

import re

import pandas as pd
import pytest

from analysis import CATALOG, CatalogError, load_catalog
from analysis.catalog import DOMAINS_CSV, GOALS_CSV, INDICATORS_CSV, QUANTIFIED_KINDS
from analysis.paths import OUTLINE_TEXT

GOALS_PER_DOMAIN = {
    "health": 10, "education": 9, "economy": 9, "decision_making": 10,
    "social_security": 10, "family": 9, "environment": 9, "law": 9,
}  # fmt: skip
NUMBER = re.compile(r"(\d+(?:\.\d+)?)(%|/10万)")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def part_two() -> str:
    """Part 二 of the outline (domains, goals, measures), whitespace removed."""
    text = squeeze(OUTLINE_TEXT.read_text(encoding="utf-8"))
    start = text.index("二、发展领域", text.index("前言") + 200)  # skip the table of contents
    return text[start : text.index("三、组织实施", start)]


def goal_lists(part_two: str) -> list[list[str]]:
    """The numbered 主要目标 of each domain, in order, as the outline words them."""
    blocks = re.findall(r"主要目标[:：](.*?)策略措施[:：]", part_two)
    return [re.split(r"(?:^|(?<=[。(]))\d+\.", block)[1:] for block in blocks]


def test_catalog_has_every_domain_and_goal():
    assert CATALOG.counts["domains"] == 8
    assert CATALOG.goals.groupby("domain").size().to_dict() == GOALS_PER_DOMAIN
    assert CATALOG.counts["goals"] == 75


def test_goal_texts_are_the_outlines(part_two):
    lists = goal_lists(part_two)
    assert [len(goals) for goals in lists] == list(GOALS_PER_DOMAIN.values())
    for domain, goals in zip(GOALS_PER_DOMAIN, lists):
        ours = CATALOG.goals.loc[CATALOG.goals["domain"] == domain, "text_zh"].map(squeeze)
        for number, (theirs, mine) in enumerate(zip(goals, ours), start=1):
            assert mine == theirs.rstrip("("), f"{domain} goal {number}"


def expected_kind(before: str, after: str) -> str:
    if after.startswith("以下"):
        return "at_most"
    if after.startswith("左右"):
        return "about"
    if re.search(r"(保持在|稳定在)$", before):
        return "keep_at_least"
    return "at_least"


def test_every_number_in_part_two_is_a_typed_target(part_two):
    spans = [
        (row.indicator_id, m.start(), m.end())
        for row in CATALOG.indicators.itertuples()
        if row.target_text
        for m in re.finditer(re.escape(row.target_text), part_two)
    ]
    seen = []
    for m in NUMBER.finditer(part_two):
        value, unit = float(m.group(1)), m.group(2)
        covering = [i for i, s, e in spans if s <= m.start() and m.end() <= e]
        assert covering, f"{m.group(0)} at …{part_two[m.start() - 20 : m.end() + 6]}… is in no target_text"
        kind = expected_kind(part_two[max(0, m.start() - 4) : m.start()], part_two[m.end() :])
        matches = [
            i for i in covering
            if CATALOG.indicator(i)["target_value"] == value
            and CATALOG.indicator(i)["target_kind"] == kind
            and CATALOG.indicator(i)["unit"] == ("%" if unit == "%" else "1/10万")
        ]  # fmt: skip
        assert matches, f"{m.group(0)} should be a {kind} target of {value}{unit} in one of {covering}"
        seen += matches
    # the outline's numbered targets, by count: 12/10万, 70, 2, 96, 95, 45, 40, 40, 40, 30, 50, 40,
    # 98, 95, 90 in the goals; 90, 90, 70, 90, 98, 95 in the measures
    assert len(seen) >= 21


def test_target_texts_quote_the_outline(part_two):
    for row in CATALOG.indicators.itertuples():
        if row.target_text:
            assert row.target_text in part_two, f"{row.indicator_id}: {row.target_text}"


def test_measure_only_targets_are_there():
    measures = CATALOG.indicators.loc[CATALOG.indicators["origin"] == "measure"]
    values = sorted(measures["target_value"].dropna())
    # 1 个 each: 社区养老服务综合体, 智慧养老院, 特困人员供养服务设施 (社会保障 measure 9)
    assert values == [1, 1, 1, 70, 90, 90, 90, 95, 98]
    assert set(measures["target_kind"]) <= set(QUANTIFIED_KINDS)


def test_small_count_rates_keep_numerator_and_denominator():
    mmr = CATALOG.indicators.loc[CATALOG.indicators["name_zh"] == "孕产妇死亡率"].iloc[0]
    assert mmr["small_count"] and mmr["per"] == 100000 and mmr["target_value"] == 12
    assert mmr["target_kind"] == "at_most" and mmr["unit"] == "1/10万"
    gaps = CATALOG.indicators.loc[CATALOG.indicators["gap_of"] == mmr["indicator_id"]]
    assert "urban_rural" in set(gaps["gap_between"])


def test_every_goal_has_an_indicator_and_direction_goals_are_marked():
    per_goal = CATALOG.indicators.groupby("goal_id").size()
    assert set(per_goal.index) == set(CATALOG.goals["goal_id"])
    assert per_goal["EC-04"] == 3
    assert CATALOG.counts["direction_only"] > 0 and CATALOG.counts["qualitative"] > 0


def test_summary_line():
    line = CATALOG.summary()
    assert "75 goals" in line and "8 domains" in line and "quantified" in line


def test_broken_catalog_lists_every_problem_with_its_line(tmp_path):
    indicators = pd.read_csv(INDICATORS_CSV, dtype=str, keep_default_na=False)
    indicators.loc[0, "target_kind"] = "below"  # not a kind
    indicators.loc[1, "unit"] = "percent"  # not a unit
    broken = tmp_path / "indicators.csv"
    indicators.to_csv(broken, index=False)
    with pytest.raises(CatalogError) as error:
        load_catalog(DOMAINS_CSV, GOALS_CSV, broken)
    message = str(error.value)
    assert "line 2, column target_kind" in message and "'below'" in message
    assert "line 3, column unit" in message


def test_relational_rules_are_checked(tmp_path):
    indicators = pd.read_csv(INDICATORS_CSV, dtype=str, keep_default_na=False)
    row = indicators.index[indicators["target_kind"] == "at_most"][0]
    indicators.loc[row, "target_value"] = ""
    broken = tmp_path / "indicators.csv"
    indicators.to_csv(broken, index=False)
    with pytest.raises(CatalogError, match=rf"line {row + 2} .*needs target_value"):
        load_catalog(DOMAINS_CSV, GOALS_CSV, broken)


def test_ethnic_townships_come_from_the_regions_file(tmp_path):
    from analysis.data.vocabulary import REGIONS_CSV, ethnic_townships, load_regions

    assert ethnic_townships("金口河区") == ["和平彝族乡", "共安彝族乡"]
    text = REGIONS_CSV.read_text(encoding="utf-8-sig")
    broken = tmp_path / "regions.csv"
    broken.write_text(text.replace("Jixing Township,false", "Jixing Township,"), encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 10, column ethnic_township.*write true"):
        load_regions(broken)  # a township must say whether it is a 民族乡


def test_age_groups_belong_to_indicators_with_an_age_breakdown(tmp_path):
    from analysis.catalog import AGE_GROUPS_CSV, CatalogError, load_age_groups

    groups = load_age_groups()
    assert list(groups.loc[groups["indicator_id"] == "SS-04-1", "age_group"]) == ["16-44", "45-59", "60+"]
    extra = tmp_path / "age_groups.csv"
    extra.write_text(AGE_GROUPS_CSV.read_text(encoding="utf-8") + "EC-02-1,15-24,15—24岁,aged 15–24,\n", encoding="utf-8")
    with pytest.raises(CatalogError, match=r"line 11 \(EC-02-1 15-24\): the indicator has no 'age'"):
        load_age_groups(extra)


def test_a_rate_per_100000_is_written_as_the_outline_writes_it():
    """'1/10万' after a number would read 0.01/10万 for a rate of 0.0: the outline writes 12/10万."""
    from analysis.catalog import with_unit

    assert with_unit("0.0", "1/10万") == "0.0/10万" and with_unit("12", "1/10万") == "12/10万"
    assert with_unit("30.1", "%") == "30.1%" and with_unit("81.4", "岁") == "81.4岁"
    assert with_unit("12", "1/10万", "en") == "12 per 100,000" and with_unit("81.4", "岁", "en") == "81.4 years"
    assert with_unit("30.1", "%", "en") == "30.1%" and with_unit("3", "", "en") == "3"
