"""The chart kinds of the reports: fan chart, scorecard, status heat map, gap chart, town chart, small multiples.

Every function labels in Chinese or English and stamps every panel of a synthetic figure. Legends
sit outside the data; warning levels are told by a label or hatch as well as by colour (so that
red/green for a colour-blind reader and yellow/grey in greyscale stay apart); intervals stay within
the indicator's natural bounds; tall figures are paged to a printable height (a list of figures).
Call ``use_paper_style()`` first.
"""

from __future__ import annotations

import re
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch

from analysis.assessment.counts import pooled_rate
from analysis.catalog import CATALOG, unit_text
from analysis.figures.style import figsize, mark_synthetic

LEVELS = ("red", "yellow", "green", "grey")
LEVEL_COLOURS = {"red": "#c0392b", "yellow": "#e6b800", "green": "#2e8b57", "grey": "#9e9e9e"}
LEVEL_HATCH = {"red": "////", "yellow": "....", "green": "", "grey": "xxxx"}  # greyscale-safe
LEVEL_MARK = {"zh": {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"},
              "en": {"red": "R", "yellow": "Y", "green": "G", "grey": "–"}}  # fmt: skip
LEVEL_NAME = {"zh": {"red": "红色", "yellow": "黄色", "green": "绿色", "grey": "灰色（无法判断）"},
              "en": {"red": "Red", "yellow": "Yellow", "green": "Green", "grey": "Grey (not judged)"}}  # fmt: skip
PRINTABLE_HEIGHT_MM = 225.0  # A4 text height less a caption: the tallest a figure may be
OBSERVED, FORECAST, TARGET, BASE = "#0173b2", "#de8f05", "#029e73", "#555555"
FEMALE, MALE = "#d55e00", "#0173b2"  # colour-blind safe pair (and told apart by marker and line too)
TEXT = {
    "observed": ("观测值", "Observed"),
    "pooled": ("5年合并比率及95%区间", "5-year pooled rate, 95% interval"),
    "forecast": ("预测（中位数）", "Forecast (median)"),
    "band80": ("80%预测区间", "80% interval"),
    "band95": ("95%预测区间", "95% interval"),
    "target": ("目标", "Target"),
    "base": ("基期", "Base"),
    "year": ("年份", "Year"),
    "probability": ("达标概率", "P(target met)"),
    "indicators": ("指标数", "Indicators"),
    "report_year": ("报告年份", "Report year"),
    "difference": ("差值", "Difference"),
    "interval": ("95%区间", "95% interval"),
    "district": ("全区", "District"),
}
GROUP_NAMES = {"zh": {"female": "女", "male": "男", "urban": "城镇", "rural": "农村", "total": "合计"},
               "en": {"female": "women", "male": "men", "urban": "urban", "rural": "rural", "total": "total"}}  # fmt: skip
GAP_PAIRS = {"sex": ("female", "male"), "urban_rural": ("urban", "rural")}


def t(key: str, lang: str) -> str:
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


NO_LINE_START = set("：，。；、）》”%％:,.;)")  # 避头: punctuation that never begins a line


def wrap(text: str, lang: str, width_mm: float = 85.0) -> str:
    """Wrap a title to the panel: about 2.9 mm per Chinese character, 1.7 mm per Latin one.

    Chinese text breaks between any two characters, but never inside a run of Latin letters or
    digits ("2030", "≥90") nor before closing punctuation ("：92%" stays whole).
    """
    if lang != "zh":
        return textwrap.fill(text, max(8, int(width_mm / 1.7)))
    tokens = re.findall(r"[A-Za-z0-9.≥≤±%％]+|.", text)
    lines, line, used = [], "", 0.0
    for i, token in enumerate(tokens):
        size = sum(1.7 if ord(ch) < 0x2E80 else 2.9 for ch in token)
        glued = i + 1 < len(tokens) and tokens[i + 1][0] in NO_LINE_START
        need = size + (sum(1.7 if ord(ch) < 0x2E80 else 2.9 for ch in tokens[i + 1]) if glued else 0)
        if line and used + need > width_mm and token[0] not in NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line, used = line + token, used + size
    if lines and len(line) == 1 and len(lines[-1]) > 2:  # no orphan character on the last line
        lines[-1], line = lines[-1][:-1], lines[-1][-1] + line
    return "\n".join([*lines, line] if line else lines)


def indicator_name(indicator_id: str, lang: str) -> str:
    row = CATALOG.indicator(indicator_id)
    return row["name_zh" if lang == "zh" else "name_en"]


def region_name(region: str, lang: str) -> str:
    """A region in the report's language (金口河区 → Jinkouhe District)."""
    if lang == "zh":
        return region
    from analysis.data.vocabulary import load_regions

    names = load_regions().set_index("region")["name_en"]
    name = names.get(region, "")
    return name if isinstance(name, str) and name else region


def _new_axes(ax, width="single", height_mm=None):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize(width, height_mm))
    return ax


def _outside_legend(ax, ncols: int = 2) -> None:
    """Legend below the figure's axes (the layout makes room), never on the data or the target line."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.figure.legend(handles, labels, loc="outside lower center", ncols=ncols, frameon=False)


def legend_below(ax, ncols: int = 2) -> None:
    """The legend outside the data, for a caller that adds series after the chart is drawn."""
    _outside_legend(ax, ncols)


def _clip(values, target) -> np.ndarray:
    """Keep an interval within the indicator's natural bounds (a count is never below 0)."""
    lower = target.lower if target.lower is not None else -np.inf
    upper = target.upper if target.upper is not None else np.inf
    return np.clip(np.asarray(values, float), lower, upper)


def fan_chart(result, ax=None, lang: str = "zh", synthetic: bool = False, title: str | None = None,
              legend: bool = True, width="single", base_year: int = 2020):  # fmt: skip
    """History, forecast with 80/95 % bands, the target, and (direction targets) the 2020 base."""
    ax = _new_axes(ax, width)
    target = result.target
    years, values = np.asarray(result.years), np.asarray(result.values, float)
    counts = result.numerators is not None
    if counts and len(years):  # rates of a few events: the pooled rate and its interval, not 0-or-1 years
        path = _pooled_path(result)
        ax.fill_between(path.index, _clip(path["lower"], target), _clip(path["upper"], target), color=OBSERVED,
                        alpha=0.15, lw=0)  # fmt: skip
        ax.plot(path.index, path["rate"], "o-", ms=2.5, lw=1.2, color=OBSERVED, label=t("pooled", lang))
    elif len(years):
        ax.plot(years, values, "o-", ms=3, lw=1.2, color=OBSERVED, label=t("observed", lang))
    table = result.forecast_table()
    if len(table):
        anchor_year = [result.latest_year] if result.latest_value is not None and not counts else []
        anchor = [result.latest_value] if anchor_year else []
        x = np.r_[anchor_year, table["year"]]
        for band, alpha in (("95", 0.18), ("80", 0.35)):
            ax.fill_between(x, _clip(np.r_[anchor, table[f"lower_{band}"]], target),
                            _clip(np.r_[anchor, table[f"upper_{band}"]], target), color=FORECAST, alpha=alpha,
                            lw=0, label=t(f"band{band}", lang))  # fmt: skip
        ax.plot(x, np.r_[anchor, table["forecast"]], "--", color=FORECAST, lw=1.2, label=t("forecast", lang))
    if target.value is not None:
        if target.kind == "about":
            ax.axhspan(target.value - target.tolerance, target.value + target.tolerance, color=TARGET,
                       alpha=0.12, lw=0)  # fmt: skip
        ax.axhline(target.value, color=TARGET, lw=1, ls=":", label=f"{t('target', lang)} {target.text(lang)}")
    elif (result.base_value is not None and target.kind in ("increase", "decrease", "gap_narrowing")
          and result.status != "insufficient_data"):  # a base nothing is judged against only misleads
        base = result.base_year or base_year
        label = (f"{t('base', lang)}（{base}年）{result.base_value:.3g}，目标{target.text(lang)}" if lang == "zh"
                 else f"{t('base', lang)} ({base}) {result.base_value:.3g}, target: {target.text(lang)}")
        ax.axhline(result.base_value, color=BASE, lw=0.9, ls="-.", label=label)
    ax.axvline(target.year, color="#949494", lw=0.6, ls=":")
    if len(years):  # the years run to the target year, even for a single point (else 1950–2100)
        y_ref = float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
        ax.update_datalim([(min(int(years.min()), target.year - 5), y_ref), (target.year, y_ref)], updatey=False)
        ax.autoscale_view()
    if result.status == "insufficient_data" and result.reasons:  # say why nothing is judged, in the panel
        reason = result.reasons[0].zh if lang == "zh" else result.reasons[0].en
        panel_mm = ax.get_position().width * ax.figure.get_figwidth() * 25.4
        ax.text(0.5, 0.75, wrap(reason, lang, 0.9 * panel_mm), transform=ax.transAxes, ha="center", va="center",
                fontsize="small", color="#555555")  # fmt: skip
    ax.set_xlabel(t("year", lang))
    ax.set_ylabel(unit_text(target.unit, lang))
    heading = title if title is not None else result.name
    width_mm = ax.get_position().width * ax.figure.get_figwidth() * 25.4
    heading = wrap(heading, lang, width_mm)
    if result.probability is not None:  # say what the probability is about, not just "P"
        about = result.probability_of[0 if lang == "zh" else 1] or t("probability", lang)
        heading += "\n" + wrap(f"{about}{'：' if lang == 'zh' else ': '}{result.probability:.0%}", lang, width_mm)
    elif result.test_p is not None:
        heading += "\n" + (f"精确检验 p = {result.test_p:.2f}" if lang == "zh" else f"exact test p = {result.test_p:.2f}")
    ax.set_title(heading)
    ax.xaxis.get_major_locator().set_params(integer=True)
    if legend:
        _outside_legend(ax)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


# Higher levels drawn into a district's fan chart: another source, so hollow markers on a thin
# dotted line (the district's own series is filled and solid), each level its own marker.
HIGHER_STYLE = {"乐山市": ("s", "#ca9161"), "四川省": ("D", "#cc78bc"), "全国": ("^", "#333333")}
SOURCE_KINDS = (  # (words in the source, zh, en): what kind of publication a value comes from
    ("统计公报", "统计公报", "statistical bulletin"),
    ("监测报告", "统计监测报告", "monitoring report"),
    ("Monitoring Report", "统计监测报告", "monitoring report"),
    ("人口普查", "人口普查", "census"),
    ("健康状况", "卫生健康报告", "health report"),
)


def source_kind(sources, lang: str = "zh") -> str:
    """The kind of publication the values come from; several kinds: 公开统计（多来源）."""
    kinds = set()
    for source in sources:
        kind = next(((zh, en) for words, zh, en in SOURCE_KINDS if words in str(source)), ("公开发布", "published"))
        kinds.add(kind)
    if len(kinds) == 1:
        return next(iter(kinds))[0 if lang == "zh" else 1]
    return "公开统计，多来源" if lang == "zh" else "published, several sources"


def higher_levels(ax, values: pd.DataFrame, targets: pd.DataFrame | None = None, lang: str = "zh") -> None:
    """Draw 乐山市/四川省/全国 values (columns level, year, value, source) and their outlines' targets
    (level, target_year, target_value, target_text) into a fan chart, with legend entries saying
    level and source, e.g. 四川省（卫生健康报告）. Only adds artists: the district's series and
    forecast are untouched."""
    for level, (marker, colour) in HIGHER_STYLE.items():
        mine = values.loc[values["level"] == level].sort_values("year") if len(values) else values
        name = region_name(level, lang)
        if len(mine):
            kind = source_kind(mine["source"], lang)
            label = f"{name}（{kind}）" if lang == "zh" else f"{name} ({kind})"
            ax.plot(mine["year"], mine["value"], ls=":", lw=0.8, marker=marker, ms=3.5, mfc="white", mec=colour,
                    color=colour, label=label)  # fmt: skip
        if targets is not None and len(targets):
            target = targets.loc[(targets["level"] == level) & targets["target_value"].notna()]
            for row in target.itertuples():
                label = (f"{name}纲要目标 {row.target_text}" if lang == "zh"
                         else f"{name} outline target {row.target_value:g}")  # fmt: skip
                ax.plot([row.target_year], [row.target_value], marker=marker, ms=5, color=colour, ls="none",
                        label=label)  # fmt: skip


def _pooled_path(result, window: int = 5) -> pd.DataFrame:
    """The five-year pooled rate at each year with its exact 95 % interval: what small counts say."""
    rows = {}
    first = min(result.years) + window - 1 if max(result.years) - min(result.years) + 1 >= window else min(result.years)
    for year in [y for y in result.years if y >= first]:  # only years with a full window: no one-year "pools"
        pooled = pooled_rate(result.years, result.numerators, result.denominators, result.per, year, window)
        if pooled is not None:
            rows[year] = {"rate": pooled.rate, "lower": pooled.lower_95, "upper": pooled.upper_95}
    return pd.DataFrame.from_dict(rows, orient="index")


def scorecard(headline: pd.DataFrame, ax=None, lang: str = "zh", synthetic: bool = False):
    """Counts of warning levels per domain as stacked bars, each segment hatched and labelled with its count."""
    ax = _new_axes(ax, "double", 80)
    names = CATALOG.domains.set_index("domain")["name_zh" if lang == "zh" else "name_en"]
    counts = headline.groupby(["domain", "level"], sort=False).size().unstack(fill_value=0)
    counts = counts.reindex(index=[d for d in names.index if d in counts.index],
                            columns=[c for c in LEVELS if c in counts.columns])  # fmt: skip
    labels = [names[d] for d in counts.index]
    left = np.zeros(len(counts))
    for level in counts.columns:
        bars = ax.barh(labels, counts[level], left=left, color=LEVEL_COLOURS[level], hatch=LEVEL_HATCH[level],
                       edgecolor="white", lw=0.5, label=LEVEL_NAME[lang][level])  # fmt: skip
        # black on a white chip on every segment: white digits on red hatching could not be read
        ax.bar_label(bars, labels=[str(int(n)) if n else "" for n in counts[level]], label_type="center",
                     fontsize="small", color="black",
                     bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.9})  # fmt: skip
        left += counts[level].to_numpy()
    ax.invert_yaxis()
    ax.set_xlabel(t("indicators", lang))
    _outside_legend(ax, ncols=4)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def status_heatmap(frame: pd.DataFrame, lang: str = "zh", synthetic: bool = False,
                   max_height_mm: float = PRINTABLE_HEIGHT_MM) -> list:  # fmt: skip
    """Warning level by indicator (rows) and report year (columns), each cell labelled, with a colour key;
    paged so that no page is taller than ``max_height_mm``. ``frame`` has indicator_id, level, as_of."""
    codes = {level: i for i, level in enumerate(LEVELS)}
    wide = frame.assign(code=frame["level"].map(codes)).pivot_table(index="indicator_id", columns="as_of",
                                                                    values="code", aggfunc="first")  # fmt: skip
    row_mm, chrome_mm = 4.2, 32.0
    per_page = max(5, int((max_height_mm - chrome_mm) / row_mm))
    pages = [wide.iloc[i:i + per_page] for i in range(0, len(wide), per_page)] or [wide]
    cmap = ListedColormap([LEVEL_COLOURS[k] for k in LEVELS])
    figures = []
    for number, page in enumerate(pages, start=1):
        fig, ax = plt.subplots(figsize=figsize("double", row_mm * len(page) + chrome_mm))
        ax.imshow(page.to_numpy(float), aspect="auto", cmap=cmap, vmin=-0.5, vmax=len(LEVELS) - 0.5,
                  interpolation="nearest")  # fmt: skip
        for (r, c), code in np.ndenumerate(page.to_numpy(float)):
            if not np.isnan(code):
                level = LEVELS[int(code)]
                ax.text(c, r, LEVEL_MARK[lang][level], ha="center", va="center", fontsize=5.5,
                        color="white" if level in ("red", "green") else "black")  # fmt: skip
        labels = [f"{i} {wrap(indicator_name(i, lang), lang, 120).splitlines()[0]}" for i in page.index]
        ax.set_yticks(range(len(page)), labels, fontsize=5.5)
        ax.set_xticks(range(len(page.columns)), [str(c) for c in page.columns], fontsize="small")
        ax.set_xlabel(t("report_year", lang))
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        key = [Patch(facecolor=LEVEL_COLOURS[k], label=f"{LEVEL_MARK[lang][k]} {LEVEL_NAME[lang][k]}") for k in LEVELS]
        fig.legend(handles=key, loc="outside lower center", ncols=4, frameon=False)
        if len(pages) > 1:
            ax.set_title(f"（{number}/{len(pages)}）" if lang == "zh" else f"({number}/{len(pages)})",
                         fontsize="small", loc="right")  # fmt: skip
        if synthetic:
            mark_synthetic(fig, lang)
        figures.append(fig)
    return figures


def gap_chart(frame: pd.DataFrame, between: str, ax=None, lang: str = "zh", synthetic: bool = False,
              title: str = "", unit: str = ""):  # fmt: skip
    """The gap itself (女−男 or 城镇−农村) over the years, with a 95 % interval when counts are known."""
    ax = _new_axes(ax)
    first, second = GAP_PAIRS[between]
    wide = frame.pivot_table(index="year", columns=between, values=["value", "numerator", "denominator"],
                             aggfunc="first")  # fmt: skip
    values = wide["value"].reindex(columns=[first, second]).dropna()
    gap = values[first] - values[second]
    share = unit == "%"
    ax.axhline(0, color="#949494", lw=0.8)
    per = RATE_PER.get(unit)
    if per and {"numerator", "denominator"} <= set(wide.columns.get_level_values(0)) \
            and wide["numerator"].notna().any().any():
        return _pooled_gap_chart(ax, wide, first, second, per, unit, title, lang, synthetic)
    if share and {"numerator", "denominator"} <= set(wide.columns.get_level_values(0)):
        den = wide["denominator"].reindex(columns=[first, second]).loc[gap.index]
        p = values / 100
        se = np.sqrt((p * (1 - p) / den).sum(axis=1)) * 100
        if se.notna().any():
            ax.fill_between(gap.index, gap - 1.96 * se, gap + 1.96 * se, color=OBSERVED, alpha=0.18, lw=0,
                            label=t("interval", lang))  # fmt: skip
    names = GROUP_NAMES[lang]
    label = f"{names[first]}−{names[second]}"
    ax.plot(gap.index, gap.to_numpy(), "o-", ms=3, lw=1.2, color=OBSERVED, label=f"{t('difference', lang)} {label}")
    gap_unit = ("百分点" if lang == "zh" else "percentage points") if share else unit_text(unit, lang)
    return _gap_axes(ax, t("year", lang), label, gap_unit, title, lang, synthetic)


def _gap_axes(ax, xlabel: str, label: str, gap_unit: str, title: str, lang: str, synthetic: bool):
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{label}（{gap_unit}）" if lang == "zh" else f"{label} ({gap_unit})")
    ax.set_title(wrap(title, lang))
    ax.xaxis.get_major_locator().set_params(integer=True)
    _outside_legend(ax)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


RATE_PER = {"1/10万": 100_000, "‰": 1_000}  # rates of rare events, drawn pooled, never year by year
POOL_YEARS = 5


def _pooled_gap_chart(ax, wide: pd.DataFrame, first: str, second: str, per: float, unit: str, title: str,
                      lang: str, synthetic: bool):  # fmt: skip
    """A gap between two rates of rare events over rolling 5-year pools, with a 95 % interval: one
    death moves a district's single-year urban–rural gap by hundreds per 10万."""
    num = wide["numerator"].reindex(columns=[first, second])
    den = wide["denominator"].reindex(columns=[first, second])
    years = sorted(num.dropna(how="any").index)
    ends = [y for y in years if y - POOL_YEARS + 1 >= years[0]] or years[-1:]
    rows = []
    for end in ends:
        window = [y for y in years if end - POOL_YEARS < y <= end]
        n, d = num.loc[window].sum(), den.loc[window].sum()
        if (d <= 0).any():
            continue
        rate = n / d * per
        se = np.sqrt((n / d**2).sum()) * per  # Poisson: var(rate) = events / exposure²
        rows.append((end, rate[first] - rate[second], se, int(n.sum())))
    frame = pd.DataFrame(rows, columns=["year", "gap", "se", "events"])
    names = GROUP_NAMES[lang]
    label = f"{names[first]}−{names[second]}"
    ax.fill_between(frame["year"], frame["gap"] - 1.96 * frame["se"], frame["gap"] + 1.96 * frame["se"],
                    color=OBSERVED, alpha=0.18, lw=0, label=t("interval", lang))  # fmt: skip
    pooled = f"{POOL_YEARS}年合并" if lang == "zh" else f"{POOL_YEARS}-year pools"
    ax.plot(frame["year"], frame["gap"], "o-", ms=3, lw=1.2, color=OBSERVED,
            label=f"{t('difference', lang)} {label}（{pooled}）" if lang == "zh" else
            f"{t('difference', lang)} {label} ({pooled})")  # fmt: skip
    return _gap_axes(ax, "合并期末年份" if lang == "zh" else "last year of the pool", label, unit_text(unit, lang),
                     title, lang, synthetic)  # fmt: skip


def age_chart(rows: pd.DataFrame, ax=None, lang: str = "zh", synthetic: bool = False, title: str = "",
              unit: str = ""):  # fmt: skip
    """Women and men in each age group of one indicator (``comparison.age_table`` rows, one year):
    where a gap between the sexes opens with age, the profile shows it at a glance."""
    ax = _new_axes(ax)
    rows = rows.sort_values("order")
    x = np.arange(len(rows))
    names = GROUP_NAMES[lang]
    ax.plot(x, rows["female"].to_numpy(float), "o-", ms=4, lw=1.2, color=FEMALE, label=names["female"].capitalize())
    ax.plot(x, rows["male"].to_numpy(float), "s--", ms=4, lw=1.0, color=MALE, mfc="white",
            label=names["male"].capitalize())  # fmt: skip
    ax.set_xticks(x, list(rows["label_zh" if lang == "zh" else "label_en"]))
    ax.set_xlabel("年龄组" if lang == "zh" else "Age group")
    ax.set_ylabel(unit_text(unit, lang))
    year = int(rows["year"].max())
    ax.set_title(wrap(f"{title}（{year}年）" if lang == "zh" else f"{title} ({year})", lang))
    _outside_legend(ax)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def town_chart(frame: pd.DataFrame, district_value: float | None = None, ax=None, lang: str = "zh",
               synthetic: bool = False, title: str = "", unit: str = "", per: float | None = None,
               as_of: int | None = None, window: int = 5):  # fmt: skip
    """Towns side by side: for small counts the pooled rate over ``window`` years with its exact 95 %
    interval and the counts written beside it (never one year's rate of one death); otherwise the
    latest value of each town, with the district's value as a reference line."""
    ax = _new_axes(ax)
    towns = sorted(frame["region"].unique())
    counts = per is not None and frame["numerator"].notna().all() and frame["denominator"].notna().all()
    last = as_of or int(frame["year"].max())
    for i, town in enumerate(towns):
        part = frame.loc[frame["region"] == town].sort_values("year")
        if counts:
            pooled = pooled_rate(part["year"], part["numerator"], part["denominator"], per, last, window)
            if pooled is None:
                continue
            ax.errorbar(pooled.rate, i, xerr=[[pooled.rate - pooled.lower_95], [pooled.upper_95 - pooled.rate]],
                        fmt="o", color=OBSERVED, ms=4, capsize=2, lw=1)  # fmt: skip
            note = (f"{pooled.events:.0f}例 / {pooled.exposure:,.0f}" if lang == "zh"
                    else f"{pooled.events:.0f} / {pooled.exposure:,.0f}")  # fmt: skip
            ax.annotate(note, (pooled.upper_95, i), xytext=(4, 0), textcoords="offset points", va="center",
                        fontsize="small")  # fmt: skip
        else:
            row = part.dropna(subset=["value"]).iloc[-1]
            ax.plot(row["value"], i, "o", color=OBSERVED, ms=4)
            ax.annotate(f"{row['value']:.3g}（{int(row['year'])}）" if lang == "zh" else
                        f"{row['value']:.3g} ({int(row['year'])})", (row["value"], i), xytext=(5, 0),
                        textcoords="offset points", va="center", fontsize="small")  # fmt: skip
    if district_value is not None:
        ax.axvline(district_value, color=BASE, lw=0.9, ls="-.", label=f"{t('district', lang)} {district_value:.3g}")
    ax.set_yticks(range(len(towns)), [region_name(r, lang) for r in towns])
    ax.set_ylim(len(towns) - 0.5, -0.5)
    ax.set_xlim(left=0 if counts else None)
    xlabel = unit_text(unit, lang)
    if counts:
        span = f"{last - window + 1}—{last}年合并" if lang == "zh" else f"pooled {last - window + 1}–{last}"
        xlabel = f"{xlabel}（{span}，95%区间）" if lang == "zh" else f"{xlabel} ({span}, 95% interval)"
    ax.set_xlabel(xlabel)
    ax.set_title(wrap(title, lang))
    _outside_legend(ax)
    if synthetic:
        mark_synthetic(ax.figure, lang)
    return ax


def small_multiples(results: list, names: list[str] | None = None, lang: str = "zh", synthetic: bool = False,
                    columns: int = 3, max_height_mm: float = PRINTABLE_HEIGHT_MM) -> list:  # fmt: skip
    """Fan charts of a domain's series in a grid, paged to a printable height, one legend per page."""
    names = names or [r.name.split("（")[0] for r in results]
    row_mm, chrome_mm = 58.0, 18.0
    per_page = columns * max(1, int((max_height_mm - chrome_mm) / row_mm))
    figures = []
    for start in range(0, len(results), per_page):
        chunk = list(zip(results, names))[start:start + per_page]
        rows = int(np.ceil(len(chunk) / columns))
        fig, axes = plt.subplots(rows, columns, figsize=figsize("double", row_mm * rows + chrome_mm), squeeze=False)
        for i, (ax, (result, name)) in enumerate(zip(axes.flat, chunk)):
            letter = f"({chr(ord('a') + i)})" if i < 26 else ""  # panel letters, as journals cite them
            fan_chart(result, ax=ax, lang=lang, title=f"{letter} {name}", legend=False)
            ax.set_xlabel("")
        for ax in axes.flat[len(chunk):]:
            ax.axis("off")
        handles, labels = {}, {}
        for ax in axes.flat[:len(chunk)]:
            for handle, label in zip(*ax.get_legend_handles_labels()):
                key = _kind(label, lang)  # one entry per kind: "目标 ≤12" and "目标 ≥90" are one "目标"
                handles.setdefault(key, handle)
                labels.setdefault(key, key)
        fig.legend(list(handles.values()), list(labels.values()), loc="outside lower center", ncols=4,
                   frameon=False)
        if synthetic:
            mark_synthetic(fig, lang)
        figures.append(fig)
    return figures


def _kind(label: str, lang: str) -> str:
    for key in ("target", "base"):
        if label.startswith(t(key, lang)):
            return t(key, lang)
    return label
