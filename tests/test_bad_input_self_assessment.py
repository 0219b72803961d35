"""Issue #22: the member units' self-assessments through the same validated ingest as every other file."""

import shutil

import openpyxl
import pytest
from conftest import GOOD_ROWS, write_csv
from test_bad_input_ledger import cli  # noqa: F401  (the fixture)
from test_measures import _fill

from analysis.data.measures import (
    COVERAGE_SHEET,
    MEASURES_SHEET,
    check_unit,
    load_self_assessment,
    self_assessment_table,
    summary,
    write_self_assessment_workbook,
)

DONE = {"落实状态": "已完成", "进展与证据": "全区孕产妇系统管理率92%"}


@pytest.fixture
def folder(cli):  # noqa: F811
    write_csv(cli.raw / "district" / "base.csv", GOOD_ROWS)
    (cli.raw / "self_assessment").mkdir()
    return cli


def workbook(cli, name="卫健局.xlsx", unit="区卫生健康局", stage="中期评估", year="2025", answers=()):  # noqa: F811
    path = write_self_assessment_workbook(cli.raw / "self_assessment" / name, unit=unit)
    return _fill(path, guide={"填报单位": unit, "评估阶段": stage, "截至年份": year}, answers=answers)


def test_a_person_typed_as_the_unit_is_refused_with_the_registered_name(folder):
    workbook(folder, unit="卫健局张三", answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    folder.refused("self_assessment/卫健局.xlsx: 填报说明!B3 [填报单位]", "'卫健局张三' is not a member unit",
                   "did you mean 区卫生健康局", "units.csv", "联系人")  # fmt: skip
    assert not folder.processed.exists()  # refused before the database was written


def test_an_alias_is_the_registered_unit_and_two_spellings_cannot_answer_twice(folder):
    workbook(folder, "a.xlsx", unit="区卫健局", answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    workbook(folder, "b.xlsx", unit="区卫生健康局", answers=[(MEASURES_SHEET, "HE-M04", {"落实状态": "未启动"})])
    folder.refused("区卫生健康局 answered HE-M04 for 中期评估 2025 in more than one file", "keep one answer")
    (folder.raw / "self_assessment" / "b.xlsx").unlink()
    folder.ok()
    assert list(load_self_assessment(folder.processed)["unit"]) == ["区卫生健康局"]
    assert check_unit("金口河区卫健局") == ("区卫生健康局", None)


def test_a_mid_term_evaluation_outranks_an_older_annual_self_check(folder):
    workbook(folder, "2022.xlsx", stage="年度自查", year="2022", answers=[(MEASURES_SHEET, "HE-M04", {"落实状态": "未启动"})])
    workbook(folder, "2025.xlsx", answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    folder.ok()
    table = self_assessment_table(folder.raw / "self_assessment")
    assert table.loc[table["item_id"] == "HE-M04", "status"].tolist() == ["已完成"]
    health = summary(load_self_assessment(folder.processed)).set_index("领域").loc["妇女与健康"]
    assert health["已完成"] == 1 and health["未启动"] == 0


def test_real_and_synthetic_answers_are_never_pooled(folder):
    workbook(folder, answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    from analysis.paths import ROOT

    shipped = sorted((ROOT / "data" / "raw" / "self_assessment").glob("*synthetic_1.xlsx"))
    shutil.copy(shipped[0], folder.raw / "self_assessment" / shipped[0].name)
    folder.refused(shipped[0].name, "real and synthetic answers would be pooled", "self_assessment/卫健局.xlsx",
                   "move the synthetic workbooks")  # fmt: skip


def test_a_workbook_saved_as_upper_case_xlsx_is_read(folder):
    workbook(folder, "卫健局.XLSX", answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    out = folder.ok()
    assert "self-assessments (自评): 1 answers from 1 workbook(s)" in out
    assert load_self_assessment(folder.processed)["file"].tolist() == ["self_assessment/卫健局.XLSX"]


def test_a_self_assessment_saved_as_csv_is_refused_by_name(folder):
    (folder.raw / "self_assessment" / "卫健局.csv").write_text("编号,落实状态\nHE-M04,已完成\n", encoding="utf-8")
    folder.refused("self_assessment/卫健局.csv", "must be the workbook (.xlsx)", "CSV file holds one sheet",
                   "analysis.data.measures template")  # fmt: skip


def test_zero_of_zero_is_not_complete(folder):
    workbook(folder, answers=[(COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": 0, "应覆盖数": 0, **DONE})])
    folder.refused("全覆盖目标!E4 [应覆盖数]", "应覆盖数 is 0", "cannot be 已完成", "how many there are to cover")


def test_one_count_without_the_other_is_refused(folder):
    workbook(folder, answers=[(COVERAGE_SHEET, "HE-M05-C1", {"已覆盖数": 4, "落实状态": "推进中", "进展与证据": "4个乡镇"})])
    folder.refused("全覆盖目标!E4 [应覆盖数]", "one count without the other")


def test_complete_full_coverage_without_counts_is_refused(folder):
    workbook(folder, answers=[(COVERAGE_SHEET, "HE-M05-C1", DONE)])
    folder.refused("全覆盖目标!D4 [已覆盖数]", "已完成 without counts")


def test_a_hidden_row_of_a_self_assessment_is_refused(folder):
    path = workbook(folder, answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    book = openpyxl.load_workbook(path)
    book[MEASURES_SHEET].row_dimensions[7].hidden = True
    book.save(path)
    folder.refused("卫健局.xlsx: 策略措施!row 7", "hidden but hold data")


def test_the_report_gets_the_validated_table_with_its_label(folder):
    workbook(folder, answers=[(MEASURES_SHEET, "HE-M04", DONE)])
    table = self_assessment_table(folder.raw / "self_assessment")
    assert table["unit"].tolist() == ["区卫生健康局"] and "自评" in table.attrs["label"]
    assert "合成" not in table.attrs["label"]
