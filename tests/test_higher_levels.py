"""Higher levels (#21, #22): comparison rows refused at ingest with file, row, column and fix (and
nothing written); targets' numbers found as numbers; women's values only beside women's values;
old values flagged; term values held through their term; every shown value cited; the graded
shared file's grade C rows used only when an A/B page states the same figure."""

import csv
import hashlib
import importlib.util
import sys

import numpy as np
import pandas as pd
import pytest

from analysis import CatalogError, paths
from analysis.__main__ import main
from analysis.assessment.comparison import (
    STALE_YEARS,
    citations,
    levels,
    levels_latest,
    source_note,
)
from analysis.catalog import (
    TARGET_LEVEL_COLUMNS,
    TARGETS_BY_LEVEL_CSV,
    load_targets_by_level,
    states_number,
)
from analysis.paths import ROOT

HEADER = ["indicator_id", "region", "year", "sex", "urban_rural", "value", "unit", "source", "source_url", "quote",
          "note"]  # fmt: skip
GOOD = {"indicator_id": "HE-02-1", "region": "四川省", "year": "2023", "sex": "", "urban_rural": "", "value": "12.77",
        "unit": "1/10万", "source": "《2023年四川省人群健康状况及重点疾病报告》发布（转载）",
        "source_url": "http://www.ny26zhong.com/n2/2024/1225/c345167-41086840.html",
        "quote": "孕產婦死亡率為12.77/10萬,連續7年低于全國平均水平", "note": ""}  # fmt: skip


def _write(path, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)


def _snapshot(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def store(tmp_path, monkeypatch):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    _write(raw / "comparison" / "good.csv", [GOOD])
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    monkeypatch.setattr(paths, "DATA_PROCESSED", processed)
    assert main(["ingest"]) == 0
    return raw, processed


# (folder, change to the good row, column refused, the message's words)
REFUSALS = {
    "a 金口河区 row in comparison/": ("comparison", {"region": "金口河区"}, "B2", "region", "not a higher level"),
    "a town row in comparison/": ("comparison", {"region": "永和镇"}, "B2", "region", "not a higher level"),
    "a district row in national/": ("national", {"region": "金口河区"}, "B2", "region", "not a higher level"),
    "no URL": ("comparison", {"source_url": ""}, "I2", "source_url", "no address of the page"),
    "a URL that is no address": ("comparison", {"source_url": "人民网"}, "I2", "source_url", "no address"),
    "no quote": ("comparison", {"quote": ""}, "J2", "quote", "no quote"),
    "a quote stating another figure": ("comparison", {"value": "2.77"}, "J2", "quote", "does not state 2.77"),
    "no unit": ("comparison", {"unit": ""}, "G2", "unit", "no unit"),
    "per mille typed under 1/10万 (provincial)": (
        "comparison", {"value": "0.125", "quote": "孕产妇死亡率为0.125"}, "F2", "value", "outside the plausible range"),
    "per mille typed under 1/10万 (national)": (
        "national", {"region": "全国", "value": "0.012", "quote": "孕产妇死亡率为0.012"}, "F2", "value",
        "outside the plausible range"),
    "maternal mortality per 10万 typed as ‰": ("comparison", {"unit": "‰"}, "G2", "unit", "differs from"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_a_bad_comparison_row_is_refused_and_nothing_written(case, store, capsys):
    raw, processed = store
    folder, change, cell, column, words = REFUSALS[case]
    before = _snapshot(processed)
    _write(raw / folder / "bad.csv", [{**GOOD, "year": "2021", **change}])
    capsys.readouterr()
    assert main(["ingest"]) == 2
    message = capsys.readouterr().err
    assert f"{folder}/bad.csv: {cell} [{column}]: " in message, message  # file, row and column
    assert words in message and "→" in message, message  # what is wrong, and the fix
    assert _snapshot(processed) == before  # nothing written


def test_the_shipped_comparison_files_pass_the_checks(tmp_path):
    from analysis.data.ingest import ingest

    raw = tmp_path / "raw"
    for folder in ("comparison", "national"):
        for path in (ROOT / "data" / "raw" / folder).glob("*.csv"):
            (raw / folder).mkdir(parents=True, exist_ok=True)
            (raw / folder / path.name).write_bytes(path.read_bytes())
    assert ingest(raw, tmp_path / "processed").observations > 100


# --- targets: the number as a number ---------------------------------------------------------------

def _targets(tmp_path, **change):
    frame = pd.read_csv(TARGETS_BY_LEVEL_CSV, dtype=str, keep_default_na=False)
    row = frame.loc[(frame["indicator_id"] == "HE-02-1") & (frame["level"] == "全国")].assign(**change)
    path = tmp_path / "targets_by_level.csv"
    row[TARGET_LEVEL_COLUMNS].to_csv(path, index=False)
    return path


def test_a_target_of_2_is_not_found_in_12(tmp_path):
    assert states_number("2.孕产妇死亡率下降到12/10万以下", 12) and not states_number("下降到12/10万以下", 2)
    with pytest.raises(CatalogError, match=r"line 2 \(HE-02-1 全国\), column target_value: the quote does not state 2 "):
        load_targets_by_level(_targets(tmp_path, target_value="2", quote="下降到12/10万以下"))
    with pytest.raises(CatalogError, match="does not state 1.2"):
        load_targets_by_level(_targets(tmp_path, target_value="1.2", quote="下降到12/10万以下"))
    assert len(load_targets_by_level(_targets(tmp_path))) == 1


# --- the comparison ---------------------------------------------------------------------------------

def _obs(*rows):
    base = {"sex": "total", "urban_rural": "total", "population_group": "", "numerator": np.nan,
            "denominator": np.nan, "status": "value", "unit": "", "source": "s", "source_url": "http://x.cn/1",
            "quote": "q", "note": "", "synthetic": False}  # fmt: skip
    return pd.DataFrame([{**base, **dict(zip(("indicator_id", "region", "year", "value"), r[:4])), **(r[4] if len(r) > 4 else {})}
                         for r in rows])  # fmt: skip


def test_a_womens_value_is_never_set_beside_a_both_sexes_value():
    obs = _obs(("ED-09-2", "金口河区", 2025, 9.2, {"sex": "female"}), ("ED-09-2", "金口河区", 2025, 9.4),
               ("ED-09-2", "全国", 2020, 9.91, {"quote": "9.91年"}),  # both sexes only
               ("ED-09-2", "四川省", 2020, 8.9, {"sex": "female", "quote": "女性8.9年"}))  # fmt: skip
    table = levels_latest(obs).set_index("sex")
    assert table.loc["female", "四川省_value"] == 8.9 and pd.isna(table.loc["female", "全国_value"])
    assert table.loc["total", "全国_value"] == 9.91 and pd.isna(table.loc["total", "四川省_value"])
    assert table.loc["female", "sex_zh"] == "女性" and table.loc["total", "sex_zh"] == "男女合计"
    same_year = pd.concat([obs, obs.loc[obs["region"] == "金口河区"].assign(year=2020)])
    long = levels(same_year)  # the same year only: 2020
    assert set(zip(long["sex"], long["level"], long["value"], long["value_level"])) == {
        ("female", "四川省", 9.2, 8.9), ("total", "全国", 9.4, 9.91)}


def test_the_shipped_comparison_sets_womens_values_beside_womens_values(tmp_path):
    from analysis.data.ingest import ingest, load_observations

    ingest(paths.DATA_RAW, tmp_path / "processed")
    obs = load_observations(tmp_path / "processed")
    table = levels_latest(obs)
    women = table.loc[table["sex"] == "female"].set_index("indicator_id")
    assert women.loc["ED-09-2", "全国_value"] == 9.59 and women.loc["ED-09-2", "金口河区"] == 9.2  # not 9.91, not 9.4
    for _, row in women.iterrows():
        for level in ("全国", "四川省"):
            if pd.notna(row[f"{level}_value"]):
                match = obs.loc[(obs["indicator_id"] == row.name) & (obs["region"] == level)
                                & (obs["year"] == row[f"{level}_year"]) & (obs["sex"] == "female")]  # fmt: skip
                assert list(match["value"]) == [row[f"{level}_value"]]
    assert (table["全国_value"].notna() & table["全国_source_url"].str.startswith("http")
            | table["全国_value"].isna()).all()  # fmt: skip


def test_a_2014_national_value_beside_a_2025_district_value_is_flagged():
    obs = _obs(("HE-09-1", "金口河区", 2025, 33.7), ("HE-09-1", "全国", 2014, 15.1),
               ("EC-02-1", "金口河区", 2025, 46.9), ("EC-02-1", "全国", 2022, 43.2))  # fmt: skip
    table = levels_latest(obs).set_index("indicator_id")
    assert table.loc["HE-09-1", "全国_stale"] and not table.loc["EC-02-1", "全国_stale"]
    assert pd.isna(table.loc["HE-09-1", "全国_same_year"])  # shown as the latest, never as the 2025 value
    assert "△" in source_note(table.reset_index()) and f"{STALE_YEARS}年以上" in source_note(table.reset_index())
    from analysis.report.midterm import _level_cell

    assert _level_cell(table.loc["HE-09-1"], "全国", "zh") == "15.1（2014）△[1]"
    assert _level_cell(table.loc["EC-02-1"], "全国", "zh") == "43.2（2022）[1]"  # the same page: the same number


def test_a_term_value_holds_through_its_term_and_no_further():
    term = {"note": "口径:全国人民代表大会(届期2018—2023年,届内有效)"}
    obs = _obs(*[("DM-03-1", "金口河区", y, 25.0) for y in (2019, 2022, 2023)], ("DM-03-1", "全国", 2018, 24.9, term))
    long = levels(obs)
    assert list(long["year"]) == [2019, 2022]  # 2023: the 13th NPC's term is over
    assert (long["value_level"] == 24.9).all() and (long["year_level"] == 2018).all()
    row = levels_latest(obs).iloc[0]
    assert row["全国_term"] == "2018—2023年届" and not row["全国_stale"] and "全国人民代表大会" in row["scope_note"]


def test_every_value_shown_is_in_the_citations_with_url_and_quote():
    obs = _obs(("HE-02-1", "金口河区", 2025, 0.0), ("HE-02-1", "全国", 2024, 14.3, {"source": "A", "source_url": "http://a.cn"}),
               ("HE-02-1", "四川省", 2023, 12.77, {"source": "B", "source_url": "http://b.cn"}),
               ("HE-02-4", "金口河区", 2025, 93.8), ("HE-02-4", "全国", 2024, 94.9, {"source": "A", "source_url": "http://a.cn"}))  # fmt: skip
    table = levels_latest(obs)
    cited = citations(table)
    assert len(cited) == 3 and set(cited["ref"]) == {1, 2}  # one number per page, cited twice from A
    assert list(cited.columns[:10]) == ["ref", "level", "indicator_id", "name_zh", "sex", "sex_en", "year", "value",
                                        "unit", "source"]  # fmt: skip
    assert (cited["url"].str.startswith("http") & (cited["quote"] != "")).all()
    assert source_note(table).startswith("注：") and "乐山市未找到" in source_note(table)
    assert "Leshan" in source_note(table, lang="en") and not any("\u4e00" <= c <= "\u9fff" for c in source_note(table, lang="en"))


# --- the import of the graded shared file -----------------------------------------------------------

@pytest.fixture(scope="module")
def national():
    path = ROOT / "scripts" / "import_national_figures.py"
    spec = importlib.util.spec_from_file_location("import_national_figures", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _shared(grade, value="14.3", url="https://reportify.cn/news/1"):
    return {"indicator_zh": "孕产妇死亡率", "unit": "1/10万", "year": "2024", "value": value, "region": "全国",
            "source_url": url, "source_title": "t", "quote": f"孕产妇死亡率为{value}/10万", "file": "f", "line": "2",
            "grade": grade}  # fmt: skip


def test_a_grade_c_row_alone_is_left_out_and_listed(national):
    units = national.read_catalog_units()
    rows, summary = national.build([_shared("C")], units)
    assert rows == [] and summary["unconfirmed"] == [(("HE-02-1", "全国", 2024, "", ""), "14.3", "https://reportify.cn/news/1")]


def test_a_grade_c_row_confirmed_by_a_b_page_is_cited_from_the_b_page(national):
    units = national.read_catalog_units()
    rows, summary = national.build([_shared("C"), _shared("B", url="http://b.cn/2")], units)
    assert [r["source_url"] for r in rows] == ["http://b.cn/2"] and not summary["unconfirmed"]
    assert "C级" in rows[0]["note"]
    rows, summary = national.build([_shared("C", value="14.1"), _shared("B", url="http://b.cn/2")], units)
    assert [r["value"] for r in rows] == ["14.3"] and summary["unconfirmed"]  # another figure: still a lead only


def test_the_scope_traps_are_not_mapped(national):
    for name in ("城镇非私营单位就业人员中女性比例", "村班子(村“两委”)成员中妇女比例(2021–2022集中换届)",
                 "宫颈癌筛查率(35–64岁,曾筛查,抽样调查2023–2024)"):  # fmt: skip
        assert name in national.NOT_MAPPED and name not in national.MAPPING
    shipped = pd.read_csv(ROOT / "data" / "raw" / "national" / "national_outline_monitoring_reports.csv", dtype=str,
                          keep_default_na=False)  # fmt: skip
    assert not ((shipped["indicator_id"] == "HE-02-1") & (shipped["region"] == "四川省") & (shipped["year"] == "2022")).any()
    assert not shipped["source_url"].str.contains("reportify|mxggzz|engwrite").any()
    npc = shipped.loc[shipped["indicator_id"] == "DM-03-1"]
    assert npc["note"].str.contains("届期").all()


class _English:
    region, lang, chapter = "金口河区", "en", "3"

    def t(self, zh, en):
        return en


def test_the_english_levels_table_and_appendix_have_no_chinese():
    from analysis.report.midterm import levels_citations_part, levels_part

    obs = _obs(("HE-02-1", "金口河区", 2025, 0.0), ("HE-02-1", "全国", 2024, 14.3, {"source": "国家统计局", "quote": "孕产妇死亡率为14.3/10万"}),
               ("ED-09-2", "金口河区", 2025, 9.2, {"sex": "female"}),
               ("ED-09-2", "全国", 2020, 9.59, {"sex": "female", "note": "近似匹配：15岁及以上人口口径"}))  # fmt: skip
    blocks = levels_part(_English(), obs) + levels_citations_part(_English(), obs)
    text = "".join(str(getattr(b, "text", "")) + str(getattr(b, "caption", "")) for b in blocks)
    text += "".join(b.frame.to_string() + "".join(b.frame.columns) for b in blocks if hasattr(b, "frame"))
    assert "14.3 (2024)[2]" in text and "at most 12 per 100,000 by 2030" in text  # ED-09-2 is cited first
    assert not [c for c in text if "\u4e00" <= c <= "\u9fff"]
