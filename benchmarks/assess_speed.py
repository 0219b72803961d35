"""Benchmark: the yearly run against its floor, and the panel engine. Prints figures; asserts nothing.

    python benchmarks/assess_speed.py [--jobs 2] [--skip-run]      (make benchmark)

1. The papermill floor: one empty notebook that imports the same stack as the report notebooks
   (analysis.report.sections), run by papermill with the runner's kernel; then as many of them as the
   yearly run has notebooks, ``--jobs`` at a time: no yearly run can be faster than that.
2. The yearly run: ``python -m analysis run --year 2025 --jobs 2`` on the shipped data, in a
   temporary copy of the repository (reports/ and data/processed/ here are not touched), and its
   ratio to the floor; then the same command again, nothing changed (every notebook reused); and
   the same run with a kernel started for every notebook instead of one warm kernel per worker
   (analysis/run/warm_kernel.py): the floor pays a kernel and the imports per notebook, the run no longer.
3. The assessment engine: every shipped series, one process; one ``assess_series`` call.
4. The panel engine on SYNTHETIC county panels (scripts/synthetic/counties.py, seeded, built in
   memory, never written to data/raw): about 10,000 series, and a province-sized panel (183
   counties × the catalog's indicators × sexes), in ``--jobs`` processes; then the regions'
   ranked table and chart (what ``run --region all --compare-only`` adds).
5. Peak memory: of this process (the panel engine) and of the largest process of the yearly run.

The yearly run and the floor are also given in CPU seconds (of every process they started): on
a machine that others share, wall-clock seconds rise with their load, CPU seconds much less, so
the CPU ratio is the figure to compare when the load average is not near zero.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from analysis.assessment import Target, assess_series
from analysis.assessment.panel import assess_observations
from analysis.data import ingest, load_observations
from analysis.paths import ROOT
from analysis.run.regions import regions_in, write_comparison

sys.path.insert(0, str(ROOT / "scripts"))  # the synthetic generators live beside the scripts
from synthetic.counties import COUNTIES, county_panel  # noqa: E402

YEAR = 2025
YEARS = list(range(2015, 2026))
PER_COUNTY = 125  # series per synthetic county (the catalog's assessable indicators and their sexes)
FLOOR_SOURCE = "from IPython.display import Markdown, display\n\nimport analysis.report.sections  # the report notebooks' stack\n"
IGNORE = shutil.ignore_patterns(".venv", ".git", "__pycache__", ".pytest_cache", ".ipynb_checkpoints", "processed",
                                "reports")  # fmt: skip


def floor_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('year = 0\nregion = "金口河区"', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell(FLOOR_SOURCE)]  # fmt: skip
    nb.metadata["kernelspec"] = {"name": "jinkouhe-women", "display_name": "Python", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    return path


def _run_floor(args: tuple[str, str, str]) -> float:
    import papermill as pm

    source, target, kernels = args
    quiet = os.open(os.devnull, os.O_WRONLY)
    os.dup2(quiet, 2)  # the kernels' start-up chatter (a failure still comes back as an exception)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [kernels, os.environ.get("JUPYTER_PATH")]))
    start = time.perf_counter()
    pm.execute_notebook(source, target, parameters={"year": YEAR}, kernel_name="jinkouhe-women", progress_bar=False,
                        cwd=str(ROOT), start_timeout=300)  # fmt: skip
    return time.perf_counter() - start


def children_cpu() -> float:
    """CPU seconds of every finished child process (and theirs: kernels, workers) so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_floor(notebooks: int, jobs: int) -> tuple[float, float, float]:
    """Seconds for one empty notebook, for ``notebooks`` of them ``jobs`` at a time, and their CPU seconds."""
    from analysis.run.runner import write_kernel

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source, kernels = floor_notebook(folder), str(write_kernel(folder / "kernel"))
        with ProcessPoolExecutor(max_workers=1) as pool:
            one = pool.submit(_run_floor, (str(source), str(folder / "one.ipynb"), kernels)).result()
        start, cpu = time.perf_counter(), children_cpu()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(_run_floor, [(str(source), str(folder / f"{i}.ipynb"), kernels) for i in range(notebooks)]))
        return one, time.perf_counter() - start, children_cpu() - cpu


def time_yearly_run(jobs: int, fresh_kernels: bool = False) -> tuple[float, float, int, str, float, str]:
    """Seconds of ``python -m analysis run`` in a copy of the repository; notebooks run; its summary;
    seconds and summary of the same command run again with nothing changed. ``fresh_kernels``: the
    same run with a kernel started for every notebook (``run(warm_kernels=False)``), as before
    the workers kept one warm kernel each."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "repo"
        shutil.copytree(ROOT, copy, ignore=IGNORE)
        (copy / "reports").mkdir()
        (copy / "data" / "processed").mkdir(exist_ok=True)
        command = [sys.executable, "-m", "analysis", "run", "--year", str(YEAR), "--jobs", str(jobs)]
        if fresh_kernels:
            command = [sys.executable, "-c", "from analysis.run.runner import run; "
                       f"print(run(year={YEAR}, jobs={jobs}, warm_kernels=False, progress=False).summary())"]  # fmt: skip
        start, cpu = time.perf_counter(), children_cpu()
        done = subprocess.run(command, cwd=copy, capture_output=True, text=True)
        seconds, cpu = time.perf_counter() - start, children_cpu() - cpu
        start = time.perf_counter()
        again = subprocess.run(command, cwd=copy, capture_output=True, text=True)
        again_seconds = time.perf_counter() - start
        manifest = copy / "reports" / str(YEAR) / "金口河区" / "manifest.json"
        ran = len(json.loads(manifest.read_text(encoding="utf-8"))["notebooks"]) if manifest.exists() else 0
        if done.returncode != 0 or not ran:
            print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
        return seconds, cpu, ran, done.stdout.strip(), again_seconds, again.stdout.strip()


def time_one(repeats: int = 200) -> dict[str, float]:
    """Median milliseconds of one assess_series call on an 11-point share and an 11-point rate."""
    rng = np.random.default_rng(1)
    cases = {"share": (Target("at_least", 80, 2030, "higher", 0, 100, unit="%"), 60 + 2 * np.arange(11) + rng.normal(0, 1, 11)),
             "rate": (Target("at_most", 12, 2030, "lower", 0, None, unit="1/10万"), 30 * 0.93 ** np.arange(11))}  # fmt: skip
    out = {}
    for name, (target, values) in cases.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            assess_series(YEARS, values, target, as_of=YEAR)
            times.append(time.perf_counter() - start)
        out[name] = 1000 * float(np.median(times))
    return out


def time_panel(counties: int, jobs: int) -> tuple[int, float, float]:
    """Series assessed, seconds for the assessment, seconds for the regions' ranked table and chart."""
    observations = county_panel(counties)
    start = time.perf_counter()
    results = assess_observations(observations, YEAR, jobs=jobs)
    assessed = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_comparison(results, regions_in(observations), Path(folder))
        compared = time.perf_counter() - start
    return len(results.table), assessed, compared


def peak_mb(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-run", action="store_true", help="only the engine (no floor, no yearly run)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not args.skip_run:
        run_seconds, run_cpu, notebooks, summary, again_seconds, again = time_yearly_run(args.jobs)
        print(summary if summary else "yearly run: no summary")
        one, floor, floor_cpu = time_floor(notebooks or 9, args.jobs)
        print(f"papermill floor: one empty notebook {one:.1f} s; {notebooks or 9} of them, {args.jobs} at a time: {floor:.1f} s")
        print(f"yearly run: {run_seconds:.1f} s for {notebooks} notebooks → {run_seconds / floor:.2f} × the floor")
        print(f"in CPU seconds: yearly run {run_cpu:.1f}, floor {floor_cpu:.1f} → {run_cpu / floor_cpu:.2f} × the floor")
        print(f"the same run again, nothing changed: {again_seconds:.1f} s ({(again.splitlines() or ['no summary'])[0]})")
        print(f"peak memory of the largest process of the yearly run and floor: {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
        # The same notebooks with a kernel per notebook: what the warm kernels save, on the same machine.
        fresh_seconds, fresh_cpu, _, _, _, _ = time_yearly_run(args.jobs, fresh_kernels=True)
        print(f"with a kernel started per notebook: {fresh_seconds:.1f} s → {fresh_seconds / floor:.2f} × the floor; "
              f"CPU {fresh_cpu:.1f} s → {fresh_cpu / floor_cpu:.2f} ×")
    with tempfile.TemporaryDirectory() as folder:
        ingest(processed_dir=Path(folder))
        observations = load_observations(Path(folder))
    start = time.perf_counter()
    n = len(assess_observations(observations, as_of=YEAR).table)
    elapsed = time.perf_counter() - start
    print(f"shipped series: {n} assessed in {elapsed:.2f} s ({n / elapsed:.0f} series/s, one process)")
    print("one series: " + ", ".join(f"{k} {ms:.1f} ms" for k, ms in time_one().items()) + " (median of 200 calls)")
    for label, counties in (("10,000-series panel", round(10_000 / PER_COUNTY)), ("province-sized panel", COUNTIES)):
        n, elapsed, compared = time_panel(counties, args.jobs)
        print(f"{label} (synthetic, {counties} counties): {n} series in {elapsed:.1f} s "
              f"({n / elapsed:.0f} series/s, {args.jobs} processes); regions compared (table, chart) in {compared:.1f} s")  # fmt: skip
    print(f"peak memory of this process (the panel engine): {peak_mb(resource.RUSAGE_SELF):.0f} MB")


if __name__ == "__main__":
    main()
