"""Issue #22 faults: kill -9 between the exports' renames, a full disk wherever it strikes, and rebuild after removal."""

import errno
import subprocess
import sys

import duckdb
import pytest
from conftest import GOOD_ROWS, snapshot, write_csv

from analysis import paths
from analysis.__main__ import main
from analysis.data import MonitoringDatabase, ingest, load_observations
from analysis.data import ingest as ingest_module_function  # noqa: F401
from analysis.data.ingest import EXPORTS
from analysis.data.store import DATABASE_NAME

ingest_module = sys.modules["analysis.data.ingest"]

KILLER = """import os, signal, sys
from pathlib import Path
processed = Path(sys.argv[2])
real, count = os.replace, [0]
def replace(src, dst):
    real(src, dst)
    if Path(dst).parent == processed:
        count[0] += 1
        if count[0] == int(sys.argv[3]):
            os.kill(os.getpid(), signal.SIGKILL)  # between two renames
os.replace = replace
from analysis.data import ingest
ingest(Path(sys.argv[1]), processed)
"""


@pytest.fixture
def folders(tmp_path):
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "district" / "base.csv", GOOD_ROWS)
    ingest(raw, processed)
    return tmp_path, raw, processed


@pytest.mark.parametrize("after", [1, 2, 3, 4, 5])
def test_kill_9_between_the_exports_renames_leaves_no_export_missing(folders, after):
    tmp, raw, processed = folders
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    driver = tmp / "killer.py"
    driver.write_text(KILLER, encoding="utf-8")
    done = subprocess.run([sys.executable, str(driver), str(raw), str(processed), str(after)], capture_output=True,
                          text=True, timeout=120)  # fmt: skip
    assert done.returncode == -9, done.stderr
    for name in (*EXPORTS, DATABASE_NAME):
        assert (processed / name).exists(), f"{name} missing after a kill following rename {after}"
    assert len(load_observations(processed)) in (5, 6)  # the old export or the new one, whole
    result = ingest(raw, processed)  # the database is still the old one: the next ingest loads the file again
    assert [f.rsplit("/", 1)[-1] for f, _, _ in result.loaded] == ["more.csv"]
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        assert len(db.current()) == len(load_observations(processed)) == 6
    assert not list(processed.glob(".ingest-*"))


@pytest.fixture
def patched(folders, monkeypatch):
    tmp, raw, processed = folders
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    monkeypatch.setattr(paths, "DATA_PROCESSED", processed)
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    return folders


class _FullAtCheckpoint:
    """A connection whose CHECKPOINT fails as DuckDB's does on a full disk."""

    def __init__(self, connection):
        self._connection = connection

    def execute(self, sql, *args):
        if sql.strip().upper() == "CHECKPOINT":
            raise duckdb.FatalException("Could not write to file \"monitoring.duckdb\": No space left on device")
        return self._connection.execute(sql, *args)

    def __getattr__(self, name):
        return getattr(self._connection, name)


@pytest.mark.parametrize("where", ["checkpoint", "parquet export", "csv export"])
def test_a_full_disk_is_named_wherever_it_strikes(patched, monkeypatch, capsys, where):
    tmp, raw, processed = patched
    before = snapshot(processed)
    if where == "checkpoint":
        real_init = ingest_module.MonitoringDatabase.__init__

        def init(self, path, read_only=False):
            real_init(self, path, read_only)
            if not read_only:
                self.connection = _FullAtCheckpoint(self.connection)

        monkeypatch.setattr(ingest_module.MonitoringDatabase, "__init__", init)
    else:
        import pandas as pd

        method = "to_parquet" if where == "parquet export" else "to_csv"

        def full(*args, **kwargs):
            raise OSError("IOError: No space left on device")  # as pyarrow reports it: no errno

        monkeypatch.setattr(pd.DataFrame, method, full)
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert "the disk is full" in err and "the database and its exports are unchanged" in err, err
    assert "unexpected error" not in err and "Traceback" not in err
    assert {k: v for k, v in snapshot(processed).items() if k != ".lock"} == {
        k: v for k, v in before.items() if k != ".lock"}  # fmt: skip
    assert not list(processed.glob(".ingest-*"))


def test_rebuild_after_removing_a_corrected_original_exits_0_with_nothing_lost(patched, capsys):
    tmp, raw, processed = patched
    header = ["指标代码", "地区", "年份", "性别", "城乡", "数值", "分子", "分母", "单位", "来源"]
    write_csv(raw / "卫健局" / "妇幼年报.csv", [["HE-02-4", "金口河区", "2022", "", "", "95.1", "", "", "", "区卫健局"],
                                           ["HE-02-4", "金口河区", "2023", "", "", "96.0", "", "", "", "区卫健局"]], header)  # fmt: skip
    assert main(["ingest"]) == 0
    write_csv(raw / "卫健局" / "妇幼年报（修订）.csv", [["HE-02-4", "金口河区", "2023", "", "", "96.8", "", "", "", "区卫健局"]])
    assert main(["ingest"]) == 0
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        before = (db.current().drop(columns="batch_id"), db.revisions().drop(columns="batch_id"))
    (raw / "卫健局" / "妇幼年报.csv").unlink()
    capsys.readouterr()
    assert main(["ingest", "--rebuild"]) == 0
    out = capsys.readouterr().out
    assert "kept as stored" in out and "妇幼年报（修订）.csv corrects it" in out
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        after = (db.current().drop(columns="batch_id"), db.revisions().drop(columns="batch_id"))
    import pandas as pd

    for old, new in zip(before, after):
        pd.testing.assert_frame_equal(old.reset_index(drop=True), new.reset_index(drop=True))
    # and a second rebuild (the kept batches now exist only in the database) keeps them still
    assert main(["ingest", "--rebuild"]) == 0
    assert {2022: 95.1, 2023: 96.8} == load_observations(processed).query("indicator_id == 'HE-02-4'").set_index(
        "year")["value"].to_dict()  # fmt: skip
