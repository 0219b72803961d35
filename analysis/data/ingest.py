"""From the files in data/raw to the monitoring database and its exports, all or nothing.

Every file is read and checked first; if any has a problem, all problems are reported and nothing
is written. Two files of one load that disagree on an observation are a problem too, unless one
of them says it corrects the other (修订/更正 in its name, an 更正文件 field, a ``revises``
column): the correction is then loaded after what it corrects, so the old figure stays as a
revision. Otherwise the database is updated in a private copy, the exports are written beside it,
and each file then replaces the old one whole (with Ctrl-C held off for that moment).

``rebuild`` replays the recorded loads in the order they happened: a file still holding the
content it had then is read again, an older version of a file that has changed since is carried
over as it was stored, and a file no longer in data/raw is left out (its batches dropped).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from openpyxl.utils.cell import coordinate_to_tuple

from analysis.data.higher_levels import check_higher_level_rows, is_higher_level_file
from analysis.data.longtable import read_long_table
from analysis.data.problems import IngestError, Problem, relative_name
from analysis.data.records import KEY, Record
from analysis.data.sheets import UnreadableFile, read_sheets
from analysis.data.store import DATABASE_NAME, MonitoringDatabase
from analysis.data.vocabulary import Vocabulary
from analysis.data.workbook import CORRECTS_FIELD, is_entry_workbook, read_entry_workbook
from analysis.lock import exclusive
from analysis.paths import DATA_PROCESSED, DATA_RAW, ROOT

TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls"}
# raw material for the catalog and the backtest, and the measures' self-assessments (analysis.data.measures)
NOT_DATA_FOLDERS = {"outline", "reference", "self_assessment"}
EXPORTS = ("observations.parquet", "observations.csv", "revisions.csv", "batches.csv", "manifest.json")
SCRATCH_PREFIX = ".ingest-"
CORRECTION_WORDS = ("修订", "更正")  # a file named so corrects the other files of its load
CONFLICT_FIX = (f"remove the wrong figure, or say which file is the correction: put 修订 or 更正 in its name, "
                f"fill in {CORRECTS_FIELD} on its 填表说明 sheet, or give it a `revises` column naming the file "
                "it corrects (see data/raw/README.md)")  # fmt: skip


@dataclass
class IngestResult:
    loaded: list[tuple[str, int, int]] = field(default_factory=list)  # file, rows added, revisions
    unchanged: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # rebuild: files no longer in data/raw
    carried: list[str] = field(default_factory=list)  # rebuild: older versions kept as stored
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # file, cell, what to know
    observations: int = 0

    def summary(self) -> str:
        lines = [f"监测数据库 database: {self.observations} current observations"]
        lines += [f"  loaded {f}: {n} new rows, {r} revisions" for f, n, r in self.loaded]
        lines += [f"  kept as stored (an older version of a file that has changed since): {f}" for f in self.carried]
        lines += [f"  dropped (no longer in data/raw): {f}" for f in self.dropped]
        if self.unchanged:
            lines.append(f"  unchanged since the last load: {len(self.unchanged)} file(s)")
        lines += [f"  ignored (not a table): {f}" for f in self.ignored]
        grouped = defaultdict(list)
        for file, cell, note in self.notes:
            grouped[(file, note)].append(cell)
        for (file, note), cells in grouped.items():
            more = f" and {len(cells) - 5} more" if len(cells) > 5 else ""
            lines.append(f"  note {file}: {', '.join(cells[:5])}{more}: {note}")
        return "\n".join(lines)


@dataclass
class Pending:
    """A file to load: its records, and which files it declares it corrects."""

    label: str
    digest: str
    records: list[Record]
    named_correction: bool = False
    corrects: set[str] = field(default_factory=set)
    depth: int = 0  # 0 for a plain file; a correction is loaded after what it corrects


def discover(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """Table files under raw_dir in name order, and the other files."""
    tables, others = [], []
    for path in sorted(raw_dir.rglob("*")):
        parts = path.relative_to(raw_dir).parts
        if not path.is_file() or parts[0] in NOT_DATA_FOLDERS or any(p.startswith(".") for p in parts):
            continue
        if path.name.startswith("~$") or path.name.lower() in ("readme.md", ".gitkeep"):
            continue  # Excel's lock files, and notes
        (tables if path.suffix.lower() in TABLE_SUFFIXES else others).append(path)
    return tables, others


def read_file(path: Path, label: str, vocab: Vocabulary,
              notes: list | None = None) -> tuple[list[Record], list[Problem]]:  # fmt: skip
    """Read and check one file: the records of the rows that are right, and the problems of the others."""
    notes = [] if notes is None else notes
    try:
        sheets = read_sheets(path, label)
    except UnreadableFile as error:
        return [], [error.problem]
    sheets = [s for s in sheets if not s.empty] or sheets[:1]  # WPS adds empty Sheet2, Sheet3
    synthetic = "synthetic" in path.name.lower()
    if is_entry_workbook(sheets):
        records, problems = read_entry_workbook(sheets, label, vocab, synthetic, notes)
    else:
        records, problems = read_long_table(sheets[0], label, vocab, synthetic, notes)
        problems += [Problem(label, f"unexpected sheet {s.name!r}: a long table has one sheet",
                             "put each table in a file of its own", sheet=s.name) for s in sheets[1:]]  # fmt: skip
    records, duplicates = _drop_duplicates(records, label)
    problems += duplicates
    if is_higher_level_file(label):  # 全国/四川省/乐山市 figures: each with its page, quote, unit, level
        problems += check_higher_level_rows(sheets[0], label, records, vocab)
    return records, problems


def _numbers(record: Record) -> tuple:
    return (record.value, record.numerator, record.denominator, record.status)


def _drop_duplicates(records: list[Record], label: str) -> tuple[list[Record], list[Problem]]:
    seen: dict[tuple, Record] = {}
    problems = []
    for record in records:
        first = seen.get(record.key)
        if first is None:
            seen[record.key] = record
        elif _numbers(first) != _numbers(record):
            sheet, _, ref = record.cell.rpartition("!")
            problems.append(Problem(
                label, f"the same observation as {first.cell} ({record.indicator_id}, {record.region}, "
                f"{record.year}) with a different value", "keep one of the two rows",
                sheet=sheet, row=record.row,
            ))  # fmt: skip
    return list(seen.values()), problems


def _mixing(records: list[Record], synthetic_by_key: dict, label: str) -> list[Problem]:
    """A real value must never revise a synthetic one, nor the other way round."""
    problems = []
    for record in records:
        other = synthetic_by_key.setdefault(record.key, record.synthetic)
        if other != record.synthetic:
            sheet, _, _ = record.cell.rpartition("!")
            kind = "synthetic" if other else "real"
            problems.append(Problem(label, f"{record.indicator_id} {record.region} {record.year} already has a {kind} "
                                    "value: real and synthetic data would mix", "move data/raw/synthetic/ out of "
                                    "data/raw and run `python -m analysis ingest --rebuild`", sheet=sheet, row=record.row))  # fmt: skip
    return problems


def _declarations(pending: list[Pending], known_files: set[str]) -> list[Problem]:
    """Who corrects whom: names with 修订/更正, and `revises` / 更正文件 naming a file; and the load order."""
    problems = []
    by_name = defaultdict(set)
    for name in known_files:
        by_name[name].add(name)
        by_name[Path(name).name].add(name)
        by_name[Path(name).stem].add(name)
    for item in pending:
        item.named_correction = any(word in Path(item.label).name for word in CORRECTION_WORDS)
        for record in item.records:
            if not record.revises:
                continue
            matches = by_name.get(record.revises, set()) - {item.label}
            if len(matches) != 1:
                sheet, _, _ = record.cell.rpartition("!")
                why = "is not in data/raw nor in the database" if not matches else "matches several files"
                problems.append(Problem(item.label, f"the file it corrects, {record.revises!r}, {why}",
                                        "write that file's name exactly as it is in data/raw (e.g. 2024/卫健局.xlsx)",
                                        sheet=sheet, row=record.row))  # fmt: skip
                continue
            item.corrects |= matches
    labels = {item.label: item for item in pending}

    def depth(item: Pending, seen: frozenset = frozenset()) -> int:
        if item.label in seen:
            return 0
        inner = [depth(labels[t], seen | {item.label}) for t in item.corrects if t in labels]
        return 1 + max(inner, default=0) if item.corrects or item.named_correction else 0

    for item in pending:
        item.depth = depth(item)
    return problems


def _corrects(later: Pending, earlier: Pending) -> bool:
    if earlier.label in later.corrects:
        return True
    return later.named_correction and not later.corrects and earlier.depth < later.depth


def _conflicts(pending: list[Pending]) -> list[Problem]:
    """Two files of one load giving different numbers for one observation: a decision for a person."""
    by_key = defaultdict(list)
    for item in pending:
        for record in item.records:
            by_key[record.key].append((item, record))
    problems = []
    for entries in by_key.values():
        for i, (a, ra) in enumerate(entries):
            for b, rb in entries[i + 1:]:
                if _numbers(ra) == _numbers(rb) or _corrects(b, a) or _corrects(a, b):
                    continue
                sheet, _, ref = ra.cell.rpartition("!")
                row, column = coordinate_to_tuple(ref)
                problems.append(Problem(
                    a.label, f"{ra.indicator_id} {ra.region} {ra.year}: {_shown(ra)} here, but {_shown(rb)} in "
                    f"{b.label} {rb.cell}: two files of one load disagree", CONFLICT_FIX, sheet=sheet, row=row,
                    column=column,
                ))  # fmt: skip
    return problems


def _shown(record: Record) -> str:
    if record.status == "missing":
        return "未统计"
    if record.denominator is not None:
        return f"{record.numerator:g}/{record.denominator:g}"
    return f"{record.value:g}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingest(raw_dir: Path = DATA_RAW, processed_dir: Path = DATA_PROCESSED, vocab: Vocabulary | None = None,
           rebuild: bool = False) -> IngestResult:  # fmt: skip
    """Load every new or changed table under raw_dir; raise IngestError, writing nothing, on any problem."""
    vocab = vocab or Vocabulary.default()
    root = ROOT if raw_dir.resolve().is_relative_to(ROOT) else raw_dir.parent
    database = processed_dir / DATABASE_NAME
    result = IngestResult()
    tables, others = discover(raw_dir)
    result.ignored = [relative_name(p, root) for p in others]
    on_disk = {relative_name(p, root): p for p in tables}
    hashes = {label: sha256(path) for label, path in on_disk.items()}
    latest, history, synthetic_by_key, stamp = {}, pd.DataFrame(), {}, None
    if database.exists():
        with MonitoringDatabase(database, read_only=True) as db:
            latest, history, stamp = db.latest_hashes(), db.batches(), _stamp(database)
            if not rebuild:
                current = db.current()
                synthetic_by_key = dict(zip(map(tuple, current[list(KEY)].itertuples(index=False)), current["synthetic"]))

    replay = []  # rebuild: ("read", label, loaded_at) or ("carry", batch row)
    if rebuild and len(history):
        for batch in history.itertuples():
            if batch.file not in on_disk:
                if batch.file not in result.dropped:
                    result.dropped.append(batch.file)
            elif hashes[batch.file] == batch.sha256:
                replay.append(("read", batch.file, batch.loaded_at))
            else:
                replay.append(("carry", batch, None))
                result.carried.append(batch.file)
    replayed = {label for kind, label, _ in replay if kind == "read"}
    new_files = [label for label in on_disk if label not in replayed and (rebuild or latest.get(label) != hashes[label])]
    result.unchanged = [label for label in on_disk if not rebuild and latest.get(label) == hashes[label]]

    problems, read = [], {}
    for label in on_disk:
        if label in replayed or label in new_files:
            records, found = read_file(on_disk[label], label, vocab, result.notes)
            problems += found
            read[label] = records
    if rebuild and len(history):
        with MonitoringDatabase(database, read_only=True) as db:
            carried_rows = {b.batch_id: db.stored_rows(b.batch_id) for kind, b, _ in replay if kind == "carry"}
        for frame in carried_rows.values():
            for row in frame.itertuples(index=False):
                synthetic_by_key.setdefault(tuple(getattr(row, k) for k in KEY), bool(row.synthetic))
    for kind, label, _ in replay:
        if kind == "read" and label in read:
            problems += _mixing(read[label], synthetic_by_key, label)
    pending = [Pending(label, hashes[label], read.get(label, [])) for label in new_files]
    problems += _declarations(pending, set(on_disk) | set(history["file"] if len(history) else []))
    pending.sort(key=lambda item: item.depth)  # stable: name order within a depth
    problems += _conflicts(pending)
    for item in pending:
        problems += _mixing(item.records, synthetic_by_key, item.label)
    if problems:
        raise IngestError(problems)
    if not pending and not rebuild and all((processed_dir / name).exists() for name in (DATABASE_NAME, *EXPORTS)):
        result.observations = int(json.loads((processed_dir / "manifest.json").read_text(encoding="utf-8"))["observations"])
        return result  # nothing new: the database and its exports stay byte for byte as they are

    processed_dir.mkdir(parents=True, exist_ok=True)
    with exclusive(processed_dir, "ingest"):
        _remove_debris(processed_dir)
        if stamp != (_stamp(database) if database.exists() else None):
            raise IngestError([Problem(relative_name(database, root), "another ingest changed the database while "
                                       "this one was checking the files", "run the ingest again")])  # fmt: skip
        with tempfile.TemporaryDirectory(dir=processed_dir, prefix=SCRATCH_PREFIX) as scratch:
            scratch = Path(scratch)
            target = scratch / DATABASE_NAME
            if database.exists() and not rebuild:
                shutil.copy2(database, target)
            with _disk_errors(database), MonitoringDatabase(target) as db:
                for kind, item, loaded_at in replay:
                    if kind == "carry":
                        db.add_stored(item.file, item.sha256, item.loaded_at, int(item.revised), carried_rows[item.batch_id])
                    else:
                        _, added, revised = db.add_batch(item, hashes[item], read[item], loaded_at)
                        result.loaded.append((item, added, revised))
                for item in pending:
                    _, added, revised = db.add_batch(item.label, item.digest, item.records)
                    result.loaded.append((item.label, added, revised))
                current, revisions, batches = db.current(), db.revisions(), db.batches()
                db.connection.execute("CHECKPOINT")
            result.observations = len(current)
            _write_exports(scratch, current, revisions, batches)
            _commit(scratch, processed_dir, [*EXPORTS, DATABASE_NAME])
    return result


@contextmanager
def _disk_errors(database: Path) -> Iterator[None]:
    """DuckDB's I/O errors (a full disk while it writes) carry no errno: give them one, and the file."""
    try:
        yield
    except duckdb.IOException as error:
        code = errno.ENOSPC if "space" in str(error).lower() else errno.EIO
        raise OSError(code, str(error).splitlines()[0], str(database)) from error


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _remove_debris(processed_dir: Path) -> None:
    """Scratch folders of ingests that were killed (we hold the lock, so none is running)."""
    for folder in processed_dir.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _commit(scratch: Path, processed_dir: Path, names: list[str]) -> None:
    """Move the new files into place, the database last; undo every move if one fails.

    Ctrl-C is held off meanwhile, so an interrupted ingest leaves the old files or the new ones.
    """
    old = scratch / "old"
    old.mkdir()
    placed, kept = [], []
    blocked = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        for name in names:
            if (processed_dir / name).exists():
                os.replace(processed_dir / name, old / name)
                kept.append(name)
            os.replace(scratch / name, processed_dir / name)
            placed.append(name)
    except BaseException:
        for name in placed:
            (processed_dir / name).unlink(missing_ok=True)
        for name in kept:
            os.replace(old / name, processed_dir / name)
        raise
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _write_exports(folder: Path, current: pd.DataFrame, revisions: pd.DataFrame, batches: pd.DataFrame) -> None:
    """Tidy exports for notebooks (Parquet) and people (CSV with BOM, so Excel shows Chinese)."""
    current.to_parquet(folder / "observations.parquet", index=False)
    current.to_csv(folder / "observations.csv", index=False, encoding="utf-8-sig")
    revisions.to_csv(folder / "revisions.csv", index=False, encoding="utf-8-sig")
    batches.drop(columns="loaded_at").to_csv(folder / "batches.csv", index=False, encoding="utf-8-sig")
    files = defaultdict(list)
    for row in batches.itertuples():
        files[row.file].append({"batch_id": int(row.batch_id), "sha256": row.sha256})
    manifest = {
        "database": DATABASE_NAME,
        "observations": int(len(current)),
        "synthetic_observations": int(current["synthetic"].sum()) if len(current) else 0,
        "revised_observations": int(revisions.drop_duplicates(subset=list(KEY)).shape[0]),
        "inputs": dict(sorted(files.items())),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def load_observations(processed_dir: Path = DATA_PROCESSED, up_to_year: int | None = None,
                      by_age: bool = False) -> pd.DataFrame:  # fmt: skip
    """Current observations from the export; ``up_to_year`` keeps what a report of that year could see.

    Rows of an age group (分年龄) are kept apart: only ``by_age=True`` returns them, with the
    ``age_group`` column ("" = all ages). Everything else (the assessment, the forecasts, the
    domain tables) reads the all-ages series, exactly as before age groups existed.
    """
    path = processed_dir / "observations.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: run `python -m analysis ingest` first")
    frame = pd.read_parquet(path)
    if "age_group" not in frame:  # an export written before age groups existed
        frame["age_group"] = ""
    if not by_age:
        frame = frame.loc[frame["age_group"] == ""].drop(columns="age_group").reset_index(drop=True)
    return frame if up_to_year is None else frame.loc[frame["year"] <= up_to_year].reset_index(drop=True)
