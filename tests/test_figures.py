"""Figures render Chinese with a real CJK font and embed it; PNGs are 300 dpi."""

import warnings

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402
from pypdf import PdfReader  # noqa: E402

from analysis.figures import figsize, mark_synthetic, save_figure, use_paper_style  # noqa: E402

TITLE = "孕产妇死亡率（1/10万）城乡差距 Maternal mortality −1.5"


def pdf_fonts(path):
    fonts = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            embedded = descriptor is not None and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = (str(font["/Subtype"]), embedded)
    return fonts


def test_chinese_figure_has_no_missing_glyphs_and_embeds_fonts(tmp_path):
    cjk = use_paper_style()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font(s)" becomes a failure
        fig, ax = plt.subplots(figsize=figsize("single"))
        ax.plot([2015, 2020, 2025], [20.1, 16.9, 12.0], label="全国 national")
        ax.set_title(TITLE)
        ax.set_xlabel("年份 Year")
        ax.legend()
        mark_synthetic(fig)
        paths = save_figure(fig, tmp_path / "HE-02-1")
        plt.close(fig)
    assert [p.suffix for p in paths] == [".png", ".pdf", ".svg"]

    fonts = pdf_fonts(tmp_path / "HE-02-1.pdf")
    assert fonts, "the PDF has no fonts"
    assert all(subtype != "/Type3" for subtype, _ in fonts.values()), fonts
    assert all(embedded for _, embedded in fonts.values()), fonts
    assert any("CJK" in name for name in fonts), fonts
    assert not any("LastResort" in name for name in fonts), fonts
    assert cjk == "Noto Sans CJK SC TT"

    with Image.open(tmp_path / "HE-02-1.png") as png:
        assert round(png.info["dpi"][0]) == 300

    svg = (tmp_path / "HE-02-1.svg").read_text(encoding="utf-8")
    assert "<path" in svg and "LastResort" not in svg


def test_same_figure_gives_same_bytes(tmp_path):
    use_paper_style()
    outputs = []
    for run in ("a", "b"):
        fig, ax = plt.subplots(figsize=figsize("double", 60))
        ax.bar(["城镇", "农村"], [30.0, 24.2])
        ax.set_title("村委会成员中女性比例")
        save_figure(fig, tmp_path / run / "DM-08-1")
        plt.close(fig)
        outputs.append({s: (tmp_path / run / f"DM-08-1.{s}").read_bytes() for s in ("pdf", "svg", "png")})
    assert outputs[0] == outputs[1]


def test_sizes_follow_journal_columns():
    width, height = figsize("single")
    assert abs(width * 25.4 - 85) < 1e-9 and height < width
    assert abs(figsize("double", 80)[1] * 25.4 - 80) < 1e-9


def test_chinese_titles_break_as_chinese_typesetting_does():
    from analysis.figures.charts import NO_LINE_START, wrap

    for width in (25, 30, 40, 50):
        for title in ("2030年数值≥90的概率：92%", "2030年数值高于2020年基期值的概率：33%", "宫颈癌和乳腺癌防治知识知晓率"):
            lines = wrap(title, "zh", width).splitlines()
            assert "".join(lines) == title
            assert all(line[0] not in NO_LINE_START for line in lines)  # 避头: no line opens with ：or %
            assert not any(a[-1].isdigit() and b[0].isdigit() for a, b in zip(lines, lines[1:]))  # 2030 stays whole
            assert len(lines[-1]) > 1  # no orphan character


def test_a_single_point_is_drawn_on_the_years_to_the_target_not_on_a_century():
    from analysis.assessment import Target, assess_series
    from analysis.figures.charts import fan_chart

    use_paper_style()
    result = assess_series([2025], [31.0], Target("at_least", 30, 2030, "higher", 0, 100, unit="%"))
    ax = fan_chart(result)
    left, right = ax.get_xlim()
    assert 2019 <= left <= 2025 and 2030 <= right <= 2031
    plt.close(ax.figure)


def test_a_rare_event_gap_is_drawn_pooled_never_year_by_year():
    """One rural maternal death among ~150 rural births is a single-year gap of −670/10万; the
    chart pools five years, so the line moves by a fifth of that, with its interval."""
    import matplotlib.pyplot as plt
    import pandas as pd

    from analysis.figures import charts

    rows = []
    for year in range(2015, 2026):
        for place, births in (("urban", 150), ("rural", 150)):
            deaths = 1 if (year, place) == (2020, "rural") else 0
            rows.append({"year": year, "urban_rural": place, "numerator": deaths, "denominator": births,
                         "value": deaths / births * 100_000})
    ax = charts.gap_chart(pd.DataFrame(rows), "urban_rural", lang="zh", unit="1/10万", title="孕产妇死亡率城乡差距")
    line = ax.lines[-1]
    years, gaps = line.get_xdata(), line.get_ydata()
    assert min(years) == 2019 and max(years) == 2025  # five-year pools ending 2019 … 2025
    assert abs(min(gaps)) == pytest.approx(100_000 / 750, rel=1e-6)  # one death in 750 rural births pooled
    assert "5年合并" in line.get_label() and "合并期末年份" in ax.get_xlabel()
    plt.close(ax.figure)


def test_small_multiples_have_panel_letters():
    import matplotlib.pyplot as plt

    from analysis.assessment import Target, assess_series
    from analysis.figures import charts

    target = Target("at_least", 30, 2030, "higher", 0, 100, unit="%")
    results = [assess_series(range(2015, 2026), [20 + i + 0.3 * k for k in range(11)], target, name=f"s{i}")
               for i in range(4)]
    (fig,) = charts.small_multiples(results, [f"指标{i}" for i in range(4)])
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert [t[:3] for t in titles] == ["(a)", "(b)", "(c)", "(d)"]
    plt.close(fig)


def test_svg_with_editable_text_on_request(tmp_path):
    """The default SVG draws text as outlines (looks the same everywhere); "svg-text" keeps it as text
    a journal's editor can change."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=figsize("single", 50))
    ax.set_title("孕产妇死亡率")
    outlines, text = save_figure(fig, tmp_path / "f", ("svg", "svg-text"))
    plt.close(fig)
    assert text.name == "f-text.svg"
    assert ">孕产妇死亡率</text>" in text.read_text(encoding="utf-8")
    assert "<text" not in outlines.read_text(encoding="utf-8")  # outlines (the title only in a comment)
