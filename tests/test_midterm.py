"""The evaluation chapter's blocks, built from the shipped data with a stand-in for the report builder."""

from pathlib import Path

import pytest

from analysis.assessment.panel import assess_observations
from analysis.data.ingest import ingest, load_observations
from analysis.document import Figure, Heading, Paragraph, Table
from analysis.figures import use_paper_style
from analysis.measures import ingest_self_assessments
from analysis.midterm import midterm_blocks
from analysis.paths import DATA_RAW
from analysis.sections import region_and_towns
from analysis.vintages import save_vintage

KEEP = ["DM-08-3", "EC-02-1", "ED-04-1", "HE-02-1", "DM-02-3"]


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
    ingest(DATA_RAW, processed)
    ingest_self_assessments(DATA_RAW / "self_assessment", processed)
    observations = load_observations(processed)
    observations = observations.loc[observations["indicator_id"].isin(KEEP)]
    earlier = Builder(observations, 2023, processed)
    save_vintage(earlier.results, earlier.observations, processed / "vintages")
    return midterm_blocks(Builder(observations, 2025, processed), processed)


def test_every_part_is_there(chapter):
    headings = [b.text for b in chapter if isinstance(b, Heading)]
    assert headings[0] == "九、中期评估专题"
    for words in ("与乐山市、四川省和全国比较", "分性别统计", "城乡、乡镇与民族乡", "成员单位自评", "往年预测与预警的检验"):
        assert any(words in h for h in headings), words
    assert sum(isinstance(b, Figure) for b in chapter) == 2  # women/men ratios, track record


def test_synthetic_values_are_labelled_and_the_self_assessment_says_so(chapter):
    notes = [b.text for b in chapter if isinstance(b, Paragraph) and b.bold]
    assert notes and all("合成示例" in n for n in notes)
    captions = [b.caption for b in chapter if isinstance(b, Table)]
    assert any("自评" in c and "合成示例" in c for c in captions)


def test_levels_table_shows_the_published_sichuan_figure(chapter):
    levels = next(b.frame for b in chapter if isinstance(b, Table) and "上级" in b.caption)
    row = levels.loc[levels["指标"].str.startswith("HE-02-1")].iloc[0]
    assert row["四川省最新（年份）"] == "12.77 (2023)" and row["全国纲要目标"] == "下降到12/10万以下"


def test_track_record_uses_the_earlier_vintage(chapter):
    text = " ".join(b.text for b in chapter if isinstance(b, Paragraph))
    assert "所用预测存档：2023" in text
