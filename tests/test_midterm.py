"""The evaluation chapter's blocks, built from the shipped data with a stand-in for the report builder."""

from pathlib import Path

import pytest
from conftest import dense_raw

from analysis.assessment.panel import assess_observations
from analysis.data.ingest import ingest, load_observations
from analysis.data.measures import ingest_self_assessments
from analysis.evaluation.vintages import save_vintage
from analysis.figures import use_paper_style
from analysis.paths import DATA_RAW
from analysis.report.blocks import Figure, Heading, Note, Paragraph, Table, label_synthetic
from analysis.report.midterm import midterm_blocks
from analysis.report.sections import region_and_towns

KEEP = ["DM-08-3", "EC-02-1", "ED-04-1", "HE-02-1", "DM-02-3", "HE-03-1"]


class Builder:
    def __init__(self, observations, year, scratch: Path):
        self.year, self.region, self.lang, self.scratch = year, "金口河区", "zh", scratch
        self.observations = observations.loc[observations["region"].isin(region_and_towns("金口河区"))
                                             & (observations["year"] <= year)]  # fmt: skip
        self.results = assess_observations(self.observations, year)

    def t(self, zh, en):
        return zh

    def figure(self, fig, name):
        path = self.scratch / f"{name}.png"
        fig.savefig(path)
        return path


@pytest.fixture(scope="module")
def chapter(tmp_path_factory):
    use_paper_style()  # real CJK glyphs in the figures
    processed = tmp_path_factory.mktemp("processed")
    ingest(dense_raw(tmp_path_factory.mktemp("dense")), processed)  # arithmetic on particular years' values
    ingest_self_assessments(DATA_RAW / "self_assessment", processed)
    observations = load_observations(processed)
    observations = observations.loc[observations["indicator_id"].isin(KEEP)]
    earlier = Builder(observations, 2023, processed)
    save_vintage(earlier.results, earlier.observations, processed / "vintages")
    return midterm_blocks(Builder(observations, 2025, processed), processed), processed


def test_every_part_is_there(chapter):
    chapter, _ = chapter
    headings = [b.text for b in chapter if isinstance(b, Heading)]
    assert headings[0] == "三、中期评估专题"  # numbered by the document: after 一、总体情况 and 二、各领域进展
    for words in ("与乐山市、四川省和全国比较", "分性别统计", "城乡、乡镇与民族乡", "分年龄统计", "成员单位自评",
                  "往年预测与预警的检验"):
        assert any(words in h for h in headings), words
    assert sum(isinstance(b, Figure) for b in chapter) == 2  # women/men ratios, track record


def test_synthetic_values_are_labelled_and_the_self_assessment_says_so(chapter):
    chapter, _ = chapter
    labelled = label_synthetic(chapter, "注：区级和乡镇数值为合成示例数据，不是统计数据。")
    tables = [b for b in labelled if isinstance(b, Table)]
    assert tables and all("合成示例" in b.note and "合成示例" in b.label for b in tables)
    figures = [i for i, b in enumerate(labelled) if isinstance(b, Figure)]
    assert all(isinstance(labelled[i + 1], Note) and "合成示例" in labelled[i + 1].text for i in figures)
    levels = next(b for b in tables if "上级" in b.caption)  # the sources' 注 first, then the label
    assert levels.note.startswith("注：上级数值") and levels.note.endswith("区级和乡镇数值为合成示例数据，不是统计数据。")
    captions = [b.caption for b in chapter if isinstance(b, Table)]
    assert any("自评" in c and "合成示例" in c for c in captions)


def test_levels_table_shows_the_published_sichuan_figure(chapter):
    chapter, _ = chapter
    levels = next(b.frame for b in chapter if isinstance(b, Table) and "上级" in b.caption)
    row = levels.loc[levels["指标"].str.startswith("HE-02-1")].iloc[0]
    assert row["四川省（年份）[出处]"].startswith("12.8（2023）[") and row["全国、四川纲要目标"].startswith("全国：下降到12/10万以下")


def test_track_record_uses_the_earlier_vintage(chapter):
    chapter, _ = chapter
    text = " ".join(b.text for b in chapter if isinstance(b, Paragraph))
    assert "所用预测存档：2023" in text


def _table(chapter, words):
    return next(b.frame for b in chapter if isinstance(b, Table) and words in b.caption)


def _db(processed, by_age=False):
    return load_observations(processed, by_age=by_age).query("year <= 2025")


def test_urban_rural_view_against_the_database(chapter):
    chapter, processed = chapter
    table = _table(chapter, "城乡差距").set_index("指标")
    db = _db(processed).query("region == '金口河区' and sex == 'total'")
    screening = db.query("indicator_id == 'HE-03-1' and year == 2025").set_index("urban_rural")["value"]
    row = table.loc[next(i for i in table.index if i.startswith("HE-03-1"))]
    assert (row["时期"], row["城镇"], row["农村"]) == ("2025", f"{screening['urban']:.1f}", f"{screening['rural']:.1f}")
    assert float(row["城镇−农村"]) == pytest.approx(screening["urban"] - screening["rural"])
    assert row["差的95%区间"] == "无计数"  # a share typed as a value has no counts: no interval is made up
    deaths = db.query("indicator_id == 'HE-02-1' and year >= 2021").groupby("urban_rural")[["numerator", "denominator"]].sum()
    row = table.loc[next(i for i in table.index if i.startswith("HE-02-1"))]
    assert row["时期"] == "2021–2025合并"
    for place, column in (("urban", "城镇"), ("rural", "农村")):
        n, d = deaths.loc[place]
        assert row[column] == f"{int(n)}/{int(d):,}"  # counts, not a rate
    assert row["城镇−农村"] == ""  # fewer than five deaths: no rate difference with false precision
    all_years = _db(processed).query("indicator_id == 'HE-02-1' and region == '金口河区' and urban_rural != 'total'")
    assert all_years["numerator"].sum() < 5  # two deaths in 2015–2025: no direction since 2020 can be told
    assert (row["差距变化"], row["2020年差"]) == ("事件过少，不判断", "")
    low = table.loc[next(i for i in table.index if i.startswith("SS-06-1"))]
    assert low["差距变化"] == "人数/件数，不比较差距"  # urban − rural headcounts follow population, not a gap


def test_ethnic_townships_view_pools_the_towns_regions_csv_marks(chapter):
    from scipy import stats

    chapter, processed = chapter
    table = _table(chapter, "民族乡与其他乡镇").set_index("指标")
    db = _db(processed).query("indicator_id == 'HE-02-1' and year >= 2021 and sex == 'total' and urban_rural == 'total'")
    ethnic = db.loc[db["region"].isin(["和平彝族乡", "共安彝族乡"])]
    n, d = int(ethnic["numerator"].sum()), int(ethnic["denominator"].sum())
    upper = stats.chi2.ppf(0.975, 2 * n + 2) / 2 / d * 100000  # Garwood exact upper limit per 10万
    lower = stats.chi2.ppf(0.025, 2 * n) / 2 / d * 100000 if n else 0.0
    row = table.loc[next(i for i in table.index if i.startswith("HE-02-1"))]
    assert row["民族乡"] == f"{n}/{d:,} (95%区间 {lower:.1f}—{upper:,.1f})"  # per 10万, one decimal
    other = db.loc[db["region"].isin(["永和镇", "金河镇", "吉星乡", "永胜乡"])]
    assert row["其他乡镇"].startswith(f"{int(other['numerator'].sum())}/{int(other['denominator'].sum()):,}")
    latest = _db(processed).query("indicator_id == 'ED-04-1' and year == 2025 and sex == 'total'").set_index("region")["value"]
    row = table.loc[next(i for i in table.index if i.startswith("ED-04-1"))]
    mean = (latest["和平彝族乡"] + latest["共安彝族乡"]) / 2
    assert row["民族乡"] == f"{mean:.1f}"  # a share in %: one decimal


def test_age_view_against_the_database(chapter):
    chapter, processed = chapter
    table = _table(chapter, "分年龄")
    db = _db(processed, by_age=True).query("indicator_id == 'SS-04-1' and region == '金口河区' and year == 2025")
    old = db.loc[db["age_group"] == "60+"].set_index("sex")["value"]
    row = table.loc[(table["指标"].str.startswith("SS-04-1")) & (table["年龄组"] == "60岁及以上")].iloc[0]
    assert (row["女"], row["男"]) == (f"{old['female']:.1f}", f"{old['male']:.1f}")
    assert float(row["女−男"]) == pytest.approx(old["female"] - old["male"], abs=1e-9)
    labels = list(table.loc[table["指标"].str.startswith("SS-04-1"), "年龄组"])
    assert labels == ["16—44岁", "45—59岁", "60岁及以上"]  # the catalog's order, youngest first


def test_one_number_format_for_a_unit_in_the_evaluation_tables(chapter):
    """'30 (2021)' beside '28.5 (2021)', both in %: every value of a unit is written to the same decimals
    (the published figures exactly as published are in the citations appendix)."""
    import re

    chapter, _ = chapter
    for words, columns in (("上级", ["本区（年份）", "四川省（年份）[出处]", "全国（年份）[出处]"]), ("分性别", ["女", "男", "差距"])):
        frame = _table(chapter, words)
        for column in columns:
            decimals = {}
            for unit, cell in zip(frame["单位"], frame[column]):
                found = re.match(r"-?[\d,]+(?:\.(\d+))?", str(cell))
                if found and "/" not in str(cell).split("（")[0]:  # pooled counts (0/1,541) are counts
                    decimals.setdefault(unit, set()).add(len(found.group(1) or ""))
            assert decimals and all(len(d) == 1 for d in decimals.values()), (words, column, decimals)
