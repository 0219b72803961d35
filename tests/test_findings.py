"""What changed since last year, as the summary on page 1 says it."""

from __future__ import annotations

import pandas as pd

from analysis.report.findings import changes


def _headline(levels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"indicator_id": list(levels), "level": list(levels.values()),
                         "name_zh": [f"指标{i}" for i in levels], "name_en": [f"Indicator {i}" for i in levels]})  # fmt: skip


def test_worse_and_better_are_named_and_data_arrivals_counted():
    before = _headline({"A": "yellow", "B": "red", "C": "grey", "D": "grey", "E": "green", "F": "green"})
    now = _headline({"A": "red", "B": "yellow", "C": "green", "D": "yellow", "E": "grey", "F": "green"})
    parts = changes(now, before)
    assert parts[0] == "预警加重1项（指标A由黄色预警变为红色预警）"
    assert parts[1] == "预警减轻1项（指标B由红色预警变为黄色预警）"
    assert parts[2] == "2项因新数据由无法判断变为可判断" and "指标C" not in "".join(parts)
    assert parts[3].startswith("1项变为无法判断")
    assert "Indicator A from yellow warning to red warning" in changes(now, before, "en")[0]


def test_nothing_changed_says_nothing_and_no_previous_year_is_no_comparison():
    same = _headline({"A": "red", "B": "green"})
    assert changes(same, same) == [] and changes(same, None) == []


def test_indicators_that_call_on_the_same_measures_share_one_recommendation():
    """村委会成员 and 村委会主任 belong to one goal with the same measures: said once, naming both, the red
    one first; another unit's indicator gets its own line under its own unit."""
    from analysis import CATALOG
    from analysis.report.findings import recommendations, unit_of

    rows = CATALOG.indicators.set_index("indicator_id").loc[["DM-08-3", "DM-08-4", "HE-03-1"]]
    domain_of = dict(zip(CATALOG.domains["code"], CATALOG.domains["domain"]))  # HE → health
    headline = pd.DataFrame({"indicator_id": rows.index, "goal_id": rows["goal_id"].values,
                             "domain": [domain_of[g.split("-")[0]] for g in rows["goal_id"]],
                             "name_zh": rows["name_zh"].values, "name_en": rows["name_en"].values,
                             "level": ["yellow", "red", "red"]})  # fmt: skip
    lines = recommendations(headline)
    village = lines[unit_of("DM-08")]
    assert len(village) == 1 and village[0].startswith("针对村委会主任中女性比例（红色预警）、村委会成员中女性比例（黄色预警），落实纲要")
    assert unit_of("HE-03") != unit_of("DM-08") and len(lines[unit_of("HE-03")]) == 1


def test_a_source_in_the_english_edition_is_its_english_title_or_a_pointer():
    """Mixed titles gave 'Years (2019, ; )' and '(EN;' in the notes; a Chinese-only title points to the Chinese edition."""
    from analysis.report.appendix import CHINESE_SOURCE, english_source

    white_paper = "Equality, Development and Sharing: Progress of Women's Cause in 70 Years (白皮书2019,决策部分; 非统计局监测报告)"
    assert english_source(white_paper) == "Equality, Development and Sharing: Progress of Women's Cause in 70 Years"
    report = "NBS: Statistical Monitoring Report of China National Program for Women's Development (2021-2030) in 2021 (EN)"
    assert english_source(report) == report
    assert english_source("风传媒(storm.mg)引述新华社:截至2023年底中国共产党党员总数9918.5万名") == CHINESE_SOURCE
