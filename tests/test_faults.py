"""Faults: kill -9 and Ctrl-C during ingest and during a run, read-only and full disks, a busy folder.

Each ends in one clear message (no traceback), leaves the database, its exports and the reports as
they were (or whole and new), and leaves no process and no debris behind once the next command ran.
"""

import errno
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from conftest import GOOD_ROWS, snapshot, write_csv
from tiny import cli, write_tiny_notebooks

from analysis import paths
from analysis.__main__ import main
from analysis.data import MonitoringDatabase, ingest, load_observations
from analysis.data.store import DATABASE_NAME
from analysis.lock import exclusive

DEBRIS = (".lock", ".ingest-", ".staging-", ".old-")


def settled(folder: Path) -> dict[str, bytes]:
    """The folder's files, without the lock file and the debris a killed command may leave."""
    return {k: v for k, v in snapshot(folder).items() if not any(part.startswith(DEBRIS) for part in k.split("/"))}


def consistent(processed: Path) -> int:
    """The exports describe the database exactly; returns the number of batches."""
    with MonitoringDatabase(processed / DATABASE_NAME, read_only=True) as db:
        current, batches = db.current(), db.batches()
    manifest = json.loads((processed / "manifest.json").read_text(encoding="utf-8"))
    assert len(load_observations(processed)) == len(current) == manifest["observations"]
    assert sum(len(v) for v in manifest["inputs"].values()) == len(batches)
    return len(batches)


def descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def all_gone(processes: list[psutil.Process], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        alive = [p for p in processes if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        if not alive:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def folders(tmp_path):
    raw, processed, reports = tmp_path / "raw", tmp_path / "processed", tmp_path / "reports"
    write_csv(raw / "district" / "base.csv", GOOD_ROWS)
    ingest(raw, processed)
    return tmp_path, raw, processed, reports, write_tiny_notebooks(tmp_path / "notebooks")


def big_file(raw: Path, rows: int = 40000) -> None:
    """A long file (the same observation repeated) so that reading it takes seconds."""
    write_csv(raw / "unit" / "big.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]] * rows)


def start(argv: list[str], **env: str) -> subprocess.Popen:
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env}, start_new_session=True)  # fmt: skip


def test_kill_9_during_ingest_leaves_the_old_state_or_the_whole_new_one(folders):
    tmp, raw, processed, reports, notebooks = folders
    before = settled(processed)
    big_file(raw)
    outcomes = set()
    for delay in (0.3, 1.0, 2.0, 3.5):
        process = start(cli(tmp, "ingest", raw, processed, reports, notebooks))
        time.sleep(delay)
        process.kill()
        process.wait()
        batches = consistent(processed)
        outcomes.add(batches)
        if batches == 1:
            assert settled(processed) == before
        else:
            break
    assert 1 in outcomes  # at least one kill landed before the load finished
    result = ingest(raw, processed)  # the next ingest cleans up and loads what is missing
    assert consistent(processed) == 2 and not list(processed.glob(".ingest-*"))
    assert result.loaded == [] or result.loaded[0][0].endswith("big.csv")


def test_ctrl_c_during_ingest_is_one_message_and_changes_nothing(folders):
    tmp, raw, processed, reports, notebooks = folders
    before = settled(processed)
    big_file(raw)
    process = start(cli(tmp, "ingest", raw, processed, reports, notebooks), TINY_SLOW_READ="60")
    assert process.stdout.readline().strip() == "started"
    assert process.stdout.readline().strip() == "reading"  # inside the ingest, whatever the machine's load
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    assert process.returncode == 130, err
    assert "interrupted (Ctrl-C)" in err and "database and its exports are unchanged" in err
    assert "Traceback" not in err
    assert settled(processed) == before and not list(processed.glob(".ingest-*"))


@pytest.fixture
def reported(folders):
    """Folders with a finished run of two domains (tiny notebooks)."""
    tmp, raw, processed, reports, notebooks = folders
    done = subprocess.run(cli(tmp, "run", raw, processed, reports, notebooks, "--domains", "economy,decision_making",
                              "--year", "2022"), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr
    return folders


def command_line(process: psutil.Process) -> list[str]:
    """A process's command line; none for one that ended (or became a zombie) while we looked:
    a short-lived child of the run could end between listing and reading (seen once in CI)."""
    try:
        return process.cmdline()
    except (psutil.NoSuchProcess, psutil.ZombieProcess, psutil.AccessDenied):
        return []


def wait_for_kernels(process: subprocess.Popen, count: int, within: float = 90) -> list[psutil.Process]:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        family = descendants(process.pid)
        kernels = [p for p in family if "ipykernel_launcher" in " ".join(command_line(p))]
        if len(kernels) >= count:
            return family
        time.sleep(0.3)
    raise AssertionError("the kernels never started")


@pytest.mark.parametrize("how", ["kill -9", "Ctrl-C"])
def test_a_run_stopped_midway_leaves_the_reports_and_no_process(reported, how):
    tmp, raw, processed, reports, notebooks = reported
    reports_before, processed_before = settled(reports), settled(processed)
    process = start(cli(tmp, "run", raw, processed, reports, notebooks, "--domains", "economy,decision_making",
                        "--year", "2022", "--force"), TINY_NOTEBOOK_SLEEP="120", TINY_NOTEBOOK_TAG="second")  # fmt: skip
    family = wait_for_kernels(process, 2)
    stopped = time.monotonic()
    process.send_signal(signal.SIGKILL if how == "kill -9" else signal.SIGINT)
    out, err = process.communicate(timeout=20)
    if how == "Ctrl-C":
        assert time.monotonic() - stopped < 10
        assert process.returncode == 130 and "interrupted (Ctrl-C)" in err and "Traceback" not in err, err
    assert all_gone(family, within=15), [command_line(p) for p in family if p.is_running()]
    assert settled(reports) == reports_before and settled(processed) == processed_before
    if how == "Ctrl-C":
        assert not list(reports.glob(".staging-*"))
    again = subprocess.run(cli(tmp, "run", raw, processed, reports, notebooks, "--domains", "economy",
                               "--year", "2022"), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert not list(reports.glob(".staging-*")) and not list(reports.rglob(".old-*"))  # debris removed
    assert settled(reports / "2022" / "金口河区" / "decision_making") == {
        k.removeprefix("2022/金口河区/decision_making/"): v for k, v in reports_before.items()
        if k.startswith("2022/金口河区/decision_making/")}  # fmt: skip


@pytest.fixture
def patched_paths(folders, monkeypatch):
    tmp, raw, processed, reports, notebooks = folders
    for name, value in (("DATA_RAW", raw), ("DATA_PROCESSED", processed), ("REPORTS", reports), ("NOTEBOOKS", notebooks)):
        monkeypatch.setattr(paths, name, value)
    return folders


@pytest.mark.parametrize(("code", "words"), [(errno.EROFS, "read-only"), (errno.ENOSPC, "disk is full")])
@pytest.mark.parametrize("failing_call", [1, 4])
def test_a_read_only_or_full_disk_is_one_message_and_changes_nothing(patched_paths, monkeypatch, capsys, code,
                                                                     words, failing_call):  # fmt: skip
    tmp, raw, processed, reports, notebooks = patched_paths
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    before = snapshot(processed)
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) == failing_call:  # the first move, or one after others were made (then undone)
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert words in err and "the database and its exports are unchanged" in err and "Traceback" not in err
    monkeypatch.setattr(os, "replace", real)
    assert snapshot(processed) == before
    assert not list(processed.glob(".ingest-*"))


def test_data_processed_that_is_a_file_is_one_message(patched_paths, monkeypatch, capsys):
    tmp, raw, processed, reports, notebooks = patched_paths
    blocked = tmp / "processed-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(paths, "DATA_PROCESSED", blocked)
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert str(blocked) in err and "a file stands where a folder should be" in err and "Traceback" not in err
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_a_second_ingest_while_one_writes_is_told_to_wait(patched_paths, capsys):
    tmp, raw, processed, reports, notebooks = patched_paths
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    before = snapshot(processed)
    with exclusive(processed, "ingest"):
        assert main(["ingest"]) == 3
    assert "another ingest is writing" in capsys.readouterr().err
    assert snapshot(processed) == before


def test_document_after_the_database_changed_is_one_message(patched_paths, capsys):
    tmp, raw, processed, reports, notebooks = patched_paths
    folder = reports / "2022" / "金口河区"
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text(json.dumps({"database": {"inputs": {"old.csv": []}}, "started": "x"}))
    assert main(["document", "--year", "2022"]) == 2
    err = capsys.readouterr().err
    assert "changed since this run" in err and "python -m analysis run" in err and "Traceback" not in err
    assert main(["document", "--year", "2021"]) == 2
    assert "no run for 金口河区 2021" in capsys.readouterr().err


def test_debug_shows_the_traceback(patched_paths):
    tmp, raw, processed, reports, notebooks = patched_paths
    (reports / "2022" / "金口河区").mkdir(parents=True)
    with pytest.raises(FileNotFoundError):
        main(["--debug", "document", "--year", "2022"])


def test_an_unknown_domain_is_one_message(patched_paths, capsys):
    assert main(["run", "--domains", "helth"]) == 2
    err = capsys.readouterr().err
    assert "unknown domain(s) helth" in err and "health" in err and "Traceback" not in err


@pytest.fixture
def small_disk(tmp_path):
    """data/processed on a tmpfs of 1.6 MB (room for one database, not two); skipped where mount is not allowed."""
    mountpoint = tmp_path / "processed"
    mountpoint.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(mountpoint)],
                                           capture_output=True).returncode != 0:  # fmt: skip
        pytest.skip("needs root and mount (CI runs as root)")
    yield mountpoint
    subprocess.run(["umount", str(mountpoint)], check=True)


@pytest.mark.parametrize("fault", ["full", "read-only"])
def test_a_real_full_or_read_only_disk(small_disk, tmp_path, monkeypatch, capsys, fault):
    raw, processed = tmp_path / "raw", small_disk
    write_csv(raw / "district" / "base.csv", GOOD_ROWS)
    ingest(raw, processed)
    before = snapshot(processed)
    write_csv(raw / "unit" / "more.csv", [["EC-02-1", "金口河区", "2024", "", "", "45.5", "", "", "", "区统计局"]])
    if fault == "read-only":
        subprocess.run(["mount", "-o", "remount,ro", str(processed)], check=True)
    monkeypatch.setattr(paths, "DATA_RAW", raw)
    monkeypatch.setattr(paths, "DATA_PROCESSED", processed)
    assert main(["ingest"]) == 3
    err = capsys.readouterr().err
    assert ("disk is full" if fault == "full" else "read-only") in err, err
    assert "the database and its exports are unchanged" in err and "Traceback" not in err
    assert snapshot(processed) == before and not list(processed.glob(".ingest-*"))
