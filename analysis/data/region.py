"""The observations a report of one region reads: the database's export, the region and its towns.

Kept apart from analysis.report.sections (which draws) so that the runner can read them without loading
the figure stack.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import ingest, load_observations
from analysis.data.vocabulary import load_regions
from analysis.paths import DATA_PROCESSED


def observations(processed_dir: Path | None = None) -> pd.DataFrame:
    """The current observations; builds the database from data/raw when it does not exist yet."""
    processed_dir = Path(processed_dir) if processed_dir else DATA_PROCESSED
    if not (processed_dir / "observations.parquet").exists():
        ingest(processed_dir=processed_dir)
    return load_observations(processed_dir)


def report_year(frame: pd.DataFrame, region: str) -> int:
    """The default report year: the latest year with data for the region."""
    years = frame.loc[frame["region"] == region, "year"]
    return int(years.max() if len(years) else frame["year"].max())


def region_and_towns(region: str) -> list[str]:
    regions = load_regions()
    return [region, *regions.loc[regions["parent"] == region, "region"]]
