"""The figure kit for papers: any report figure by id, at a journal's width, font size and format.

From the command line::

    python -m analysis figure HE-02-1 --width single --font-size 7 --format pdf,png
    python -m analysis figure status_heatmap --width 174 --lang en --out paper/figures
    python -m analysis figure --list --domain health

From a notebook::

    from analysis.report.figure_kit import export
    export("HE-02-1", width="single", font_size=8, formats=("pdf",), out_dir="paper")

Ids are those of the report's files: an indicator id (its fan chart), ``<id>_gap_sex``,
``<id>_gap_urban_rural``, ``<id>_gap_township``, ``<domain>_small_multiples``, ``scorecard`` and
``status_heatmap``. Figures that run to several pages are written as ``<id>``, ``<id>_2``, …
"""

from __future__ import annotations

from pathlib import Path

from analysis.catalog import CATALOG
from analysis.figures import kit
from analysis.figures.style import FONT_SIZE_PT
from analysis.paths import REPORTS
from analysis.report.sections import DomainSection, Overview

OVERVIEW_FIGURES = ("scorecard", "status_heatmap")


def _domain_of(figure_id: str) -> str:
    for domain in CATALOG.domains["domain"]:
        if figure_id.startswith(f"{domain}_"):
            return domain
    indicator_id = "-".join(figure_id.split("_")[0].split("-")[:3])
    if indicator_id not in set(CATALOG.indicators["indicator_id"]):
        raise KeyError(f"no figure {figure_id!r}: give an indicator id (e.g. HE-02-1), <id>_gap_sex, "
                       f"<domain>_small_multiples, scorecard or status_heatmap")  # fmt: skip
    goal = CATALOG.indicator(indicator_id)["goal_id"]
    return CATALOG.goals.set_index("goal_id").loc[goal, "domain"]


def section_for(figure_id: str, year=None, region: str = "金口河区", lang: str = "zh", processed_dir=None):
    if figure_id in OVERVIEW_FIGURES:
        return Overview(year=year, region=region, lang=lang, processed_dir=processed_dir)
    return DomainSection(domain=_domain_of(figure_id), year=year, region=region, lang=lang,
                         processed_dir=processed_dir)  # fmt: skip


def export(figure_id: str, width="single", font_size: float = FONT_SIZE_PT, formats=("pdf",), out_dir=None,
           year=None, region: str = "金口河区", lang: str = "zh", processed_dir=None) -> list[Path]:  # fmt: skip
    """Draw figure ``figure_id`` at ``width`` ("single" 85 mm, "double" 174 mm, or mm) and ``font_size``
    (points), write it in each format to ``out_dir`` (default reports/figures/), return the paths."""
    section = section_for(figure_id, year, region, lang, processed_dir)
    out_dir = Path(out_dir) if out_dir else REPORTS / "figures"
    return kit.export(lambda w: section.build_figure(figure_id, width=w), out_dir, width, font_size, formats,
                      suffix=f"_{lang}")  # fmt: skip


def figure_ids(domain: str | None = None, year=None, region: str = "金口河区", processed_dir=None) -> list[str]:
    """The ids of the figures a domain's report (or, without a domain, the overview) draws."""
    if domain is None:
        return Overview(year=year, region=region, processed_dir=processed_dir).figure_ids()
    return DomainSection(domain=domain, year=year, region=region, processed_dir=processed_dir).figure_ids()
