"""Where things live in the repository (cookiecutter-data-science layout)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA_RAW = ROOT / "data" / "raw"  # inputs; code never writes here
DATA_PROCESSED = ROOT / "data" / "processed"  # everything derived from data/raw
REPORTS = ROOT / "reports"  # executed notebooks, HTML, figures, tables
NOTEBOOKS = ROOT / "notebooks"
OUTLINE_TEXT = DATA_RAW / "outline" / "jinkouhe-women-outline-2021-2030.txt"
