"""Benchmark: how fast the engine assesses series. Prints figures; asserts nothing.

    python benchmarks/assess_speed.py [--panel 10000] [--jobs 2]

1. Every shipped series (national reference figures and the synthetic district example), as the
   runner assesses them for the default report year.
2. One series at a time (a share and a positive rate, 11 points each): median time of one
   ``assess_series`` call, the cost a user pays in a notebook.
3. A synthetic panel the size of Sichuan: 183 county-level units × 55 indicators ≈ 10,000 series
   of 11 annual points with catalog targets (random walks on the logit/log scale; fixed seed).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from analysis import CATALOG
from analysis.assessment import Target, assess_series
from analysis.assessment.panel import assess_observations
from analysis.data import ingest, load_observations

YEARS = list(range(2015, 2026))


def panel(n: int, seed: int = 20211001) -> list[tuple]:
    rng = np.random.default_rng(seed)
    usable = CATALOG.indicators.loc[~CATALOG.indicators["target_kind"].isin(["qualitative", "monitor",
                                                                             "gap_narrowing"])]  # fmt: skip
    usable = usable.loc[usable["target_reference"] == ""]
    jobs = []
    for i in range(n):
        ind = usable.iloc[i % len(usable)]
        target = Target.from_indicator(ind)
        if ind.unit == "%":
            z = np.cumsum(rng.normal(0.05, 0.15, len(YEARS))) + rng.normal(0, 1)
            values = 100 / (1 + np.exp(-z))
        else:
            values = np.exp(np.cumsum(rng.normal(0.0, 0.05, len(YEARS))) + rng.normal(3, 1))
        jobs.append((YEARS, values.tolist(), target))
    return jobs


def _assess(job) -> str:
    years, values, target = job
    return assess_series(years, values, target, as_of=2025).level


def time_panel(n: int, jobs: int) -> tuple[float, int]:
    work = panel(n)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        levels = list(pool.map(_assess, work, chunksize=64))
    return time.perf_counter() - start, len(levels)


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
            assess_series(YEARS, values, target, as_of=2025)
            times.append(time.perf_counter() - start)
        out[name] = 1000 * float(np.median(times))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--panel", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ingest(processed_dir=Path(folder))
        observations = load_observations(Path(folder))
    start = time.perf_counter()
    results = assess_observations(observations, as_of=int(observations["year"].max()))
    elapsed = time.perf_counter() - start
    n = len(results.table)
    print(f"shipped series: {n} assessed in {elapsed:.1f} s ({n / elapsed:.0f} series/s, one process)")
    one = time_one()
    print("one series: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in one.items()) + " (median of 200 calls)")
    elapsed, n = time_panel(args.panel, args.jobs)
    print(f"synthetic panel: {n} series in {elapsed:.1f} s ({n / elapsed:.0f} series/s, {args.jobs} processes)")


if __name__ == "__main__":
    main()
