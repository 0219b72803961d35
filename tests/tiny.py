"""Tiny stand-ins for the report notebooks, and a driver for the command line in a subprocess.

The runner's behaviour (what a run replaces, Ctrl-C, kill -9, kernels) does not depend on what a
notebook computes, so these notebooks only write a file saying who ran them, which interpreter ran
them, and can be told to sleep or fail through the environment (inherited by workers and kernels).
"""

from pathlib import Path

import nbformat

PARAMETERS = 'year = 0\nregion = "金口河区"\nprocessed_dir = ""\noutput_dir = ""\nlang = "zh"'
BODY = """import os, pathlib, sys, time
me = globals().get("domain", "overview")
time.sleep(float(os.environ.get("TINY_NOTEBOOK_SLEEP", "0")))
out = pathlib.Path(output_dir)
out.mkdir(parents=True, exist_ok=True)
(out / "ran.txt").write_text(f"{me} {lang} {year} {os.environ.get('TINY_NOTEBOOK_TAG', '')}")
(out / "python.txt").write_text(sys.executable)
(out / "kernel.txt").write_text(str(os.getpid()))
assert os.environ.get("TINY_NOTEBOOK_FAIL") != me, "deliberately broken"
"""

DRIVER = """import os, sys
from pathlib import Path
from analysis import paths
paths.DATA_RAW, paths.DATA_PROCESSED, paths.REPORTS, paths.NOTEBOOKS = map(Path, sys.argv[2:6])
from analysis.__main__ import main
if "TINY_SLOW_READ" in os.environ:  # a test's Ctrl-C must land while a file is being read
    import importlib, time
    ingest_module = importlib.import_module("analysis.data.ingest")  # the module (a function shares its name)
    real_read = ingest_module.read_file
    def slow_read(*args, **kwargs):
        print("reading", flush=True)
        time.sleep(float(os.environ["TINY_SLOW_READ"]))
        return real_read(*args, **kwargs)
    ingest_module.read_file = slow_read
print("started", flush=True)  # the package is imported: from here on the command handles Ctrl-C
sys.exit(main([sys.argv[1], *sys.argv[6:]]))
"""


def write_tiny_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, extra in (("domain", 'domain = "health"\n'), ("overview", "")):
        notebook = nbformat.v4.new_notebook()
        notebook.metadata["kernelspec"] = {"name": "jinkouhe-women", "display_name": "Python", "language": "python"}
        notebook.cells = [nbformat.v4.new_code_cell(extra + PARAMETERS, metadata={"tags": ["parameters"]}),
                          nbformat.v4.new_code_cell(BODY)]  # fmt: skip
        nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder


def cli(tmp: Path, command: str, raw: Path, processed: Path, reports: Path, notebooks: Path, *args: str) -> list[str]:
    """argv for running ``python -m analysis <command>`` on these folders in a subprocess."""
    import sys

    driver = tmp / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    return [sys.executable, str(driver), command, str(raw), str(processed), str(reports), str(notebooks), *args]
