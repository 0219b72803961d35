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


# ---------------------------------------------------------------------------------------------
# The second corpus (issue 14): what real bureau files do that the first corpus did not cover.
# ---------------------------------------------------------------------------------------------

GROUP_HEADER = HEADER + ["群体"]
NOTE_HEADER = HEADER + ["备注"]


def text_case(text: str, name="bad.csv", encoding="utf-8"):
    return bytes_case(text.encode(encoding), name)


def csv_lines(*rows: str) -> str:
    return ",".join(HEADER + ["备注"]) + "\n" + "\n".join(rows) + "\n"


GOOD_LINE = "EC-02-1,金口河区,2023,,,44.0,,,,区统计局,"


def xlsx_case(build, name="bad.xlsx", engine="openpyxl"):
    """A long table written by openpyxl (as WPS/Excel files look) and edited by build(ws)."""

    def make(raw: Path) -> Path:
        path = raw / "unit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        book = openpyxl.Workbook()
        ws = book.active
        ws.title = "Sheet1"
        ws.append(HEADER)
        build(book, ws)
        book.save(path)
        return path

    return make


def xlsxwriter_formula_case(name="formulas.xlsx"):
    """Written by a program (xlsxwriter): formulas carry a placeholder 0, never a computed value."""

    def make(raw: Path) -> Path:
        import xlsxwriter

        path = raw / "unit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        book = xlsxwriter.Workbook(str(path))
        ws = book.add_worksheet("Sheet1")
        ws.write_row(0, 0, HEADER + ["就业人员", "女性就业人员"])
        ws.write_row(1, 0, ["EC-02-1", "金口河区", 2023, None, None])
        ws.write_formula(1, 5, "=L2/K2*100")
        ws.write_row(1, 9, ["区统计局", 30000, 13200])
        book.close()
        return path

    return make


def encrypted_case(name="加密.xlsx"):
    """A password-protected .xlsx: an OLE compound file holding the EncryptedPackage stream."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "Root Entry".encode("utf-16-le").ljust(128, b"\0") + "EncryptedPackage".encode("utf-16-le").ljust(128, b"\0")
    return bytes_case(header + directory + b"\0" * 2048, name)


def damaged_case(name="damaged.xlsx"):
    """A real workbook whose sheet XML was cut short (a download interrupted, a bad USB stick)."""

    def make(raw: Path) -> Path:
        import io
        import zipfile

        buffer = io.BytesIO()
        book = openpyxl.Workbook()
        book.active.append(HEADER)
        book.active.append(["EC-02-1", "金口河区", 2023, None, None, 44.0, None, None, None, "区统计局"])
        book.save(buffer)
        path = raw / "unit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.namelist():
                data = source.read(item)
                target.writestr(item, data[: len(data) // 2] if item.startswith("xl/worksheets/") else data)
        return path

    return make


def two_files_case(first_rows, second_rows, first="卫健局2023.csv", second="统计局2023.csv", header=HEADER):
    def make(raw: Path) -> Path:
        write_csv(raw / "unit" / first, first_rows, header)
        return write_csv(raw / "unit" / second, second_rows, header)

    return make


SHEETS["decision_making"] = "参与决策和管理"
HE_NUM_2021 = entry_cell("health", "HE-02-1", 2021, "分子")
HE_DEN_2021 = entry_cell("health", "HE-02-1", 2021, "分母")
DM_2022 = entry_cell("decision_making", "DM-08-3", 2022)


def merge_years(book):
    r, c = EC_2022
    book["经济"].cell(r, c).value = 44.5
    book["经济"].merge_cells(start_row=r, start_column=c, end_row=r, end_column=c + 2)


def retype_header(text):
    def edit(book):
        r, c = EC_2022
        book["经济"].cell(r, c).value = 44.5
        book["经济"].cell(HEADER_ROW, c + 1).value = text
        book["经济"].cell(r, c + 1).value = 44.9

    return edit


def both(*edits):
    def edit(book):
        for e in edits:
            e(book)

    return edit


def rename(domain, indicator, name):
    def edit(book):
        r, _ = entry_cell(domain, indicator, 2022)
        book[SHEETS[domain]].cell(r, 2).value = name

    return edit


def age_row(indicator: str, age: str, sex: str = "female") -> int:
    """The entry workbook's row of an indicator's age group (by sex) in the 社会保障 sheet."""
    towns = sorted(Vocabulary.default().regions.query("parent == '金口河区'")["region"])
    rows = entry_rows(CATALOG, "social_security", "金口河区", towns)
    index = next(i for i, r in enumerate(rows) if r["indicator"].indicator_id == indicator
                 and r["age_group"] == age and r["sex"] == sex)  # fmt: skip
    return HEADER_ROW + 1 + index


SS_AGE_ROW = age_row("SS-04-1", "60+")


def retype_age(label):
    """Fill SS-04-1's 60岁及以上 (women) 2022 and change its 年龄组 cell to ``label``."""

    def edit(book):
        sheet = book["社会保障"]
        sheet.cell(SS_AGE_ROW, len(FIXED) + 1 + 2022 - FIRST_YEAR).value = 96.5
        sheet.cell(SS_AGE_ROW, FIXED.index("年龄组") + 1).value = label

    return edit


def drop_age_column(book):
    """The 经济 sheet as a template made before age groups: the 年龄组 column deleted."""
    sheet = book["经济"]
    r, c = EC_2022
    sheet.cell(r, c).value = 44.5
    sheet.delete_cols(FIXED.index("年龄组") + 1)


def set_sex(domain, indicator, sex):
    def edit(book):
        r, _ = entry_cell(domain, indicator, 2022)
        book[SHEETS[domain]].cell(r, 5).value = sex

    return edit


def set_guide(field_row, value):
    return lambda book: setattr(book["填表说明"].cell(field_row, 2), "value", value)


def formula_in(domain, indicator, year):
    def edit(book):
        r, c = entry_cell(domain, indicator, year)
        book[SHEETS[domain]].cell(r, c).value = "=44.5+0"

    return edit


def merged_value_rows(book, ws):
    ws.append(["EC-02-1", "金口河区", 2023, None, None, 44.0, None, None, None, "区统计局"])
    ws.append(["EC-03-1", "金口河区", 2023, None, None, None, None, None, None, "区统计局"])
    ws.merge_cells("F2:F3")


def formula_row(book, ws):
    ws.append(["EC-02-1", "金口河区", 2023, None, None, "=13200/30000*100", None, None, None, "区统计局"])


def error_row(book, ws):
    ws.append(["EC-02-1", "金口河区", 2023, None, None, "#DIV/0!", None, None, None, "区统计局"])


def percent_format_count(book, ws):
    ws.append(["SS-02-1", "金口河区", 2023, "女", None, 0.35, None, None, None, "区医保局"])
    ws["F2"].number_format = "0%"


def wps_second_sheet_with_notes(book, ws):
    ws.append(["EC-02-1", "金口河区", 2023, None, None, 44.0, None, None, None, "区统计局"])
    book.create_sheet("Sheet2").append(["审核人：张三"])


def unknown_xlsx_column(book, ws):
    ws["K1"] = "其中：女"
    ws.append(["EC-02-1", "金口河区", 2023, None, None, 44.0, None, None, None, "区统计局", 13200])


SWALLOWED = csv_lines('EC-02-1,金口河区,2023,,,44.0,,,,区统计局,"约数', "EC-03-1,金口河区,2023,,,40.1,,,,区统计局,",
                      'DM-08-3,金口河区,2023,,,27.0,,,,区民政局,待核"')  # fmt: skip
UNCLOSED = csv_lines('EC-02-1,金口河区,2023,,,44.0,,,,区统计局,"约数', "EC-03-1,金口河区,2023,,,40.1,,,,区统计局,")
OVER_LONG = csv_lines(GOOD_LINE[:-1] + ',"' + "备" * 40000 + '"')

CASES.update({
    # what 女/妇女 mean for each indicator (catalog `population`)
    "women's share typed 性别=女": (csv_case([row("DM-08-3", sex="女", value="27.0")]), ["D2"], "leave 性别 empty"),
    "women's share typed 性别=男": (csv_case([row("DM-08-3", sex="男", value="73.0")]), ["D2"], "women's share"),
    "women's share typed 群体=妇女": (
        csv_case([row("DM-08-3", value="27.0") + ["妇女"]], header=GROUP_HEADER), ["K2"], "leave 性别 and 群体 empty"),
    "women-only statistic typed 性别=男": (
        csv_case([row("HE-01-1", sex="男", value="76.1")]), ["D2"], "statistic of women only"),
    "no sex breakdown in the catalog": (
        csv_case([row("SS-08-1", sex="女", value="80.0")]), ["D2"], "has no breakdown by sex"),
    "a group the catalog does not follow": (
        csv_case([row("HE-03-1", value="60.0") + ["农村妇女"]], header=GROUP_HEADER), ["K2"], "no breakdown by group"),
    "群体=妇女 with 性别=男": (
        csv_case([row("ED-09-2", sex="男", value="9.0") + ["妇女"]], header=GROUP_HEADER), ["K2"], "contradict"),
    "GBK file from WPS: women's share by sex": (
        csv_case([row("DM-03-1", sex="女", value="31.0")], encoding="gbk"), ["D2"], "leave 性别 empty"),
    # nothing read partially
    "stray quote swallows the following rows": (text_case(SWALLOWED), ["K2"], "read as one cell"),
    "quote never closed": (text_case(UNCLOSED), ["row 2"], "not closed"),
    "over-long cell": (text_case(OVER_LONG), ["K2"], "longer than a spreadsheet cell"),
    "column the ingest does not read": (
        csv_case([row() + ["13200"]], header=HEADER + ["其中女性人数"]), ["K1"], "does not read"),
    "code and name of different indicators": (
        csv_case([["EC-02-1", "孕产妇死亡率", "金口河区", "2023", "44.0", "区统计局"]],
                 header=["指标代码", "指标名称", "地区", "年份", "数值", "来源"]), ["B2"], "correct the code (to HE-02-1)"),
    "merged value cells in a long table": (xlsx_case(merged_value_rows), ["Sheet1!F2", "Sheet1!F3"], "merged"),
    "formula without a computed value (openpyxl)": (xlsx_case(formula_row), ["Sheet1!F2"], "never computed"),
    "formula with a placeholder 0 (xlsxwriter)": (xlsxwriter_formula_case(), ["Sheet1!F2"], "never computed"),
    "column without header holding figures": (xlsx_case(unknown_xlsx_column), ["Sheet1!K1"], "does not read"),
    "WPS workbook whose second sheet holds notes": (xlsx_case(wps_second_sheet_with_notes), ["Sheet2"], "unexpected sheet"),
    # the fix fits the mistake
    "per mille for a percentage": (csv_case([row(value="5‰")]), ["F2"], "write 0.5"),
    "per mille for a rate per 100,000": (csv_case([row("HE-05-2", value="0.3‰")]), ["F2"], "write 30"),
    "万 for a percentage": (csv_case([row(value="4.5万")]), ["F2"], "a number of 万"),
    "Excel's #DIV/0! typed in a CSV": (csv_case([row(value="#DIV/0!")]), ["F2"], "division by zero"),
    "Excel's #N/A": (csv_case([row(value="#N/A")]), ["F2"], "#N/A"),
    "#DIV/0! cached in a workbook": (xlsx_case(error_row), ["Sheet1!F2"], "#DIV/0!"),
    "approximate figure": (csv_case([row(value="约45")]), ["F2"], "type the figure alone (45)"),
    "percent format on a count": (xlsx_case(percent_format_count), ["Sheet1!F2"], "formatted as a percentage"),
    "password-protected workbook": (encrypted_case(), ["加密.xlsx"], "password"),
    "damaged workbook": (damaged_case(), ["damaged.xlsx"], "damaged"),
    # plausibility
    "maternal deaths above live births": (
        csv_case([row("HE-02-1", value="", numerator="5", denominator="3")]), ["G2"], "exceeds"),
    "0 of 0 births": (csv_case([row("HE-02-1", value="", numerator="0", denominator="0")]), ["H2"], "denominator is 0"),
    "1e308 persons": (csv_case([row("SS-02-1", sex="女", value="1e308")]), ["F2"], "plausible range"),
    "persons in 万 typed as persons": (csv_case([row("SS-05-1", sex="女", value="2e9")]), ["F2"], "plausible range"),
    "life expectancy without its decimal point": (csv_case([row("HE-01-1", value="781")]), ["F2"], "plausible range"),
    "hours beyond a day": (csv_case([row("FA-07-1", sex="女", value="30")]), ["F2"], "plausible range"),
    "infinite value": (csv_case([row(value="1e400")]), ["F2"], "not a finite number"),
    # conflicts across files
    "two bureaus disagree": (
        two_files_case([row(value="44.0")], [row(value="45.0")]), ["卫健局2023.csv", "统计局2023.csv", "F2"], "disagree"),
    "two corrections disagree": (
        two_files_case([row(value="44.0")], [row(value="45.0")], "修订1.csv", "更正2.csv"), ["修订1.csv", "更正2.csv"],
        "disagree"),
    "revises names a file that is not there": (
        csv_case([row(value="45.0") + ["2022/统计局.xlsx"]], header=HEADER + ["revises"]), ["row 2"], "not in data/raw"),
    # the entry workbook
    "entry workbook: merged year cells": (entry_case(merge_years), [f"经济!{cell_name(*EC_2022)}"], "several years"),
    "entry workbook: year header not a year": (
        entry_case(retype_header("2023（修订）")), [f"经济!{cell_name(HEADER_ROW, EC_2022[1] + 1)}"], "not a whole number"),
    "entry workbook: a year heads two columns": (
        entry_case(retype_header("2022年")), [f"经济!{cell_name(HEADER_ROW, EC_2022[1] + 1)}"], "heads two columns"),
    "entry workbook: empty template": (entry_case(lambda book: None), ["经济数据.xlsx"], "no figures"),
    "entry workbook: code and name disagree": (
        entry_case(both(put("economy", "EC-02-1", 2022, 44.5), rename("economy", "EC-02-1", "孕产妇死亡率"))),
        [f"经济!{cell_name(EC_2022[0], 2)}"], "correct the code"),
    "entry workbook: 性别 typed for a women's share": (
        entry_case(both(put("decision_making", "DM-08-3", 2022, 27.0), set_sex("decision_making", "DM-08-3", "女"))),
        [f"参与决策和管理!{cell_name(DM_2022[0], 5)}"], "leave 性别 empty"),
    "entry workbook: formula never computed": (
        entry_case(formula_in("economy", "EC-02-1", 2022)), [f"经济!{cell_name(*EC_2022)}"], "never computed"),
    "entry workbook: #DIV/0!": (
        entry_case(put("economy", "EC-02-1", 2022, "#DIV/0!")), [f"经济!{cell_name(*EC_2022)}"], "#DIV/0!"),
    "entry workbook: 0 of 0 births": (
        entry_case(both(put("health", "HE-02-1", 2021, 0, "分子"), put("health", "HE-02-1", 2021, 0, "分母"))),
        [f"健康!{cell_name(*HE_DEN_2021)}"], "denominator is 0"),
    "entry workbook: deaths above births": (
        entry_case(both(put("health", "HE-02-1", 2021, 4, "分子"), put("health", "HE-02-1", 2021, 2, "分母"))),
        [f"健康!{cell_name(*HE_NUM_2021)}"], "exceeds"),
    "entry workbook: 更正文件 names a missing file": (
        entry_case(both(put("economy", "EC-02-1", 2022, 44.5), set_guide(8, "统计局2021.xlsx"))), ["经济!"],
        "not in data/raw"),
    # age groups (分年龄): only the catalog's groups, only for indicators that have them
    "unknown age group": (
        csv_case([row("SS-04-1", sex="女", value="96.5") + ["70岁以上"]], header=HEADER + ["年龄组"]), ["K2"],
        "write one of: 16—44岁、45—59岁、60岁及以上"),
    "age group for an indicator without one": (
        csv_case([row(value="44.0") + ["25—34岁"]], header=HEADER + ["年龄组"]), ["K2"], "has no breakdown by age"),
    "entry workbook: 年龄组 changed": (
        entry_case(retype_age("70岁以上"), name="社保数据.xlsx"), [f"社会保障!{cell_name(SS_AGE_ROW, 7)}"],
        "unknown age group"),
    "entry workbook made before 年龄组": (
        entry_case(drop_age_column), [f"经济!row {HEADER_ROW}"], "fresh workbook"),
    "entry workbook: per mille for a percentage": (
        entry_case(put("economy", "EC-02-1", 2022, "5‰")), [f"经济!{cell_name(*EC_2022)}"], "write 0.5"),
})  # fmt: skip


def test_the_second_corpus_adds_at_least_forty_cases():
    assert len(CASES) >= 37 + 40


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
