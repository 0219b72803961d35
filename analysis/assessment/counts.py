"""Rates of small counts: maternal deaths per 100,000 live births in a district with ~350 births.

A year's rate there is 0 or ~285/10万, so a year's value says almost nothing; the counts do. The
current rate pools the last five years, with an exact interval. The forecast is the rate's
distribution given the counts: with fewer than ten events no trend can be told from chance, so
the rate is taken as constant, with its Jeffreys-prior posterior; with ten or more, a GLM fits a
trend (quasi-likelihood scale when the counts are overdispersed).

Two kinds of rate, two models:
- rare events per population (deaths per 100,000 births, per 1,000): Poisson — Garwood interval,
  Gamma(0.5 + events, exposure) posterior, Poisson GLM with log link and exposure;
- shares of a few cases (treated patients of those diagnosed, in %): binomial — Clopper–Pearson
  interval, Beta(0.5 + x, 0.5 + n − x) posterior, binomial GLM with logit link.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats

from analysis.assessment.config import AssessmentConfig
from analysis.assessment.forecast import MIN_SD, Forecast, Scale


@dataclass(frozen=True)
class PooledRate:
    first_year: int
    last_year: int
    events: float
    exposure: float
    rate: float
    lower_95: float
    upper_95: float


def is_binomial(per: float) -> bool:
    """A share in % (cases of a group) rather than events per population."""
    return per == 100


def pooled_rate(years, numerators, denominators, per: float, last_year: int, window: int) -> PooledRate | None:
    """The rate over the ``window`` years ending at ``last_year``, with an exact 95 % interval."""
    years, num, den = (np.asarray(a, dtype=float) for a in (years, numerators, denominators))
    keep = (years > last_year - window) & (years <= last_year)
    events, exposure = float(num[keep].sum()), float(den[keep].sum())
    if exposure <= 0:
        return None
    if is_binomial(per):  # Clopper–Pearson
        lower = stats.beta.ppf(0.025, events, exposure - events + 1) if events > 0 else 0.0
        upper = stats.beta.ppf(0.975, events + 1, exposure - events) if events < exposure else 1.0
    else:  # Garwood
        lower = (stats.chi2.ppf(0.025, 2 * events) / 2 if events > 0 else 0.0) / exposure
        upper = stats.chi2.ppf(0.975, 2 * events + 2) / 2 / exposure
    first = int(years[keep].min())
    return PooledRate(first, last_year, events, exposure, events / exposure * per, lower * per, upper * per)


def forecast_counts(years, numerators, denominators, per: float, horizon, config: AssessmentConfig,
                    as_of: int) -> Forecast | None:  # fmt: skip
    years, num, den = (np.asarray(a, dtype=float) for a in (years, numerators, denominators))
    if den.sum() <= 0 or not len(horizon):
        return None
    binomial = is_binomial(per)
    # what carries information is the rarer outcome: 4 untreated of 53 patients is 4 events
    informative = min(num.sum(), (den - num).sum()) if binomial else num.sum()
    if informative >= config.count_min_events_for_trend and len(years) >= 4:
        X = sm.add_constant(years - years.mean())
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if binomial:
                model = sm.GLM(np.column_stack([num, den - num]), X, family=sm.families.Binomial())
            else:
                model = sm.GLM(num, X, family=sm.families.Poisson(), exposure=den)
            first = model.fit()
            scale = max(1.0, float(first.pearson_chi2 / max(first.df_resid, 1)))
            fit = model.fit(scale=scale)
        Xf = sm.add_constant(np.asarray(horizon, float) - years.mean(), has_constant="add")
        mean = Xf @ fit.params
        sd = np.sqrt(np.einsum("ij,jk,ik->i", Xf, fit.cov_params(), Xf))
        if binomial:  # logit of the proportion; the logit Scale maps it to 0–100
            components = {y: [stats.norm(m, max(s, MIN_SD))] for y, m, s in zip(horizon, mean, sd)}
            return Forecast(Scale("logit", 0.0, 100.0), list(horizon), components, ["binomial GLM trend"],
                            [f"overdispersion scale {scale:.2f}"])  # fmt: skip
        components = {y: [stats.norm(m + math.log(per), max(s, MIN_SD))] for y, m, s in zip(horizon, mean, sd)}
        return Forecast(Scale("log"), list(horizon), components, ["Poisson GLM trend"],
                        [f"overdispersion scale {scale:.2f}"])  # fmt: skip
    pooled = pooled_rate(years, num, den, per, as_of, config.count_window_years)
    if pooled is None:
        return None
    if binomial:
        posterior = stats.beta(0.5 + pooled.events, 0.5 + pooled.exposure - pooled.events, scale=per)
    else:
        posterior = stats.gamma(0.5 + pooled.events, scale=per / pooled.exposure)
    components = {y: [posterior] for y in horizon}
    note = (f"{pooled.events:g} events in {pooled.first_year}–{pooled.last_year}: too few for a trend; "
            "rate held constant (Jeffreys posterior)")  # fmt: skip
    return Forecast(Scale("identity"), list(horizon), components, ["pooled rate (constant)"], [note])
