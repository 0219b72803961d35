"""Stage 3, assessment: status now, official-style progress, forecast to 2030, P(target), warning.

Takes observations (a series, or the whole database export) and the catalog's targets; gives
assessments. ``assess_series`` works on any series with a ``Target``; ``assess_observations``
(panel.py) runs it over every series of the monitoring database and ``roll_up`` counts the results
per domain; ``stored`` keeps a run's assessment for every notebook; ``comparison`` computes the
mid-term comparisons (higher levels, gaps by sex and urban/rural, towns, age).
"""

from analysis.assessment.config import DEFAULT_CONFIG, AssessmentConfig
from analysis.assessment.data_status import DataStatus
from analysis.assessment.series import (
    LEVEL_ZH,
    STATUS_EN,
    STATUS_ZH,
    Reason,
    SeriesAssessment,
    assess_series,
)
from analysis.assessment.target import Target

__all__ = [
    "DEFAULT_CONFIG",
    "LEVEL_ZH",
    "STATUS_EN",
    "STATUS_ZH",
    "AssessmentConfig",
    "DataStatus",
    "Reason",
    "SeriesAssessment",
    "Target",
    "assess_series",
]
