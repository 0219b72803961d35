"""The assessment engine: status now, official-style progress, forecast to 2030, P(target), warning.

``assess_series`` works on any series with a ``Target``; ``assess_observations`` runs it over
every series of the monitoring database and ``roll_up`` counts the results per domain.
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
