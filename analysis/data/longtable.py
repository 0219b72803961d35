"""The long table: one observation per row, with Chinese or English column names.

Required columns: indicator (code or exact Chinese name), region, year, and value or
numerator + denominator. Optional: sex, urban_rural, group, unit, source, source_url, quote,
note, synthetic. Every row needs a source: a ``source`` column, or the file's sidecar.
"""

from __future__ import annotations

from analysis.data.cells import clean_text, read_number
from analysis.data.problems import Problem, cell_name
from analysis.data.records import Record
from analysis.data.sheets import Sheet
from analysis.data.vocabulary import Vocabulary, check_value, rate_multiplier

COLUMN_WORDS = {
    "indicator": ("indicator_id", "indicator", "指标代码", "指标编号", "指标", "指标名称"),
    "region": ("region", "地区", "区域"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "数值", "指标值", "值"),
    "sex": ("sex", "性别"),
    "urban_rural": ("urban_rural", "城乡"),
    "group": ("group", "群体"),
    "numerator": ("numerator", "分子"),
    "denominator": ("denominator", "分母"),
    "unit": ("unit", "单位"),
    "source": ("source", "来源", "数据来源"),
    "source_url": ("source_url", "来源链接", "url"),
    "quote": ("quote", "原文"),
    "note": ("note", "备注"),
    "synthetic": ("synthetic", "合成数据"),
}
HEADER_SEARCH_ROWS = 10


def _column_of(word: object) -> str | None:
    text = clean_text(str(word or "")).lower()
    return next((col for col, words in COLUMN_WORDS.items() if text in words), None)


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The first row naming an indicator and a year column, and where each column is."""
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row, start=1):
            name = _column_of(cell.value)
            if name and name not in columns:
                columns[name] = c
        if "indicator" in columns and "year" in columns:
            return r, columns
    return None


def read_long_table(sheet: Sheet, label: str, vocab: Vocabulary, synthetic_file: bool,
                    default_source: str = "") -> tuple[list[Record], list[Problem]]:  # fmt: skip
    records: list[Record] = []
    problems: list[Problem] = []
    found = find_header(sheet)
    if found is None:
        problems.append(Problem(label, "no header row with an indicator and a year column in the first "
                                f"{HEADER_SEARCH_ROWS} rows", "use the columns 指标代码, 地区, 年份, 数值 "
                                "(see README, 'Bringing data in')", sheet=sheet.name))  # fmt: skip
        return records, problems
    header_row, columns = found
    missing = [c for c in ("region",) if c not in columns]
    if "value" not in columns and not {"numerator", "denominator"} <= set(columns):
        missing.append("value")
    if missing:
        problems.append(Problem(label, f"missing column(s): {', '.join(missing)}",
                                "add the column with its header", sheet=sheet.name, row=header_row))  # fmt: skip
        return records, problems

    def text(row: list, name: str) -> str:
        c = columns.get(name)
        return clean_text(str(row[c - 1].value or "")) if c and c <= len(row) else ""

    def raw(row: list, name: str):
        c = columns.get(name)
        return row[c - 1] if c and c <= len(row) else None

    for r in range(header_row + 1, len(sheet.rows) + 1):
        row = sheet.rows[r - 1]
        if all(clean_text(str(cell.value or "")) == "" for cell in row):
            continue  # empty rows are layout, not data

        def problem(name: str, message: str, fix: str) -> None:
            problems.append(Problem(label, message, fix, sheet=sheet.name, row=r,
                                    column=columns.get(name), column_name=name))  # fmt: skip

        before = len(problems)
        indicator, error = vocab.indicator(text(row, "indicator"))
        if error:
            problem("indicator", *error)
        region, error = vocab.region(text(row, "region"))
        if error:
            problem("region", *error)
        year_cell = raw(row, "year")
        year, error = vocab.year(year_cell.value if year_cell else None)
        if error:
            problem("year", *error)
        sex, error = vocab.sex(text(row, "sex"))
        if error:
            problem("sex", *error)
        urban_rural, error = vocab.urban_rural(text(row, "urban_rural"))
        if error:
            problem("urban_rural", *error)
        source = text(row, "source") or default_source
        if not source:
            problem("source", "the row has no source", "name the publication or unit the figure comes from")
        flag = text(row, "synthetic").lower()
        synthetic = flag in ("true", "1", "yes", "是")
        if synthetic != synthetic_file:
            problem("synthetic", "synthetic rows belong in a file whose name contains 'synthetic', and only there"
                    if synthetic else "every row of a synthetic file must say synthetic=true",
                    "keep real and synthetic data in separate files")  # fmt: skip
        if indicator is None:
            continue
        if error := vocab.unit(indicator, text(row, "unit")):
            problem("unit", *error)
        numbers = {}
        for name in ("value", "numerator", "denominator"):
            cell = raw(row, name)
            parsed = read_number(cell.value if cell else None, percent=indicator.unit == "%" and name == "value",
                                 number_format=cell.number_format if cell else "")  # fmt: skip
            if not parsed.ok:
                problem(name, parsed.error, parsed.fix)
            numbers[name] = parsed
        if any(not parsed.ok for parsed in numbers.values()):
            continue
        status = "missing" if numbers["value"].status == "missing" else "value"
        value, numerator, denominator = (numbers[n].value for n in ("value", "numerator", "denominator"))
        if status == "value" and value is None and numerator is None and denominator is None:
            problem("value", "the row has no value", "fill in the value, or delete the row")
        for name, message, fix in check_value(indicator, value, numerator, denominator):
            problem(name, message, fix)
        if len(problems) > before:
            continue
        if value is None and denominator:
            value = numerator / denominator * rate_multiplier(indicator)
        value_column = columns.get("value") if numbers["value"].status != "blank" else columns.get("numerator")
        records.append(Record(
            indicator_id=indicator.indicator_id, region=region, year=year, sex=sex,
            urban_rural=urban_rural, population_group=text(row, "group"), value=value, numerator=numerator,
            denominator=denominator, status=status, unit=indicator.unit, source=source,
            source_url=text(row, "source_url"), quote=text(row, "quote"), note=text(row, "note"),
            synthetic=synthetic, file=label, sheet=sheet.name,
            cell=(f"{sheet.name}!" if sheet.name else "") + cell_name(r, value_column), row=r,
        ))  # fmt: skip
    if not records and not problems:
        problems.append(Problem(label, "the table has a header but no observations",
                                "add data rows, or remove the file from data/raw", sheet=sheet.name))  # fmt: skip
    return records, problems
