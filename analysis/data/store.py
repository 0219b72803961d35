"""The district monitoring database (区级妇女发展统计监测数据库): DuckDB, append-only.

Every load is a batch (file, sha256, time). An observation is stored again only when it is new or
its numbers changed; the older row stays, so a changed value is a revision and the current view
shows the newest. Nothing is updated or deleted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from analysis.data.records import KEY, Record

DATABASE_NAME = "monitoring.duckdb"
COLUMNS = [
    "batch_id", *KEY, "value", "numerator", "denominator", "status", "unit", "source", "source_url",
    "quote", "note", "synthetic", "file", "sheet", "cell", "denominator_cell",
]  # fmt: skip
NUMBERS = ("value", "numerator", "denominator", "status")

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY, file VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL, observations INTEGER NOT NULL, revised INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS observations (
    batch_id INTEGER NOT NULL, indicator_id VARCHAR NOT NULL, region VARCHAR NOT NULL,
    year INTEGER NOT NULL, sex VARCHAR NOT NULL, urban_rural VARCHAR NOT NULL,
    population_group VARCHAR NOT NULL, age_group VARCHAR NOT NULL DEFAULT '', value DOUBLE, numerator DOUBLE, denominator DOUBLE,
    status VARCHAR NOT NULL, unit VARCHAR, source VARCHAR NOT NULL, source_url VARCHAR,
    quote VARCHAR, note VARCHAR, synthetic BOOLEAN NOT NULL, file VARCHAR NOT NULL,
    sheet VARCHAR, cell VARCHAR, denominator_cell VARCHAR);
-- the ledger of declared corrections: batch_id's file says it corrects the file `corrects`
CREATE TABLE IF NOT EXISTS corrections (batch_id INTEGER NOT NULL, corrects VARCHAR NOT NULL);
-- a database made before age groups existed gets the column (every old row: all ages)
ALTER TABLE observations ADD COLUMN IF NOT EXISTS age_group VARCHAR DEFAULT '';
CREATE OR REPLACE VIEW current_observations AS
    SELECT * EXCLUDE (version) FROM (
        SELECT *, row_number() OVER (PARTITION BY {", ".join(KEY)} ORDER BY batch_id DESC) AS version
        FROM observations) WHERE version = 1;
CREATE OR REPLACE VIEW revisions AS
    SELECT o.*, b.loaded_at, count(*) OVER (PARTITION BY {", ".join("o." + k for k in KEY)}) AS versions
    FROM observations o JOIN batches b USING (batch_id)
    QUALIFY versions > 1;
"""


def _row(record: Record, batch_id: int) -> dict:
    data = asdict(record)
    data["batch_id"] = batch_id
    data["denominator_cell"] = record.extra_cells.get("denominator", "")
    return {c: data[c] for c in COLUMNS}


def _same(a: object, b: object) -> bool:
    if a is None or (isinstance(a, float) and a != a):
        return b is None or (isinstance(b, float) and b != b)
    return a == b


class MonitoringDatabase:
    """A connection to the database file; use as a context manager."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = path
        self.connection = duckdb.connect(str(path), read_only=read_only)
        if not read_only:
            self.connection.execute(SCHEMA)
        stored = set(self.query("SELECT * FROM observations LIMIT 0").columns) if self._has_observations() else set(COLUMNS)
        # read-only, a database made before a column existed is read as it will be once migrated
        self._select = ", ".join(c if c in stored else f"'' AS {c}" for c in COLUMNS)
        self._keys = ", ".join(c if c in stored else f"'' AS {c}" for c in ("file", *KEY))

    def _has_observations(self) -> bool:
        return bool(len(self.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'observations'")))

    def __enter__(self) -> "MonitoringDatabase":
        return self

    def __exit__(self, *exc) -> None:
        self.connection.close()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.connection.execute(sql, params or []).df()

    def latest_hashes(self) -> dict[str, str]:
        """file -> sha256 of its latest load: a file is unchanged only if it still has that content."""
        rows = self.query("SELECT file, arg_max(sha256, batch_id) AS sha256 FROM batches GROUP BY file")
        return dict(zip(rows["file"], rows["sha256"]))

    def stored_rows(self, batch_id: int) -> pd.DataFrame:
        return self.query(f"SELECT {self._select} FROM observations WHERE batch_id = ?", [batch_id])

    def current(self) -> pd.DataFrame:
        order = ", ".join(KEY)
        return self.query(f"SELECT {self._select} FROM current_observations ORDER BY {order}")

    def revisions(self) -> pd.DataFrame:
        order = ", ".join(KEY)
        return self.query(f"SELECT {self._select}, versions FROM revisions ORDER BY {order}, batch_id")

    def batches(self) -> pd.DataFrame:
        return self.query("SELECT * FROM batches ORDER BY batch_id")

    def corrections(self) -> pd.DataFrame:
        """(batch_id, file, corrects): the files each batch declared it corrects (none in an older database)."""
        if not len(self.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'corrections'")):
            return pd.DataFrame(columns=["batch_id", "file", "corrects"])
        return self.query("SELECT c.batch_id, b.file, c.corrects FROM corrections c JOIN batches b USING (batch_id) "
                          "ORDER BY c.batch_id, c.corrects")

    def add_corrections(self, batch_id: int, files: Iterable[str]) -> None:
        for name in sorted(set(files)):
            self.connection.execute("INSERT INTO corrections VALUES (?, ?)", [batch_id, name])

    def stored_keys(self) -> pd.DataFrame:
        """Every (file, observation key) ever stored: what each file held, whichever version is current."""
        return self.query(f"SELECT DISTINCT {self._keys} FROM observations")

    def _next_batch_id(self) -> int:
        return int(self.query("SELECT coalesce(max(batch_id), 0) + 1 AS n FROM batches")["n"][0])

    def _insert(self, frame: pd.DataFrame) -> None:
        if len(frame):
            self.connection.register("incoming", frame)
            self.connection.execute(f"INSERT INTO observations BY NAME SELECT {', '.join(COLUMNS)} FROM incoming")
            self.connection.unregister("incoming")

    def add_stored(self, file: str, sha256: str, loaded_at: datetime, revised: int, rows: pd.DataFrame) -> int:
        """Replay a batch from another database as it was stored (a rebuild keeps old versions of files)."""
        batch_id = self._next_batch_id()
        self.connection.execute("INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
                                [batch_id, file, sha256, loaded_at, len(rows), revised])  # fmt: skip
        self._insert(rows.assign(batch_id=batch_id)[COLUMNS])
        return batch_id

    def add_batch(self, file: str, sha256: str, records: Iterable[Record],
                  loaded_at: datetime | None = None) -> tuple[int, int, int]:  # fmt: skip
        """Store what is new or changed; return (batch_id, rows added, of which revisions)."""
        current = {
            tuple(row[k] for k in KEY): row
            for row in self.current()[[*KEY, *NUMBERS]].to_dict("records")
        }
        batch_id = self._next_batch_id()
        rows, revised = [], 0
        for record in records:
            old = current.get(record.key)
            if old is not None and all(_same(old[n], getattr(record, n)) for n in NUMBERS):
                continue
            revised += old is not None
            rows.append(_row(record, batch_id))
        self.connection.execute(
            "INSERT INTO batches VALUES (?, ?, ?, ?, ?, ?)",
            [batch_id, file, sha256, loaded_at or datetime.now(timezone.utc).replace(tzinfo=None), len(rows), revised],
        )
        self._insert(pd.DataFrame(rows, columns=COLUMNS))
        return batch_id, len(rows), revised


def copy_for_writing(database: Path, scratch: Path) -> Path:
    """A private copy to write into, so the real file changes only by a final rename."""
    target = scratch / DATABASE_NAME
    if database.exists():
        shutil.copy2(database, target)
    return target
