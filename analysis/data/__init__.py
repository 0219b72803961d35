"""Bringing data in: reading raw files, checking them, and the monitoring database."""

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
