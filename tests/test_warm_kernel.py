"""A warm kernel runs a worker's notebooks one after another; each must read as if it ran alone."""

import json

import nbformat
import pytest

from analysis.paths import ROOT
from analysis.run.runner import KERNEL, KERNEL_START_SECONDS, _kernel_config, write_kernel
from analysis.run.warm_kernel import WarmKernel, execute_in

WARNER = 'import warnings\n\ndef warn():\n    warnings.warn("a warning every notebook shows", UserWarning)\n'

# What the first notebook leaves behind, and what the second checks is gone.
DIRTY = """import os, sys, matplotlib as mpl, matplotlib.pyplot as plt
print("leak" in globals(), sys.path[0] == folder, mpl.rcParams["lines.linewidth"], len(plt.get_fignums()), os.getcwd())
leak = "from the notebook before"
mpl.rcParams["lines.linewidth"] = 9.0
plt.figure()
sys.path.insert(0, folder)
os.chdir(folder)
import warner
warner.warn()
"""


def notebook(path, body):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell('folder = ""', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(body)]  # fmt: skip
    nbformat.write(nb, path)
    return str(path)


def outputs(path):
    nb = nbformat.read(path, as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    streams = {(o.name, o.text) for c in nb.cells for o in c.get("outputs", []) if o.output_type == "stream"}
    return counts, streams


@pytest.fixture
def kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", str(write_kernel(tmp_path / "spec")))
    warm = WarmKernel(KERNEL, _kernel_config, str(ROOT), KERNEL_START_SECONDS)
    warm.start()
    yield warm
    warm.shutdown()


def test_a_notebook_sees_nothing_of_the_one_before(kernel, tmp_path):
    (tmp_path / "warner.py").write_text(WARNER, encoding="utf-8")
    source = notebook(tmp_path / "dirty.ipynb", DIRTY)
    parameters = {"folder": str(tmp_path)}
    first, second = tmp_path / "first.ipynb", tmp_path / "second.ipynb"
    execute_in(kernel, source, str(first), parameters, timeout=120)
    pid = kernel.km.provisioner.process.pid
    execute_in(kernel, source, str(second), parameters, timeout=120)
    assert kernel.km.provisioner.process.pid == pid  # the same kernel ran both

    assert outputs(second) == outputs(first)  # the same counts (from 1), prints and warnings
    counts, streams = outputs(second)
    assert counts == [1, 2, 3]  # the injected parameters cell is one more
    printed = "".join(text for name, text in streams if name == "stdout")
    # No path, setting, figure or directory of the first; its variable gone.
    assert printed == f"False False 1.5 0 {ROOT}\n", printed
    warned = "".join(text for name, text in streams if name == "stderr")
    assert "a warning every notebook shows" in warned  # not swallowed as "already shown" by the first


def test_a_failed_notebook_gets_the_next_one_a_new_kernel(kernel, tmp_path):
    source = notebook(tmp_path / "broken.ipynb", 'leak = 1\nraise RuntimeError("deliberately broken")')
    pid = kernel.km.provisioner.process.pid
    with pytest.raises(Exception, match="deliberately broken"):
        execute_in(kernel, source, str(tmp_path / "broken-out.ipynb"), {"folder": ""}, timeout=120)
    clean = notebook(tmp_path / "clean.ipynb", "pass")
    execute_in(kernel, clean, str(tmp_path / "clean-out.ipynb"), {"folder": ""}, timeout=120)
    assert kernel.km.provisioner.process.pid != pid
    counts, _ = outputs(tmp_path / "clean-out.ipynb")
    assert counts == [1, 2, 3]


def cell_outputs(path):
    """What a reader sees of an executed notebook: every code cell's count and outputs."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    seen = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "injected-parameters" not in cell["metadata"].get("tags", []):
            for out in cell["outputs"]:
                out.pop("metadata", None)
            seen.append((cell["execution_count"], cell["outputs"]))
    return seen


def test_the_report_notebooks_in_one_warm_kernel_equal_fresh_kernels(tmp_path):
    """One worker runs the overview, health and law in one kernel; fresh kernels run each alone.
    Every notebook output, report page, table and figure must be the same, byte for byte."""
    from analysis.paths import DATA_RAW
    from analysis.run.runner import run

    processed = tmp_path / "processed"
    common = dict(year=2025, domains=["health", "law"], raw_dir=DATA_RAW, processed_dir=processed, progress=False)
    fresh = run(**common, reports_dir=tmp_path / "fresh", jobs=2, warm_kernels=False)
    warm = run(**common, reports_dir=tmp_path / "warm", jobs=1)
    assert fresh.ok and warm.ok, (fresh.summary(), warm.summary())
    for name in ("overview", "health", "law"):
        a, b = fresh.folder / name, warm.folder / name
        assert cell_outputs(a / f"{name}.ipynb") == cell_outputs(b / f"{name}.ipynb"), name
        # The HTML report, tables (CSV, XLSX) and figures, byte for byte: the same inputs give the same
        # files (the .ipynb alone records when and how long each cell ran).
        files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.suffix != ".ipynb")
        assert {f.suffix for f in files} >= {".html", ".csv", ".xlsx", ".png"}
        assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file() and p.suffix != ".ipynb")
        for file in files:
            assert (a / file).read_bytes() == (b / file).read_bytes(), file
