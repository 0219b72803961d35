"""The chart kinds of the reports: fan chart, scorecard, status heat map, gap chart, small multiples.

Every function draws on a matplotlib Axes (made for you when not given), labels in Chinese or
English, and stamps synthetic data as such. Call ``use_paper_style()`` first.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from analysis.catalog import unit_text
from analysis.figures.style import figsize, mark_synthetic

LEVEL_COLOURS = {"red": "#c0392b", "yellow": "#e6b800", "green": "#2e8b57", "grey": "#9e9e9e"}
TEXT = {
    "observed": ("观测值", "Observed"),
    "yearly_rate": ("年度比率（小数事件）", "Yearly rate (small counts)"),
    "pooled": ("5年合并比率", "5-year pooled rate"),
    "forecast": ("预测（中位数）", "Forecast (median)"),
    "band80": ("80%预测区间", "80% interval"),
    "band95": ("95%预测区间", "95% interval"),
    "target": ("目标", "Target"),
    "year": ("年份", "Year"),
    "probability": ("达标概率", "P(target met)"),
}


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def _axes(ax, width="single", height_mm=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize(width, height_mm))
    return ax


def fan_chart(result, ax=None, lang: str = "zh", synthetic: bool = False, title: str | None = None):
    """History, forecast with 80/95 % bands, and the target, for one SeriesAssessment."""
    ax = _axes(ax)
    target = result.target
    years, values = np.asarray(result.years), np.asarray(result.values, float)
    counts = result.numerators is not None
    if len(years):
        ax.plot(years, values, "o" if counts else "o-", ms=3, lw=1.2, color="#0173b2",
                alpha=0.45 if counts else 1.0, label=t("yearly_rate" if counts else "observed", lang))  # fmt: skip
    if counts and len(years):
        rolling = _pooled_path(result)
        ax.plot(rolling.index, rolling.values, "-", lw=1.4, color="#0173b2", label=t("pooled", lang))
    table = result.forecast_table()
    if len(table):
        anchor_year = [result.latest_year] if result.latest_value is not None else []
        anchor = [result.latest_value] if anchor_year else []
        x = np.r_[anchor_year, table["year"]]
        ax.fill_between(x, np.r_[anchor, table["lower_95"]], np.r_[anchor, table["upper_95"]],
                        color="#de8f05", alpha=0.18, lw=0, label=t("band95", lang))  # fmt: skip
        ax.fill_between(x, np.r_[anchor, table["lower_80"]], np.r_[anchor, table["upper_80"]],
                        color="#de8f05", alpha=0.35, lw=0, label=t("band80", lang))  # fmt: skip
        ax.plot(x, np.r_[anchor, table["forecast"]], "--", color="#de8f05", lw=1.2, label=t("forecast", lang))
    if target.value is not None:
        if target.kind == "about":
            ax.axhspan(target.value - target.tolerance, target.value + target.tolerance, color="#029e73",
                       alpha=0.12, lw=0)  # fmt: skip
        ax.axhline(target.value, color="#029e73", lw=1, ls=":", label=f"{t('target', lang)} {target.text(lang)}")
    ax.axvline(target.year, color="#949494", lw=0.6, ls=":")
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(unit_text(target.unit, lang))
    heading = title if title is not None else result.name
    if result.probability is not None:
        heading += f"\n{t('probability', lang)} {result.probability:.0%}"
    ax.set_title(heading, fontsize="medium")
    ax.legend(fontsize="x-small", frameon=False, loc="best")
    ax.xaxis.get_major_locator().set_params(integer=True)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def _pooled_path(result) -> pd.Series:
    """The five-year pooled rate at each year: what a small-count series says, year by year."""
    frame = pd.DataFrame({"num": result.numerators, "den": result.denominators}, index=result.years)
    frame = frame.reindex(range(min(result.years), max(result.years) + 1), fill_value=0)
    pooled = frame.rolling(5, min_periods=1).sum()
    return (pooled["num"] / pooled["den"] * result.per).loc[result.years]


def scorecard(headline: pd.DataFrame, ax=None, lang: str = "zh", synthetic: bool = False):
    """Counts of warning levels per domain, as stacked horizontal bars."""
    ax = _axes(ax, "double", 70)
    label = "domain_zh" if lang == "zh" else "domain"
    counts = headline.groupby([label, "level"], sort=False).size().unstack(fill_value=0)
    counts = counts.reindex(columns=[c for c in LEVEL_COLOURS if c in counts.columns])
    left = np.zeros(len(counts))
    names = {"red": "红色", "yellow": "黄色", "green": "绿色", "grey": "灰色"} if lang == "zh" else {}
    for level in counts.columns:
        ax.barh(counts.index, counts[level], left=left, color=LEVEL_COLOURS[level], label=names.get(level, level))
        left += counts[level].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel("指标数" if lang == "zh" else "Indicators")
    ax.legend(ncols=4, fontsize="x-small", frameon=False, loc="lower right")
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def status_heatmap(frame: pd.DataFrame, ax=None, lang: str = "zh", synthetic: bool = False):
    """Warning level by indicator (rows) and report year (columns). ``frame`` has the columns
    indicator_id, name_zh, as_of and level."""
    codes = {"green": 0, "yellow": 1, "red": 2, "grey": 3}
    wide = frame.assign(code=frame["level"].map(codes)).pivot_table(
        index=["indicator_id", "name_zh"], columns="as_of", values="code", aggfunc="first")
    height = max(60, 4.2 * len(wide) + 20)
    ax = _axes(ax, "double", height)
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap([LEVEL_COLOURS[k] for k in ("green", "yellow", "red", "grey")])
    ax.imshow(wide.to_numpy(float), aspect="auto", cmap=cmap, vmin=-0.5, vmax=3.5, interpolation="nearest")
    ax.set_yticks(range(len(wide)), [f"{i} {n}" if lang == "zh" else i for i, n in wide.index], fontsize="x-small")
    ax.set_xticks(range(len(wide.columns)), [str(c) for c in wide.columns], fontsize="x-small")
    ax.set_xlabel("报告年份" if lang == "zh" else "Report year")
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def gap_chart(frame: pd.DataFrame, group_column: str, ax=None, lang: str = "zh", synthetic: bool = False,
              title: str = "", unit: str = ""):  # fmt: skip
    """One line per group (女/男, 城镇/农村, towns) of the same indicator over the years."""
    ax = _axes(ax)
    labels = {"female": "女", "male": "男", "urban": "城镇", "rural": "农村", "total": "合计"} if lang == "zh" else {}
    for group, part in frame.groupby(group_column, sort=True):
        part = part.sort_values("year")
        ax.plot(part["year"], part["value"], "o-", ms=3, lw=1.1, label=labels.get(group, group))
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(unit_text(unit, lang))
    ax.set_title(title, fontsize="medium")
    ax.legend(fontsize="x-small", frameon=False, ncols=2)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def small_multiples(results: list, lang: str = "zh", synthetic: bool = False, columns: int = 3):
    """A grid of fan charts for a domain's headline series."""
    rows = max(1, int(np.ceil(len(results) / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=figsize("double", 55 * rows), squeeze=False)
    for ax, result in zip(axes.flat, results):
        name = result.name.split("（")[0]
        fan_chart(result, ax=ax, lang=lang, title=textwrap.fill(name, 16 if lang == "zh" else 30))
        ax.legend().remove()
        ax.set_xlabel("")
    for ax in axes.flat[len(results):]:
        ax.axis("off")
    if synthetic:
        mark_synthetic(fig, lang)
    return fig
