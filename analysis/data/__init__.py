"""Stage 2, data: bringing data in.

Takes the files in data/raw (long tables, the member units' workbooks, the national figures, the
measures' self-assessments) and the catalog; checks every cell with messages that name file, sheet,
cell and fix; gives the monitoring database (data/processed/monitoring.duckdb) and its export of
observations, and a region's observations (``region``).
"""

from analysis.data.ingest import IngestResult, ingest, load_observations
from analysis.data.problems import IngestError, Problem
from analysis.data.store import MonitoringDatabase
from analysis.data.vocabulary import Vocabulary
from analysis.data.workbook import write_entry_workbook

__all__ = [
    "IngestError",
    "IngestResult",
    "MonitoringDatabase",
    "Problem",
    "Vocabulary",
    "ingest",
    "load_observations",
    "write_entry_workbook",
]
