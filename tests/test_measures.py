"""The 策略措施 register against the outline text, and the self-assessment workbook: round trip,
cell-level refusals, and the summary counted by hand."""

import importlib.util
import re

import openpyxl
import pandas as pd
import pytest

from analysis import CATALOG
from analysis.data.measures import (
    COLUMNS,
    COVERAGE_SHEET,
    GUIDE,
    HEADER_ROW,
    MEASURES_SHEET,
    QUALITATIVE_SHEET,
    ingest_self_assessments,
    items,
    load_measures,
    read_self_assessment,
    summary,
    write_self_assessment_workbook,
)
from analysis.data.problems import IngestError
from analysis.paths import OUTLINE_TEXT, ROOT

MEASURES_PER_DOMAIN = {"health": 12, "education": 11, "economy": 13, "decision_making": 10,
                       "social_security": 11, "family": 10, "environment": 12, "law": 12}  # fmt: skip


@pytest.fixture(scope="module")
def blocks() -> list[str]:
    """Each domain's 策略措施 block of the outline, whitespace removed, found independently of the script."""
    text = re.sub(r"\s+", "", OUTLINE_TEXT.read_text(encoding="utf-8"))
    start = text.index("二、发展领域", text.index("前言") + 200)
    part = text[start : text.index("三、组织实施", start)]
    heads = [m.start() for m in re.finditer(r"\([一二三四五六七八]\)妇女", part)] + [len(part)]
    return [part[part.index("策略措施", a) + 5 : b] for a, b in zip(heads, heads[1:])]


def test_every_measure_is_the_outlines_and_none_is_missing(blocks):
    measures = load_measures()
    assert measures.groupby("domain", sort=False).size().to_dict() == MEASURES_PER_DOMAIN
    assert measures["measure_id"].is_unique
    for block, (domain, group) in zip(blocks, measures.groupby("domain", sort=False)):
        rebuilt = "".join(f"{m.measure_no}.{m.text_zh}" for m in group.itertuples())
        assert rebuilt == block, domain  # nothing left out, nothing added, in order
        for m in group.itertuples():
            assert m.text_zh.startswith(m.title + "。")


def test_the_full_coverage_targets_are_registered():
    coverage = " ".join(load_measures()["coverage_targets"])
    for phrase in ("妇女议事会实现全覆盖", "城市社区综合服务设施实现全覆盖", "全覆盖的村(社区)干预家暴网络",
                   "“两癌”筛查实现全域覆盖"):  # fmt: skip
        assert phrase in coverage


def test_measure_indicators_point_at_their_measure():
    measures = load_measures().set_index("measure_id")
    goals = CATALOG.goals.set_index("goal_id")["domain"]
    code = dict(zip(CATALOG.domains["domain"], CATALOG.domains["code"]))
    for ind in CATALOG.indicators.loc[CATALOG.indicators["origin"] == "measure"].itertuples():
        measure = measures.loc[f"{code[goals[ind.goal_id]]}-M{int(ind.measure_no):02d}"]
        assert ind.indicator_id in measure["indicator_ids"].split(";")
        number = f"{ind.target_value:g}%" if ind.unit == "%" else f"{ind.target_value:g}"
        assert number in measure["targets"], ind.indicator_id


def _fill(path, guide=None, answers=()):
    """Fill a workbook: guide fields, and (sheet, item_id, {column: value}) answers."""
    book = openpyxl.load_workbook(path)
    values = {"填报单位": "区卫生健康局", "评估阶段": "中期评估", "截至年份": "2025", **(guide or {})}
    for r in range(1, 10):
        if book[GUIDE].cell(r, 1).value in values:
            book[GUIDE].cell(r, 2, values[book[GUIDE].cell(r, 1).value])
    for sheet, item_id, cells in answers:
        ws, header = book[sheet], COLUMNS[sheet]
        row = next(r for r in range(HEADER_ROW + 1, ws.max_row + 1) if ws.cell(r, 1).value == item_id)
        for name, value in cells.items():
            ws.cell(row, header.index(name) + 1, value)
    book.save(path)
    return path


@pytest.fixture
def blank(tmp_path):
    return write_self_assessment_workbook(tmp_path / "raw" / "卫健局.xlsx", unit="区卫生健康局")


def test_workbook_has_every_item_and_a_status_drop_down(blank):
    book = openpyxl.load_workbook(blank)
    counts = {name: len(rows) for name, rows in items().items()}
    assert counts == {MEASURES_SHEET: 91, COVERAGE_SHEET: 5, QUALITATIVE_SHEET: 33}
    for sheet in counts:
        ws = book[sheet]
        assert ws.max_row == HEADER_ROW + counts[sheet]
        lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
        assert lists and lists[0].formula1 == '"已完成,推进中,未启动"'


def test_round_trip_and_summary_by_hand(blank, tmp_path):
    _fill(blank, answers=[
        (MEASURES_SHEET, "HE-M04", {"落实状态": "已完成", "进展与证据": "全区孕产妇系统管理率92%", "文件依据": "金卫发〔2024〕3号"}),
        (MEASURES_SHEET, "HE-M05", {"落实状态": "推进中", "进展与证据": "两癌筛查覆盖4个乡镇"}),
        (MEASURES_SHEET, "ED-M01", {"落实状态": "未启动"}),
        (COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": 4, "应覆盖数": 6, "落实状态": "推进中", "进展与证据": "4/6乡镇"}),
        (QUALITATIVE_SHEET, "HE-10-1", {"落实状态": "推进中", "进展与证据": "妇幼保健院改扩建"}),
    ])  # fmt: skip
    other = write_self_assessment_workbook(tmp_path / "raw" / "教育局.xlsx", unit="区教育局")
    _fill(other, guide={"填报单位": "区教育局"}, answers=[
        (MEASURES_SHEET, "HE-M04", {"落实状态": "推进中", "进展与证据": "校医培训"}),
        (MEASURES_SHEET, "ED-M01", {"落实状态": "已完成", "进展与证据": "开展思想政治教育12场"}),
    ])  # fmt: skip
    table = ingest_self_assessments(tmp_path / "raw", tmp_path / "processed")
    assert len(table) == 7
    assert (tmp_path / "processed" / "self_assessment.parquet").exists()
    assert table.loc[table["item_id"] == "HE-M05-C1", ["covered", "to_cover"]].values.tolist() == [[4, 6]]
    s = summary(table).set_index("领域")
    # health: HE-M04 已完成 (卫健) + 推进中 (教育) -> least advanced 推进中; HE-M05 推进中; 10 not reported
    assert s.loc["妇女与健康", ["总数", "已完成", "推进中", "未启动", "未填报"]].tolist() == [12, 0, 2, 0, 10]
    # education: ED-M01 未启动 (卫健) + 已完成 (教育) -> 未启动; 10 not reported
    assert s.loc["妇女与教育", ["已完成", "推进中", "未启动", "未填报"]].tolist() == [0, 0, 1, 10]
    assert s.loc["合计", "总数"] == 91 and s.loc["合计", "未填报"] == 88
    assert "自评" in summary(table).attrs["label"] and "合成" not in summary(table).attrs["label"]
    assert summary(table, "qualitative").set_index("领域").loc["合计", "推进中"] == 1


@pytest.mark.parametrize("answers, guide, where, words", [
    ([(MEASURES_SHEET, "HE-M04", {"落实状态": "完成了"})], None, "策略措施!E7 [落实状态]", "not a status"),
    ([(MEASURES_SHEET, "HE-M04", {"落实状态": "已完成"})], None, "策略措施!F7 [进展与证据]", "without evidence"),
    ([(MEASURES_SHEET, "HE-M04", {"进展与证据": "做了"})], None, "策略措施!E7 [落实状态]", "no status"),
    ([(MEASURES_SHEET, "HE-M04", {"编号": "HE-M99", "落实状态": "推进中"})], None, "策略措施!A7 [编号]", "unknown"),
    ([(COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": 7, "应覆盖数": 6, "落实状态": "推进中", "进展与证据": "x"})],
     None, "全覆盖目标!D4 [已覆盖数]", "7 covered of 6"),
    ([(COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": 5, "应覆盖数": 6, "落实状态": "已完成", "进展与证据": "x"})],
     None, "全覆盖目标!F4 [落实状态]", "only 5 of 6"),
    ([(COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": "约5", "落实状态": "推进中", "进展与证据": "x"})],
     None, "全覆盖目标!D4 [已覆盖数]", "not a whole number"),
    ([], {"评估阶段": "期中"}, "填报说明!B4", "not one of"),
    ([], {"填报单位": ""}, "填报说明!B3 [填报单位]", "no 填报单位"),
])  # fmt: skip
def test_bad_answers_are_refused_cell_by_cell_and_nothing_is_written(blank, tmp_path, answers, guide, where, words):
    _fill(blank, guide=guide, answers=answers)
    with pytest.raises(IngestError) as error:
        ingest_self_assessments(tmp_path / "raw", tmp_path / "processed")
    assert any(f"raw/卫健局.xlsx: {where}" in str(p) and words in str(p) for p in error.value.problems), \
        [str(p) for p in error.value.problems]
    assert not (tmp_path / "processed").exists()


def test_a_workbook_without_the_sheets_is_named(tmp_path):
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "x.xlsx", index=False)
    frame, problems = read_self_assessment(tmp_path / "x.xlsx", "x.xlsx")
    assert frame.empty and "not a self-assessment workbook" in str(problems[0])


def test_synthetic_example_is_seeded_and_labelled(tmp_path):
    spec = importlib.util.spec_from_file_location("make_sa", ROOT / "scripts" / "make_synthetic_self_assessment.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    tables = []
    for run in ("a", "b"):
        folder = tmp_path / run / "self_assessment"
        script.main(["--folder", str(folder)])
        tables.append(ingest_self_assessments(folder, tmp_path / run / "processed"))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    assert tables[0]["synthetic"].all() and tables[0]["unit"].str.contains("合成示例").all()
    assert summary(tables[0]).attrs["label"].startswith("【合成示例数据")
    shipped = ingest_self_assessments(ROOT / "data" / "raw" / "self_assessment", tmp_path / "shipped")
    pd.testing.assert_frame_equal(shipped.drop(columns="file"), tables[0].drop(columns="file"))


def test_the_register_is_what_its_script_writes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_measures", ROOT / "scripts" / "make_measures_catalog.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    monkeypatch.setattr(script, "OUTPUT", tmp_path / "measures.csv")
    script.main()
    assert (tmp_path / "measures.csv").read_bytes() == (ROOT / "analysis" / "catalog" / "measures.csv").read_bytes()
