"""The 策略措施 register and the member units' self-assessment (自评) of the measures.

The outline asks the member units of the district's 妇儿工委 to submit mid-term and final
self-assessments, and the evaluation to judge whether the 策略措施 were carried out. This module

* reads the register ``analysis/catalog/measures.csv`` (91 measures; ``scripts/make_measures_catalog.py``);
* writes the self-assessment workbook a member unit fills (``write_self_assessment_workbook``):
  one sheet for the measures, one for the 全覆盖 targets of the measures (covered / to cover),
  one for the outline's qualitative goals, each row with 落实状态 (已完成 / 推进中 / 未启动, an
  Excel drop-down), 进展与证据 and 文件依据;
* reads the filled workbooks back with the same cell-level messages as the data ingest
  (``analysis.data.problems.Problem``: file, sheet, cell, column, fix) and stores them whole in
  ``data/processed/self_assessment.parquet`` / ``.csv`` (``ingest_self_assessments``);
* summarises them (``summary``), always labelled 自评: what the units say, not statistics.

Statistics judge the quantified goals; the self-assessment is how the qualitative goals and the
measures are reported. A row left without a status is "not reported", never "not started".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import xlsxwriter

from analysis.catalog import CATALOG, MEASURES_CSV, QUALITATIVE_KINDS, Catalog, unit_names
from analysis.data.cells import clean_text
from analysis.data.problems import IngestError, Problem, cell_name, relative_name
from analysis.data.sheets import UnreadableFile, hidden_problems, read_sheets
from analysis.files import write_whole
from analysis.paths import DATA_PROCESSED, DATA_RAW, ROOT

SELF_ASSESSMENT_FOLDER = "self_assessment"  # under data/raw
SELF_ASSESSMENT_DIR = DATA_RAW / SELF_ASSESSMENT_FOLDER
OUTPUT_NAME = "self_assessment"
STATUSES = ("已完成", "推进中", "未启动")
NOT_REPORTED = "未填报"
STAGES = ("中期评估", "终期评估", "年度自查")
STAGE_RANK = {"年度自查": 0, "中期评估": 1, "终期评估": 2}  # within one year, an evaluation outranks a self-check
SYNTHETIC_UNIT = "（合成示例）"  # the shipped synthetic workbooks' units: a registered unit + this
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
REFUSED_SUFFIXES = {".csv": "a CSV file holds one sheet, and the self-assessment needs its four",
                    ".xls": "an old Excel 97-2003 file", ".et": "a WPS spreadsheet", ".ods": "an OpenDocument spreadsheet",
                    ".numbers": "a Numbers spreadsheet"}  # fmt: skip
LABEL = "自评（成员单位自报，非统计数据）"
SYNTHETIC_LABEL = "【合成示例数据，非真实自评】"

GUIDE = "填报说明"
GUIDE_FIELDS = ("填报单位", "评估阶段", "截至年份", "联系人", "填报日期")
MEASURES_SHEET, COVERAGE_SHEET, QUALITATIVE_SHEET = "策略措施", "全覆盖目标", "定性目标"
HEADER_ROW = 3  # row 1 title, row 2 hint, row 3 header
FIXED = ["编号", "领域", "内容"]
ANSWER = ["落实状态", "进展与证据", "文件依据", "备注"]
COUNTS = ["已覆盖数", "应覆盖数"]
COLUMNS = {  # sheet -> header
    MEASURES_SHEET: FIXED + ["纲要点名单位"] + ANSWER,
    COVERAGE_SHEET: FIXED + COUNTS + ANSWER,
    QUALITATIVE_SHEET: FIXED + ANSWER,
}
OUTPUT_COLUMNS = ["unit", "stage", "as_of", "kind", "item_id", "domain", "text", "status", "covered",
                  "to_cover", "evidence", "documents", "note", "synthetic", "file", "cell"]  # fmt: skip
INSTRUCTIONS = [
    "1. 本表由区妇儿工委成员单位填写，报告本单位牵头或参与的策略措施、全覆盖目标和定性目标的落实情况。",
    "2. 只填写与本单位有关的行；与本单位无关的行保持空白（视为未填报，不是“未启动”）。",
    "3. 落实状态从下拉列表选择：已完成、推进中、未启动。",
    "4. 选择“已完成”或“推进中”的，请在“进展与证据”写明做了什么（数量、范围、时间），并在“文件依据”写明文件名称和文号。",
    "5. 全覆盖目标请填写已覆盖数和应覆盖数（如：已建立妇女议事会的村（社区）数 / 全区村（社区）总数）。",
    "6. 请勿修改编号、领域、内容各列，也不要增删工作表。填好后交研究人员放入 data/raw/self_assessment/。",
]


@dataclass(frozen=True)
class Item:
    kind: str  # measure | coverage | qualitative
    item_id: str
    domain: str
    text: str
    units_named: str = ""


def load_measures(path: Path = MEASURES_CSV) -> pd.DataFrame:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame["measure_no"] = frame["measure_no"].astype(int)
    return frame


def items(catalog: Catalog = CATALOG, measures: pd.DataFrame | None = None) -> dict[str, list[Item]]:
    """The rows of each sheet: every measure, every 全覆盖 target, every qualitative goal."""
    measures = load_measures() if measures is None else measures
    names = dict(zip(catalog.domains["domain"], catalog.domains["name_zh"]))
    rows = {MEASURES_SHEET: [], COVERAGE_SHEET: [], QUALITATIVE_SHEET: []}
    for m in measures.itertuples():
        rows[MEASURES_SHEET].append(Item("measure", m.measure_id, names[m.domain], m.title, m.units_named))
        for n, target in enumerate(t for t in m.coverage_targets.split(";") if t):
            rows[COVERAGE_SHEET].append(Item("coverage", f"{m.measure_id}-C{n + 1}", names[m.domain], target))
    goals = catalog.goals.set_index("goal_id")
    for ind in catalog.indicators.loc[catalog.indicators["target_kind"].isin(QUALITATIVE_KINDS)].itertuples():
        domain = goals.loc[ind.goal_id, "domain"]
        rows[QUALITATIVE_SHEET].append(Item("qualitative", ind.indicator_id, names[domain],
                                            goals.loc[ind.goal_id, "text_zh"]))  # fmt: skip
    return rows


def write_self_assessment_workbook(path: Path, unit: str = "", synthetic: bool = False,
                                   catalog: Catalog = CATALOG) -> Path:  # fmt: skip
    """The workbook for a member unit (``unit`` pre-filled if given), written whole."""
    sheets = items(catalog)
    title = (SYNTHETIC_LABEL if synthetic else "") + "金口河妇女发展纲要 策略措施落实情况自评表"

    def write(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp))
        bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        big = book.add_format({"bold": True, "font_size": 14})
        locked = book.add_format({"bg_color": "#F2F2F2", "border": 1, "text_wrap": True, "valign": "top"})
        entry = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
        guide = book.add_worksheet(GUIDE)
        guide.set_column(0, 0, 14)
        guide.set_column(1, 1, 90)
        guide.write(0, 0, title, big)
        for r, name in enumerate(GUIDE_FIELDS, start=2):
            guide.write(r, 0, name, bold)
            guide.write(r, 1, unit if name == "填报单位" else "", entry)
        guide.data_validation(2 + GUIDE_FIELDS.index("评估阶段"), 1, 2 + GUIDE_FIELDS.index("评估阶段"), 1,
                              {"validate": "list", "source": list(STAGES)})  # fmt: skip
        for r, line in enumerate(INSTRUCTIONS, start=len(GUIDE_FIELDS) + 3):
            guide.write(r, 0, line)
        for sheet, rows in sheets.items():
            header = COLUMNS[sheet]
            ws = book.add_worksheet(sheet)
            ws.write(0, 0, f"{title}：{sheet}", big)
            ws.write(1, 0, "落实状态从下拉列表选择；与本单位无关的行留空。")
            ws.write_row(HEADER_ROW - 1, 0, header, bold)
            ws.freeze_panes(HEADER_ROW, 3)
            ws.set_column(0, 0, 12)
            ws.set_column(1, 1, 14)
            ws.set_column(2, 2, 46)
            ws.set_column(3, len(header) - 1, 16)
            ws.set_column(header.index("进展与证据"), header.index("进展与证据"), 40)
            status = header.index("落实状态")
            for r, item in enumerate(rows, start=HEADER_ROW):
                fixed = [item.item_id, item.domain, item.text]
                if sheet == MEASURES_SHEET:
                    fixed.append(item.units_named.replace(";", "、"))
                ws.write_row(r, 0, fixed, locked)
                for c in range(len(fixed), len(header)):
                    ws.write_blank(r, c, None, entry)
            last = HEADER_ROW + len(rows) - 1
            ws.data_validation(HEADER_ROW, status, last, status,
                               {"validate": "list", "source": list(STATUSES), "error_title": "落实状态",
                                "error_message": "请从下拉列表选择：" + "、".join(STATUSES)})  # fmt: skip
            if sheet == COVERAGE_SHEET:
                first = header.index("已覆盖数")
                ws.data_validation(HEADER_ROW, first, last, first + 1,
                                   {"validate": "integer", "criteria": ">=", "value": 0,
                                    "error_message": "请填写不小于0的整数。"})  # fmt: skip
        book.close()

    return write_whole(path, write)


def _text(sheet, r: int, c: int) -> str:
    return clean_text(str(sheet.cell(r, c).value or ""))


def _count(raw: object) -> int | None | str:
    """An integer count, None for an empty cell, or the text that is not a count."""
    if raw is None or clean_text(str(raw)) == "":
        return None
    if isinstance(raw, (int, float)) and float(raw).is_integer() and raw >= 0:
        return int(raw)
    text = clean_text(str(raw))
    return int(text) if text.isdigit() else text


def read_self_assessment(path: Path, label: str, catalog: Catalog = CATALOG) -> tuple[pd.DataFrame, list[Problem]]:
    """The answered rows of one workbook, and every problem found in it (cell by cell)."""
    try:
        read = read_sheets(path, label)
    except UnreadableFile as error:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), [error.problem]
    hidden = hidden_problems(read, label)
    if hidden:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), hidden
    sheets = {s.name: s for s in read}
    problems: list[Problem] = []
    missing = [name for name in (GUIDE, *COLUMNS) if name not in sheets]
    if missing:
        return pd.DataFrame(columns=OUTPUT_COLUMNS), [Problem(
            label, f"not a self-assessment workbook: no sheet {'、'.join(missing)}",
            "generate a fresh one with python -m analysis.data.measures template")]  # fmt: skip
    guide = {}
    for r in range(1, len(sheets[GUIDE].rows) + 1):
        if _text(sheets[GUIDE], r, 1) in GUIDE_FIELDS:
            guide[_text(sheets[GUIDE], r, 1)] = (_text(sheets[GUIDE], r, 2), r)
    for field in ("填报单位", "评估阶段", "截至年份"):
        value, row = guide.get(field, ("", None))
        if not value:
            problems.append(Problem(label, f"{GUIDE} has no {field}", f"fill in {field} on the {GUIDE} sheet",
                                    sheet=GUIDE, row=row, column=2 if row else None, column_name=field))  # fmt: skip
    stage, stage_row = guide.get("评估阶段", ("", None))
    if stage and stage not in STAGES:
        problems.append(Problem(label, f"评估阶段 {stage!r} is not one of {'、'.join(STAGES)}",
                                "choose it from the drop-down list", sheet=GUIDE, row=stage_row, column=2))  # fmt: skip
    as_of, as_of_row = guide.get("截至年份", ("", None))
    if as_of and not (as_of.removesuffix("年").isdigit() and 2021 <= int(as_of.removesuffix("年")) <= 2030):
        problems.append(Problem(label, f"截至年份 {as_of!r} is not a year from 2021 to 2030",
                                "write the year the assessment covers, e.g. 2025", sheet=GUIDE, row=as_of_row,
                                column=2))  # fmt: skip
    synthetic = "synthetic" in path.name.lower()
    unit, unit_row = guide.get("填报单位", ("", None))
    if unit:
        canonical, error = check_unit(unit, synthetic)
        if error:
            problems.append(Problem(label, error[0], error[1], sheet=GUIDE, row=unit_row, column=2,
                                    column_name="填报单位"))  # fmt: skip
        else:
            guide["填报单位"] = (canonical, unit_row)
    known = {sheet: {i.item_id: i for i in rows} for sheet, rows in items(catalog).items()}
    answers = []
    for sheet_name, header in COLUMNS.items():
        sheet = sheets[sheet_name]
        found = [_text(sheet, HEADER_ROW, c) for c in range(1, len(header) + 1)]
        if found != header:
            problems.append(Problem(label, f"the header row is {found}, not {header}",
                                    "do not move or rename columns; use a fresh workbook", sheet=sheet_name,
                                    row=HEADER_ROW))  # fmt: skip
            continue
        col = {name: i for i, name in enumerate(header, start=1)}
        for r in range(HEADER_ROW + 1, len(sheet.rows) + 1):
            item_id = _text(sheet, r, 1)
            answer = {name: _text(sheet, r, col[name]) for name in ANSWER}
            counts = {name: _count(sheet.cell(r, col[name]).value) for name in COUNTS if name in col}
            if not item_id and not any(answer.values()) and not any(v is not None for v in counts.values()):
                continue

            def problem(name: str, message: str, fix: str) -> None:
                problems.append(Problem(label, message, fix, sheet=sheet_name, row=r, column=col[name],
                                        column_name=name))  # fmt: skip

            item = known[sheet_name].get(item_id)
            if item is None:
                problem("编号", f"unknown {sheet_name} {item_id!r}", "do not change the 编号 column; use a fresh workbook")
                continue
            if clean_text(item.text) != _text(sheet, r, col["内容"]):
                problem("内容", f"the text of {item_id} was changed", "do not edit the 内容 column")
            status = answer["落实状态"]
            if status and status not in STATUSES:
                problem("落实状态", f"{status!r} is not a status", f"choose {'、'.join(STATUSES)} from the list")
            if not status and (any(v for k, v in answer.items() if k != "落实状态")
                               or any(v is not None for v in counts.values())):  # fmt: skip
                problem("落实状态", f"{item_id} has an answer but no status", f"choose {'、'.join(STATUSES)}")
            if status in ("已完成", "推进中") and not answer["进展与证据"]:
                problem("进展与证据", f"{item_id} is {status} without evidence",
                        "say what was done (how many, where, when) in 进展与证据")  # fmt: skip
            for name, value in counts.items():
                if isinstance(value, str):
                    problem(name, f"{value!r} is not a whole number", "write a count such as 41, or leave it empty")
            covered, to_cover = counts.get("已覆盖数"), counts.get("应覆盖数")
            if sheet_name == COVERAGE_SHEET and status and (covered is None) != (to_cover is None):
                which = "应覆盖数" if to_cover is None else "已覆盖数"
                problem(which, f"{item_id} gives one count without the other", "give both 已覆盖数 and 应覆盖数, or neither")
            if sheet_name == COVERAGE_SHEET and status == "已完成" and covered is None and to_cover is None:
                problem("已覆盖数", f"{item_id} is 已完成 without counts: full coverage is a count",
                        "write 已覆盖数 and 应覆盖数 (e.g. 41 of 41)")  # fmt: skip
            if isinstance(to_cover, int) and to_cover == 0:
                problem("应覆盖数", f"{item_id}: 应覆盖数 is 0, so there is nothing to cover and {covered} of 0 says "
                        "nothing" + (" — it cannot be 已完成" if status == "已完成" else ""),
                        "write how many there are to cover (e.g. the number of towns or villages)")  # fmt: skip
            elif isinstance(covered, int) and isinstance(to_cover, int):
                if covered > to_cover:
                    problem("已覆盖数", f"{covered} covered of {to_cover}", "已覆盖数 cannot exceed 应覆盖数")
                elif status == "已完成" and covered < to_cover:
                    problem("落实状态", f"已完成 but only {covered} of {to_cover} covered",
                            "choose 推进中, or correct the counts")  # fmt: skip
            if not status:
                continue
            answers.append({
                "unit": guide.get("填报单位", ("", 0))[0], "stage": stage, "as_of": as_of.removesuffix("年"),
                "kind": item.kind, "item_id": item_id, "domain": item.domain, "text": item.text,
                "status": status, "covered": covered if isinstance(covered, int) else None,
                "to_cover": to_cover if isinstance(to_cover, int) else None, "evidence": answer["进展与证据"],
                "documents": answer["文件依据"], "note": answer["备注"], "synthetic": synthetic, "file": label,
                "cell": f"{sheet_name}!{cell_name(r, col['落实状态'])}",
            })  # fmt: skip
    return pd.DataFrame(answers, columns=OUTPUT_COLUMNS), problems


def _files(folder: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """The workbooks (.xlsx/.xlsm, any case) below folder, and a problem for every table in another form."""
    paths, problems = [], []
    for path in sorted(folder.rglob("*")) if folder.exists() else []:
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue
        suffix = path.suffix.lower()
        if suffix in WORKBOOK_SUFFIXES:
            paths.append(path)
        elif suffix in REFUSED_SUFFIXES:
            problems.append(Problem(relative_name(path, root), f"a self-assessment must be the workbook (.xlsx); this "
                                    f"is {REFUSED_SUFFIXES[suffix]}", "fill the workbook from python -m "
                                    "analysis.data.measures template and put that .xlsx here, or move this file out of "
                                    "data/raw/self_assessment"))  # fmt: skip
    return paths, problems


def read_self_assessments(folder: Path = SELF_ASSESSMENT_DIR) -> pd.DataFrame:
    """Every workbook in ``folder`` read and checked; raise IngestError listing every problem. Writes nothing."""
    root = ROOT if folder.resolve().is_relative_to(ROOT) else folder.parent
    paths, problems = _files(folder, root)
    frames = []
    for path in paths:
        frame, found = read_self_assessment(path, relative_name(path, root))
        frames.append(frame)
        problems += found
    frames = [f for f in frames if len(f)]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=OUTPUT_COLUMNS)
    twice = table.duplicated(["unit", "stage", "as_of", "item_id"], keep=False)
    for row in table.loc[twice].itertuples():
        problems.append(Problem(row.file, f"{row.unit} answered {row.item_id} for {row.stage} {row.as_of} in "
                                "more than one file", "keep one answer per unit and stage",
                                sheet=row.cell.split("!")[0]))  # fmt: skip
    if len(table) and table["synthetic"].astype(bool).any() and not table["synthetic"].astype(bool).all():
        real = sorted(set(table.loc[~table["synthetic"].astype(bool), "file"]))
        for file in sorted(set(table.loc[table["synthetic"].astype(bool), "file"])):
            problems.append(Problem(file, f"a synthetic self-assessment beside real ones ({', '.join(real[:3])}"
                                    f"{'…' if len(real) > 3 else ''}): real and synthetic answers would be pooled",
                                    "move the synthetic workbooks (*synthetic*) out of data/raw/self_assessment"))  # fmt: skip
    if problems:
        raise IngestError(problems)
    table = table.sort_values(["stage", "as_of", "unit", "kind", "item_id"], kind="stable").reset_index(drop=True)
    return table.astype({"covered": "Int64", "to_cover": "Int64", "synthetic": bool})


def write_self_assessment(table: pd.DataFrame, processed_dir: Path = DATA_PROCESSED) -> None:
    """``self_assessment.parquet`` and ``.csv``, each written whole (left as they are when unchanged)."""
    target = processed_dir / f"{OUTPUT_NAME}.parquet"
    if target.exists() and (processed_dir / f"{OUTPUT_NAME}.csv").exists():
        try:
            pd.testing.assert_frame_equal(pd.read_parquet(target), table, check_dtype=False)
            return
        except (AssertionError, ValueError, OSError):
            pass
    write_whole(target, lambda tmp: table.to_parquet(tmp, index=False))
    write_whole(processed_dir / f"{OUTPUT_NAME}.csv", lambda tmp: table.to_csv(tmp, index=False, encoding="utf-8-sig"))


def ingest_self_assessments(folder: Path = SELF_ASSESSMENT_DIR, processed_dir: Path = DATA_PROCESSED) -> pd.DataFrame:
    """Read every workbook in ``folder``; raise IngestError listing every problem, writing nothing;
    otherwise write ``self_assessment.parquet`` and ``.csv`` whole and return the table."""
    table = read_self_assessments(folder)
    write_self_assessment(table, processed_dir)
    return table


def self_assessment_table(folder: Path = SELF_ASSESSMENT_DIR, latest: bool = True) -> pd.DataFrame:
    """The validated self-assessment, for the report: read from the workbooks with every check (IngestError
    otherwise), each unit's latest answer per item (``latest``), labelled 自评 (and synthetic when it is)."""
    table = read_self_assessments(folder)
    table = current_answers(table) if latest else table
    synthetic = bool(table["synthetic"].any()) if len(table) else False
    table.attrs["label"] = (SYNTHETIC_LABEL if synthetic else "") + LABEL
    return table


def current_answers(table: pd.DataFrame) -> pd.DataFrame:
    """Each unit's latest answer per item: the later 截至年份 first, then 终期 > 中期 > 年度自查 within a year."""
    if table.empty:
        return table
    order = table.assign(_year=pd.to_numeric(table["as_of"], errors="coerce").fillna(0),
                         _stage=table["stage"].map(STAGE_RANK).fillna(-1))  # fmt: skip
    order = order.sort_values(["_year", "_stage"], kind="stable")
    latest = order.drop_duplicates(["unit", "kind", "item_id"], keep="last").drop(columns=["_year", "_stage"])
    return latest.sort_index().reset_index(drop=True)


def check_unit(text: str, synthetic: bool = False) -> tuple[str, tuple[str, str] | None]:
    """A 填报单位 as registered (区卫健局 -> 区卫生健康局), or the problem; synthetic units end in （合成示例）."""
    import difflib

    name = clean_text(text)
    suffix = ""
    marker = clean_text(SYNTHETIC_UNIT)  # （合成示例） as NFKC writes it: (合成示例)
    if synthetic and name.endswith(marker):
        name, suffix = name.removesuffix(marker), marker
    unit = CATALOG.canonical_unit(name)
    if unit is None:
        names = unit_names(CATALOG.units)  # every spelling of the register -> its unit
        near = difflib.get_close_matches(name.replace(" ", ""), list(names), n=1, cutoff=0.4)
        hint = f" (did you mean {names[near[0]]}?)" if near else ""
        return "", (f"填报单位 {text!r} is not a member unit of the register{hint}",
                    "write the unit's name as in analysis/catalog/units.csv (a person's name goes in 联系人); "
                    "a unit missing there is added to that file with its other names")  # fmt: skip
    return unit + suffix, None


def load_self_assessment(processed_dir: Path = DATA_PROCESSED) -> pd.DataFrame:
    path = processed_dir / f"{OUTPUT_NAME}.parquet"
    return pd.read_parquet(path) if path.exists() else pd.DataFrame(columns=OUTPUT_COLUMNS)


def summary(table: pd.DataFrame, kind: str = "measure", catalog: Catalog = CATALOG) -> pd.DataFrame:
    """Per domain: items, and how many each status has (an item reported by several units counts
    once, at its least advanced status: 未启动 < 推进中 < 已完成, each unit by its latest answer: a 2025
    中期评估 outranks a 2022 年度自查); items nobody reported are 未填报.
    The frame's ``attrs['label']`` says it is a self-assessment (and synthetic, when it is)."""
    every = [i for rows in items(catalog).values() for i in rows if i.kind == kind]
    rank = {s: i for i, s in enumerate(reversed(STATUSES))}  # 未启动 0, 推进中 1, 已完成 2
    answered = current_answers(table.loc[table["kind"] == kind])
    least = answered.assign(r=answered["status"].map(rank)).groupby("item_id")["r"].min()
    status = {item_id: list(reversed(STATUSES))[r] for item_id, r in least.items()}
    rows = pd.DataFrame({"领域": [i.domain for i in every],
                         "状态": [status.get(i.item_id, NOT_REPORTED) for i in every]})  # fmt: skip
    counts = pd.crosstab(rows["领域"], rows["状态"]).reindex(columns=[*STATUSES, NOT_REPORTED], fill_value=0)
    order = list(dict.fromkeys(rows["领域"]))
    counts = counts.reindex(order)
    counts.insert(0, "总数", counts.sum(axis=1))
    counts.loc["合计"] = counts.sum()
    counts.index.name = "领域"
    counts.columns.name = None
    synthetic = bool(answered["synthetic"].any()) if len(answered) else False
    counts.attrs["label"] = (SYNTHETIC_LABEL if synthetic else "") + LABEL
    return counts.reset_index()


def coverage_table(table: pd.DataFrame) -> pd.DataFrame:
    """The 全覆盖 targets as reported: covered of to cover, per unit (a self-assessment, not a statistic)."""
    rows = current_answers(table).loc[lambda t: t["kind"] == "coverage", ["item_id", "domain", "text", "unit", "covered", "to_cover",
                                                   "status", "synthetic"]].copy()  # fmt: skip
    share = rows["covered"].astype("Float64") / rows["to_cover"].astype("Float64") * 100
    rows["覆盖率（%，自报）"] = share.round(1)
    return rows.rename(columns={"item_id": "编号", "domain": "领域", "text": "全覆盖目标", "unit": "填报单位",
                                "covered": "已覆盖数", "to_cover": "应覆盖数", "status": "落实状态",
                                "synthetic": "合成数据"}).reset_index(drop=True)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="策略措施自评 self-assessment of the measures")
    sub = parser.add_subparsers(dest="command", required=True)
    template = sub.add_parser("template", help="write the self-assessment workbook for a member unit")
    template.add_argument("--unit", default="", help="填报单位, pre-filled")
    template.add_argument("--output", type=Path, default=DATA_PROCESSED / "templates" / "金口河区_策略措施自评表.xlsx")
    sub.add_parser("ingest", help="check data/raw/self_assessment/*.xlsx and store them (python -m analysis ingest does too)")
    args = parser.parse_args(argv)
    if args.command == "template":
        print(write_self_assessment_workbook(args.output, unit=args.unit))
        return 0
    try:
        table = ingest_self_assessments()
    except IngestError as error:
        print(error)
        return 1
    print(summary(table).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
