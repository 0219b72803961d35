"""The domain reports' breakdown views (分城乡, 民族乡与其他乡镇, 分年龄) against the database, by hand."""

import pandas as pd
import pytest
from scipy import stats

from analysis.data.ingest import ingest, load_observations
from analysis.paths import DATA_RAW
from analysis.report.sections import DomainSection


@pytest.fixture(scope="module")
def processed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("processed")
    ingest(DATA_RAW, folder)
    return folder


def _row(table: pd.DataFrame, indicator_id: str, **where) -> pd.Series:
    rows = table.loc[table.iloc[:, 0].str.startswith(indicator_id)]  # 指标 / Indicator
    for column, value in where.items():
        rows = rows.loc[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_health_breakdowns_against_the_database(processed, tmp_path):
    section = DomainSection(domain="health", year=2024, processed_dir=processed, output_dir=tmp_path)
    frames = section.breakdown_frames()
    assert set(frames) == {"urban_rural", "ethnic_townships"}  # no health indicator has age groups
    db = load_observations(processed).query("year <= 2024 and sex == 'total'")
    urban_rural = frames["urban_rural"][1]
    managed = db.query("indicator_id == 'HE-02-4' and region == '金口河区' and year == 2024").set_index("urban_rural")["value"]
    row = _row(urban_rural, "HE-02-4")
    assert (row["城镇"], row["农村"]) == (f"{managed['urban']:.1f}", f"{managed['rural']:.1f}")
    assert float(row["城镇−农村"]) == pytest.approx(managed["urban"] - managed["rural"])
    # the ethnic townships' maternal deaths 2021–2024, pooled, with the Garwood exact interval
    deaths = db.query("indicator_id == 'HE-02-1' and year >= 2021 and urban_rural == 'total' "
                      "and region in ['和平彝族乡', '共安彝族乡']")  # fmt: skip
    n, d = int(deaths["numerator"].sum()), int(deaths["denominator"].sum())
    lower = stats.chi2.ppf(0.025, 2 * n) / 2 / d * 1e5 if n else 0.0
    upper = stats.chi2.ppf(0.975, 2 * n + 2) / 2 / d * 1e5
    row = _row(frames["ethnic_townships"][1], "HE-02-1")
    assert row["民族乡"] == f"{n}/{d:,} (95%区间 {lower:,.1f}—{upper:,.1f})"  # per 10万, one decimal
    assert "合并计数" in row["口径"] and row["差（民族乡−其他）"] == ""  # counts, not a rate with fake precision
    section.breakdown_tables()
    saved = pd.read_csv(tmp_path / "tables" / "health_ethnic_townships.csv", encoding="utf-8-sig")
    assert saved.iloc[:, -1].astype(str).str.lower().eq("true").all()  # every row of a synthetic table says so


def test_education_age_groups_against_the_database(processed):
    section = DomainSection(domain="education", year=2025, processed_dir=processed, lang="en")
    title, ages = section.breakdown_frames()["age_groups"]
    assert title == "By age group and sex"
    db = load_observations(processed, by_age=True).query(
        "indicator_id == 'ED-09-2' and region == '金口河区' and year == 2025 and age_group == '65+'").set_index("sex")
    row = _row(ages, "ED-09-2", **{"Age group": "aged 65 and over"})
    assert (row["Women"], row["Men"]) == (f"{db.loc['female', 'value']:.1f}", f"{db.loc['male', 'value']:.1f}")
    assert row["95% interval"] == "no counts"
    # 民族乡 for the outline's 少数民族适龄女童: the two Yi townships' mean against the other four towns'
    latest = load_observations(processed).query("indicator_id == 'ED-04-1' and year == 2025 and sex == 'total'")
    towns = latest.set_index("region")["value"]
    row = _row(section.breakdown_frames()["ethnic_townships"][1], "ED-04-1")
    assert row["Ethnic townships"] == f"{(towns['和平彝族乡'] + towns['共安彝族乡']) / 2:.1f}"
    assert row["Other towns"] == f"{towns[['永和镇', '金河镇', '吉星乡', '永胜乡']].mean():.1f}"


def _lines(fig):
    return {line.get_label(): line for line in fig.axes[0].get_lines()}


def test_age_profile_charts_plot_the_database_values(processed):
    import matplotlib.pyplot as plt

    section = DomainSection(domain="education", year=2025, processed_dir=processed, lang="en")
    assert "ED-09-2_age" in section.figure_ids()
    assert not [i for i in DomainSection(domain="health", year=2025, processed_dir=processed).figure_ids()
                if i.endswith("_age")]  # no health indicator has age groups: no empty chart
    fig = section.build_figure("ED-09-2_age")["ED-09-2_age"]
    db = load_observations(processed, by_age=True).query(
        "indicator_id == 'ED-09-2' and region == '金口河区' and year == 2025 and age_group != ''")
    order = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"]  # analysis/catalog/age_groups.csv
    lines = _lines(fig)
    for sex, name in (("female", "Women"), ("male", "Men")):
        expected = db.query("sex == @sex").set_index("age_group").loc[order, "value"].to_numpy()
        assert list(lines[name].get_ydata()) == pytest.approx(list(expected))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][-1] == "aged 65 and over"
    assert "(2025)" in fig.axes[0].get_title()
    plt.close(fig)


def test_fan_chart_draws_the_higher_levels_as_another_source(processed):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from analysis.figures import charts

    section = DomainSection(domain="health", year=2025, processed_dir=processed)
    fig = section.build_figure("HE-02-1")["HE-02-1"]
    lines = _lines(fig)
    db = load_observations(processed).query("indicator_id == 'HE-02-1' and sex == 'total' and urban_rural == 'total' "
                                            "and year <= 2025")  # fmt: skip
    sichuan = db.loc[db["region"] == "四川省"].sort_values("year")
    # level and the kind of publication, in the legend: the Sichuan values now come from health reports and a
    # page whose title the shared data did not record (2017), so several kinds
    line = lines["四川省（公开统计，多来源）"]
    assert list(line.get_xdata()) == list(sichuan["year"]) and list(line.get_ydata()) == list(sichuan["value"])
    assert line.get_markerfacecolor() == "white" and line.get_linestyle() == ":"  # hollow, dotted: not the district's
    national = db.loc[db["region"] == "全国"].sort_values("year")
    assert list(_lines(fig)["全国（公开统计，多来源）"].get_ydata()) == list(national["value"])
    target = lines["全国纲要目标 下降到12/10万以下"]
    assert (list(target.get_xdata()), list(target.get_ydata())) == ([2030], [12.0])
    legend = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "四川省（公开统计，多来源）" in legend and "全国纲要目标 下降到12/10万以下" in legend
    # the district's own series is what it was without the higher levels
    result = dict(section._series())["HE-02-1"]
    bare, ax = plt.subplots()
    charts.fan_chart(result, ax=ax)
    own = _lines(bare)[charts.t("pooled", "zh")]
    assert list(lines[charts.t("pooled", "zh")].get_ydata()) == list(own.get_ydata())
    plt.close("all")


def test_english_fan_chart_names_the_levels_in_english(processed):
    section = DomainSection(domain="health", year=2025, processed_dir=processed, lang="en")
    labels = set(_lines(section.build_figure("HE-01-1")["HE-01-1"]))
    assert {"Sichuan Province (health report)", "China (published, several sources)"} <= labels


def test_source_kind():
    from analysis.figures.charts import source_kind

    assert source_kind(["四川省2023年国民经济和社会发展统计公报"]) == "统计公报"
    assert source_kind(["…统计公报", "2024年《中国妇女发展纲要》统计监测报告"]) == "公开统计，多来源"
    assert source_kind(["人口普查分析"], "en") == "census"


def test_an_english_report_names_indicators_towns_and_units_in_english(processed, tmp_path):
    import re

    from analysis.assessment import comparison
    from analysis.assessment.comparison import observations_for_comparison

    chinese = re.compile(r"[\u4e00-\u9fff]")
    section = DomainSection(domain="health", year=2024, processed_dir=processed, output_dir=tmp_path, lang="en")
    for _, table in section.breakdown_frames().values():
        for column in ("Indicator", "Unit"):
            assert not table[column].str.contains(chinese).any(), table[column].tolist()
    observations = observations_for_comparison(processed, 2024)
    for indicator_id in ("HE-02-1", "DM-02-3"):  # pooled counts, and the towns' latest shares
        towns = comparison.towns(observations, indicator_id)
        for column in ("region_en", "years_en", "shown_as_en"):
            assert not towns[column].str.contains(chinese).any(), towns[column].tolist()
