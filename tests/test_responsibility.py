"""Who answers for each goal: the units register, each goal's 牵头单位 / 配合单位 and its 策略措施."""

import pandas as pd
import pytest

from analysis import CATALOG, CatalogError, load_catalog
from analysis.catalog import (
    DOMAINS_CSV,
    GOALS_CSV,
    INDICATORS_CSV,
    MEASURES_CSV,
    UNITS_CSV,
    split_list,
)

MEASURES = pd.read_csv(MEASURES_CSV, dtype=str, keep_default_na=False, encoding="utf-8-sig")
REGISTER = set(CATALOG.units["unit"])

# Words of a 健康 goal about maternal and child health (孕产妇, 母婴传播, 妇幼, 生殖, 两癌).
MATERNAL_CHILD = ("孕产妇", "母婴", "妇幼", "生殖健康", "优生优育", "宫颈癌", "乳腺癌")
# Measures that serve no goal, each with why. Every one of the 91 serves at least one goal today;
# a measure added here must say why no goal of its domain needs it.
NOT_SERVING_A_GOAL: dict[str, str] = {}


def goals_using(measure_id: str) -> pd.DataFrame:
    return CATALOG.goals.loc[CATALOG.goals["measure_ids"].map(lambda v: measure_id in split_list(v))]


def test_every_goal_has_a_lead_unit_from_the_register():
    assert len(CATALOG.goals) == 75
    for goal in CATALOG.goals.itertuples():
        assert CATALOG.unit_of(goal.goal_id) == goal.lead_unit
        assert goal.lead_unit in REGISTER, goal.goal_id
        partners = CATALOG.partners_of(goal.goal_id)
        assert set(partners) <= REGISTER, goal.goal_id
        assert goal.lead_unit not in partners


def test_every_registered_unit_answers_for_some_goal():
    named = set(CATALOG.goals["lead_unit"]) | {u for v in CATALOG.goals["partner_units"] for u in split_list(v)}
    assert REGISTER - named == set(), "units.csv lists only units the goals need"


def test_register_columns_and_kinds():
    assert list(CATALOG.units.columns) == ["unit", "unit_en", "short", "aliases", "kind", "outline_names"]
    assert set(CATALOG.units["kind"]) <= {"党委部门", "人大机关", "政协机关", "政府部门", "司法机关", "群团组织"}
    kinds = CATALOG.units.set_index("unit")["kind"]
    assert kinds["区卫生健康局"] == "政府部门" and kinds["区妇联"] == "群团组织"
    assert kinds["区委组织部"] == "党委部门" and kinds["区人民法院"] == "司法机关"


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("区卫健局", "区卫生健康局"),
        ("卫健局", "区卫生健康局"),
        ("金口河区卫生健康局", "区卫生健康局"),
        ("乐山市金口河区卫生健康局", "区卫生健康局"),
        (" 区 卫健局 ", "区卫生健康局"),
        ("区卫生健康局\u3000", "区卫生健康局"),  # a full-width space
        ("区人社局", "区人力资源和社会保障局"),
        ("金口河区人社局", "区人力资源和社会保障局"),  # prefix and short name together
        ("区医保局", "区医疗保障局"),
        ("乐山市公安局金口河区分局", "区公安分局"),
        ("区生态环境局", "乐山市金口河生态环境局"),
        ("共青团金口河区委员会", "团区委"),
        ("区人大办", "区人大常委会办公室"),
        ("区妇联", "区妇联"),
        ("中共乐山市金口河区委组织部", "区委组织部"),
        ("区卫生健康局（区中医药管理局）", "区卫生健康局"),
        ("金口河区卫健局(盖章)", "区卫生健康局"),
    ],
)
def test_aliases_resolve(written, unit):
    assert CATALOG.canonical_unit(written) == unit


@pytest.mark.parametrize("written", ["区外事办", "区卫生局局", "", "   ", None, "金口河区", "（区卫健局）"])
def test_an_unknown_unit_is_none(written):
    assert CATALOG.canonical_unit(written) is None


def test_every_canonical_name_short_name_and_alias_resolves_to_its_own_unit():
    for row in CATALOG.units.itertuples():
        for spelling in [row.unit, row.short, *split_list(row.aliases)]:
            assert CATALOG.canonical_unit(spelling) == row.unit, spelling


def test_maternal_and_child_health_goals_are_led_by_the_health_bureau():
    health = CATALOG.goals.loc[CATALOG.goals["domain"] == "health"]
    maternal = health.loc[health["text_zh"].map(lambda t: any(w in t for w in MATERNAL_CHILD))]
    assert set(maternal["goal_id"]) == {"HE-02", "HE-03", "HE-04", "HE-05", "HE-08", "HE-10"}
    assert set(maternal["lead_unit"]) == {"区卫生健康局"}
    # every other health goal too, but for physical exercise (体育部门), which says why
    others = health.loc[health["lead_unit"] != "区卫生健康局"]
    assert list(others["goal_id"]) == ["HE-09"] and others["responsibility_note"].iloc[0]


def test_village_and_community_committee_goals_are_led_by_civil_affairs():
    committees = CATALOG.goals.loc[CATALOG.goals["text_zh"].str.contains("村委会|居委会")]
    assert set(committees["goal_id"]) == {"DM-08", "DM-09"}
    assert set(committees["lead_unit"]) == {"区民政局"}
    for goal in committees.itertuples():  # the Party-branch clauses of the same goals are 组织部's
        assert "区委组织部" in CATALOG.partners_of(goal.goal_id)


@pytest.mark.parametrize(
    ("goal_id", "unit"),
    [
        ("SS-02", "区医疗保障局"),  # 生育保险
        ("SS-03", "区医疗保障局"),
        ("SS-04", "区人力资源和社会保障局"),
        ("EC-02", "区人力资源和社会保障局"),
        ("ED-04", "区教育局"),
        ("DM-02", "区委组织部"),
        ("DM-03", "区人大常委会办公室"),
        ("LA-04", "区公安分局"),  # 反家庭暴力, with 妇联
        ("EN-06", "区水务局"),
        ("EN-07", "区农业农村局"),
        ("FA-09", "区妇联"),
    ],
)
def test_the_usual_division_of_labour(goal_id, unit):
    assert CATALOG.unit_of(goal_id) == unit


def test_domestic_violence_and_party_shares_have_their_partners():
    assert "区妇联" in CATALOG.partners_of("LA-04")
    assert "区政协办公室" in CATALOG.partners_of("DM-03")  # the 政协 half of the goal


def test_every_measure_of_a_goal_exists_and_is_of_its_domain():
    domain_of = dict(zip(MEASURES["measure_id"], MEASURES["domain"]))
    for goal in CATALOG.goals.itertuples():
        measures = CATALOG.measures_of(goal.goal_id)
        assert measures, goal.goal_id
        for measure in measures:
            assert domain_of.get(measure) == goal.domain, f"{goal.goal_id}: {measure}"


def test_each_domains_measures_each_serve_a_goal():
    unused = {m: d for m, d in zip(MEASURES["measure_id"], MEASURES["domain"]) if goals_using(m).empty}
    assert set(unused) == set(NOT_SERVING_A_GOAL), f"measures serving no goal: {sorted(unused)}"
    assert len(MEASURES) == 91


def test_a_measure_that_sets_a_goals_indicator_is_in_that_goals_list():
    for measure in MEASURES.itertuples():
        for indicator in split_list(measure.indicator_ids):
            goal = indicator.rsplit("-", 1)[0]
            assert measure.measure_id in CATALOG.measures_of(goal), f"{goal} lacks {measure.measure_id}"


def test_a_unit_a_measure_names_answers_for_a_goal_the_measure_serves():
    outline_names = {name: row.unit for row in CATALOG.units.itertuples() for name in split_list(row.outline_names)}
    for measure in MEASURES.itertuples():
        for named in split_list(measure.units_named):
            unit = outline_names.get(named)
            assert unit, f"{measure.measure_id} names {named}: give it a unit in units.csv outline_names"
            goals = goals_using(measure.measure_id)
            answering = set(goals["lead_unit"]) | {u for v in goals["partner_units"] for u in split_list(v)}
            assert unit in answering, f"{measure.measure_id} names {named} ({unit})"


def test_unit_of_an_unknown_goal_raises():
    with pytest.raises(KeyError, match="XX-01"):
        CATALOG.unit_of("XX-01")


def _broken_goals(tmp_path, change) -> str:
    goals = pd.read_csv(GOALS_CSV, dtype=str, keep_default_na=False)
    change(goals)
    path = tmp_path / "goals.csv"
    goals.to_csv(path, index=False)
    with pytest.raises(CatalogError) as error:
        load_catalog(DOMAINS_CSV, path, INDICATORS_CSV)
    return str(error.value)


def test_loader_refuses_a_unit_not_in_the_register(tmp_path):
    def change(goals):
        goals.loc[0, "lead_unit"] = "区卫健局"  # an alias, not the register's name
        goals.loc[1, "partner_units"] = "区妇联;区外事办"

    message = _broken_goals(tmp_path, change)
    assert "goals.csv line 2 (HE-01): lead_unit '区卫健局' is not a unit of units.csv" in message
    assert "goals.csv line 3 (HE-02): partner unit '区外事办'" in message


def test_loader_refuses_a_measure_of_another_domain_or_unknown(tmp_path):
    def change(goals):
        goals.loc[0, "measure_ids"] = "HE-M01;ED-M04"
        goals.loc[1, "measure_ids"] = "HE-M99"

    message = _broken_goals(tmp_path, change)
    assert "line 2 (HE-01): measure ED-M04 is of domain education, not health" in message
    assert "line 3 (HE-02): measure HE-M99 is not in measures.csv" in message


def test_loader_refuses_a_spelling_that_names_two_units(tmp_path):
    units = pd.read_csv(UNITS_CSV, dtype=str, keep_default_na=False)
    row = units.index[units["unit"] == "区民政局"][0]
    units.loc[row, "aliases"] += ";区卫健局"
    path = tmp_path / "units.csv"
    units.to_csv(path, index=False)
    with pytest.raises(CatalogError, match=r"units.csv line \d+ \(区.*'区卫健局' also names"):
        load_catalog(DOMAINS_CSV, GOALS_CSV, INDICATORS_CSV, units_csv=path)
