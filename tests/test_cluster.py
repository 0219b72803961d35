"""The runner hands its notebooks to a Dask cluster (``--scheduler``): here a LocalCluster.

Skipped only where Dask distributed is not installed; the test extra installs it, so CI runs it.
"""

import os

import pytest
from tiny import write_tiny_notebooks

from analysis.paths import DATA_RAW
from analysis.run.runner import cluster_executor, run

distributed = pytest.importorskip("distributed")


def _tag_worker() -> None:
    os.environ["TINY_NOTEBOOK_TAG"] = "ran-on-dask-worker"  # kernels started by the worker inherit it


def test_notebooks_run_on_the_cluster_workers(tmp_path):
    notebooks = write_tiny_notebooks(tmp_path / "notebooks")
    assert "TINY_NOTEBOOK_TAG" not in os.environ
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as client:
            client.run(_tag_worker)
        with cluster_executor(cluster.scheduler_address) as executor:
            summary = run(year=2025, domains=["health", "law"], raw_dir=DATA_RAW, processed_dir=tmp_path / "processed",
                          reports_dir=tmp_path / "reports", notebooks_dir=notebooks, progress=False, executor=executor)  # fmt: skip
    assert summary.ok, summary.summary()
    for name in ("health", "law", "overview"):
        assert (summary.folder / name / "ran.txt").read_text().endswith("ran-on-dask-worker"), name
    assert not list((tmp_path / "reports").glob(".staging-*"))  # published and cleaned up as on one machine
