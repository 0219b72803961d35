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

from analysis.data import ledger
from analysis.data.counts import counts_check
from analysis.data.higher_levels import check_higher_level_rows, is_higher_level_file
from analysis.data.longtable import read_long_table
from analysis.data.measures import SELF_ASSESSMENT_FOLDER, read_self_assessments, write_self_assessment
from analysis.data.problems import IngestError, Problem, relative_name
from analysis.data.records import KEY, Record
from analysis.data.sheets import UnreadableFile, hidden_problems, read_sheets
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
CONFLICT_FIX = (f"remove the wrong figure, or say which file is the correction: put 修订 or 更正 in its name, "
                f"fill in {CORRECTS_FIELD} on its 填表说明 sheet, or give it a `revises` column naming the file "
                "it corrects (see data/raw/README.md)")  # fmt: skip


@dataclass
class IngestResult:
    loaded: list[tuple[str, int, int]] = field(default_factory=list)  # file, rows added, revisions
    unchanged: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # rebuild: files no longer in data/raw
    dropped_values: dict[str, int] = field(default_factory=dict)  # rebuild: current values each dropped file held
    kept: dict[str, list[str]] = field(default_factory=dict)  # rebuild: removed files a present file corrects
    missing: list[str] = field(default_factory=list)  # loaded before, no longer in data/raw (values stay)
    carried: list[str] = field(default_factory=list)  # rebuild: older versions kept as stored
    notes: list[tuple[str, str, str]] = field(default_factory=list)  # file, cell, what to know
    observations: int = 0
    self_assessments: tuple[int, int, bool] | None = None  # answers, workbooks, all synthetic

    def summary(self) -> str:
        lines = [f"监测数据库 database: {self.observations} current observations"]
        if self.self_assessments is not None:
            answers, workbooks, synthetic = self.self_assessments
            lines.append(f"  self-assessments (自评): {answers} answers from {workbooks} workbook(s)"
                         + (" — synthetic" if synthetic else ""))
        lines += [f"  loaded {f}: {n} new rows, {r} revisions" for f, n, r in self.loaded]
        lines += [f"  kept as stored (an older version of a file that has changed since): {f}" for f in self.carried]
        lines += [f"  kept as stored (removed from data/raw, but {', '.join(by)} corrects it; its values and "
                  "revisions stay)" + f": {f}" for f, by in self.kept.items()]
        lines += [f"  dropped (no longer in data/raw): {f} — {self.dropped_values.get(f, 0)} current value(s) "
                  "removed from the database" for f in self.dropped]
        lines += [f"  no longer in data/raw: {f} — its values stay in the database; put it back, or run "
                  "`python -m analysis ingest --rebuild` to remove them" for f in self.missing]
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
    derived: str = ""  # the file a 修订/更正 name corrects, told from the name (妇幼年报（修订）.csv -> 妇幼年报.csv)
    has_revises_column: bool = False  # the file declares its corrections row by row (or for the whole workbook)


def discover(raw_dir: Path, root: Path | None = None) -> tuple[list[Path], list[Path], list[Problem]]:
    """Table files under raw_dir in name order, the other files, and the links that lead nowhere.

    A folder or file that is a symbolic link is followed (its files are read under the link's name);
    a broken link, or a link back into a folder above it, is a problem naming it.
    """
    root = root or raw_dir.parent
    tables, others, problems = [], [], []
    seen_dirs = set()
    for folder, dirs, files in os.walk(raw_dir, followlinks=True):
        folder = Path(folder)
        real = folder.resolve()
        if real in seen_dirs:
            problems.append(Problem(relative_name(folder, root), f"this folder is {real}, already read under another "
                                    "name (a symbolic link leads there): its files would be read twice",
                                    "remove the symbolic link, so each folder is read once"))  # fmt: skip
            dirs[:] = []
            continue
        seen_dirs.add(real)
        parts = folder.relative_to(raw_dir).parts
        if parts and (parts[0] in NOT_DATA_FOLDERS or any(p.startswith(".") for p in parts)):
            dirs[:] = []
            continue
        dirs.sort()
        for name in [*files, *dirs]:
            path = folder / name
            if path.is_symlink() and not path.exists():
                if not name.startswith((".", "~$")):
                    problems.append(Problem(relative_name(path, root), f"a symbolic link to {os.readlink(path)}, "
                                            "which does not exist", "restore the file it points to, or remove the "
                                            "link from data/raw"))  # fmt: skip
                continue
        for name in sorted(files):
            path = folder / name
            if not path.exists() or name.startswith(".") or name.startswith("~$"):
                continue
            if name.lower() in ("readme.md", ".gitkeep"):
                continue  # notes
            (tables if path.suffix.lower() in TABLE_SUFFIXES else others).append(path)
    key = lambda p: p.relative_to(raw_dir).as_posix()  # noqa: E731
    return sorted(tables, key=key), sorted(others, key=key), problems


def read_file(path: Path, label: str, vocab: Vocabulary,
              notes: list | None = None) -> tuple[list[Record], list[Problem]]:  # fmt: skip
    """Read and check one file: the records of the rows that are right, and the problems of the others."""
    notes = [] if notes is None else notes
    try:
        sheets = read_sheets(path, label)
    except UnreadableFile as error:
        return [], [error.problem]
    hidden = hidden_problems(sheets, label)
    if hidden:
        return [], hidden
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
    """A real value must never revise a synthetic one, nor the other way round, nor join its series
    (a real 2014 beside synthetic 2015–2025 would be read as one series)."""
    problems = []
    series: dict[tuple, tuple[bool, int]] = {}
    for key, flag in synthetic_by_key.items():
        series.setdefault(key[:2] + key[3:], (flag, key[2]))
    for record in records:
        other = synthetic_by_key.setdefault(record.key, record.synthetic)
        kin = series.setdefault(record.key[:2] + record.key[3:], (record.synthetic, record.year))
        sheet, _, _ = record.cell.rpartition("!")
        if other != record.synthetic:
            kind = "synthetic" if other else "real"
            problems.append(Problem(label, f"{record.indicator_id} {record.region} {record.year} already has a {kind} "
                                    "value: real and synthetic data would mix", "move data/raw/synthetic/ out of "
                                    "data/raw and run `python -m analysis ingest --rebuild`", sheet=sheet, row=record.row))  # fmt: skip
        elif kin[0] != record.synthetic:
            kind = "synthetic" if kin[0] else "real"
            problems.append(Problem(label, f"{record.indicator_id} {record.region} {record.year} would join a series "
                                    f"of {kind} values (e.g. {kin[1]}): real and synthetic data would mix in one series",
                                    "move data/raw/synthetic/ out of data/raw and run `python -m analysis ingest "
                                    "--rebuild`, so the real series stands alone", sheet=sheet, row=record.row))  # fmt: skip
    return problems


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
                if _numbers(ra) == _numbers(rb) or ledger.corrects(b, rb, a) or ledger.corrects(a, ra, b):
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
    """Load every new or changed table under raw_dir, and the measures' self-assessments in
    raw_dir/self_assessment; raise IngestError, writing nothing, on any problem.

    Every command that reads data/raw comes through here (`ingest`, `run`, the report), so a mid-term
    report made by `make report` sees the self-assessment workbooks as `ingest` does."""
    folder = raw_dir / SELF_ASSESSMENT_FOLDER
    answers = read_self_assessments(folder) if folder.is_dir() else None  # checked before anything is written
    result = _ingest_tables(raw_dir, processed_dir, vocab, rebuild)
    if answers is not None:
        write_self_assessment(answers, processed_dir)  # left as it is when unchanged
        result.self_assessments = (len(answers), int(answers["file"].nunique()) if len(answers) else 0,
                                   bool(len(answers) and answers["synthetic"].all()))  # fmt: skip
    return result


def _ingest_tables(raw_dir: Path, processed_dir: Path, vocab: Vocabulary | None, rebuild: bool) -> IngestResult:
    """The long tables and workbooks of observations (``ingest`` without the self-assessments)."""
    vocab = vocab or Vocabulary.default()
    root = ROOT if raw_dir.resolve().is_relative_to(ROOT) else raw_dir.parent
    database = processed_dir / DATABASE_NAME
    result = IngestResult()
    tables, others, found_problems = discover(raw_dir, root)
    result.ignored = [relative_name(p, root) for p in others]
    on_disk = {relative_name(p, root): p for p in tables}
    hashes = {label: sha256(path) for label, path in on_disk.items()}
    latest, history, synthetic_by_key, stamp = {}, pd.DataFrame(), {}, None
    stored, old_current, old_corrections = ledger.Stored(), pd.DataFrame(), pd.DataFrame()
    raw_prefix = relative_name(raw_dir, root) + "/" if raw_dir.resolve() != root.resolve() else ""
    if database.exists():
        with MonitoringDatabase(database, read_only=True) as db:
            latest, history, stamp = db.latest_hashes(), db.batches(), _stamp(database)
            old_current, old_corrections = db.current(), db.corrections()
            if not rebuild:
                synthetic_by_key = dict(zip(map(tuple, old_current[list(KEY)].itertuples(index=False)),
                                            old_current["synthetic"]))  # fmt: skip
            every_row = db.stored_keys()
    known = set(on_disk) | set(history["file"] if len(history) else [])
    names = ledger.Names(known, raw_prefix)
    if len(history):
        stored.current = {tuple(getattr(r, k) for k in KEY): ((r.value, r.numerator, r.denominator, r.status), r.file,
                                                              r.cell) for r in old_current.itertuples(index=False)}  # fmt: skip
        for row in every_row.itertuples(index=False):
            stored.keys_of.setdefault(row.file, set()).add(tuple(getattr(row, k) for k in KEY))
        stored.declared = _stored_declarations(old_corrections, set(history["file"]), names)

    replay = []  # rebuild: ("read", batch row) or ("carry", batch row)
    if rebuild and len(history):
        removed = set(history["file"]) - set(on_disk)
        protected = ledger.removed_but_corrected(removed, stored.declared, set(on_disk))
        for batch in history.itertuples():
            if batch.file in protected:
                replay.append(("carry", batch))
                if batch.file not in result.kept:
                    result.kept[batch.file] = sorted(protected[batch.file])
            elif batch.file not in on_disk:
                if batch.file not in result.dropped:
                    result.dropped.append(batch.file)
                    result.dropped_values[batch.file] = int((old_current["file"] == batch.file).sum())
            elif hashes[batch.file] == batch.sha256:
                replay.append(("read", batch))
            else:
                replay.append(("carry", batch))
                result.carried.append(batch.file)
    replayed = {batch.file for kind, batch in replay if kind == "read"}
    new_files = [label for label in on_disk if label not in replayed and (rebuild or latest.get(label) != hashes[label])]
    result.unchanged = [label for label in on_disk if not rebuild and latest.get(label) == hashes[label]]

    problems, read = list(found_problems), {}
    for label in on_disk:
        if label in replayed or label in new_files:
            records, found = read_file(on_disk[label], label, vocab, result.notes)
            problems += found
            read[label] = records
    carried_rows = {}
    if rebuild and len(history):
        with MonitoringDatabase(database, read_only=True) as db:
            carried_rows = {b.batch_id: db.stored_rows(b.batch_id) for kind, b in replay if kind == "carry"}
        for frame in carried_rows.values():
            for row in frame.itertuples(index=False):
                synthetic_by_key.setdefault(tuple(getattr(row, k) for k in KEY), bool(row.synthetic))
    for kind, batch in replay:
        if kind == "read" and batch.file in read:
            problems += _mixing(read[batch.file], synthetic_by_key, batch.file)
    pending = [Pending(label, hashes[label], read.get(label, [])) for label in new_files]
    problems += ledger.resolve(pending, names, stored)
    if not rebuild:  # files loaded before and gone since: named, their values kept until a rebuild
        gone = {label for label in latest if label not in on_disk}
        declared = {**stored.declared, **{item.label: item.corrects for item in pending}}
        result.kept = {f: sorted(by) for f, by in ledger.removed_but_corrected(gone, declared, set(on_disk)).items()}
        result.missing = sorted(gone - set(result.kept))
    pending.sort(key=lambda item: item.depth)  # stable: name order within a depth
    problems += _conflicts(pending)
    problems += ledger.check(pending, stored, names)
    problems += counts_check(pending, vocab, stored.current)
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
            declared_by_batch = defaultdict(set)
            for row in old_corrections.itertuples(index=False):
                declared_by_batch[int(row.batch_id)].add(row.corrects)
            with _disk_errors(database), MonitoringDatabase(target) as db:
                for kind, batch in replay:
                    if kind == "carry":
                        new_id = db.add_stored(batch.file, batch.sha256, batch.loaded_at, int(batch.revised),
                                               carried_rows[batch.batch_id])  # fmt: skip
                    else:
                        new_id, added, revised = db.add_batch(batch.file, hashes[batch.file], read[batch.file],
                                                              batch.loaded_at)  # fmt: skip
                        result.loaded.append((batch.file, added, revised))
                    db.add_corrections(new_id, declared_by_batch.get(int(batch.batch_id), set()))
                for item in pending:
                    batch_id, added, revised = db.add_batch(item.label, item.digest, item.records)
                    db.add_corrections(batch_id, item.corrects)
                    result.loaded.append((item.label, added, revised))
                current, revisions, batches = db.current(), db.revisions(), db.batches()
                db.connection.execute("CHECKPOINT")
            result.observations = len(current)
            with _disk_errors(database):
                _write_exports(scratch, current, revisions, batches)
            _commit(scratch, processed_dir, [*EXPORTS, DATABASE_NAME])
    return result


def _stored_declarations(corrections: pd.DataFrame, files: set[str], names: ledger.Names) -> dict[str, set[str]]:
    """file -> the files it corrects: as stored, and as its 修订/更正 name says (for databases made before the ledger)."""
    declared: dict[str, set[str]] = defaultdict(set)
    for row in corrections.itertuples(index=False):
        declared[row.file].add(row.corrects)
    for file in files:
        if ledger.is_named_correction(file):
            matches = names.find(ledger.original_name(file)) - {file}
            if len(matches) == 1:
                declared[file] |= matches
    return dict(declared)


@contextmanager
def _disk_errors(database: Path) -> Iterator[None]:
    """DuckDB's I/O errors (a full disk while it writes) carry no errno: give them one, and the file."""
    try:
        yield
    except (duckdb.Error, OSError) as error:
        text = str(error)
        full = "no space left" in text.lower() or "disk is full" in text.lower() or "space" in text.lower() and isinstance(error, duckdb.Error)
        if isinstance(error, OSError) and error.errno is not None:
            raise
        if not full and not isinstance(error, (duckdb.IOException, OSError)):
            raise
        code = errno.ENOSPC if full else errno.EIO
        raise OSError(code, text.splitlines()[0] if text else os.strerror(code), str(database)) from error


def _stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_mtime_ns, info.st_size


def _remove_debris(processed_dir: Path) -> None:
    """Scratch folders of ingests that were killed (we hold the lock, so none is running)."""
    for folder in processed_dir.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def _commit(scratch: Path, processed_dir: Path, names: list[str]) -> None:
    """Put the new files in place, the database last, each by one rename over the old one; undo every
    rename if one fails.

    The old files are first linked (or copied) aside, never moved: at every moment each name holds the
    old file or the new one, so even kill -9 between two renames leaves no export missing (the next
    ingest sees the database unchanged and writes the exports again). Ctrl-C is held off meanwhile.
    """
    old = scratch / "old"
    old.mkdir()
    for name in names:
        if (processed_dir / name).exists():
            try:
                os.link(processed_dir / name, old / name)
            except OSError:
                shutil.copy2(processed_dir / name, old / name)
    placed = []
    blocked = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    if blocked:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        for name in names:
            os.replace(scratch / name, processed_dir / name)
            placed.append(name)
    except BaseException:
        for name in placed:
            if (old / name).exists():
                os.replace(old / name, processed_dir / name)
            else:
                (processed_dir / name).unlink(missing_ok=True)
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
