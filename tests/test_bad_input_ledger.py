"""Issue #22: corrections as a ledger, counts as counts, and the older open cases of ingest.

Each refusal goes through the command line (``python -m analysis ingest``): exit code 2, a message
naming the file, the place and a fix, and the database, its exports and data/raw byte-identical.
"""

import os
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import HEADER, snapshot, write_csv

from analysis import CATALOG, paths
from analysis.__main__ import main
from analysis.data import MonitoringDatabase, Vocabulary, ingest, load_observations, write_entry_workbook
from analysis.data.store import DATABASE_NAME

SOURCE = "区卫生健康局 妇幼年报"
REVISES = HEADER + ["revises"]


def row(indicator="HE-02-4", year="2023", value="96.0", region="金口河区", source=SOURCE, *extra):
    return [indicator, region, year, "", "", value, "", "", "", source, *extra]


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    """Run ``python -m analysis …`` on scratch folders; ``refused`` checks a refusal changed nothing."""
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    monkeypatch.setattr(paths, "DATA_PROCESSED", processed)
    monkeypatch.setattr(paths, "REPORTS", tmp_path / "reports")

    class Cli:
        def __init__(self):
            self.raw, self.processed, self.tmp = raw, processed, tmp_path

        def ok(self, *args: str) -> str:
            code = main(list(args or ["ingest"]))
            out = capsys.readouterr()
            assert code == 0, out.err
            return out.out

        def refused(self, *words: str, args: tuple = ("ingest",), code: int = 2) -> str:
            before = snapshot(processed) if processed.exists() else {}
            raw_before = snapshot(raw)
            reports_before = snapshot(tmp_path / "reports") if (tmp_path / "reports").exists() else {}
            got = main(list(args))
            err = capsys.readouterr().err
            assert got == code, err
            for word in words:
                assert word in err, f"{word!r} not in {err}"
            assert "Traceback" not in err
            after = snapshot(processed) if processed.exists() else {}
            assert {k: v for k, v in after.items() if k != ".lock"} == {k: v for k, v in before.items() if k != ".lock"}
            assert snapshot(raw) == raw_before
            assert (snapshot(tmp_path / "reports") if (tmp_path / "reports").exists() else {}) == reports_before
            return err

        def value(self, indicator="HE-02-4", year=2023, region="金口河区"):
            frame = load_observations(processed)
            found = frame.loc[(frame["indicator_id"] == indicator) & (frame["year"] == year) & (frame["region"] == region)]
            return None if found.empty else float(found["value"].iloc[0])

    return Cli()


def original(raw: Path, name="2024/卫健局/妇幼年报.csv") -> Path:
    return write_csv(raw / name, [row(year="2022", value="95.1"), row(year="2023", value="96.0")])


# --- corrections as a ledger ------------------------------------------------------------------------


def test_rebuild_after_removing_an_original_keeps_what_its_correction_did_not_repeat(cli):
    original(cli.raw)
    write_csv(cli.raw / "2024/卫健局/妇幼年报（修订）.csv", [row(value="96.8")])
    cli.ok()
    with MonitoringDatabase(cli.processed / DATABASE_NAME, read_only=True) as db:
        revisions_before = db.revisions().drop(columns="batch_id")
    (cli.raw / "2024/卫健局/妇幼年报.csv").unlink()
    out = cli.ok("ingest", "--rebuild")
    assert "kept as stored" in out and "妇幼年报.csv" in out
    assert cli.value(year=2022) == 95.1 and cli.value(year=2023) == 96.8
    with MonitoringDatabase(cli.processed / DATABASE_NAME, read_only=True) as db:
        pd.testing.assert_frame_equal(db.revisions().drop(columns="batch_id"), revisions_before)


def test_rebuild_names_each_dropped_file_and_how_many_values_go(cli):
    original(cli.raw)
    write_csv(cli.raw / "民政局.csv", [row("DM-08-3", value="25.0", source="区民政局")])
    cli.ok()
    (cli.raw / "民政局.csv").unlink()
    out = cli.ok("ingest", "--rebuild")
    assert "dropped (no longer in data/raw): raw/民政局.csv — 1 current value(s) removed" in out


def test_a_deleted_raw_file_is_named_by_the_next_ingest(cli):
    original(cli.raw)
    write_csv(cli.raw / "民政局.csv", [row("DM-08-3", value="25.0", source="区民政局")])
    cli.ok()
    (cli.raw / "民政局.csv").unlink()
    out = cli.ok()
    assert "no longer in data/raw: raw/民政局.csv" in out and "--rebuild" in out
    assert cli.value("DM-08-3") == 25.0  # nothing is removed without a rebuild


def test_an_original_changed_after_its_correction_cannot_replace_the_corrected_value(cli):
    original(cli.raw)
    cli.ok()
    write_csv(cli.raw / "2024/卫健局/妇幼年报（修订）.csv", [row(value="96.8")])
    cli.ok()
    assert cli.value() == 96.8
    write_csv(cli.raw / "2024/卫健局/妇幼年报.csv", [row(year="2022", value="95.1"), row(value="96.0"),
                                                row(year="2021", value="94.0")])  # re-sent with a row more
    err = cli.refused("妇幼年报.csv", "row 3", "妇幼年报（修订）.csv", "corrects this file to 96.8",
                      "take this file out of data/raw")  # fmt: skip
    assert "96 " in err or "as 96," in err
    (cli.raw / "2024/卫健局/妇幼年报.csv").unlink()  # the suggested fix
    out = cli.ok()
    assert cli.value() == 96.8 and "kept as stored" in out


def test_a_revises_file_may_not_change_rows_it_does_not_declare(cli):
    original(cli.raw)
    write_csv(cli.raw / "统计局.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row(value="96.8", *[]) + ["2024/卫健局/妇幼年报.csv"],
                                    row("EC-02-1", value="44.9", source="区统计局") + [""]], REVISES)  # fmt: skip
    cli.refused("raw/更正.csv: row 3", "changes EC-02-1 金口河区 2023 from 44 (统计局.csv", "declares none",
                "revises / 更正文件 cell")  # fmt: skip
    write_csv(cli.raw / "更正.csv", [row(value="96.8", *[]) + ["2024/卫健局/妇幼年报.csv"],
                                    row("EC-02-1", value="44.9", source="区统计局") + ["统计局.csv"]], REVISES)  # the fix
    cli.ok()
    assert cli.value() == 96.8 and cli.value("EC-02-1") == 44.9


def test_files_that_correct_each_other_are_refused(cli):
    write_csv(cli.raw / "a.csv", [row(value="96.0") + ["b.csv"]], REVISES)
    write_csv(cli.raw / "b.csv", [row(value="96.8") + ["a.csv"]], REVISES)
    cli.refused("correct each other", "a.csv → b.csv → a.csv", "keep the declaration only")


def test_a_circle_of_three_corrections_is_refused(cli):
    write_csv(cli.raw / "a.csv", [row(value="96.0") + ["b.csv"]], REVISES)
    write_csv(cli.raw / "b.csv", [row(value="96.8") + ["c.csv"]], REVISES)
    write_csv(cli.raw / "c.csv", [row(value="96.5") + ["a.csv"]], REVISES)
    cli.refused("correct each other", "→ a.csv")


def test_a_correction_of_a_value_never_loaded_is_refused(cli):
    original(cli.raw)
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row(year="2024", value="97.0") + ["妇幼年报.csv"]], REVISES)
    cli.refused("raw/更正.csv: row 2", "corrects HE-02-4 金口河区 2024 in 2024/卫健局/妇幼年报.csv",
                "never had this value", "file of its own")  # fmt: skip


def test_a_named_correction_of_nothing_is_refused(cli):
    write_csv(cli.raw / "妇幼年报（修订）.csv", [row(value="96.8")])
    cli.refused("妇幼年报（修订）.csv: row 2", "was never loaded", "without 修订/更正 in its name")


def test_an_entry_workbook_correction_may_not_add_a_year(cli):
    workbook = cli.raw / "卫健局" / "妇幼.xlsx"
    write_entry_workbook(workbook, CATALOG, Vocabulary.default(), "金口河区", source="区卫健局 年报")
    book = openpyxl.load_workbook(workbook)
    sheet = book["经济"]
    target = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == "EC-02-1"
                  and sheet.cell(r, 4).value == "金口河区")  # fmt: skip
    col = {sheet.cell(3, c).value: c for c in range(1, sheet.max_column + 1)}
    sheet.cell(target, col["2022"]).value = 44.0
    book.save(workbook)
    cli.ok()
    book = openpyxl.load_workbook(workbook)
    book["经济"].cell(target, col["2022"]).value = 44.5
    book["经济"].cell(target, col["2023"]).value = 45.0  # a year the original never had
    guide = book["填表说明"]
    field = next(r for r in range(1, guide.max_row + 1) if guide.cell(r, 1).value == "更正文件")
    guide.cell(field, 2).value = "卫健局/妇幼.xlsx"
    book.save(cli.raw / "卫健局" / "妇幼_2.xlsx")
    cli.refused("妇幼_2.xlsx", "经济!", "EC-02-1 金口河区 2023", "never had this value")


def test_the_documented_path_form_names_the_file_it_corrects(cli):
    original(cli.raw)
    write_csv(cli.raw / "2024/统计局/妇幼年报.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["2024/卫健局/妇幼年报.csv"]], REVISES)
    cli.ok()
    assert cli.value() == 96.8


def test_a_bare_name_matching_two_files_names_both_and_the_suggested_form_works(cli):
    original(cli.raw)
    write_csv(cli.raw / "2024/统计局/妇幼年报.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["妇幼年报.csv"]], REVISES)
    err = cli.refused("raw/更正.csv: row 2", "matches 2 files", "2024/卫健局/妇幼年报.csv", "2024/统计局/妇幼年报.csv")
    suggested = err.split("(e.g. ")[1].split(")")[0]
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["2024/卫健局/妇幼年报.csv"]], REVISES)
    assert suggested in ("2024/卫健局/妇幼年报.csv", "2024/统计局/妇幼年报.csv")
    cli.ok()
    assert cli.value() == 96.8


def test_an_unknown_file_name_suggests_a_form_that_works(cli):
    original(cli.raw)
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["妇幼年报2024.csv"]], REVISES)
    cli.refused("'妇幼年报2024.csv', is not in data/raw", "2024/卫健局/妇幼年报.csv")
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["2024/卫健局/妇幼年报.csv"]], REVISES)
    cli.ok()
    assert cli.value() == 96.8


def test_a_correction_naming_the_wrong_file_for_a_value_is_refused(cli):
    original(cli.raw)
    write_csv(cli.raw / "统计局.csv", [row("EC-02-1", value="44.0", source="区统计局"), row(value="96.0")])
    cli.ok()
    write_csv(cli.raw / "更正.csv", [row("EC-02-1", value="44.9", source="区统计局") + ["妇幼年报.csv"]], REVISES)
    cli.refused("raw/更正.csv: row 2", "never had this value")


# --- counts as counts -------------------------------------------------------------------------------


def test_a_count_of_cases_is_a_whole_number(cli):
    write_csv(cli.raw / "公安.csv", [row("LA-04-1", value="18.5", source="区公安分局")])
    cli.refused("raw/公安.csv: F2", "18.5 件 is not a whole number", "write the number of 件")


def test_towns_may_not_add_up_to_more_than_their_district(cli):
    counts = HEADER
    write_csv(cli.raw / "卫健局.csv", [
        ["HE-02-1", "金口河区", "2023", "", "", "", "1", "350", "", SOURCE],
        ["HE-02-1", "永和镇", "2023", "", "", "", "1", "120", "", SOURCE],
        ["HE-02-1", "金河镇", "2023", "", "", "", "1", "110", "", SOURCE],
    ], counts)  # fmt: skip
    cli.refused("raw/卫健局.csv", "the towns (永和镇、金河镇) add up to 2 for 孕产妇死亡人数, more than 金口河区's 1",
                "partitions.csv", "check the district's figure")  # fmt: skip


def test_towns_below_their_district_load(cli):
    write_csv(cli.raw / "卫健局.csv", [
        ["HE-02-1", "金口河区", "2023", "", "", "", "2", "350", "", SOURCE],
        ["HE-02-1", "永和镇", "2023", "", "", "", "1", "120", "", SOURCE],
    ])  # fmt: skip
    cli.ok()


def test_towns_of_a_later_load_are_checked_against_the_stored_district(cli):
    write_csv(cli.raw / "卫健局.csv", [["HE-02-1", "金口河区", "2023", "", "", "", "1", "350", "", SOURCE]])
    cli.ok()
    write_csv(cli.raw / "乡镇.csv", [["HE-02-1", "永和镇", "2023", "", "", "", "1", "120", "", SOURCE],
                                   ["HE-02-1", "金河镇", "2023", "", "", "", "1", "110", "", SOURCE]])  # fmt: skip
    cli.refused("raw/乡镇.csv", "add up to 2", "more than 金口河区's 1 (raw/卫健局.csv")


# --- the older open cases ---------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list], edit=None) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    for r in [HEADER, *rows]:
        ws.append(r)
    if edit:
        edit(book)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def test_a_hidden_row_is_refused_by_its_number(cli):
    def hide(book):
        book["数据"].row_dimensions[3].hidden = True

    _workbook(cli.raw / "统计局.xlsx", [row("EC-02-1", value="44.0", source="区统计局"),
                                      row("EC-02-1", year="2022", value="41.0", source="区统计局")], hide)  # fmt: skip
    cli.refused("raw/统计局.xlsx: 数据!row 3", "row(s) 3 are hidden but hold data", "取消隐藏/Unhide")


def test_a_hidden_sheet_is_refused_by_its_name(cli):
    def hidden_sheet(book):
        ws = book.create_sheet("旧数据")
        ws.append(HEADER)
        ws.append(row("EC-02-1", value="40.0", source="区统计局"))
        ws.sheet_state = "hidden"

    _workbook(cli.raw / "统计局.xlsx", [row("EC-02-1", value="44.0", source="区统计局")], hidden_sheet)
    cli.refused("raw/统计局.xlsx: 旧数据", "the sheet '旧数据' is hidden but holds data", "unhide it")


def test_a_folder_that_is_a_symbolic_link_is_followed(cli):
    elsewhere = cli.tmp / "elsewhere"
    write_csv(elsewhere / "统计局.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    os.symlink(elsewhere, cli.raw / "2024")
    cli.ok()
    assert cli.value("EC-02-1") == 44.0
    assert list(load_observations(cli.processed)["file"]) == ["raw/2024/统计局.csv"]


def test_a_broken_symbolic_link_is_named(cli):
    original(cli.raw)
    os.symlink(cli.tmp / "gone.csv", cli.raw / "统计局.csv")
    cli.refused("raw/统计局.csv", "a symbolic link to", "gone.csv", "which does not exist", "remove the link")


def test_a_code_with_a_zero_width_space_is_cleaned(cli):
    write_csv(cli.raw / "统计局.csv", [row("EC-02-1\u200b", value="44.0", source="区统计局"),
                                     row("\ufeffEC-03-1\u2060", value="40.0", source="区统计局")])  # fmt: skip
    cli.ok()
    assert cli.value("EC-02-1") == 44.0 and cli.value("EC-03-1") == 40.0


def test_a_formula_showing_div0_is_named_as_that_error(cli):
    path = _workbook(cli.raw / "统计局.xlsx", [row("EC-02-1", value="44.0", source="区统计局")])
    # a workbook saved by Excel with the formula's cached error, and asked to recalculate on opening
    import zipfile

    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    files[sheet] = re.sub(rb'<c r="F2"[^>]*>.*?</c>', b'<c r="F2" t="e"><f>A1/0</f><v>#DIV/0!</v></c>', files[sheet])
    assert b"#DIV/0!" in files[sheet], files[sheet][:2000]
    assert b'fullCalcOnLoad="1"' in files["xl/workbook.xml"]  # openpyxl asks for a recalculation on opening
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    err = cli.refused("raw/统计局.xlsx: 数据!F2", "#DIV/0!", "division by zero")
    assert "never computed" not in err


# --- what data/raw/README.md promises -----------------------------------------------------------------


def test_an_entry_workbook_naming_its_original_by_path_corrects_it(cli):
    workbook = cli.raw / "2024" / "卫健局" / "妇幼.xlsx"
    write_entry_workbook(workbook, CATALOG, Vocabulary.default(), "金口河区", source="区卫健局 年报")
    book = openpyxl.load_workbook(workbook)
    sheet = book["经济"]
    target = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(r, 1).value == "EC-02-1"
                  and sheet.cell(r, 4).value == "金口河区")  # fmt: skip
    col = {sheet.cell(3, c).value: c for c in range(1, sheet.max_column + 1)}
    sheet.cell(target, col["2022"]).value = 44.0
    book.save(workbook)
    cli.ok()
    book["经济"].cell(target, col["2022"]).value = 44.5
    guide = book["填表说明"]
    field = next(r for r in range(1, guide.max_row + 1) if guide.cell(r, 1).value == "更正文件")
    guide.cell(field, 2).value = "2024/卫健局/妇幼.xlsx"
    book.save(cli.raw / "2024" / "卫健局" / "妇幼_第二版.xlsx")
    cli.ok()
    assert cli.value("EC-02-1", 2022) == 44.5
    with MonitoringDatabase(cli.processed / DATABASE_NAME, read_only=True) as db:
        assert list(db.revisions()["value"]) == [44.0, 44.5]
        assert db.corrections()["corrects"].tolist() == ["raw/2024/卫健局/妇幼.xlsx"]


def test_a_later_named_correction_corrects_the_file_its_name_names(cli):
    original(cli.raw)
    cli.ok()
    write_csv(cli.raw / "2024/卫健局/妇幼年报（修订）.csv", [row(value="96.8")])
    cli.ok()
    assert cli.value() == 96.8 and cli.value(year=2022) == 95.1


def test_a_named_correction_may_not_change_another_files_figure(cli):
    original(cli.raw)
    write_csv(cli.raw / "2024/统计局/就业.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    cli.ok()
    write_csv(cli.raw / "2024/卫健局/妇幼年报（修订）.csv", [row(value="96.8"), row("EC-02-1", value="44.9", source="区统计局")])
    cli.refused("妇幼年报（修订）.csv: row 3", "changes EC-02-1 金口河区 2023 from 44 (2024/统计局/就业.csv",
                "declares it corrects 2024/卫健局/妇幼年报.csv", "name 2024/统计局/就业.csv as the file it corrects")  # fmt: skip


def test_an_ingest_after_removing_a_corrected_original_says_it_is_kept(cli):
    original(cli.raw)
    write_csv(cli.raw / "2024/卫健局/妇幼年报（修订）.csv", [row(value="96.8")])
    cli.ok()
    (cli.raw / "2024/卫健局/妇幼年报.csv").unlink()
    out = cli.ok()
    assert "kept as stored (removed from data/raw, but raw/2024/卫健局/妇幼年报（修订）.csv corrects it" in out
    assert "no longer in data/raw" not in out


def test_a_real_value_may_not_join_a_synthetic_series(cli):
    write_csv(cli.raw / "example_synthetic.csv", [row("EC-02-1", year=str(y), value="44.0", source="合成") + ["true"]
                                                  for y in (2015, 2016)], HEADER + ["synthetic"])  # fmt: skip
    cli.ok()
    write_csv(cli.raw / "统计局.csv", [row("EC-02-1", year="2014", value="43.0", source="区统计局")])
    cli.refused("raw/统计局.csv: row 2", "EC-02-1 金口河区 2014 would join a series of synthetic values (e.g. 2015)",
                "move data/raw/synthetic/ out")  # fmt: skip


def test_a_folder_linked_twice_is_named_not_read_twice(cli):
    write_csv(cli.raw / "2024" / "统计局.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    os.symlink(cli.raw / "2024", cli.raw / "2024_copy")
    cli.refused("raw/2024_copy", "already read under another name", "remove the symbolic link")


def test_in_one_load_a_revises_file_corrects_only_the_rows_that_say_so(cli):
    original(cli.raw)
    write_csv(cli.raw / "统计局.csv", [row("EC-02-1", value="44.0", source="区统计局")])
    write_csv(cli.raw / "更正.csv", [row(value="96.8") + ["2024/卫健局/妇幼年报.csv"],
                                    row("EC-02-1", value="44.9", source="区统计局") + [""]], REVISES)  # fmt: skip
    cli.refused("raw/统计局.csv: F2: EC-02-1 金口河区 2023: 44 here, but 44.9 in raw/更正.csv F3",
                "two files of one load disagree", "`revises` column naming the file")  # fmt: skip
    assert not cli.processed.exists()


def test_a_database_made_before_age_groups_and_the_ledger_takes_a_new_file(tmp_path):
    import duckdb

    from analysis.data.store import SCHEMA

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    processed.mkdir()
    old_schema = SCHEMA.replace("age_group VARCHAR NOT NULL DEFAULT '', ", "").split("-- the ledger")[0]
    with duckdb.connect(str(processed / DATABASE_NAME)) as connection:
        connection.execute(old_schema)
        connection.execute("CREATE VIEW current_observations AS SELECT * FROM observations")
        connection.execute("INSERT INTO batches VALUES (1, 'raw/a.csv', 'x', '2024-01-01', 1, 0)")
        connection.execute("INSERT INTO observations (batch_id, indicator_id, region, year, sex, urban_rural, "
                           "population_group, value, status, source, synthetic, file) VALUES "
                           "(1, 'EC-02-1', '金口河区', 2022, 'total', 'total', '', 44.0, 'value', '统计局', false, 'raw/a.csv')")
    write_csv(raw / "a（修订）.csv", [row("EC-02-1", year="2022", value="44.5", source="区统计局")])
    result = ingest(raw, processed)
    assert result.kept == {"raw/a.csv": ["raw/a（修订）.csv"]} and not result.missing
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        assert db.current()["value"].tolist() == [44.5]
        assert db.corrections()["corrects"].tolist() == ["raw/a.csv"]
