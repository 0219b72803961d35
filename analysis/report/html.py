"""An executed notebook as an HTML report: no code, no prompts, a contents list, a print stylesheet.

nbconvert's lab template, without its code cells and ``In/Out`` prompts, and without the scripts it
fetches from a CDN (require.js, MathJax: the reports have no widgets or formulas, and a report read
offline must not log errors). Tables come from the notebooks as pandas Stylers, already formatted.
"""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from analysis.files import write_whole

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{% block extra_css %}<style>{{ resources.report_css }}</style>{% endblock extra_css %}
"""

CSS = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       max-width: 76em; margin: 0 auto; padding: 1em 2em; line-height: 1.6; color: #222; }
.jp-Notebook { padding: 0; }
.jp-Cell { padding: 0; }
.jp-RenderedHTMLCommon table, table.report-table { border-collapse: collapse; font-size: 0.85em; margin: 0.5em 0 1.2em;
       table-layout: auto; }
.jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { text-align: left; vertical-align: top; padding: 0.25em 0.6em;
       border-bottom: 1px solid #ddd; max-width: 28em; min-width: 3.5em; }
.jp-OutputArea-output { overflow-x: auto; }  /* a wide table scrolls on screen instead of spilling over */
.jp-RenderedHTMLCommon thead th { border-bottom: 2px solid #555; background: #f4f4f4; }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li, .jp-RenderedHTMLCommon td { text-align: left; }
.jp-RenderedImage img, .jp-RenderedHTMLCommon img { max-width: 100%; height: auto; }
.jp-OutputPrompt, .jp-InputPrompt { display: none; }
.anchor-link { display: none; }
nav.report-toc { border: 1px solid #ddd; background: #fafafa; padding: 0.6em 1.2em; margin: 1em 0 2em; }
nav.report-toc h2 { font-size: 1.05em; margin: 0.2em 0; }
nav.report-toc ol { margin: 0.2em 0; padding-left: 1.5em; }
@media print {
  /* landscape A4: a report's widest table (16 columns) prints whole, no column lost, no scrollbar */
  @page { size: A4 landscape; margin: 14mm 12mm; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  .jp-OutputArea-output { overflow: visible; }
  .jp-RenderedHTMLCommon table { font-size: 7.5pt; width: auto; }  /* 100% spread the columns evenly, ignoring their widths */
  .jp-RenderedHTMLCommon th, .jp-RenderedHTMLCommon td { padding: 0.15em 0.3em; max-width: none; min-width: 0; }
  tr { break-inside: avoid; }
  nav.report-toc { break-after: page; border: none; background: none; }
  h1, h2, h3 { break-after: avoid; }
  img, figure { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
"""

NOTEBOOK_ONLY = "notebook-only"  # a cell for the researcher in JupyterLab, not for the report's reader
_HEADING = re.compile(r'<h([12]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def _contents(body: str, lang: str) -> str:
    items = []
    for level, anchor, text in _HEADING.findall(body):
        label = re.sub(r"<[^>]+>", "", text).replace("¶", "").strip()
        if level == "2":
            items.append(f'<li><a href="#{anchor}">{html.escape(label)}</a></li>')
    if not items:
        return ""
    title = "目录" if lang == "zh" else "Contents"
    return f'<nav class="report-toc"><h2>{title}</h2><ol>{"".join(items)}</ol></nav>'


@cache
def _exporter() -> HTMLExporter:
    """One exporter per process: its templates are compiled once, not for every notebook (half
    the time of an export)."""
    exporter = HTMLExporter(extra_loaders=[DictLoader({"report.html.j2": TEMPLATE})], template_file="report.html.j2",
                            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)  # fmt: skip
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={NOTEBOOK_ONLY}, enabled=True), enabled=True)
    return exporter


def notebook_html(notebook: Path, target: Path | None = None, lang: str | None = None) -> Path:
    """Write the report HTML of an executed notebook beside it (or to ``target``); return its path."""
    nb = nbformat.read(notebook, as_version=4)
    if lang is None:
        injected = next((c.source for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])), "")
        lang = "en" if re.search(r"""lang\s*=\s*["']en["']""", injected) else "zh"
    for cell in nb.cells:  # papermill gives the cell it injects a random id: a stable one, for stable pages
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    body, _ = _exporter().from_notebook_node(nb, resources={"report_css": CSS})
    body = body.replace("<html>", f'<html lang="{"zh-CN" if lang == "zh" else "en"}">', 1)
    # the contents list goes after the title (and the synthetic-data notice, in the same output)
    title_end = body.find("</blockquote>") if "</blockquote>" in body else body.find("</h1>")
    if title_end != -1:
        end = body.find(">", title_end) + 1
        body = body[:end] + _contents(body, lang) + body[end:]
    target = target or notebook.with_suffix(".html")
    return write_whole(target, lambda p: p.write_text(body, encoding="utf-8"))
