"""The annual run: ingest data/raw, then execute every notebook with papermill, several at once.

Outputs go to a staging folder and replace ``reports/<year>/<region>/`` in one rename when the
run ends, so a year's reports are always one whole run. A notebook that fails does not stop the
others; the summary names it and the failing cell, and the run's exit code is non-zero.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from tqdm import tqdm
from traitlets.config import Config

from analysis.paths import DATA_PROCESSED, DATA_RAW, NOTEBOOKS, REPORTS, ROOT
from analysis.sections import DOMAINS

KERNEL = "jinkouhe-women"  # registered by `make setup`
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "duckdb",
            "jinkouhe-women-monitoring")  # fmt: skip


@dataclass
class NotebookRun:
    name: str
    notebook: str
    parameters: dict
    ok: bool = False
    seconds: float = 0.0
    failed_cell: int | None = None
    error: str = ""
    outputs: list[str] = field(default_factory=list)


@dataclass
class RunSummary:
    year: int
    region: str
    folder: Path
    runs: list[NotebookRun]
    seconds: float

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)

    def summary(self) -> str:
        lines = [f"{self.region} {self.year}: {sum(r.ok for r in self.runs)}/{len(self.runs)} notebooks ran "
                 f"in {self.seconds:.0f} s → {self.folder}"]  # fmt: skip
        for r in self.runs:
            if r.ok:
                lines.append(f"  ok      {r.name:<16} {r.seconds:6.1f} s")
            else:
                lines.append(f"  FAILED  {r.name:<16} cell {r.failed_cell}: {r.error}")
        return "\n".join(lines)


def kernel_name() -> str:
    """The project's kernel when it runs this very interpreter, else the interpreter's own 'python3'.

    A kernel registered per user by name is shared by every checkout on the machine; taking it
    only when it starts this interpreter means a second checkout never runs the first one's code.
    """
    import sys

    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(KERNEL).argv
    except NoSuchKernel:
        return "python3"
    interpreter = Path(argv[0]) if argv else None
    same = interpreter is not None and interpreter.is_absolute() and interpreter.exists() and (
        interpreter.resolve() == Path(sys.executable).resolve()
        or Path(sys.prefix).resolve() in interpreter.resolve().parents)
    return KERNEL if same else "python3"


def _kernel_config(folder: str) -> Config:
    """Local sockets (in a folder of this job's own) instead of TCP where the platform has them: the
    kernel then has nothing to warn about ("running over TCP without encryption"), which a newcomer
    reads as a failure. Windows has only TCP."""
    if os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(folder, "kernel")}})


def _execute(job: NotebookRun, source: str, target: str, kernel: str, timeout: int) -> NotebookRun:
    """Run one notebook (in a worker process) and write its HTML without code cells."""
    import papermill as pm

    from analysis.report_html import notebook_html

    start = time.perf_counter()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    sockets = tempfile.mkdtemp(prefix="kernel-")
    try:
        pm.execute_notebook(source, target, parameters=job.parameters, kernel_name=kernel, language="python",
                            cwd=str(ROOT), progress_bar=False, start_timeout=120, execution_timeout=timeout,
                            config=_kernel_config(sockets))  # fmt: skip
        job.ok = True
    except pm.PapermillExecutionError as error:
        job.failed_cell, job.error = error.exec_count, f"{error.ename}: {error.evalue}"
    except Exception as error:  # the kernel died or could not start: still a failed notebook, not a failed run
        job.error = f"{error.__class__.__name__}: {error}"
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    if Path(target).exists():
        notebook_html(Path(target))
    job.seconds = time.perf_counter() - start
    job.outputs = sorted(str(p.relative_to(Path(target).parent)) for p in Path(target).parent.rglob("*") if p.is_file())
    return job


def _manifest(summary: RunSummary, started: datetime, processed_dir: Path) -> dict:
    inputs_file = processed_dir / "manifest.json"
    inputs = json.loads(inputs_file.read_text(encoding="utf-8")) if inputs_file.exists() else {}
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "year": summary.year, "region": summary.region, "ok": summary.ok,
        "started": started.isoformat(timespec="seconds"), "seconds": round(summary.seconds, 1),
        "code_commit": commit, "package_versions": versions, "database": inputs,
        "notebooks": [asdict(r) for r in summary.runs],
    }  # fmt: skip


def run_folder_name(region: str, lang: str) -> str:
    """Chinese reports in reports/<year>/<region>/, English beside them in <region>_en/: one never removes the other."""
    return region if lang == "zh" else f"{region}_{lang}"


def _publish(staging: Path, target: Path) -> None:
    """Swap the staging folder in for the year's folder: the old one goes only once the new is in place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    old = target.with_name(f".old-{target.name}-{uuid.uuid4().hex[:8]}")
    if target.exists():
        os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)


def run(year: int | None = None, region: str = "金口河区", domains: list[str] | None = None, jobs: int = 2,
        lang: str = "zh", raw_dir: Path = DATA_RAW, processed_dir: Path = DATA_PROCESSED,
        reports_dir: Path = REPORTS, notebooks_dir: Path = NOTEBOOKS, timeout: int = 1800,
        overview: bool = True, progress: bool = True) -> RunSummary:  # fmt: skip
    """Ingest, then run the domain notebooks (and the overview) for one region and year."""
    from analysis.data import ingest
    from analysis.figures.fonts import truetype_fonts
    from analysis.sections import observations, report_year

    started, clock = datetime.now(timezone.utc), time.perf_counter()
    ingest(raw_dir, processed_dir)
    truetype_fonts()  # the figure font is converted once, here, not by two notebooks at once
    year = int(year) if year else report_year(observations(processed_dir), region)
    domains = list(domains or DOMAINS)
    staging = reports_dir / f".staging-{year}-{uuid.uuid4().hex[:8]}"
    common = {"year": year, "region": region, "processed_dir": str(processed_dir), "lang": lang}
    jobs_list = [NotebookRun(d, "domain.ipynb", {**common, "domain": d, "output_dir": str(staging / d)}) for d in domains]
    if overview:
        jobs_list.append(NotebookRun("overview", "overview.ipynb", {**common, "output_dir": str(staging / "overview")}))
    kernel = kernel_name()
    finished = []
    try:
        with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = [pool.submit(_execute, job, str(notebooks_dir / job.notebook),
                                   str(staging / job.name / f"{job.name}.ipynb"), kernel, timeout)
                       for job in jobs_list]  # fmt: skip
            for future in tqdm(as_completed(futures), total=len(futures), desc=f"{region} {year}",
                               unit="notebook", disable=not progress):  # fmt: skip
                finished.append(future.result())
        order = {job.name: i for i, job in enumerate(jobs_list)}
        finished.sort(key=lambda r: order[r.name])
        folder = reports_dir / str(year) / run_folder_name(region, lang)
        summary = RunSummary(year, region, folder, finished, time.perf_counter() - clock)
        (staging / "manifest.json").write_text(json.dumps(_manifest(summary, started, processed_dir),
                                               ensure_ascii=False, indent=2) + "\n", encoding="utf-8")  # fmt: skip
        _publish(staging, summary.folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary
