"""The data-entry workbook a member unit fills in Excel or WPS, and reading it back.

One sheet per domain; a row per indicator × breakdown (× numerator/denominator for rates of
small counts); a column per year; a 填表说明 sheet with who reports, the source, and the rules.
Cells carry Excel validation (numbers within the indicator's bounds) as warnings, so the one
allowed word, 未统计, can still be typed.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import xlsxwriter

from analysis.catalog import Catalog, load_age_groups
from analysis.data.cells import MISSING_MARKER, clean_text, read_number
from analysis.data.problems import Problem, cell_name
from analysis.data.records import SEX_LABELS, URBAN_RURAL_LABELS, Record
from analysis.data.sheets import Sheet, formula_error
from analysis.data.vocabulary import Vocabulary, check_value, rate_multiplier

GUIDE = "填表说明"
FIRST_YEAR, LAST_YEAR = 2015, 2030
FIXED = ["指标代码", "指标名称", "单位", "地区", "性别", "城乡", "年龄组", "项目"]
ITEM_VALUE, ITEM_NUMERATOR, ITEM_DENOMINATOR = "数值", "分子", "分母"
GUIDE_FIELDS = ("地区", "报送单位", "数据来源", "联系人", "填报日期", "更正文件")
CORRECTS_FIELD = "更正文件"  # the earlier file this workbook corrects (see data/raw/README.md)
HEADER_ROW = 3  # row 1 title, row 2 hint, row 3 header
SYNTHETIC_TITLE = "【合成示例数据，非真实统计】"
INSTRUCTIONS = [
    "1. 每个领域一张工作表，每行是一个指标（及其分组），每列是一个年份。只填写数字。",
    "2. 比例类指标以百分数填写，例如 45.2（不要写 0.452）；也可以写 45.2%。",
    "3. 孕产妇死亡率等小数事件比率请填写分子（如死亡人数）和分母（如活产数），不必计算比率。",
    f"4. 没有数据的格子请留空；该统计确实未开展的，请填写“{MISSING_MARKER}”。不要填写“—”“/”“无”等其他文字。",
    "5. 请勿修改指标代码、地区、性别、城乡、年龄组、项目各列，也不要增删工作表。",
    "6. 请在本页填写报送单位和数据来源（例如：区卫生健康局《2024年妇幼卫生年报》）。",
    "7. 填好后将文件交研究人员放入 data/raw/ 目录，运行 python -m analysis ingest 检查并入库。",
    "8. 更正此前报送的数据时，在本页“更正文件”填写被更正文件的文件名（或在文件名中写“修订”或“更正”），"
    "否则两个文件数值不一致时将拒绝入库。",
]


def sheet_names(catalog: Catalog) -> dict[str, str]:
    """domain -> sheet name: 妇女与健康 -> 健康, 妇女参与决策和管理 -> 参与决策和管理."""
    return {
        row.domain: row.name_zh.removeprefix("妇女与").removeprefix("妇女")
        for row in catalog.domains.itertuples()
    }


def entry_rows(catalog: Catalog, domain: str, region: str, towns: list[str]) -> list[dict]:
    """The rows of one domain sheet: indicator × breakdown × item."""
    rows = []
    ages = load_age_groups(catalog=catalog)
    for ind in catalog.domain_indicators(domain).itertuples():
        if ind.target_kind in ("qualitative", "gap_narrowing"):
            continue  # nothing to count, or computed from the breakdown rows
        breakdowns = [(region, "total", "total", "")]
        parts = ind.breakdowns.split(";")
        if "sex" in parts:
            breakdowns += [(region, "female", "total", ""), (region, "male", "total", "")]
        if "urban_rural" in parts:
            breakdowns += [(region, "total", "urban", ""), (region, "total", "rural", "")]
        if "township" in parts:
            breakdowns += [(town, "total", "total", "") for town in towns]
        if "age" in parts:  # by sex within each age group where the indicator is kept by sex
            sexes = ("female", "male") if "sex" in parts else ("total",)
            groups = ages.loc[ages["indicator_id"] == ind.indicator_id, "age_group"]
            breakdowns += [(region, sex, "total", age) for age in groups for sex in sexes]
        items = [ITEM_NUMERATOR, ITEM_DENOMINATOR] if ind.small_count else [ITEM_VALUE]
        for where, sex, urban_rural, age in breakdowns:
            for item in items:
                label = ind.name_zh if item == ITEM_VALUE else (
                    ind.numerator_zh if item == ITEM_NUMERATOR else ind.denominator_zh)  # fmt: skip
                rows.append({"indicator": ind, "region": where, "sex": sex, "urban_rural": urban_rural,
                             "age_group": age, "item": item, "label": label})  # fmt: skip
    return rows


def _prefill(observations: pd.DataFrame | None) -> dict[tuple, float | None]:
    values: dict[tuple, float | None] = {}
    if observations is None:
        return values
    for obs in observations.itertuples():
        key = (obs.indicator_id, obs.region, obs.sex, obs.urban_rural, getattr(obs, "age_group", ""), int(obs.year))
        if obs.status == "missing":
            for item in (ITEM_VALUE, ITEM_NUMERATOR, ITEM_DENOMINATOR):
                values[key + (item,)] = MISSING_MARKER
            continue
        values[key + (ITEM_VALUE,)] = obs.value
        values[key + (ITEM_NUMERATOR,)] = obs.numerator
        values[key + (ITEM_DENOMINATOR,)] = obs.denominator
    return values


def write_entry_workbook(path: Path, catalog: Catalog, vocab: Vocabulary, region: str = "金口河区",
                         observations: pd.DataFrame | None = None, source: str = "") -> Path:  # fmt: skip
    """Write the entry workbook for ``region``; ``observations`` pre-fill the cells they match."""
    towns = sorted(vocab.regions.loc[vocab.regions["parent"] == region, "region"])
    age_labels = dict(zip(zip(vocab.age_groups["indicator_id"], vocab.age_groups["age_group"]), vocab.age_groups["label_zh"]))
    prefill = _prefill(observations)
    synthetic = observations is not None and bool(observations["synthetic"].any())
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    title = book.add_format({"bold": True, "font_size": 14})
    locked = book.add_format({"bg_color": "#F2F2F2", "border": 1})
    entry = book.add_format({"border": 1, "num_format": "General", "locked": False})  # only these cells take input

    guide = book.add_worksheet(GUIDE)
    guide.set_column(0, 0, 14)
    guide.set_column(1, 1, 90)
    guide.write(0, 0, (SYNTHETIC_TITLE if synthetic else "") + "金口河妇女发展纲要监测数据填报表", title)
    for i, name in enumerate(GUIDE_FIELDS, start=2):
        guide.write(i, 0, name, bold)
        guide.write(i, 1, {"地区": region, "数据来源": source}.get(name, ""), entry)
    for i, line in enumerate(INSTRUCTIONS, start=len(GUIDE_FIELDS) + 3):
        guide.write(i, 0, line)
    _print_and_protect(guide, repeat_columns=False)

    for domain, sheet in sheet_names(catalog).items():
        ws = book.add_worksheet(sheet)
        ws.write(0, 0, (SYNTHETIC_TITLE if synthetic else "") + f"{region} {sheet} 监测数据", title)
        ws.write(1, 0, f"比例填百分数（45.2 表示 45.2%）；无数据留空；未开展的统计填“{MISSING_MARKER}”。")
        header = FIXED + [str(y) for y in years] + ["备注"]
        ws.write_row(HEADER_ROW - 1, 0, header, bold)
        ws.freeze_panes(HEADER_ROW, 3)
        ws.set_column(0, 0, 10)
        ws.set_column(1, 1, 34)
        ws.set_column(2, len(FIXED) - 1, 8)
        ws.set_column(6, 6, 10)  # 年龄组: "65岁及以上"
        ws.set_column(len(FIXED), len(FIXED) + len(years) - 1, 8)
        rows = entry_rows(catalog, domain, region, towns)
        for r, row in enumerate(rows, start=HEADER_ROW):
            ind = row["indicator"]
            unit = ind.unit if row["item"] == ITEM_VALUE else "例数"
            fixed = [ind.indicator_id, row["label"], unit, row["region"], SEX_LABELS[row["sex"]],
                     URBAN_RURAL_LABELS[row["urban_rural"]],
                     age_labels.get((ind.indicator_id, row["age_group"]), "合计"), row["item"]]  # fmt: skip
            ws.write_row(r, 0, fixed, locked)
            for c, year in enumerate(years, start=len(FIXED)):
                value = prefill.get((ind.indicator_id, row["region"], row["sex"], row["urban_rural"],
                                     row["age_group"], year, row["item"]))  # fmt: skip
                if value is None or value != value:
                    ws.write_blank(r, c, None, entry)
                elif isinstance(value, str):
                    ws.write_string(r, c, value, entry)
                else:
                    ws.write_number(r, c, float(value), entry)
            ws.write_blank(r, len(FIXED) + len(years), None, entry)
            ws.data_validation(r, len(FIXED), r, len(FIXED) + len(years) - 1, _validation(ind, row["item"]))
        _print_and_protect(ws)
    book.close()
    return path


def _print_and_protect(ws, repeat_columns: bool = True) -> None:
    """A4 landscape, one page wide, header row and indicator columns on every page, page numbers; the
    fixed cells protected (no password: a unit that must change a label can unprotect the sheet)."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.fit_to_pages(1, 0)  # as wide as one page, as many pages long as it takes
    if repeat_columns:
        ws.repeat_rows(HEADER_ROW - 1)
        ws.repeat_columns(0, 2)  # indicator code, name and unit beside the year columns on every page
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.protect("", {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                    "select_unlocked_cells": True})  # fmt: skip


def _validation(ind, item: str) -> dict:
    message = {"error_type": "warning", "error_title": "请检查", "ignore_blank": True}
    if item != ITEM_VALUE:
        return {"validate": "integer", "criteria": ">=", "value": 0,
                "error_message": "分子、分母填写整数人数/例数。", **message}  # fmt: skip
    lo, hi = ind.lower_bound, ind.upper_bound
    if lo == lo and hi == hi:
        return {"validate": "decimal", "criteria": "between", "minimum": lo, "maximum": hi,
                "error_message": f"{ind.unit}：应在 {lo:g}–{hi:g} 之间。", **message}  # fmt: skip
    if lo == lo:
        return {"validate": "decimal", "criteria": ">=", "value": lo,
                "error_message": f"应不小于 {lo:g}。", **message}  # fmt: skip
    return {"validate": "decimal", "criteria": "between", "minimum": -1e9, "maximum": 1e9,
            "error_message": "请填写数字。", **message}  # fmt: skip


def is_entry_workbook(sheets: list[Sheet]) -> bool:
    return any(s.name == GUIDE for s in sheets)


def _guide_fields(sheet: Sheet) -> dict[str, tuple[str, int]]:
    fields = {}
    for r, row in enumerate(sheet.rows, start=1):
        if row and clean_text(str(row[0].value or "")) in GUIDE_FIELDS:
            value = clean_text(str(row[1].value or "")) if len(row) > 1 else ""
            fields[clean_text(str(row[0].value))] = (value, r)
    return fields


def read_entry_workbook(sheets: list[Sheet], label: str, vocab: Vocabulary, synthetic_file: bool,
                        notes: list[tuple[str, str, str]] | None = None) -> tuple[list[Record], list[Problem]]:  # fmt: skip
    notes = [] if notes is None else notes
    problems: list[Problem] = []
    by_name = {s.name: s for s in sheets}
    domains = {name: domain for domain, name in sheet_names(vocab.catalog).items()}
    guide = _guide_fields(by_name[GUIDE])
    for field in ("地区", "数据来源"):
        if not guide.get(field, ("", 0))[0]:
            row = guide.get(field, ("", None))[1]
            problems.append(Problem(label, f"{GUIDE} has no {field}", f"fill in {field} on the {GUIDE} sheet",
                                    sheet=GUIDE, row=row, column=2 if row else None))  # fmt: skip
    unit = guide.get("报送单位", ("", 0))[0]
    source = "：".join(v for v in (unit, guide.get("数据来源", ("", 0))[0]) if v)
    unknown = [s.name for s in sheets if s.name != GUIDE and s.name not in domains]
    for name in unknown:
        problems.append(Problem(label, f"unexpected sheet {name!r}",
                                f"keep only {GUIDE} and the domain sheets ({'、'.join(domains)})", sheet=name))  # fmt: skip
    if not any(s.name in domains for s in sheets):
        problems.append(Problem(label, "the workbook has none of the domain sheets",
                                "generate a fresh workbook with python -m analysis template"))  # fmt: skip
    corrects = guide.get(CORRECTS_FIELD, ("", 0))[0]
    parts: dict[tuple, dict] = defaultdict(dict)
    for sheet in sheets:
        if sheet.name in domains:
            problems += _read_domain_sheet(sheet, label, vocab, synthetic_file, source, parts, notes)
    records = []
    for slot in parts.values():
        record = slot.pop("record")
        numbers = {item: value for item, (value, _) in slot.items()}
        places = {item: place for item, (_, place) in slot.items()}
        if MISSING_MARKER in numbers.values():
            record.status = "missing"
            numbers = {}
        value, numerator, denominator = (numbers.get(i) for i in (ITEM_VALUE, ITEM_NUMERATOR, ITEM_DENOMINATOR))
        indicator = vocab.indicators[record.indicator_id]
        found = check_value(indicator, value, numerator, denominator, vocab.plausible.get(indicator.indicator_id))
        for name, message, fix in found:
            item = {"value": ITEM_VALUE, "numerator": ITEM_NUMERATOR, "denominator": ITEM_DENOMINATOR}[name]
            sheet_name, row, column = places.get(item, next(iter(places.values())))
            problems.append(Problem(label, message, fix, sheet=sheet_name, row=row, column=column,
                                    column_name=str(record.year)))  # fmt: skip
        if found:
            continue
        if value is None and denominator:
            value = numerator / denominator * rate_multiplier(indicator)
        record.value, record.numerator, record.denominator = value, numerator, denominator
        sheet_name, row, column = next(iter(places.values()))
        record.cell = f"{sheet_name}!{cell_name(row, column)}"
        if ITEM_DENOMINATOR in places:
            sheet_name, row, column = places[ITEM_DENOMINATOR]
            record.extra_cells = {"denominator": f"{sheet_name}!{cell_name(row, column)}"}
        record.revises = corrects
        records.append(record)
    if not records and not problems:
        problems.append(Problem(label, "the workbook holds no figures (an empty template)",
                                "fill in the figures, or remove the file from data/raw"))  # fmt: skip
    return records, problems


def _year_columns(sheet: Sheet, header_row: int, header: list[str], vocab: Vocabulary, label: str,
                  first_data_row: int) -> tuple[dict[int, int], list[Problem]]:  # fmt: skip
    """Column -> year for every year header ('2023', 2023, '2023年'); a header that is not one, over data, is refused."""
    columns, problems, seen = {}, [], {}
    for c, text in enumerate(header, start=1):
        if c <= len(FIXED) or text == "备注":
            continue
        has_data = any(clean_text(str(sheet.cell(r, c).value or "")) for r in range(first_data_row, len(sheet.rows) + 1))
        year, error = vocab.year(sheet.cell(header_row, c).value) if text else (None, ("", ""))
        if error and not has_data:
            continue  # an empty column with a stray header loses nothing
        if error:
            what = f"the column header {text!r}: {error[0]}" if text else "a column without a header holds figures"
            problems.append(Problem(label, what, "write the year as four digits (e.g. 2023) in the header row",
                                    sheet=sheet.name, row=header_row, column=c))  # fmt: skip
        elif year in seen:
            problems.append(Problem(label, f"the year {year} heads two columns ({cell_name(header_row, seen[year])} "
                                    "and this one)", "keep one column per year", sheet=sheet.name, row=header_row,
                                    column=c))  # fmt: skip
        else:
            columns[c], seen[year] = year, c
    return columns, problems


def _read_domain_sheet(sheet: Sheet, label: str, vocab: Vocabulary, synthetic_file: bool, source: str,
                       parts: dict, notes: list) -> list[Problem]:  # fmt: skip
    header_row = next((r for r, row in enumerate(sheet.rows[:10], start=1)
                       if row and clean_text(str(row[0].value or "")) == FIXED[0]), None)  # fmt: skip
    if header_row is None:
        return [Problem(label, f"no header row starting with {FIXED[0]}", "generate a fresh workbook with "
                        "python -m analysis template and copy the figures into it", sheet=sheet.name)]  # fmt: skip
    header = [clean_text(str(c.value or "")) for c in sheet.rows[header_row - 1]]
    before_ages = [c for c in FIXED if c != "年龄组"]
    if header[: len(before_ages)] == before_ages:  # a template made before the 年龄组 column existed
        return [Problem(label, "the workbook has no 年龄组 column (a template made before age groups were added)",
                        "copy the figures into a fresh workbook from python -m analysis template (its rows "
                        "with 年龄组 合计 are the same rows)", sheet=sheet.name, row=header_row)]  # fmt: skip
    if header[: len(FIXED)] != FIXED:
        return [Problem(label, f"the first columns must be {'、'.join(FIXED)}", "do not move or rename columns",
                        sheet=sheet.name, row=header_row)]  # fmt: skip
    year_columns, problems = _year_columns(sheet, header_row, header, vocab, label, header_row + 1)
    sex_words = {v: k for k, v in SEX_LABELS.items()}
    ur_words = {v: k for k, v in URBAN_RURAL_LABELS.items()}
    for r in range(header_row + 1, len(sheet.rows) + 1):
        fixed = [clean_text(str(sheet.cell(r, c).value or "")) for c in range(1, len(FIXED) + 1)]
        if not any(fixed) and all(clean_text(str(sheet.cell(r, c).value or "")) == "" for c in year_columns):
            continue

        def problem(column: int, message: str, fix: str, name: str = "") -> None:
            problems.append(Problem(label, message, fix, sheet=sheet.name, row=r, column=column,
                                    column_name=name or header[column - 1]))  # fmt: skip

        indicator, error = vocab.indicator(fixed[0])
        if error:
            problem(1, *error)
            continue
        region, error = vocab.region(fixed[3])
        if error:
            problem(4, *error)
            continue
        sex, urban_rural, item = sex_words.get(fixed[4]), ur_words.get(fixed[5]), fixed[7]
        if sex is None or urban_rural is None or item not in (ITEM_VALUE, ITEM_NUMERATOR, ITEM_DENOMINATOR):
            problem(5, "the 性别/城乡/项目 cells were changed", "restore them from a fresh template")
            continue
        age_group, error = vocab.age_group(indicator, fixed[6])
        if error:
            problem(7, *error)
            continue
        expected = {ITEM_VALUE: indicator.name_zh, ITEM_NUMERATOR: indicator.numerator_zh,
                    ITEM_DENOMINATOR: indicator.denominator_zh}[item]  # fmt: skip
        error, warning = vocab.name_matches(indicator, fixed[1], expected)
        if error:
            problem(2, *error)
            continue
        if warning:
            notes.append((label, f"{sheet.name}!{cell_name(r, 2)}", f"check: {warning}"))
        filled = [c for c in year_columns if clean_text(str(sheet.cell(r, c).value or ""))]
        sex, _, placed, error = vocab.place(indicator, sex, "")
        if error and filled:
            problem(5, *error)
            continue
        if placed and filled:
            notes.append((label, f"{sheet.name}!{cell_name(r, 5)}", placed))
        for c, year in year_columns.items():
            cell = sheet.cell(r, c)
            parsed = read_number(cell.value, unit=indicator.unit if item == ITEM_VALUE else "",
                                 number_format=cell.number_format)  # fmt: skip
            merged = sheet.merged_range(r, c)
            if merged and parsed.status != "blank":
                problem(c, f"the cells {merged} are merged, so one figure would count for several years",
                        "unmerge the cells and type each year's figure (leave a year empty if there is none)")  # fmt: skip
                continue
            if formula := formula_error(sheet, cell):
                problem(c, *formula)
                continue
            if not parsed.ok:
                problem(c, parsed.error, parsed.fix)
                continue
            if parsed.status == "blank":
                continue
            key = (indicator.indicator_id, region, year, sex, urban_rural, age_group)
            slot = parts[key]
            if "record" not in slot:
                slot["record"] = Record(indicator_id=indicator.indicator_id, region=region, year=year, sex=sex,
                                        urban_rural=urban_rural, age_group=age_group, unit=indicator.unit,
                                        source=source,
                                        synthetic=synthetic_file, file=label, sheet=sheet.name, row=r)  # fmt: skip
            value = MISSING_MARKER if parsed.status == "missing" else parsed.value
            slot[item] = (value, (sheet.name, r, c))
    return problems
