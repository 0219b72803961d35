"""The shipped comparison figures (四川省, 全国): provenance checked, file reproducible, loaded as own regions."""

import importlib.util
import sys

import pytest

from analysis.data.ingest import ingest, load_observations
from analysis.paths import ROOT

SCRIPT = ROOT / "scripts" / "import_comparison_figures.py"
SHIPPED = ROOT / "data" / "raw" / "comparison" / "comparison_figures.csv"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("import_comparison_figures", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_shipped_file_is_what_the_script_writes(script, tmp_path):
    out = tmp_path / "c.csv"
    assert script.main(["--output", str(out)]) == 0
    assert out.read_bytes() == SHIPPED.read_bytes()


def test_every_figure_is_stated_by_its_quote_and_sourced(script):
    rows = script.build()
    assert rows, "no comparison figures"
    for row in rows:
        assert row["value"] in row["quote"]
        assert row["source_url"].startswith("http") and row["source"]
        assert row["region"] in ("全国", "四川省", "乐山市")


@pytest.mark.parametrize("change, message", [
    ({"value": "9.25"}, "does not state"),
    ({"unit": "‰"}, "catalog says"),
    ({"region": "成都市"}, "region must be"),
    ({"source_url": ""}, "all required"),
    ({"region": "全国", "year": "2020"}, "already in"),
    ({"region": "金口河区"}, "not a higher level"),
    ({"region": "永和镇"}, "not a higher level"),
    ({"source_url": "www.example.cn/page"}, "address"),
    ({"sex": "female"}, "sex must be"),
])  # fmt: skip
def test_a_bad_figure_stops_the_script(script, change, message):
    good = next(f for f in script.FIGURES if f["indicator_id"] == "ED-09-2" and f["region"] == "四川省"
                and f["year"] == "2020")
    figure = {**good, **change}  # 四川省 2020 平均受教育年限 with one thing wrong
    assert script.build([good])  # the figure itself passes
    with pytest.raises(script.Refused, match=message):
        script.build([figure])


def test_the_same_figure_twice_is_refused(script):
    with pytest.raises(script.Refused, match="given twice"):
        script.build([script.FIGURES[0], script.FIGURES[0]])


def test_ingest_loads_them_as_their_own_regions(tmp_path):
    raw = tmp_path / "raw"
    (raw / "comparison").mkdir(parents=True)
    (raw / "comparison" / SHIPPED.name).write_bytes(SHIPPED.read_bytes())
    result = ingest(raw, tmp_path / "processed")
    assert result.observations == 22
    obs = load_observations(tmp_path / "processed")
    sc = obs.loc[(obs["region"] == "四川省") & (obs["indicator_id"] == "ED-09-2")]
    assert list(sc["year"]) == [2010, 2020] and sc["value"].iloc[1] == pytest.approx(9.24)
    women = obs.loc[(obs["indicator_id"] == "ED-07-2") & (obs["sex"] == "female")]
    assert list(women["value"]) == [12.53]  # the women's 2023 value, recorded as women's
    assert not obs["synthetic"].any()
    assert set(obs["region"]) == {"全国", "四川省"}
