"""From the files in data/raw to the monitoring database and its exports, all or nothing.

Every file is read and checked first; if any has a problem, all problems are reported and nothing
is written. Otherwise the database is updated in a private copy, the exports are written beside
it, and each file then replaces the old one whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.data.longtable import read_long_table
from analysis.data.problems import IngestError, Problem, relative_name
from analysis.data.records import KEY, Record
from analysis.data.sheets import UnreadableFile, read_sheets
from analysis.data.store import DATABASE_NAME, MonitoringDatabase, copy_for_writing
from analysis.data.vocabulary import Vocabulary
from analysis.data.workbook import is_entry_workbook, read_entry_workbook
from analysis.paths import DATA_PROCESSED, DATA_RAW, ROOT

TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls"}
# raw material for the catalog and the backtest, and the measures' self-assessments (analysis.measures)
NOT_DATA_FOLDERS = {"outline", "reference", "self_assessment"}
OBSERVATIONS = "observations"
EXPORTS = ("observations.parquet", "observations.csv", "revisions.csv", "batches.csv", "manifest.json")


@dataclass
class IngestResult:
    loaded: list[tuple[str, int, int]] = field(default_factory=list)  # file, rows added, revisions
    unchanged: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    observations: int = 0

    def summary(self) -> str:
        lines = [f"监测数据库 database: {self.observations} current observations"]
        lines += [f"  loaded {f}: {n} new rows, {r} revisions" for f, n, r in self.loaded]
        if self.unchanged:
            lines.append(f"  unchanged since the last load: {len(self.unchanged)} file(s)")
        lines += [f"  ignored (not a table): {f}" for f in self.ignored]
        return "\n".join(lines)


def discover(raw_dir: Path) -> tuple[list[Path], list[Path]]:
    """Table files under raw_dir in name order (the load order), and the other files."""
    tables, others = [], []
    for path in sorted(raw_dir.rglob("*")):
        parts = path.relative_to(raw_dir).parts
        if not path.is_file() or parts[0] in NOT_DATA_FOLDERS or any(p.startswith(".") for p in parts):
            continue
        if path.name.startswith("~$") or path.name.lower() in ("readme.md", ".gitkeep"):
            continue  # Excel's lock files, and notes
        (tables if path.suffix.lower() in TABLE_SUFFIXES else others).append(path)
    return tables, others


def read_file(path: Path, label: str, vocab: Vocabulary) -> tuple[list[Record], list[Problem]]:
    """Read and check one file; its records are returned only if it has no problem."""
    try:
        sheets = read_sheets(path, label)
    except UnreadableFile as error:
        return [], [error.problem]
    synthetic = "synthetic" in path.name.lower()
    if is_entry_workbook(sheets):
        records, problems = read_entry_workbook(sheets, label, vocab, synthetic)
    else:
        records, problems = read_long_table(sheets[0], label, vocab, synthetic)
        problems += [Problem(label, f"unexpected sheet {s.name!r}: a long table has one sheet",
                             "put each table in a file of its own", sheet=s.name) for s in sheets[1:]]  # fmt: skip
    records, duplicates = _drop_duplicates(records, label)
    problems += duplicates
    return ([] if problems else records), problems


def _drop_duplicates(records: list[Record], label: str) -> tuple[list[Record], list[Problem]]:
    seen: dict[tuple, Record] = {}
    problems = []
    for record in records:
        first = seen.get(record.key)
        if first is None:
            seen[record.key] = record
        elif (first.value, first.numerator, first.denominator, first.status) != (
            record.value, record.numerator, record.denominator, record.status
        ):  # fmt: skip
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
    known, synthetic_by_key = set(), {}
    if database.exists() and not rebuild:
        with MonitoringDatabase(database, read_only=True) as db:
            known = db.known_hashes()
            current = db.current()
            synthetic_by_key = dict(zip(map(tuple, current[list(KEY)].itertuples(index=False)), current["synthetic"]))
    hashes = {path: sha256(path) for path in tables}
    pending, problems = [], []
    for path in tables:
        label = relative_name(path, root)
        if hashes[path] in known:
            result.unchanged.append(label)
            continue
        records, found = read_file(path, label, vocab)
        problems += found + _mixing(records, synthetic_by_key, label)
        pending.append((label, hashes[path], records))
    if problems:
        raise IngestError(problems)

    processed_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=processed_dir, prefix=".ingest-") as scratch:
        scratch = Path(scratch)
        target = scratch / DATABASE_NAME if rebuild else copy_for_writing(database, scratch)
        with MonitoringDatabase(target) as db:
            for label, digest, records in pending:
                _, added, revised = db.add_batch(label, digest, records)
                result.loaded.append((label, added, revised))
            current, revisions, batches = db.current(), db.revisions(), db.batches()
            db.connection.execute("CHECKPOINT")
        result.observations = len(current)
        _write_exports(scratch, current, revisions, batches)
        for name in (DATABASE_NAME, *EXPORTS):
            os.replace(scratch / name, processed_dir / name)
    return result


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


def load_observations(processed_dir: Path = DATA_PROCESSED, up_to_year: int | None = None) -> pd.DataFrame:
    """Current observations from the export; ``up_to_year`` keeps what a report of that year could see."""
    path = processed_dir / "observations.parquet"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist yet: run `python -m analysis ingest` first")
    frame = pd.read_parquet(path)
    return frame if up_to_year is None else frame.loc[frame["year"] <= up_to_year].reset_index(drop=True)
