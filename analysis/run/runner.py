"""The annual run: ingest data/raw, then execute every notebook with papermill, several at once.

Outputs go to a staging folder; when the run ends, each notebook's folder replaces its own
``reports/<year>/<region>/<domain>/`` (English: ``en/<domain>/``) in one rename, so a partial run
(``--domains``, ``--lang en``) changes only what it ran and leaves the other domains, languages
and the Word documents alone. A notebook that fails does not stop the others; the summary names
it and the failing cell, and the run's exit code is non-zero. A domain without data is reported
as such. Ctrl-C stops the workers at once; a killed run's workers notice their parent is gone
and exit, and the next run removes what the killed one left behind.

The region and year are assessed once, here, and stored beside the observations
(analysis/assessment/stored.py); every notebook and the vintage read that. A notebook whose inputs have not
changed since its published outputs were made (the database, the notebook, the package's code
and libraries, its parameters: the run key in the manifest) is not run again: the summary says
"unchanged, reused", and ``force=True`` (``run --force``) runs it all the same.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from tqdm import tqdm
from traitlets.config import Config

from analysis.assessment.stored import code_version
from analysis.catalog import CATALOG
from analysis.files import write_whole
from analysis.lock import exclusive
from analysis.paths import DATA_PROCESSED, DATA_RAW, NOTEBOOKS, REPORTS, ROOT

DOMAINS = list(CATALOG.domains["domain"])
FORMATS = ("png", "pdf", "svg", "svg-text")  # figure formats a run can write; PNG (300 dpi) unless asked

KERNEL = "jinkouhe-women"  # registered by `make setup` for JupyterLab; the runner uses its own spec
STAGING_PREFIX, OLD_PREFIX = ".staging-", ".old-"
PARENT_POLL_SECONDS = 0.5
KERNEL_START_SECONDS = 300  # a kernel starts in seconds, but on a shared 2-core machine under load it took over 120
PACKAGES = ("pandas", "numpy", "scipy", "statsmodels", "matplotlib", "seaborn", "papermill", "duckdb",
            "jinkouhe-women-monitoring")  # fmt: skip


class UnknownDomain(ValueError):
    """--domains names a domain the catalog does not have."""


class UnknownFormat(ValueError):
    """--formats names a figure format the run does not write."""


@dataclass
class NotebookRun:
    name: str
    notebook: str
    parameters: dict
    lang: str = "zh"
    ok: bool = False
    no_data: bool = False  # the domain has no observation for the region up to the year: nothing to run
    seconds: float = 0.0
    failed_cell: int | None = None
    error: str = ""
    outputs: list[str] = field(default_factory=list)
    database: str = ""  # fingerprint of the database the notebook read
    key: str = ""  # what its outputs were made from (run_key): the same key, the same outputs
    reused: bool = False  # nothing changed since its published outputs were made: not run again

    @property
    def folder(self) -> str:
        """Where its outputs live inside reports/<year>/<region>/: 'health', or 'en/health' in English."""
        return self.name if self.lang == "zh" else f"{self.lang}/{self.name}"


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
        reused = sum(r.reused for r in self.runs)
        also = f" ({reused} unchanged, reused)" if reused else ""
        lines = [f"{self.region} {self.year}: {sum(r.ok for r in self.runs)}/{len(self.runs)} notebooks ok{also} "
                 f"in {self.seconds:.0f} s → {self.folder}"]  # fmt: skip
        for r in self.runs:
            if r.reused:
                lines.append(f"  reused  {r.name:<16} 未变，沿用上次结果 / unchanged since the last run (--force runs it again)")
            elif r.no_data:
                lines.append(f"  no data {r.name:<16} no observation for {self.region} up to {self.year}: nothing to report")
            elif r.ok:
                lines.append(f"  ok      {r.name:<16} {r.seconds:6.1f} s")
            else:
                lines.append(f"  FAILED  {r.name:<16} cell {r.failed_cell}: {r.error}")
        return "\n".join(lines)


def write_kernel(folder: Path) -> Path:
    """A kernel spec that starts this very interpreter, in a folder of its own; returns the folder.

    The workers put it first on JUPYTER_PATH, so papermill runs the notebooks with the code and
    packages of the environment the run was started from, whatever kernels are registered for
    the user or by another checkout under the same name.
    """
    import sys

    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(json.dumps({
        # jupyter_client interrupts a kernel before shutting it down, which ipykernel logs as an
        # ERROR ("KeyboardInterrupt caught in kernel") after a notebook that ran fine; a failing cell
        # reaches the run summary through papermill, not through this log
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                 "--IPKernelApp.log_level=CRITICAL"],
        "display_name": f"Python ({sys.prefix})", "language": "python",
    }, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    return folder


def _kernel_config(folder: str) -> Config:
    """Local sockets (in a folder of this job's own) instead of TCP where the platform has them: the
    kernel then has nothing to warn about ("running over TCP without encryption"), which a newcomer
    reads as a failure. Windows has only TCP."""
    if os.name == "nt":
        return Config()
    return Config({"KernelManager": {"transport": "ipc", "ip": os.path.join(folder, "kernel")}})


def _execute(job: NotebookRun, source: str, target: str, kernel: str, timeout: int, kernels: str = "") -> NotebookRun:
    """Run one notebook (in a worker process) and write its HTML report (analysis.report.html).

    In the runner's own workers the notebook runs in the worker's warm kernel (analysis/run/warm_kernel.py);
    elsewhere (a Dask cluster's workers) in a kernel of its own. ``kernels``: the folder of this run's
    kernel spec, put first on JUPYTER_PATH here too, for workers the runner did not start.
    """
    import papermill as pm

    from analysis.report.html import notebook_html
    from analysis.run.warm_kernel import execute_in

    if kernels and os.environ.get("JUPYTER_PATH", "").split(os.pathsep)[0] != kernels:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [kernels, os.environ.get("JUPYTER_PATH")]))
    start = time.perf_counter()
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    try:
        if _WARM is not None:
            execute_in(_WARM, source, target, job.parameters, timeout)
        else:
            with tempfile.TemporaryDirectory(prefix="kernel-", ignore_cleanup_errors=True) as sockets:
                pm.execute_notebook(source, target, parameters=job.parameters, kernel_name=kernel, language="python",
                                    cwd=str(ROOT), progress_bar=False, start_timeout=KERNEL_START_SECONDS,
                                    execution_timeout=timeout, config=_kernel_config(sockets))  # fmt: skip
        job.ok = True
    except pm.PapermillExecutionError as error:
        job.failed_cell, job.error = error.exec_count, f"{error.ename}: {error.evalue}"
    except Exception as error:  # the kernel died or could not start: still a failed notebook, not a failed run
        job.error = f"{error.__class__.__name__}: {error}"
    if Path(target).exists():
        notebook_html(Path(target))
    job.seconds = time.perf_counter() - start
    job.outputs = sorted(str(p.relative_to(Path(target).parent)) for p in Path(target).parent.rglob("*") if p.is_file())
    return job


_WARM = None  # the worker's warm kernel (analysis.run.warm_kernel.WarmKernel), in the runner's own workers only


def _worker_start(parent: int, kernels: str, warm: bool = True) -> None:
    """In each worker: this interpreter's kernel, Ctrl-C left to the parent, and an end with the parent.

    A worker whose parent was killed would otherwise finish its notebook into a staging folder
    nobody publishes and then wait forever; its kernel follows it (ipykernel watches its parent).
    With ``warm``, the worker's kernel is started and has imported the report stack before the
    first notebook arrives (while the runner is still assessing); a kernel that cannot start here
    is tried again, and reported, by the first notebook.
    """
    global _WARM
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [kernels, os.environ.get("JUPYTER_PATH")]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()
    if warm:
        from multiprocessing.util import Finalize

        from analysis.run.warm_kernel import WarmKernel

        _WARM = WarmKernel(KERNEL, _kernel_config, str(ROOT), KERNEL_START_SECONDS)
        Finalize(_WARM, _WARM.shutdown, exitpriority=10)  # a worker ends through os._exit: atexit would not run
        try:
            _WARM.start()
        except Exception:
            _WARM.shutdown()


def _started() -> bool:
    """A task that only makes the pool start its workers (and their kernels) now."""
    return True


def _stop(pool: ProcessPoolExecutor) -> None:
    """Kill the workers now (their kernels follow), instead of waiting for their notebooks to end."""
    for process in list((pool._processes or {}).values()):  # the executor has no public way to do this
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)
    # Let its manager thread finish now: at exit, Python 3.11 wakes it through a pipe the thread may be
    # closing at that moment, and prints "OSError: Bad file descriptor" after our one-line message.
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=5)


def _fingerprint(processed_dir: Path) -> tuple[dict, str]:
    inputs_file = processed_dir / "manifest.json"
    inputs = json.loads(inputs_file.read_text(encoding="utf-8")) if inputs_file.exists() else {}
    return inputs, hashlib.sha256(json.dumps(inputs.get("inputs"), sort_keys=True).encode()).hexdigest()[:16]


def _manifest(summary: RunSummary, started: datetime, processed_dir: Path, earlier: dict) -> dict:
    """The run's record, keeping the entries of notebooks this run did not touch."""
    inputs, fingerprint = _fingerprint(processed_dir)
    versions = _versions()
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        commit = None
    ran = {(r.name, r.lang) for r in summary.runs}
    kept = [n for n in earlier.get("notebooks", []) if (n["name"], n.get("lang", "zh")) not in ran]
    notebooks = kept + [asdict(r) for r in summary.runs]
    # The folder describes one database only if every notebook in it read that database.
    same = all(n.get("database") == fingerprint for n in notebooks)
    return {
        "year": summary.year, "region": summary.region, "ok": all(n["ok"] for n in notebooks),
        "started": started.isoformat(timespec="seconds"), "seconds": round(summary.seconds, 1),
        "code_commit": commit, "package_versions": versions,
        "database": inputs if same else {"inputs": None, "note": "notebooks here read different databases"},
        "notebooks": notebooks,
    }  # fmt: skip


def _publish(staging: Path, folder: Path, runs: list[NotebookRun]) -> None:
    """Each notebook's folder replaces its own; the old one goes only once the new is in place."""
    old = folder / f"{OLD_PREFIX}{uuid.uuid4().hex[:8]}"
    for run in runs:
        if run.reused:
            continue  # its published folder stays as it is
        new, target = staging / run.folder, folder / run.folder
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            (old / run.folder).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, old / run.folder)
        if new.exists():
            os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def _remove_debris(reports_dir: Path) -> None:
    """What a killed run left: its staging folder, and notebook folders set aside while publishing.

    A folder set aside whose place is still empty is put back (the killed run had not yet moved
    its new one in), so a crash while publishing never loses the previous outputs.
    """
    for staging in reports_dir.glob(f"{STAGING_PREFIX}*"):
        shutil.rmtree(staging, ignore_errors=True)
    for old in reports_dir.glob(f"*/*/{OLD_PREFIX}*"):
        for part in [*old.glob("*"), *old.glob("*/*")]:
            target = old.parent / part.relative_to(old)
            if part.is_dir() and (part / f"{part.name}.ipynb").exists() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(part, target)
        shutil.rmtree(old, ignore_errors=True)


def _has_data(frame, domain: str | None) -> bool:
    """Whether the region's observations (``frame``) hold any value of the domain (None: of any)."""
    if domain is not None:
        frame = frame.loc[frame["indicator_id"].isin(CATALOG.domain_indicators(domain)["indicator_id"])]
    return len(frame) > 0


def _versions() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def run_key(job: NotebookRun, notebook: Path, database: str) -> str:
    """What a notebook's outputs are made from: the database, the notebook, the package's code and
    catalog, the libraries, this interpreter and the parameters (but the staging folder)."""
    parameters = {k: v for k, v in job.parameters.items() if k != "output_dir"}
    text = json.dumps({"database": database, "notebook": hashlib.sha256(notebook.read_bytes()).hexdigest(),
                       "code": code_version(), "versions": _versions(), "python": sys.executable,
                       "parameters": parameters}, sort_keys=True, ensure_ascii=False)  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _reusable(job: NotebookRun, earlier: dict, folder: Path) -> dict | None:
    """The earlier manifest's entry of this notebook if its published outputs have the same key."""
    for entry in earlier.get("notebooks", []):
        if (entry["name"], entry.get("lang", "zh")) == (job.name, job.lang):
            same = entry.get("ok") and not entry.get("no_data") and entry.get("key") == job.key
            return entry if same and (folder / job.folder / f"{job.name}.ipynb").exists() else None
    return None


def _cost(job: NotebookRun, frame, earlier: dict) -> float:
    """Expected seconds of a notebook (the last run's, else its indicators with data), to start the
    longest first: two workers then finish together instead of one waiting for the last long one."""
    for entry in earlier.get("notebooks", []):
        if (entry["name"], entry.get("lang", "zh")) == (job.name, job.lang) and entry.get("seconds"):
            return float(entry["seconds"])
    ids = frame["indicator_id"]
    if job.name != "overview":
        ids = ids.loc[ids.isin(CATALOG.domain_indicators(job.name)["indicator_id"])]
    return float(ids.nunique())


def _save_vintage(results, frame, processed_dir: Path) -> None:
    """This run's forecasts and warnings, kept for next year's track record (vintages.py)."""
    from analysis.evaluation.vintages import save_vintage

    save_vintage(results, frame, processed_dir / "vintages")


def run(year: int | None = None, region: str = "金口河区", domains: list[str] | None = None, jobs: int = 2,
        lang: str = "zh", raw_dir: Path = DATA_RAW, processed_dir: Path = DATA_PROCESSED,
        reports_dir: Path = REPORTS, notebooks_dir: Path = NOTEBOOKS, timeout: int = 1800,
        overview: bool = True, progress: bool = True, executor: Executor | None = None,
        formats: tuple[str, ...] = ("png",), indicator_figures: bool = False, force: bool = False,
        warm_kernels: bool = True) -> RunSummary:  # fmt: skip
    """Ingest, assess the region and year once, then run the domain notebooks (and the overview).

    ``executor``: any ``concurrent.futures.Executor`` to run the notebooks on (e.g. a Dask
    cluster's, ``distributed.Client(address).get_executor()``); it is left running. Without one
    the run starts ``jobs`` worker processes of its own. ``formats``: the figures' formats (PNG at
    300 dpi; PDF and SVG, with embedded fonts, when asked); ``indicator_figures``: also one fan chart
    file per indicator (the small multiples show them all). ``force``: run notebooks whose outputs
    are unchanged too. ``warm_kernels``: each worker runs its notebooks in one kernel, reset between
    them (analysis/run/warm_kernel.py); False starts a kernel per notebook (the outputs are the same).
    """
    from analysis.data import ingest, load_observations
    from analysis.data.region import observations, region_and_towns, report_year
    from analysis.figures.fonts import truetype_fonts

    started, clock = datetime.now(timezone.utc), time.perf_counter()
    unknown = [d for d in domains or [] if d not in DOMAINS]
    if unknown:
        raise UnknownDomain(f"unknown domain(s) {', '.join(unknown)} → use {', '.join(DOMAINS)}")
    odd = [f for f in formats if f not in FORMATS]
    if odd or not formats:
        raise UnknownFormat(f"unknown figure format(s) {', '.join(odd) or '(none)'} → use png, pdf, svg, "
                            "svg-text (SVG with editable text) (e.g. png,pdf)")  # fmt: skip
    from analysis.data.arguments import check_region, check_year

    region = check_region(region)  # a known region (永和鎮, "永和镇 " normalised) before anything is written
    ingest(raw_dir, processed_dir)
    every = observations(processed_dir)
    region = check_region(region, every)
    year = check_year(int(year) if year else None, region, every) or report_year(every, region)
    domains = list(domains or DOMAINS)
    frame = load_observations(processed_dir, up_to_year=year)
    frame = frame.loc[frame["region"].isin(region_and_towns(region))]
    _, fingerprint = _fingerprint(processed_dir)
    folder = reports_dir / str(year) / region
    with exclusive(reports_dir, "run"):
        _remove_debris(reports_dir)
        earlier_file = folder / "manifest.json"
        earlier = json.loads(earlier_file.read_text(encoding="utf-8")) if earlier_file.exists() else {}
        staging = reports_dir / f"{STAGING_PREFIX}{year}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        common = {"year": year, "region": region, "processed_dir": str(processed_dir), "lang": lang,
                  "figure_formats": ",".join(formats)}  # fmt: skip
        jobs_list = [NotebookRun(d, "domain.ipynb", {**common, "domain": d, "indicator_figures": indicator_figures}, lang)
                     for d in domains]  # fmt: skip
        if overview:
            jobs_list.append(NotebookRun("overview", "overview.ipynb", dict(common), lang))
        for job in jobs_list:
            job.parameters["output_dir"] = str(staging / job.folder)
            job.database = fingerprint
            job.key = run_key(job, notebooks_dir / job.notebook, fingerprint)
            job.no_data = job.ok = not _has_data(frame, job.name if job.name != "overview" else None)
            entry = None if force or job.no_data else _reusable(job, earlier, folder)
            if entry is not None:
                job.ok = job.reused = True
                job.outputs, job.seconds = list(entry.get("outputs", [])), float(entry.get("seconds", 0.0))
        kernels = write_kernel(staging / ".kernel")
        finished = [job for job in jobs_list if job.no_data or job.reused]
        todo = sorted((job for job in jobs_list if not (job.no_data or job.reused)),
                      key=lambda job: -_cost(job, frame, earlier))  # fmt: skip
        results = None
        try:
            if todo:
                workers = _worker_pool(min(jobs, len(todo)), kernels, warm_kernels) if executor is None else None
                with workers or nullcontext(executor) as pool:
                    futures = []
                    try:
                        truetype_fonts()  # the figure font is converted once, here, not by two notebooks at once
                        # Once, before the notebooks, which read it (and the vintage after them).
                        from analysis.assessment.stored import store_assessment

                        results, _ = store_assessment(processed_dir, frame, year, region)
                        futures = [pool.submit(_execute, job, str(notebooks_dir / job.notebook),
                                               str(staging / job.folder / f"{job.name}.ipynb"), KERNEL, timeout,
                                               str(kernels)) for job in todo]  # fmt: skip
                        for future in tqdm(as_completed(futures), total=len(futures), desc=f"{region} {year}",
                                           unit="notebook", disable=not progress):  # fmt: skip
                            finished.append(future.result())
                    except BaseException:  # withdraw what has not started (our own workers are stopped too)
                        for future in futures:
                            future.cancel()
                        raise
            order = {job.name: i for i, job in enumerate(jobs_list)}
            finished.sort(key=lambda r: order[r.name])
            summary = RunSummary(year, region, folder, finished, time.perf_counter() - clock)
            manifest = _manifest(summary, started, processed_dir, earlier)
            _publish(staging, folder, finished)
            write_whole(folder / "manifest.json", lambda p: p.write_text(
                json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"))  # fmt: skip
            if summary.ok and results is not None:
                _save_vintage(results, frame, processed_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return summary


def run_regions(year: int | None, regions: str, jobs: int = 2, lang: str = "zh", notebooks: bool = True,
                domains: list[str] | None = None, raw_dir: Path = DATA_RAW, processed_dir: Path = DATA_PROCESSED, reports_dir: Path = REPORTS,
                notebooks_dir: Path = NOTEBOOKS, timeout: int = 1800, progress: bool = True,
                executor: Executor | None = None, formats: tuple[str, ...] = ("png",), indicator_figures: bool = False,
                force: bool = False) -> tuple[list[Path], list[RunSummary]]:  # fmt: skip
    """Several regions (``"A,B"`` or ``"all"``): one assessment of them all, the comparison in
    ``reports/<year>/regions/``, then (unless ``notebooks`` is False) each region's notebooks."""
    from analysis.assessment.panel import assess_observations
    from analysis.data import ingest, load_observations
    from analysis.data.region import report_year
    from analysis.run.regions import resolve_regions, write_comparison

    ingest(raw_dir, processed_dir)
    every = load_observations(processed_dir)
    names = resolve_regions(regions, every)
    year = int(year) if year else max(report_year(every, region) for region in names)
    results = assess_observations(every.loc[every["year"] <= year], year, jobs=jobs)  # every region in one pass
    with exclusive(reports_dir, "run"):
        paths = write_comparison(results, names, reports_dir / str(year) / "regions", lang)
    if not notebooks:
        return paths, []
    with _shared_pool(jobs) if executor is None else nullcontext(executor) as pool:  # one pool: kernels warm once
        summaries = [run(year, region, domains, jobs=jobs, lang=lang, raw_dir=raw_dir, processed_dir=processed_dir,
                         reports_dir=reports_dir, notebooks_dir=notebooks_dir, timeout=timeout, progress=progress,
                         executor=pool, formats=formats, indicator_figures=indicator_figures, force=force)
                     for region in names]  # fmt: skip
    return paths, summaries


@contextmanager
def _worker_pool(jobs: int, kernels: Path, warm: bool = True) -> Iterator[Executor]:
    """The runner's own workers (``_worker_start``), their kernels started at once, while the caller
    prepares the rest; stopped at once on an error or Ctrl-C, else shut down when done."""
    pool = ProcessPoolExecutor(max_workers=max(1, jobs), initializer=_worker_start,
                               initargs=(os.getpid(), str(kernels), warm))  # fmt: skip
    try:
        pool.submit(_started)
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


@contextmanager
def _shared_pool(jobs: int) -> Iterator[Executor]:
    """Workers with warm kernels (analysis/run/warm_kernel.py) for several runs in a row, e.g. one per
    region: the kernels start and import the stack once, not once per region."""
    with tempfile.TemporaryDirectory(prefix="kernels-") as folder, _worker_pool(jobs, write_kernel(Path(folder))) as pool:
        yield pool


class NoCluster(RuntimeError):
    """--scheduler was given but Dask distributed is not installed."""


@contextmanager
def cluster_executor(address: str) -> Iterator[Executor]:
    """The executor of the Dask cluster at ``address`` (``pip install -e '.[cluster]'``), closed afterwards.

    Its workers must run this environment and see the repository at the same paths (a shared
    disk): they read the notebooks and data and write into the run's staging folder.
    """
    try:
        from distributed import Client
    except ImportError as error:
        raise NoCluster("--scheduler needs Dask distributed → pip install -e '.[cluster]'") from error
    with Client(address) as client:
        yield client.get_executor()
