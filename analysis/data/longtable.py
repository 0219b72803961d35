"""The long table: one observation per row, with Chinese or English column names.

Required columns: indicator (code or exact Chinese name), region, year, and value or
numerator + denominator. Optional: indicator name (checked against the code), sex, urban_rural,
group, age_group (年龄组: one of the indicator's groups in analysis/catalog/age_groups.csv), unit, source, source_url, quote, note, synthetic, revises (the file a row corrects).
Every row needs a source. A column the reader does not know is refused when it holds data, so
nothing in the file goes unread.
"""

from __future__ import annotations

import re

from analysis.data.cells import clean_text, read_number
from analysis.data.problems import Problem, cell_name
from analysis.data.records import Record
from analysis.data.sheets import Sheet, formula_error
from analysis.data.vocabulary import Vocabulary, check_value, rate_multiplier

COLUMN_WORDS = {
    "indicator": ("indicator_id", "indicator", "指标代码", "指标编号", "指标"),
    "indicator_name": ("指标名称", "indicator_name", "name_zh"),
    "region": ("region", "地区", "区域"),
    "year": ("year", "年份", "年度"),
    "value": ("value", "数值", "指标值", "值"),
    "sex": ("sex", "性别"),
    "urban_rural": ("urban_rural", "城乡"),
    "group": ("group", "群体"),
    "age_group": ("age_group", "年龄组", "年龄段", "年龄"),
    "numerator": ("numerator", "分子"),
    "denominator": ("denominator", "分母"),
    "unit": ("unit", "单位"),
    "source": ("source", "来源", "数据来源"),
    "source_url": ("source_url", "来源链接", "url"),
    "quote": ("quote", "原文"),
    "note": ("note", "备注"),
    "synthetic": ("synthetic", "合成数据"),
    "revises": ("revises", "更正文件", "修订文件"),
}
IGNORED_COLUMNS = ("序号", "no", "no.")  # row numbers people add; nothing to read
HEADER_SEARCH_ROWS = 10
NUMBER_COLUMNS = ("value", "numerator", "denominator")


def _column_of(word: object) -> str | None:
    text = re.sub(r"[(（][^()（）]*[)）]$", "", clean_text(str(word or "")).lower())  # 数值（%） is 数值
    return next((col for col, words in COLUMN_WORDS.items() if text in words), None)


def find_header(sheet: Sheet) -> tuple[int, dict[str, int]] | None:
    """The first row naming an indicator and a year column, and where each column is."""
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for c, cell in enumerate(row, start=1):
            name = _column_of(cell.value)
            if name and name not in columns:
                columns[name] = c
        if "indicator" not in columns and "indicator_name" in columns:
            columns["indicator"] = columns.pop("indicator_name")  # a table with names only
        if "indicator" in columns and "year" in columns:
            return r, columns
    return None


def _unread_columns(sheet: Sheet, header_row: int, columns: dict[str, int], label: str) -> list[Problem]:
    """Columns holding data that no known header claims: refused, so nothing is silently dropped."""
    problems = []
    width = max((len(row) for row in sheet.rows), default=0)
    for c in range(1, width + 1):
        header = clean_text(str(sheet.cell(header_row, c).value or ""))
        if c in columns.values() or header.lower() in IGNORED_COLUMNS:
            continue
        filled = next((r for r in range(header_row + 1, len(sheet.rows) + 1)
                       if clean_text(str(sheet.cell(r, c).value or ""))), None)  # fmt: skip
        if filled is None:
            continue
        what = f"the column {header!r}" if header else "a column without a header"
        problems.append(Problem(label, f"{what} holds data (e.g. {cell_name(filled, c)}) that the ingest does not read",
                                "rename the header to one of 指标代码, 地区, 年份, 数值, 性别, 城乡, 群体, 分子, 分母, 单位, "
                                "来源, 备注 (see README), move the content to 备注, or delete the column",
                                sheet=sheet.name, row=header_row, column=c))  # fmt: skip
    return problems


def read_long_table(sheet: Sheet, label: str, vocab: Vocabulary, synthetic_file: bool,
                    notes: list[tuple[str, str, str]] | None = None) -> tuple[list[Record], list[Problem]]:  # fmt: skip
    """Records and problems; ``notes`` collects (file, cell, what the summary should say)."""
    notes = [] if notes is None else notes
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
    problems += _unread_columns(sheet, header_row, columns, label)

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
        if year_cell and (formula := formula_error(sheet, year_cell)):
            problem("year", *formula)
        elif error:
            problem("year", *error)
        sex, error = vocab.sex(text(row, "sex"))
        if error:
            problem("sex", *error)
        urban_rural, error = vocab.urban_rural(text(row, "urban_rural"))
        if error:
            problem("urban_rural", *error)
        source = text(row, "source")
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
        if "indicator_name" in columns:
            error, warning = vocab.name_matches(indicator, text(row, "indicator_name"))
            if error:
                problem("indicator_name", *error)
            if warning:
                notes.append((label, cell_name(r, columns["indicator_name"]), f"check: {warning}"))
        if sex is not None:
            typed_in = "group" if text(row, "group") else "sex"  # the column that said 女/妇女
            sex, group, placed, error = vocab.place(indicator, sex, text(row, "group"))
            if error:
                problem(typed_in, *error)
            if placed:
                notes.append((label, cell_name(r, columns[typed_in]), placed))
        age_group, error = vocab.age_group(indicator, text(row, "age_group"))
        if error:
            problem("age_group", *error)
        if error := vocab.unit(indicator, text(row, "unit")):
            problem("unit", *error)
        numbers = {}
        for name in NUMBER_COLUMNS:
            cell = raw(row, name)
            merged = sheet.merged_range(r, columns[name]) if cell else ""
            parsed = read_number(cell.value if cell else None, unit=indicator.unit if name == "value" else "",
                                 number_format=cell.number_format if cell else "")  # fmt: skip
            if merged and parsed.status != "blank":
                problem(name, f"the cells {merged} are merged, so one figure would count for several cells",
                        "unmerge the cells and type each row's figure")  # fmt: skip
            elif cell and (formula := formula_error(sheet, cell)):
                problem(name, *formula)
            elif not parsed.ok:
                problem(name, parsed.error, parsed.fix)
            numbers[name] = parsed
        if any(not parsed.ok for parsed in numbers.values()):
            continue
        status = "missing" if numbers["value"].status == "missing" else "value"
        value, numerator, denominator = (numbers[n].value for n in ("value", "numerator", "denominator"))
        if status == "value" and value is None and numerator is None and denominator is None:
            problem("value", "the row has no value", "fill in the value, or delete the row")
        for name, message, fix in check_value(indicator, value, numerator, denominator,
                                              vocab.plausible.get(indicator.indicator_id)):  # fmt: skip
            problem(name, message, fix)
        if len(problems) > before:
            continue
        if value is None and denominator:
            value = numerator / denominator * rate_multiplier(indicator)
        value_column = columns.get("value") if numbers["value"].status != "blank" else columns.get("numerator")
        records.append(Record(
            indicator_id=indicator.indicator_id, region=region, year=year, sex=sex,
            urban_rural=urban_rural, population_group=group, age_group=age_group, value=value, numerator=numerator,
            denominator=denominator, status=status, unit=indicator.unit, source=source,
            source_url=text(row, "source_url"), quote=text(row, "quote"), note=text(row, "note"),
            synthetic=synthetic, file=label, sheet=sheet.name,
            cell=(f"{sheet.name}!" if sheet.name else "") + cell_name(r, value_column), row=r,
            revises=text(row, "revises"),
        ))  # fmt: skip
    if not records and not problems:
        problems.append(Problem(label, "the table has a header but no observations",
                                "add data rows, or remove the file from data/raw", sheet=sheet.name))  # fmt: skip
    return records, problems
