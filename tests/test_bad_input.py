"""The bad-input corpus: every case is refused with a message naming the cell, and changes nothing.

Each case writes one bad file next to a good one that is already loaded; ingest must raise
IngestError naming the expected place, and the database, its exports and the raw files must be
byte-for-byte what they were.
"""

from pathlib import Path

import openpyxl
import pytest
from conftest import HEADER, snapshot, write_csv

from analysis import CATALOG
from analysis.data import IngestError, Vocabulary, ingest, write_entry_workbook
from analysis.data.problems import cell_name
from analysis.data.workbook import FIRST_YEAR, FIXED, HEADER_ROW, entry_rows

SOURCE = "区统计局"


def row(indicator="EC-02-1", region="金口河区", year="2023", sex="", urban_rural="", value="44.0",
        numerator="", denominator="", unit="", source=SOURCE):  # fmt: skip
    return [indicator, region, year, sex, urban_rural, value, numerator, denominator, unit, source]


def csv_case(rows, header=HEADER, name="bad.csv", encoding="utf-8"):
    return lambda raw: write_csv(raw / "unit" / name, rows, header, encoding)


def bytes_case(data: bytes, name: str):
    def make(raw: Path) -> Path:
        path = raw / "unit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    return make


def xlsx_sheets_case(sheets: dict[str, list[list]], name="bad.xlsx"):
    def make(raw: Path) -> Path:
        book = openpyxl.Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            ws = book.create_sheet(title)
            for r in rows:
                ws.append(r)
        path = raw / "unit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        book.save(path)
        return path

    return make


def entry_case(edit, name="经济数据.xlsx"):
    """A generated entry workbook with one edit: edit(book) -> None."""

    def make(raw: Path) -> Path:
        path = raw / "unit" / name
        write_entry_workbook(path, CATALOG, Vocabulary.default(), "金口河区", source="区统计局 年报")
        book = openpyxl.load_workbook(path)
        edit(book)
        book.save(path)
        return path

    return make


def entry_cell(domain: str, indicator: str, year: int, item: str = "数值") -> tuple[int, int]:
    """Row and column of an indicator's district cell for a year in a fresh entry workbook."""
    towns = sorted(Vocabulary.default().regions.query("parent == '金口河区'")["region"])
    rows = entry_rows(CATALOG, domain, "金口河区", towns)
    index = next(i for i, r in enumerate(rows) if r["indicator"].indicator_id == indicator and r["item"] == item)
    return HEADER_ROW + 1 + index, len(FIXED) + 1 + year - FIRST_YEAR


SHEETS = {"economy": "经济", "health": "健康"}


def put(domain, indicator, year, value, item="数值"):
    def edit(book):
        r, c = entry_cell(domain, indicator, year, item)
        book[SHEETS[domain]].cell(r, c).value = value

    return edit


EC_2022 = entry_cell("economy", "EC-02-1", 2022)
MMR_2021 = entry_cell("health", "HE-02-1", 2021, "分子")

CASES = {
    "unknown indicator": (csv_case([row(indicator="XX-99-9")]), ["A2"], "unknown indicator"),
    "qualitative goal given a value": (csv_case([row(indicator="ED-01-1")]), ["A2"], "qualitative"),
    "unknown region": (csv_case([row(region="峨边县")]), ["B2"], "unknown region"),
    "year before the monitoring": (csv_case([row(year="1990")]), ["C2"], "outside"),
    "year in the future": (csv_case([row(year="2099")]), ["C2"], "outside"),
    "year not a number": (csv_case([row(year="去年")]), ["C2"], "not a whole number"),
    "dash as a value": (csv_case([row(value="—")]), ["F2"], "is not a number"),
    "N/A as a value": (csv_case([row(value="N/A")]), ["F2"], "未统计"),
    "decimal comma": (csv_case([row(value="44,5")]), ["F2"], "is not a number"),
    "fraction for a percentage": (csv_case([row(value="0.45")]), ["F2"], "looks like a fraction"),
    "share above 100": (csv_case([row(value="120")]), ["F2"], "outside the possible range"),
    "negative mortality": (csv_case([row("HE-02-1", value="-3", unit="1/10万")]), ["F2"], "outside"),
    "numerator above denominator": (
        csv_case([row("HE-05-1", value="", numerator="5", denominator="3")]), ["G2"], "exceeds"),
    "numerator without denominator": (
        csv_case([row("HE-02-1", value="", numerator="1")]), ["H2"], "denominator is missing"),
    "value disagrees with counts": (
        csv_case([row("HE-02-1", value="12", numerator="1", denominator="350")]), ["F2"], "disagrees"),
    "fractional count": (csv_case([row("HE-02-1", value="", numerator="0.5", denominator="350")]),
                         ["G2"], "whole count"),  # fmt: skip
    "unit differs from the catalog": (csv_case([row(unit="‰")]), ["I2"], "differs from the indicator's unit"),
    "unknown sex": (csv_case([row(indicator="ED-09-2", sex="X", value="9.0")]), ["D2"], "unknown sex"),
    "same key twice, different values": (
        csv_case([row(value="44.0"), row(value="45.0")]), ["row 3"], "different value"),
    "synthetic row in a real file": (
        csv_case([row() + ["true"]], header=HEADER + ["synthetic"]), ["K2"], "synthetic"),
    "real row in a synthetic file": (
        csv_case([row()], name="example_synthetic.csv"), ["row 2"], "synthetic=true"),
    "no source": (csv_case([row(source="")]), ["J2"], "no source"),
    "missing region column": (
        csv_case([["EC-02-1", "2023", "44"]], header=["指标代码", "年份", "数值"]), ["row 1"], "missing column"),
    "no header row": (csv_case([["a", "b"], ["1", "2"]], header=["x", "y"]), ["bad.csv"], "no header row"),
    "empty file": (bytes_case(b"", "empty.csv"), ["empty.csv"], "empty"),
    "header only": (csv_case([]), ["bad.csv"], "no observations"),
    "csv text named .xlsx": (bytes_case("指标代码,地区\n".encode(), "fake.xlsx"), ["fake.xlsx"], "not an Excel"),
    "workbook named .csv": (bytes_case(b"PK\x03\x04" + b"\0" * 64, "book.csv"), ["book.csv"], "named .csv"),
    "old .xls": (bytes_case(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls"), ["old.xls"], ".xls"),
    "broken workbook": (bytes_case(b"PK\x03\x04broken", "broken.xlsx"), ["broken.xlsx"], "damaged"),
    "html page saved as csv": (bytes_case(b"<html><body>table</body></html>", "page.csv"), ["page.csv"], "web page"),
    "workbook without the expected sheets": (
        xlsx_sheets_case({"Sheet1": [["random"], [1]]}), ["Sheet1"], "no header row"),
    "entry workbook: text in a year cell": (
        entry_case(put("economy", "EC-02-1", 2022, "约45")), [f"经济!{cell_name(*EC_2022)}"], "is not a number"),
    "entry workbook: fraction for %": (
        entry_case(put("economy", "EC-02-1", 2022, 0.44)), [f"经济!{cell_name(*EC_2022)}"], "fraction"),
    "entry workbook: count not whole": (
        entry_case(put("health", "HE-02-1", 2021, 1.5, "分子")), [f"健康!{cell_name(*MMR_2021)}"], "whole count"),
    "entry workbook: extra sheet": (
        entry_case(lambda book: book.create_sheet("草稿").append(["备忘：2024年数据待核"])), ["草稿"], "unexpected sheet"),
    "entry workbook: no source": (
        entry_case(lambda book: setattr(book["填表说明"]["B5"], "value", None)), ["填表说明!B5"], "no 数据来源"),
}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_refused_and_changes_nothing(case, store):
    raw, processed = store
    make, cells, fragment = CASES[case]
    ingest(raw, processed)
    before_processed, before_raw = snapshot(processed), snapshot(raw)
    bad = make(raw)
    raw_with_bad = snapshot(raw)
    with pytest.raises(IngestError) as error:
        ingest(raw, processed)
    message = str(error.value)
    assert bad.name in message
    for cell in cells:
        assert cell in message, message
    assert fragment in message, message
    assert "→" in message  # every problem says how to fix it
    assert snapshot(processed) == before_processed
    assert snapshot(raw) == raw_with_bad and set(before_raw) < set(raw_with_bad)


def test_every_problem_is_reported_at_once(store):
    raw, processed = store
    write_csv(raw / "unit" / "many.csv", [row(region="峨边县"), row(year="1990"), row(value="—")])
    write_csv(raw / "unit" / "more.csv", [row(indicator="XX")])
    with pytest.raises(IngestError) as error:
        ingest(raw, processed)
    cells = [(p.file.rsplit("/", 1)[-1], p.cell) for p in error.value.problems]
    assert cells == [("many.csv", "B2"), ("many.csv", "C3"), ("many.csv", "F4"), ("more.csv", "A2")]
    assert not processed.exists() or not any(processed.iterdir())
