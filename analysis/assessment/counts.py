"""Rates of small counts: maternal deaths per 100,000 live births in a district with ~350 births.

A year's rate there is 0 or ~285/10万, so a year's value says almost nothing; the counts do. The
current rate pools the last five years, with an exact interval, and the judgement asks the
question the counts can answer: are they consistent with the target? (an exact one-sided test:
if the true rate were exactly the target, how likely would this many events — or more — be?).
A district cannot prove a rate below 12/10万 with 1,750 births; it can show that its counts do not
contradict it, or that they do. With fewer than ten events no trend can be told from chance and
no rate is forecast; with ten or more (a city, a province), a GLM fits a trend (quasi-likelihood
scale when the counts are overdispersed) and the usual forecast and P(target) apply.

Two kinds of rate, two models:
- rare events per population (deaths per 100,000 births, per 1,000): Poisson — Garwood interval,
  Poisson test, conditional binomial test between two periods, Poisson GLM with exposure;
- shares of a few cases (treated patients of those diagnosed, in %): binomial — Clopper–Pearson
  interval, binomial test, Fisher's exact test between two periods, binomial GLM.
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
    if informative_events(num, den, per) >= config.count_min_events_for_trend and len(years) >= 4:
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
    return None  # too few events for a trend: the counts are judged as counts, no rate is forecast


def informative_events(numerators, denominators, per: float) -> float:
    """Events that carry the information: the rarer outcome for shares (4 untreated of 53 is 4)."""
    num, den = np.asarray(numerators, float), np.asarray(denominators, float)
    return float(min(num.sum(), (den - num).sum())) if is_binomial(per) else float(num.sum())


def consistency_p(pooled: PooledRate, target: float, direction: int, per: float) -> float:
    """P(counts at least this far on the wrong side of the target | the true rate equals the target).

    Exact: Poisson for events per population, binomial for shares of a few cases. Small values say
    the counts contradict the target; values near 1 say they sit comfortably on its right side.
    """
    x, n, rate = pooled.events, pooled.exposure, target / per
    if is_binomial(per):
        n_int, x_int = int(round(n)), int(round(x))
        return float(stats.binom.sf(x_int - 1, n_int, rate) if direction < 0 else stats.binom.cdf(x_int, n_int, rate))
    if direction < 0:  # lower is better: too many events
        return float(stats.poisson.sf(x - 1, n * rate)) if x > 0 else 1.0
    return float(stats.poisson.cdf(x, n * rate))


def change_p(before: PooledRate, after: PooledRate, per: float) -> tuple[float, float]:
    """One-sided exact p-values (rate fell, rate rose) between two periods' pooled counts.

    Poisson: given the total, the later period's events are binomial with the share of exposure
    (the conditional test). Shares: Fisher's exact test on the 2×2 table.
    """
    x1, n1, x2, n2 = before.events, before.exposure, after.events, after.exposure
    if is_binomial(per):
        table = [[int(x2), int(n2 - x2)], [int(x1), int(n1 - x1)]]
        return (float(stats.fisher_exact(table, alternative="less").pvalue),
                float(stats.fisher_exact(table, alternative="greater").pvalue))  # fmt: skip
    total = int(round(x1 + x2))
    if total == 0:
        return 1.0, 1.0
    share = n2 / (n1 + n2)
    return (float(stats.binomtest(int(x2), total, share, alternative="less").pvalue),
            float(stats.binomtest(int(x2), total, share, alternative="greater").pvalue))  # fmt: skip


def events_needed_to_show(target: float, per: float, alpha: float = 0.05) -> float:
    """Exposure (births, persons) with zero events needed to show a rate below ``target`` at ``alpha``."""
    return -np.log(alpha) / (target / per)


def _window_text(pooled: PooledRate) -> str:
    return f"{pooled.first_year}—{pooled.last_year}" if pooled.first_year != pooled.last_year else f"{pooled.last_year}"


def _rate_text(value: float, per: float) -> str:
    return f"{value:.1f}%" if is_binomial(per) else f"{value:.1f}/{_per_text(per)}"


def _per_text(per: float) -> str:
    return {100000: "10万", 10000: "万", 1000: "千"}.get(int(per), f"{per:g}")


def count_evidence(pooled: PooledRate, per: float, labels: tuple[str, str] | None, lang: str = "zh") -> str:
    """'2021—2025年孕产妇死亡0例，活产1,750例；合并率0.0/10万（95%置信区间0.0—210.8）'."""
    events_label, exposure_label = labels or ("事件", "基数")
    if lang == "zh":
        return (f"{_window_text(pooled)}年{events_label}{pooled.events:,.0f}例，{exposure_label}{pooled.exposure:,.0f}例；"
                f"合并率{_rate_text(pooled.rate, per)}（95%置信区间{pooled.lower_95:.1f}—{pooled.upper_95:.1f}）")  # fmt: skip
    return (f"{_window_text(pooled)}: {pooled.events:,.0f} events in {pooled.exposure:,.0f}; pooled rate "
            f"{pooled.rate:.1f} (95% CI {pooled.lower_95:.1f}–{pooled.upper_95:.1f}) per {per:,.0f}")  # fmt: skip


def judge_counts(years, numerators, denominators, per: float, target, as_of: int, config: AssessmentConfig,
                 labels: tuple[str, str] | None = None):  # fmt: skip
    """Judge a rate of a few events by its counts: returns (Judgement, latest pooled rate, base pooled rate).

    Quantified targets: the exact test of the counts against the target (no forecast, no P of
    meeting it: at this size the counts cannot carry one). Direction targets: the counts after the
    base year against the five years up to it.
    """
    from analysis.assessment.reasons import reason
    from analysis.assessment.rules import Judgement

    years, num, den = (np.asarray(a, dtype=float) for a in (years, numerators, denominators))
    window, base_year = config.count_window_years, config.base_year
    last = int(min(years.max(), target.year))
    pooled = pooled_rate(years, num, den, per, last, window)
    direction = target.direction or -1
    reasons = []
    in_last_year = num[years == last].sum()
    if direction < 0 and in_last_year > 0:
        reasons.append(reason("case_review", year=last, events=in_last_year))
    if target.quantified:
        p = consistency_p(pooled, target.value, direction, per)
        met = pooled.rate <= target.value if direction < 0 else pooled.rate >= target.value
        status = "achieved" if met else "within_chance" if p >= config.count_yellow_p else "gap"
        window_text = _window_text(pooled)
        if p < config.count_red_p:
            reasons.append(reason("counts_contradict_target", window=window_text, p=p))
        elif p < config.count_yellow_p:
            reasons.append(reason("counts_suggest_above", window=window_text, p=p))
        elif not met:  # on the wrong side of the target, too few events to test: not evidence of being on track
            reasons.append(reason("evidence_insufficient", window=window_text, rate=_rate_text(pooled.rate, per)))
        if direction < 0 and pooled.upper_95 > target.value and status != "gap":
            exposure_label = (labels or ("", "例"))[1]
            unit = "%" if is_binomial(per) else f"/{_per_text(per)}"
            reasons.append(reason("few_events", events=pooled.events, target=target.value, unit=unit,
                                  needed=events_needed_to_show(target.value, per), denominator=exposure_label))  # fmt: skip
        test = "二项" if is_binomial(per) else "泊松"
        shown = "%" if is_binomial(per) else f"/{_per_text(per)}"
        if direction < 0:
            about = (f"若真实比率恰为目标值{target.value:g}{shown}，出现不少于所见例数的概率（精确{test}检验）",
                     f"P(this many events or more | true rate = {target.value:g}{shown}), exact test")  # fmt: skip
        else:
            about = (f"若真实比率恰为目标值{target.value:g}{shown}，所见例数不多于此的概率（精确{test}检验）",
                     f"P(this few or fewer | true rate = {target.value:g}{shown}), exact test")  # fmt: skip
        if as_of > target.year:
            reasons.append(reason("target_year_passed", year=target.year))
            if status == "gap":
                reasons.append(reason("target_missed", year=target.year))
        return Judgement(status, reasons=reasons, test_p=p, test_of=about), pooled, None
    # direction: the years after the base against the five years up to it, no overlap
    after = years > base_year
    if not after.any() or not (years <= base_year).any():
        return Judgement("insufficient_data", reasons=[reason("no_base", year=base_year)]), pooled, None
    base = pooled_rate(years, num, den, per, base_year, window)
    latest = pooled_rate(years[after], num[after], den[after], per, last, window)
    p_down, p_up = change_p(base, latest, per)
    test, test_en = ("Fisher精确检验", "Fisher exact test") if is_binomial(per) else ("精确泊松检验", "exact Poisson test")
    p_better, p_worse = (p_down, p_up) if direction < 0 else (p_up, p_down)
    alpha = 1 - config.clear_change_probability
    if latest.events == 0 and direction < 0:
        status = "achieved"  # nothing left to reduce
    elif p_better < alpha:
        status = "achieved"
    elif p_worse < alpha:
        status = "gap"
        reasons.append(reason("worse_than_base", base_year=base_year))
    else:
        status = "no_clear_change"
        reasons.append(reason("no_clear_change", base_year=base_year, detail=f"{test}单侧p值{p_better:.3f}",
                              detail_en=f"{test_en}, one-sided p = {p_better:.3f}"))  # fmt: skip
    about = (f"若比率未变，出现所见改善（或更大改善）的概率：{test}单侧p值",
             f"one-sided p of the {test_en} (an improvement this large if the rate were unchanged)")  # fmt: skip
    return Judgement(status, reasons=reasons, test_p=p_better, test_of=about), latest, base
