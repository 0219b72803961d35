"""What real spreadsheets contain is accepted; loads are idempotent; changes become revisions."""

import json

import openpyxl
import pandas as pd
import pytest
from conftest import GOOD_ROWS, HEADER, snapshot, write_csv

from analysis.data import MonitoringDatabase, ingest, load_observations
from analysis.data.cells import read_number
from analysis.data.store import DATABASE_NAME


@pytest.mark.parametrize(
    ("raw", "unit", "number_format", "expected"),
    [
        ("４５．２", "%", "", 45.2),  # full-width digits
        ("45.2％", "%", "", 45.2),  # full-width percent sign
        ("45.2%", "%", "", 45.2),  # percentage typed as text
        ("12,345", "人", "", 12345.0),  # thousands separator
        (" 9.1\u3000", "年", "", 9.1),  # ideographic and ordinary spaces
        ("\u00a088 ", "", "", 88.0),  # no-break space from web pages
        (0.452, "%", "0.0%", 45.2),  # Excel cell formatted as a percentage
        (7, "", "General", 7.0),
        ("12.3‰", "‰", "", 12.3),  # per mille typed for an indicator in ‰
        ("1.2万", "人", "", 12000.0),  # 万 for a count
        ("3.5万元", "元", "", 35000.0),
        ("１．２万人", "", "", 12000.0),  # a count of persons (numerator/denominator)
    ],
)
def test_cells_people_type_are_read_as_numbers(raw, unit, number_format, expected):
    cell = read_number(raw, unit=unit, number_format=number_format)
    assert cell.ok and cell.value == pytest.approx(expected)


def test_not_collected_is_an_explicit_missing_observation():
    assert read_number("未统计", unit="%").status == "missing"
    assert read_number("", unit="%").status == "blank"


def test_first_load_then_same_files_again_adds_nothing(store):
    raw, processed = store
    first = ingest(raw, processed)
    assert [r[1:] for r in first.loaded] == [(5, 0)]
    before = snapshot(processed)
    again = ingest(raw, processed)
    assert again.loaded == [] and len(again.unchanged) == 1
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        assert db.query("SELECT count(*) AS n FROM observations")["n"][0] == 5
    assert snapshot(processed) == before  # nothing new: not a byte rewritten


def test_changing_one_value_records_exactly_one_revision(store):
    raw, processed = store
    ingest(raw, processed)
    changed = [list(r) for r in GOOD_ROWS]
    changed[2][5] = "26.1"  # DM-08-3 2021 corrected
    write_csv(raw / "district" / "base.csv", changed)
    result = ingest(raw, processed)
    assert [r[1:] for r in result.loaded] == [(1, 1)]
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        revisions = db.revisions()
        assert db.query("SELECT count(*) AS n FROM observations")["n"][0] == 6
    assert list(revisions["value"]) == [25.6, 26.1]
    current = load_observations(processed)
    assert current.loc[current["indicator_id"] == "DM-08-3", "value"].tolist() == [26.1]
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["revised_observations"] == 1 and len(manifest["inputs"]["raw/district/base.csv"]) == 2


def test_rebuild_from_raw_gives_the_same_content(store):
    raw, processed = store
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.5", "", "", "", "区统计局"]])
    ingest(raw, processed)
    first = {k: v for k, v in snapshot(processed).items() if k != DATABASE_NAME}
    ingest(raw, processed, rebuild=True)
    second = {k: v for k, v in snapshot(processed).items() if k != DATABASE_NAME}
    assert first == second


def test_small_count_rates_keep_their_counts(store):
    raw, processed = store
    ingest(raw, processed)
    mmr = load_observations(processed).query("indicator_id == 'HE-02-1'").set_index("year")
    assert mmr.loc[2020, ["numerator", "denominator"]].tolist() == [1, 352]
    assert mmr.loc[2020, "value"] == pytest.approx(1 / 352 * 100000)
    assert mmr.loc[2021, "value"] == 0


def test_gbk_csv_with_padding_and_empty_rows(tmp_path):
    raw = tmp_path / "raw"
    rows = [
        ["EC-02-1 ", " 金口河区", "2023年", "", "", "４４.５％", "", "", "％", "区统计局 "],
        [""] * 10,  # an empty row between blocks
        ["DM-08-3", "金口河区", "2023", "", "", "30", "", "", "", "区民政局"],
    ]
    write_csv(raw / "gbk.csv", rows, encoding="gbk")
    ingest(raw, tmp_path / "processed")
    observed = load_observations(tmp_path / "processed").set_index("indicator_id")
    assert observed.loc["EC-02-1", "value"] == 44.5 and observed.loc["EC-02-1", "year"] == 2023
    assert observed.loc["EC-02-1", "source"] == "区统计局"
    assert observed.loc["DM-08-3", "cell"] == "F4"


def test_xlsx_long_table_with_merged_title_and_header(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "数据"
    ws.append(["2023年金口河区妇女发展监测数据（区统计局）"])
    ws.merge_cells("A1:J1")
    ws.append([])
    ws.append(HEADER)
    ws.append(["EC-02-1", "金口河区", 2023, None, None, 0.445, None, None, None, "区统计局"])
    ws["F4"].number_format = "0.0%"
    ws.append(["HE-02-1", "金口河区", 2023, None, "农村", None, 1, 210, None, "区卫生健康局"])
    ws.append(["ED-09-2", "金口河区", 2023, "女", None, "9.3", None, None, None, "区统计局"])
    ws.merge_cells("J5:J6")  # one source for two rows, as people do
    book.save(raw / "long.xlsx")
    ingest(raw, tmp_path / "processed")
    observed = load_observations(tmp_path / "processed").set_index("indicator_id")
    assert observed.loc["EC-02-1", "value"] == pytest.approx(44.5)
    assert observed.loc["HE-02-1", "urban_rural"] == "rural"
    assert observed.loc["ED-09-2", "source"] == "区卫生健康局" and observed.loc["ED-09-2", "sex"] == "female"
    assert observed.loc["EC-02-1", "cell"] == "数据!F4"


def test_exports_are_excel_friendly(store):
    raw, processed = store
    ingest(raw, processed)
    assert (processed / "observations.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    csv = pd.read_csv(processed / "observations.csv", encoding="utf-8-sig")
    parquet = pd.read_parquet(processed / "observations.parquet")
    assert len(csv) == len(parquet) == 5
    assert {"source", "file", "cell", "batch_id", "synthetic"} <= set(parquet.columns)


def test_up_to_year_hides_later_observations(store):
    raw, processed = store
    ingest(raw, processed)
    assert load_observations(processed, up_to_year=2020)["year"].max() == 2020


def test_real_and_synthetic_values_never_mix(tmp_path):
    from analysis.data import IngestError

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "example_synthetic.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.0", "", "", "", "合成", "true"]],
              HEADER + ["synthetic"])  # fmt: skip
    ingest(raw, processed)
    before = snapshot(processed)
    write_csv(raw / "real.csv", [["EC-02-1", "金口河区", "2023", "", "", "45.0", "", "", "", "区统计局"]])
    with pytest.raises(IngestError, match="already has a synthetic value"):
        ingest(raw, processed)
    assert snapshot(processed) == before


# What real bureau files do that is right, stored exactly where the report reads it.

ROW = ["指标代码", "地区", "年份", "性别", "城乡", "数值", "分子", "分母", "单位", "来源", "群体"]


def one(processed, indicator, **where):
    frame = load_observations(processed).query("indicator_id == @indicator")
    for column, value in where.items():
        frame = frame.loc[frame[column] == value]
    assert len(frame) == 1, frame
    return frame.iloc[0]


def test_women_only_statistics_typed_for_women_are_the_headline(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "卫健局.csv", [
        ["HE-01-1", "金口河区", "2023", "女", "", "80.1", "", "", "岁", "区卫生健康局", ""],
        ["HE-03-1", "金口河区", "2023", "", "", "61.5", "", "", "%", "区卫生健康局", "妇女"],
        ["ED-09-2", "金口河区", "2023", "", "", "9.4", "", "", "年", "区统计局", "女性"],
    ], ROW)  # fmt: skip
    result = ingest(raw, processed)
    life = one(processed, "HE-01-1")
    assert (life["sex"], life["population_group"], life["value"]) == ("total", "", 80.1)
    screening = one(processed, "HE-03-1")
    assert (screening["sex"], screening["population_group"], screening["value"]) == ("total", "", 61.5)
    schooling = one(processed, "ED-09-2")  # everyone's statistic kept by sex: the female series
    assert (schooling["sex"], schooling["population_group"], schooling["value"]) == ("female", "", 9.4)
    summary = result.summary()
    assert "D2" in summary and "K3" in summary and "stored as its value" in summary


def test_ten_thousands_and_per_mille_are_converted(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "医保局.csv", [
        ["SS-02-1", "金口河区", "2023", "女", "", "1.2万", "", "", "", "区医保局", ""],
        ["HE-04-1", "金口河区", "2023", "", "", "12.3‰", "", "", "", "区卫生健康局", ""],
        ["EC-05-1", "金口河区", "2023", "", "", "5.8万元", "", "", "", "区统计局", ""],
    ], ROW)  # fmt: skip
    ingest(raw, processed)
    assert one(processed, "SS-02-1")["value"] == 12000
    assert one(processed, "HE-04-1")["value"] == 12.3
    assert one(processed, "EC-05-1")["value"] == 58000


def test_wps_empty_sheets_are_ignored_and_units_in_headers_read(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Sheet1"
    ws.append(["序号", "指标代码", "指标名称", "地区", "年份", "数值（%）", "来源"])
    ws.append([1, "EC-02-1", "就业人员中的女性比例(%)", "金口河区", 2023, 44.2, "区统计局"])
    book.create_sheet("Sheet2")
    book.create_sheet("Sheet3")
    book.save(raw / "WPS导出.xlsx")
    ingest(raw, processed)
    stored = one(processed, "EC-02-1")
    assert (stored["value"], stored["cell"]) == (44.2, "Sheet1!F2")


def test_a_name_that_differs_from_the_catalog_is_loaded_with_a_note(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "a.csv", [["EC-02-1", "女性就业占比", "金口河区", "2023", "44.0", "区统计局"]],
              ["指标代码", "指标名称", "地区", "年份", "数值", "来源"])  # fmt: skip
    result = ingest(raw, processed)
    assert one(processed, "EC-02-1")["value"] == 44.0
    assert "B2: check: the name '女性就业占比' differs" in result.summary()


def test_entry_workbook_with_year_headers_retyped_as_2023年(tmp_path):
    from test_bad_input import EC_2022, entry_case

    raw, processed = tmp_path / "raw", tmp_path / "processed"

    def edit(book):
        r, c = EC_2022
        book["经济"].cell(r, c).value = 44.5
        book["经济"].cell(3, c).value = "2022年"
        book["经济"].cell(r, c + 1).value = 45.0
        book["经济"].cell(3, c + 1).value = "2023年度"

    entry_case(edit)(raw)
    ingest(raw, processed)
    stored = load_observations(processed).set_index("year")["value"].to_dict()
    assert stored == {2022: 44.5, 2023: 45.0}


def corrections_folder(tmp_path, correction_name, correction_rows, header=HEADER):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "2023" / "统计局.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.0", "", "", "", "区统计局"],
                                         ["EC-03-1", "金口河区", "2023", "", "", "40.0", "", "", "", "区统计局"]])  # fmt: skip
    write_csv(raw / "2023" / correction_name, correction_rows, header)
    return raw, processed


@pytest.mark.parametrize("name", ["00更正_统计局.csv", "统计局（修订）.csv"])
def test_a_correction_in_the_same_load_wins_whatever_its_name_sorts_to(tmp_path, name):
    raw, processed = corrections_folder(tmp_path, name, [["EC-02-1", "金口河区", "2023", "", "", "44.6", "", "", "", "区统计局"]])
    result = ingest(raw, processed)
    assert [f.rsplit("/", 1)[-1] for f, _, _ in result.loaded] == ["统计局.csv", name]  # the correction last
    assert one(processed, "EC-02-1")["value"] == 44.6
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        assert list(db.revisions()["value"]) == [44.0, 44.6]


def test_a_revises_column_names_the_file_it_corrects(tmp_path):
    raw, processed = corrections_folder(
        tmp_path, "a_卫健局.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.8", "", "", "", "区统计局", "统计局.csv"]],
        HEADER + ["revises"])  # fmt: skip
    ingest(raw, processed)
    assert one(processed, "EC-02-1")["value"] == 44.8


def test_rebuild_reproduces_the_database_with_its_revisions_in_load_order(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    first = [["EC-02-1", "金口河区", "2023", "", "", "44.0", "", "", "", "区统计局"]]
    write_csv(raw / "z_统计局.csv", first)
    write_csv(raw / "a_民政局.csv", [["DM-08-3", "金口河区", "2023", "", "", "25.0", "", "", "", "区民政局"]])
    ingest(raw, processed)
    write_csv(raw / "m_统计局更正.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.5", "", "", "", "区统计局"]])
    ingest(raw, processed)  # a later load: a revision of z_ by a file whose name sorts before it
    write_csv(raw / "a_民政局.csv", [["DM-08-3", "金口河区", "2023", "", "", "25.5", "", "", "", "区民政局"]])
    ingest(raw, processed)  # a changed file: its old version exists only in the database now

    def content():
        with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
            return (db.current().drop(columns="batch_id"), db.revisions(), db.batches())

    before = content()
    result = ingest(raw, processed, rebuild=True)
    after = content()
    for old, new in zip(before, after):
        pd.testing.assert_frame_equal(old, new)
    assert result.carried == ["raw/a_民政局.csv"]
    assert one(processed, "EC-02-1")["value"] == 44.5 and one(processed, "DM-08-3")["value"] == 25.5


def test_rebuild_without_a_folder_drops_its_batches(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "example_synthetic.csv", [["EC-02-1", "金口河区", "2023", "", "", "44.0", "", "", "", "合成", "true"]],
              HEADER + ["synthetic"])  # fmt: skip
    write_csv(raw / "real" / "民政局.csv", [["DM-08-3", "金口河区", "2023", "", "", "25.0", "", "", "", "区民政局"]])
    ingest(raw, processed)
    (raw / "example_synthetic.csv").unlink()
    result = ingest(raw, processed, rebuild=True)
    assert result.dropped == ["raw/example_synthetic.csv"]
    assert list(load_observations(processed)["indicator_id"]) == ["DM-08-3"]


def test_a_file_changed_back_to_an_earlier_content_is_loaded_again(store):
    raw, processed = store
    ingest(raw, processed)
    original = (raw / "district" / "base.csv").read_bytes()
    changed = [list(r) for r in GOOD_ROWS]
    changed[2][5] = "26.1"
    write_csv(raw / "district" / "base.csv", changed)
    ingest(raw, processed)
    (raw / "district" / "base.csv").write_bytes(original)
    result = ingest(raw, processed)
    assert [r[1:] for r in result.loaded] == [(1, 1)]
    assert one(processed, "DM-08-3")["value"] == 25.6


def test_formulas_saved_with_their_values_are_read(tmp_path):
    """A workbook saved by Excel or WPS keeps each formula's computed value: that value is the figure."""
    import io
    import zipfile

    raw, processed = tmp_path / "raw", tmp_path / "processed"
    raw.mkdir()
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.active.append(["EC-02-1", "金口河区", 2023, None, None, "=13200/30000*100", None, None, None, "区统计局"])
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(raw / "excel.xlsx", "w") as target:
        for item in source.namelist():
            data = source.read(item)
            if item == "xl/worksheets/sheet1.xml":  # what Excel writes: the formula and its result
                data = data.replace(b"<v></v>", b"").replace(b"</f>", b"</f><v>44</v>")
            if item == "xl/workbook.xml":
                data = data.replace(b' fullCalcOnLoad="1"', b"")
            target.writestr(item, data)
    ingest(raw, processed)
    assert one(processed, "EC-02-1")["value"] == 44.0


def test_age_groups_as_people_write_them_are_stored_apart_from_the_all_ages_series(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "社保局.csv", [
        ["SS-04-1", "金口河区", "2023", "女", "", "93.1", "", "", "%", "区人社局", ""],
        ["SS-04-1", "金口河区", "2023", "女", "", "97.2", "", "", "%", "区人社局", "60岁以上"],
        ["SS-04-1", "金口河区", "2023", "女", "", "88.0", "", "", "%", "区人社局", "16-44岁"],
        ["SS-04-1", "金口河区", "2023", "女", "", "94.0", "", "", "%", "区人社局", "45～59"],
    ], [*ROW[:-1], "年龄组"])  # fmt: skip
    ingest(raw, processed)
    assert one(processed, "SS-04-1", sex="female")["value"] == 93.1  # the assessment sees all ages only
    by_age = load_observations(processed, by_age=True).set_index("age_group")["value"].to_dict()
    assert by_age == {"": 93.1, "60+": 97.2, "16-44": 88.0, "45-59": 94.0}
    exported = pd.read_csv(processed / "observations.csv", encoding="utf-8-sig", keep_default_na=False)
    assert sorted(exported["age_group"]) == ["", "16-44", "45-59", "60+"]


def test_a_database_made_before_age_groups_gets_the_column(tmp_path):
    import duckdb

    from analysis.data.store import SCHEMA

    path = tmp_path / DATABASE_NAME
    old_schema = SCHEMA.replace("age_group VARCHAR NOT NULL DEFAULT '', ", "").split("-- a database made")[0]
    with duckdb.connect(str(path)) as connection:  # the observations table as it was before age groups
        connection.execute(old_schema)
        connection.execute("INSERT INTO observations (batch_id, indicator_id, region, year, sex, urban_rural, "
                           "population_group, value, status, source, synthetic, file) VALUES "
                           "(1, 'EC-02-1', '金口河区', 2022, 'total', 'total', '', 44.0, 'value', '统计局', false, 'a.csv')")
    with MonitoringDatabase(path) as db:
        current = db.current()
        assert current.loc[0, "age_group"] == "" and current.loc[0, "value"] == 44.0
        from analysis.data.records import Record

        db.add_batch("b.csv", "x", [Record("EC-02-1", "金口河区", 2022, value=44.0),
                                    Record("SS-04-1", "金口河区", 2022, sex="female", age_group="60+", value=97.0)])
        assert db.current().set_index("indicator_id").loc["SS-04-1", "age_group"] == "60+"
        assert len(db.current()) == 2  # the unchanged all-ages value is not stored again


def test_an_old_database_is_read_before_it_is_migrated(tmp_path):
    """An upgraded checkout's ingest first opens the old database read-only: it must read it, not fail."""
    import duckdb

    from analysis.data.store import SCHEMA

    path = tmp_path / DATABASE_NAME
    old_schema = SCHEMA.replace("age_group VARCHAR NOT NULL DEFAULT '', ", "").split("-- a database made")[0]
    with duckdb.connect(str(path)) as connection:
        connection.execute(old_schema)
        connection.execute("CREATE VIEW current_observations AS SELECT * FROM observations")
        connection.execute("INSERT INTO observations (batch_id, indicator_id, region, year, sex, urban_rural, "
                           "population_group, value, status, source, synthetic, file) VALUES "
                           "(1, 'EC-02-1', '金口河区', 2022, 'total', 'total', '', 44.0, 'value', '统计局', false, 'a.csv')")
    with MonitoringDatabase(path, read_only=True) as db:
        current = db.current()
    assert current.loc[0, "age_group"] == "" and current.loc[0, "value"] == 44.0
