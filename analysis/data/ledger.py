"""Corrections as a ledger: who corrects whom, and whether each correction matches what it declares.

A file says it corrects another by its name (修订/更正: ``妇幼年报（修订）.csv`` corrects
``妇幼年报.csv``, or, when no file has that name, the other files of its load), by the 更正文件 field
of an entry workbook, or by a ``revises`` column on each row. The ingest stores each batch's
declarations (table ``corrections``) so that later loads and ``--rebuild`` know them too. Refused:

* a name that matches no file, or several (every match is named);
* a correction of a value its original never had (a year or breakdown the original lacks);
* a row of a declaring file that changes a stored value without declaring it;
* an original (or a changed version of it) arriving after its correction: it would replace the
  corrected value;
* files that correct each other, directly or round a circle.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from analysis.data.problems import Problem
from analysis.data.records import Record

CORRECTION_WORDS = ("修订", "更正")
ANY_EARLIER = "*"  # a named correction whose original cannot be told from its name: the other files of its load
_WORD = re.compile(r"[（(\[【]?\s*(?:" + "|".join(CORRECTION_WORDS) + r")(?:版|稿|后)?\s*[)）\]】]?")


def is_named_correction(label: str) -> bool:
    return any(word in PurePosixPath(label).name for word in CORRECTION_WORDS)


def original_name(label: str) -> str:
    """妇幼年报（修订）.csv -> 妇幼年报.csv; 卫健局2024更正.xlsx -> 卫健局2024.xlsx (the name only)."""
    path = PurePosixPath(label)
    stem = _WORD.sub("", path.stem).strip(" _-—")
    return stem + path.suffix


def numbers(record) -> tuple:
    return (record.value, record.numerator, record.denominator, record.status)


def _same(a: tuple, b: tuple) -> bool:
    def norm(x):
        return None if x is None or (isinstance(x, float) and x != x) else x

    return tuple(map(norm, a)) == tuple(map(norm, b))


def shown(values: tuple) -> str:
    value, numerator, denominator, status = values
    if status == "missing":
        return "未统计"
    if denominator is not None and denominator == denominator:
        return f"{numerator:g}/{denominator:g}"
    return f"{value:g}" if value is not None else "(empty)"


def _where(record: Record) -> dict:
    sheet, _, _ = record.cell.rpartition("!")
    return {"sheet": sheet, "row": record.row}


class Names:
    """File names as people write them → the labels of files in data/raw or in the database."""

    def __init__(self, labels: set[str], raw_prefix: str):
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for label in labels:
            below_raw = label.removeprefix(raw_prefix) if raw_prefix and label.startswith(raw_prefix) else label
            path = PurePosixPath(below_raw)
            for name in {label, below_raw, "data/raw/" + below_raw, path.name, path.stem}:
                self.by_name[name.lower()].add(label)
            for i in range(1, len(path.parts)):  # 卫健局/妇幼年报.csv: any tail of the path
                self.by_name["/".join(path.parts[i:]).lower()].add(label)
        self.raw_prefix = raw_prefix

    def find(self, text: str) -> set[str]:
        text = text.strip().replace("\\", "/").strip("/")
        return set(self.by_name.get(text.lower(), set()))

    def example(self, label: str) -> str:
        return label.removeprefix(self.raw_prefix) if self.raw_prefix else label


@dataclass
class Stored:
    """What the database already holds, as the ledger checks need it."""

    current: dict[tuple, tuple] = field(default_factory=dict)  # key -> (numbers, file, cell)
    declared: dict[str, set[str]] = field(default_factory=dict)  # file -> files it corrects
    keys_of: dict[str, set[tuple]] = field(default_factory=dict)  # file -> keys it ever held


def resolve(pending: list, names: Names, stored: Stored) -> list[Problem]:
    """Give each file and row the labels it corrects; refuse names that match nothing or several, and circles."""
    problems = []
    labels = {item.label for item in pending}
    for item in pending:
        item.named_correction = is_named_correction(item.label)
        item.derived = ""
        if item.named_correction:
            matches = names.find(original_name(item.label)) - {item.label}
            same_folder = {m for m in matches if PurePosixPath(m).parent == PurePosixPath(item.label).parent}
            matches = same_folder or matches
            if len(matches) == 1:
                item.derived = next(iter(matches))
        declared_here = False
        for record in item.records:
            if not record.revises:
                continue
            declared_here = True
            matches = names.find(record.revises) - {item.label}
            if len(matches) != 1:
                if matches:
                    why = f"matches {len(matches)} files: {', '.join(sorted(names.example(m) for m in matches))}"
                    fix = "write the path below data/raw of the one you mean (e.g. " + names.example(sorted(matches)[0]) + ")"
                else:
                    why = "is not in data/raw nor in the database"
                    fix = ("write that file's name, or its path below data/raw, exactly as it is there "
                           "(e.g. 2024/卫健局/妇幼年报.csv)")  # fmt: skip
                problems.append(Problem(item.label, f"the file it corrects, {record.revises!r}, {why}", fix,
                                        **_where(record)))  # fmt: skip
                record.revises = ""
                record.unresolved = True
                continue
            record.revises = next(iter(matches))
        item.has_revises_column = declared_here or any(getattr(r, "unresolved", False) for r in item.records)
        item.corrects = {r.revises for r in item.records if r.revises} | ({item.derived} if item.derived else set())
    # circles: A corrects B corrects … A (within the load, or with a stored declaration)
    edges = {item.label: set(item.corrects) for item in pending}
    for file, targets in stored.declared.items():
        if file not in labels:
            edges.setdefault(file, set()).update(targets)
    reported = set()
    for item in pending:
        path = _circle(item.label, edges)
        if path and frozenset(path) not in reported:
            reported.add(frozenset(path))
            circle = " → ".join(names.example(p) for p in [*path, path[0]])
            problems.append(Problem(item.label, f"these files say they correct each other: {circle}; which figure "
                                    "is right cannot be told", "keep the declaration only in the file that holds the "
                                    "right figures (clear the others' 更正文件 / revises, or remove 修订/更正 from their "
                                    "names)"))  # fmt: skip
            for label in path:
                edges[label] = set()
    by_label = {item.label: item for item in pending}

    def depth(label: str, seen: frozenset = frozenset()) -> int:
        item = by_label.get(label)
        if item is None or label in seen:
            return 0
        inner = [depth(t, seen | {label}) for t in item.corrects]
        return 1 + max(inner, default=0) if item.corrects or item.named_correction else 0

    for item in pending:
        item.depth = depth(item.label)
    return problems


def _circle(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    stack = [(start, [start])]
    while stack:
        node, path = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return path
            if nxt not in path and len(path) < 50:
                stack.append((nxt, [*path, nxt]))
    return None


def targets(item, record: Record) -> set[str]:
    """The files a row corrects: its own declaration, else its file's (ANY_EARLIER for a bare 修订 name)."""
    if record.revises:
        return {record.revises}
    if getattr(item, "has_revises_column", False):
        return set()  # a file declaring row by row: this row declares nothing
    if item.derived:
        return {item.derived}
    if item.named_correction:
        return {ANY_EARLIER}
    return set()


def corrects(later, record: Record, earlier) -> bool:
    found = targets(later, record)
    return earlier.label in found or (ANY_EARLIER in found and earlier.depth < later.depth)


def check(pending: list, stored: Stored, names: Names) -> list[Problem]:
    """Each correction against what it declares, and each file against the corrections already stored."""
    problems = []
    in_load = {item.label: {r.key for r in item.records} for item in pending}
    for item in pending:
        declares = item.named_correction or item.has_revises_column
        for record in item.records:
            found = targets(item, record)
            old = stored.current.get(record.key)
            changes = old is not None and not _same(old[0], numbers(record))
            what = f"{record.indicator_id} {record.region} {record.year}"
            breakdown = "/".join(p for p in (record.sex, record.urban_rural, record.population_group,
                                             record.age_group) if p and p != "total")  # fmt: skip
            what += f" ({breakdown})" if breakdown else ""
            for target in sorted(found - {ANY_EARLIER}):
                if record.key not in in_load.get(target, set()) and record.key not in stored.keys_of.get(target, set()):
                    problems.append(Problem(item.label, f"{record.cell or 'this row'} corrects {what} in "
                                            f"{names.example(target)}, but that file never had this value: a "
                                            "correction cannot add a figure", "put a new figure in a file of its "
                                            "own (not a correction), or correct the indicator, region or year of "
                                            "this row", **_where(record)))  # fmt: skip
            if found == {ANY_EARLIER} and old is None and not any(
                    record.key in keys for label, keys in in_load.items() if label != item.label):  # fmt: skip
                problems.append(Problem(item.label, f"{record.cell or 'this row'} is in a correction (修订/更正 in "
                                        f"the name), but {what} was never loaded: there is nothing to correct",
                                        "put a new figure in a file of its own, without 修订/更正 in its name",
                                        **_where(record)))  # fmt: skip
            if not changes:
                continue
            old_numbers, old_file, old_cell = old
            if declares and not found and old_file != item.label:  # a file re-sent with its own figure changed revises it
                problems.append(Problem(item.label, f"{record.cell or 'this row'} changes {what} from "
                                        f"{shown(old_numbers)} ({names.example(old_file)} {old_cell}) to "
                                        f"{shown(numbers(record))}, but this file declares its corrections row by "
                                        "row and this row declares none", "write the corrected file's name in this "
                                        "row's revises / 更正文件 cell, or move the row to a file of its own",
                                        **_where(record)))  # fmt: skip
            elif found and ANY_EARLIER not in found and old_file not in found and old_file != item.label and not (
                    stored.declared.get(old_file, set()) & found):  # fmt: skip
                problems.append(Problem(item.label, f"{record.cell or 'this row'} changes {what} from "
                                        f"{shown(old_numbers)} ({names.example(old_file)} {old_cell}), but it "
                                        f"declares it corrects {', '.join(names.example(t) for t in sorted(found))}",
                                        f"name {names.example(old_file)} as the file it corrects, or leave this "
                                        "value as it is", **_where(record)))  # fmt: skip
            if item.label in stored.declared.get(old_file, set()):
                problems.append(Problem(item.label, f"{record.cell or 'this row'} gives {what} as "
                                        f"{shown(numbers(record))}, but {names.example(old_file)} ({old_cell}), "
                                        f"already loaded, corrects this file to {shown(old_numbers)}: the "
                                        "original would replace its correction", "take this file out of data/raw "
                                        "(the correction holds its figures); if this figure is the right one, "
                                        f"put it in a new file that corrects {names.example(old_file)}",
                                        **_where(record)))  # fmt: skip
    return problems


def removed_but_corrected(removed: set[str], declared: dict[str, set[str]], present: set[str]) -> dict[str, set[str]]:
    """Removed files that a file still present (or kept) corrects: removed file -> its correctors."""
    kept: dict[str, set[str]] = {}
    changed = True
    while changed:
        changed = False
        for file, corrected in declared.items():
            if file not in present and file not in kept:
                continue
            for target in corrected & removed:
                if file not in kept.setdefault(target, set()):
                    kept[target].add(file)
                    changed = True
    return kept
