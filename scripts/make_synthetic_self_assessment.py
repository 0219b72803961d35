"""Write a SYNTHETIC example of member units' self-assessments (合成示例数据), with a fixed seed.

    python scripts/make_synthetic_self_assessment.py [--seed 20250]

Nothing here is a real self-assessment. Four imaginary member units, each named
"…（合成示例）", fill the workbook of ``analysis.data.measures`` for the 2025 mid-term evaluation:
each answers the measures of the domains it would lead, with a status drawn at random
(已完成 30 %, 推进中 55 %, 未启动 15 %), evidence and document references that say they are
synthetic, the five 全覆盖 targets with counts, and the qualitative goals of its domains.
Files go to data/raw/self_assessment/ with "synthetic" in their names and a title saying
合成示例, so ``analysis.data.measures`` labels every table made from them. Same seed, same answers
(the .xlsx files' internal timestamps differ; what they say does not).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.data.measures import (  # noqa: E402
    COLUMNS,
    COVERAGE_SHEET,
    GUIDE,
    GUIDE_FIELDS,
    HEADER_ROW,
    MEASURES_SHEET,
    QUALITATIVE_SHEET,
    SELF_ASSESSMENT_DIR,
    write_self_assessment_workbook,
)
from analysis.files import write_whole  # noqa: E402

SEED = 20250
FIXED_DATE = dt.datetime(2025, 6, 30)
UNITS = {  # imaginary member unit -> the domains (as the workbook names them) it answers
    "区卫生健康局（合成示例）": ["妇女与健康", "妇女与环境"],
    "区教育局（合成示例）": ["妇女与教育"],
    "区民政局（合成示例）": ["妇女参与决策和管理", "妇女与社会保障", "妇女与家庭建设"],
    "区妇联（合成示例）": ["妇女与经济", "妇女与法律"],
}
STATUS_WEIGHTS = {"已完成": 0.30, "推进中": 0.55, "未启动": 0.15}
TO_COVER = {"HE": 6, "DM": 41, "FA": 5, "EN": 5, "LA": 41}  # imaginary: towns, villages+communities, …


def fill(path: Path, unit: str, domains: list[str], rng: random.Random) -> None:
    book = openpyxl.load_workbook(path)
    guide = book[GUIDE]
    values = {"填报单位": unit, "评估阶段": "中期评估", "截至年份": "2025", "联系人": "合成示例",
              "填报日期": "2025-06-30"}  # fmt: skip
    for r, name in enumerate(GUIDE_FIELDS, start=3):
        guide.cell(r, 2, values[name])
    for sheet_name in (MEASURES_SHEET, COVERAGE_SHEET, QUALITATIVE_SHEET):
        ws, header = book[sheet_name], COLUMNS[sheet_name]
        col = {name: i for i, name in enumerate(header, start=1)}
        for r in range(HEADER_ROW + 1, ws.max_row + 1):
            item_id, domain = ws.cell(r, 1).value, ws.cell(r, 2).value
            if domain not in domains:
                continue
            status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
            if sheet_name == COVERAGE_SHEET:
                to_cover = TO_COVER[item_id[:2]]
                covered = to_cover if status == "已完成" else (0 if status == "未启动" else rng.randrange(1, to_cover))
                ws.cell(r, col["已覆盖数"], covered)
                ws.cell(r, col["应覆盖数"], to_cover)
            ws.cell(r, col["落实状态"], status)
            if status != "未启动":
                ws.cell(r, col["进展与证据"], f"合成示例：{item_id} 的进展说明（非真实内容）")
                ws.cell(r, col["文件依据"], f"合成示例文件〔2024〕{rng.randrange(1, 99)}号")
    book.properties.created = book.properties.modified = FIXED_DATE
    write_whole(path, book.save)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--folder", type=Path, default=SELF_ASSESSMENT_DIR)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    for n, (unit, domains) in enumerate(UNITS.items(), start=1):
        path = args.folder / f"金口河区_策略措施自评_synthetic_{n}.xlsx"
        write_self_assessment_workbook(path, unit=unit, synthetic=True)
        fill(path, unit, domains, rng)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
