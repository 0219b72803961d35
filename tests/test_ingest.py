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
