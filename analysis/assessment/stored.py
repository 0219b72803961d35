"""The run's assessment, computed once and read by every notebook: ``data/processed/assessments/``.

``python -m analysis run`` assesses the region and year once (the panel engine) and stores the
result beside the observations; the domain notebooks, the overview and the run's vintage read it
instead of assessing again. A notebook opened by hand with no stored assessment assesses itself,
and gets the same tables (tests/test_stored.py).

A stored assessment is named by its key: a hash of the observations it saw (the region and its
towns, up to the year), the year, the region, the assessment configuration, and the code and
catalog that made it (every file of the ``analysis`` package, and the versions of the numerical
libraries). Other data, another configuration or changed code give another key, find no file,
and assess afresh: a stale store is never read.

Two files per assessment, each written whole: ``<year>_<region>_<key>.parquet``, the tidy table
(one row per series: status, warning, probability, progress measures …) that any tool can read;
and ``….pkl``, the per-series objects the fan charts draw (history, forecast paths, pooled
rates), pickled for this very code version (the key says which) and read only when the table is there.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import cache
from importlib import metadata
from pathlib import Path

import pandas as pd

from analysis.files import write_whole

FOLDER = "assessments"
LIBRARIES = ("numpy", "pandas", "scipy", "statsmodels")  # their versions can change a forecast
PACKAGE = Path(__file__).resolve().parents[1]  # the whole analysis package: a report change must re-run its notebooks


@cache
def code_version() -> str:
    """A hash of the package's code and catalog files and of the numerical libraries' versions."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".csv", ".json", ".yaml", ".yml") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE)).encode())
            digest.update(path.read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    return digest.hexdigest()[:16]


def assessment_key(observations: pd.DataFrame, year: int, region: str, config) -> str:
    """The key of the assessment of ``observations`` (a region and its towns) as of ``year``."""
    seen = observations.loc[observations["year"] <= year]
    seen = seen.sort_values(list(seen.columns)).reset_index(drop=True)
    data = hashlib.sha256(pd.util.hash_pandas_object(seen, index=False).values.tobytes()).hexdigest()
    text = "\n".join([data, str(int(year)), region, repr(config), code_version()])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _stem(folder: Path, year: int, region: str, key: str) -> Path:
    return folder / f"{int(year)}_{region}_{key}"


def read_assessment(processed_dir: Path, observations: pd.DataFrame, year: int, region: str, config):
    """The stored assessment with this key, or None (none stored, or stored from other data or code)."""
    from analysis.assessment.panel import AssessmentResults

    stem = _stem(Path(processed_dir) / FOLDER, year, region, assessment_key(observations, year, region, config))
    table, objects = stem.with_suffix(".parquet"), stem.with_suffix(".pkl")
    if not (table.exists() and objects.exists()):
        return None
    with open(objects, "rb") as file:
        assessments = pickle.load(file)  # written by this code version (the key), in the project's own folder
    return AssessmentResults(int(year), assessments, pd.read_parquet(table), config)


def stored_or_assessed(processed_dir: Path, observations: pd.DataFrame, year: int, region: str, config,
                       assess: pd.DataFrame | None = None):  # fmt: skip
    """The run's stored assessment of ``observations`` (a region and its towns) if there is one for these
    very data, code and configuration; else an assessment of ``assess`` (default: the same observations),
    never stored: a notebook or document opened by hand does not write the run's store."""
    stored = read_assessment(processed_dir, observations, year, region, config)
    if stored is not None:
        return stored
    from analysis.assessment.panel import assess_observations
    from analysis.catalog import CATALOG

    return assess_observations(observations if assess is None else assess, int(year), CATALOG, config)


def store_assessment(processed_dir: Path, observations: pd.DataFrame, year: int, region: str, config=None):
    """Assess ``observations`` as of ``year`` once and store it, or read it if this key is stored.

    Returns (results, stored before): the runner says when it reused an assessment. Assessments of
    the same year and region under other keys are removed: they can never be read again.
    """
    from analysis.assessment import DEFAULT_CONFIG
    from analysis.assessment.panel import assess_observations

    config = config or DEFAULT_CONFIG
    earlier = read_assessment(processed_dir, observations, year, region, config)
    if earlier is not None:
        return earlier, True
    results = assess_observations(observations, int(year), config=config)
    folder = Path(processed_dir) / FOLDER
    stem = _stem(folder, year, region, assessment_key(observations, year, region, config))
    write_whole(stem.with_suffix(".pkl"), lambda tmp: tmp.write_bytes(pickle.dumps(results.assessments, protocol=5)))
    write_whole(stem.with_suffix(".parquet"), lambda tmp: results.table.to_parquet(tmp, index=False))
    for old in folder.glob(f"{int(year)}_{region}_*"):
        if old.stem != stem.name and old.stem.count("_") == stem.name.count("_"):
            old.unlink(missing_ok=True)
    return results, False
