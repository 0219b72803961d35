"""Write analysis/catalog/measures.csv, the register of the outline's 策略措施, from the outline text.

    python scripts/make_measures_catalog.py

One row per numbered 策略措施 of each domain of part 二 of
data/raw/outline/jinkouhe-women-outline-2021-2030.txt (91 measures in 8 domains):

* ``measure_id`` ``<domain code>-M<nn>`` (``HE-M05`` = 健康 measure 5), ``domain``, ``measure_no``;
* ``title``: the measure's first sentence (its heading, e.g. 保障孕产妇安全分娩);
* ``text_zh``: the whole measure as in the outline (whitespace removed, as tests/test_catalog.py
  compares goals), so the register can be checked against the text;
* ``units_named``: the member units or bodies the measure itself names (卫生健康部门, 妇联, 工会 …),
  ';'-separated; most measures name none, and the 责任单位 is then filled in the self-assessment;
* ``targets``: every clause of the measure that sets a number (达到90%以上 …), ';'-separated;
* ``coverage_targets``: every clause that sets full coverage (全覆盖, 全域覆盖), ';'-separated:
  these are measurable (a yes/no, or a count of villages/communities covered) and are asked
  for in the self-assessment;
* ``indicator_ids``: catalog indicators that come from this measure (``origin=measure`` with the
  same domain and ``measure_no``).

The output is deterministic and written whole. Re-run it only if the outline text changes;
tests/test_measures.py checks the CSV against the outline text.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.files import write_whole  # noqa: E402
from analysis.paths import OUTLINE_TEXT  # noqa: E402

CATALOG = ROOT / "analysis" / "catalog"
OUTPUT = CATALOG / "measures.csv"
COLUMNS = ["measure_id", "domain", "measure_no", "title", "text_zh", "units_named", "targets",
           "coverage_targets", "indicator_ids"]  # fmt: skip
# Bodies an outline measure may name. Longer names first, so 工会女职工委员会 is not also 工会.
UNITS = ("卫生健康部门", "工会女职工委员会", "人民调解委员会", "妇儿工委", "妇联", "工会", "共青团", "科协",
         "残联", "公安机关", "人民法院", "人民检察院", "统计部门")  # fmt: skip
NOT_A_UNIT = ("学科协作",)  # words that contain a unit's name without naming it
NUMBER_TARGET = re.compile(r"[^。；,，]*(?:\d+(?:\.\d+)?%|至少建有\d+[个所])[^。；,，]*")
COVERAGE = re.compile(r"[^。；,，]*(?<!健)(?:全覆盖|全域覆盖)[^。；,，]*")  # not 健全覆盖全民
ITEM = re.compile(r"(?:^|(?<=[。)）]))(\d+)\.")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def part_two(text: str) -> str:
    text = squeeze(text)
    start = text.index("二、发展领域", text.index("前言") + 200)  # skip the table of contents
    return text[start : text.index("三、组织实施", start)]


def measure_blocks(part: str) -> list[str]:
    """The 策略措施 block of each domain, in the outline's order."""
    return re.findall(r"策略措施[:：](.*?)(?=\([一二三四五六七八]\)|（[一二三四五六七八]）|$)", part)


def split_measures(block: str) -> list[tuple[int, str]]:
    """(number, text) of each numbered measure of a block."""
    marks = list(ITEM.finditer(block))
    return [(int(m.group(1)), block[m.end() : (marks[i + 1].start() if i + 1 < len(marks) else len(block))])
            for i, m in enumerate(marks)]  # fmt: skip


def units_named(text: str) -> list[str]:
    found, rest = [], text
    for word in NOT_A_UNIT:
        rest = rest.replace(word, "")
    for unit in UNITS:
        if unit in rest:
            found.append(unit)
            rest = rest.replace(unit, "")
    return found


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def build() -> list[dict[str, str]]:
    domains = read_csv(CATALOG / "domains.csv")
    goals = {g["goal_id"]: g["domain"] for g in read_csv(CATALOG / "goals.csv")}
    from_measure: dict[tuple[str, int], list[str]] = {}
    for ind in read_csv(CATALOG / "indicators.csv"):
        if ind["origin"] == "measure":
            key = (goals[ind["goal_id"]], int(float(ind["measure_no"])))
            from_measure.setdefault(key, []).append(ind["indicator_id"])
    blocks = measure_blocks(part_two(OUTLINE_TEXT.read_text(encoding="utf-8")))
    if len(blocks) != len(domains):
        raise SystemExit(f"found {len(blocks)} 策略措施 blocks, expected {len(domains)}")
    rows = []
    for domain, block in zip(domains, blocks):
        measures = split_measures(block)
        numbers = [n for n, _ in measures]
        if numbers != list(range(1, len(numbers) + 1)):
            raise SystemExit(f"{domain['domain']}: measure numbers {numbers} are not 1..n")
        for number, text in measures:
            rows.append({
                "measure_id": f"{domain['code']}-M{number:02d}", "domain": domain["domain"],
                "measure_no": str(number), "title": text.split("。")[0], "text_zh": text,
                "units_named": ";".join(units_named(text)),
                "targets": ";".join(m.group(0) for m in NUMBER_TARGET.finditer(text)),
                "coverage_targets": ";".join(m.group(0) for m in COVERAGE.finditer(text)),
                "indicator_ids": ";".join(from_measure.get((domain["domain"], number), [])),
            })  # fmt: skip
    return rows


def main() -> int:
    rows = build()

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    write_whole(OUTPUT, write)
    print(f"wrote {len(rows)} measures to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
