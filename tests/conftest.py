"""Shared fixtures: a scratch data/raw + data/processed pair, and writers for input files."""

import csv
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

HEADER = ["指标代码", "地区", "年份", "性别", "城乡", "数值", "分子", "分母", "单位", "来源"]
GOOD_ROWS = [
    ["HE-02-1", "金口河区", "2020", "", "", "", "1", "352", "", "区卫生健康局 妇幼年报"],
    ["HE-02-1", "金口河区", "2021", "", "", "", "0", "341", "", "区卫生健康局 妇幼年报"],
    ["DM-08-3", "金口河区", "2021", "", "", "25.6", "", "", "%", "区民政局"],
    ["EC-02-1", "金口河区", "2022", "", "", "44.1", "", "", "%", "区统计局"],
    ["ED-09-2", "金口河区", "2020", "女", "", "9.1", "", "", "年", "第七次人口普查"],
]


def write_csv(path: Path, rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f)
        if header:
            writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def store(tmp_path):
    """A raw folder holding one good file, and an empty processed folder."""
    raw, processed = tmp_path / "raw", tmp_path / "processed"
    write_csv(raw / "district" / "base.csv", GOOD_ROWS)
    return raw, processed


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes below folder, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dense_raw(folder: Path) -> Path:
    """data/raw as shipped, but with the synthetic district DENSE (every indicator in every year):
    for tests that check arithmetic against particular years' values, which the shipped example
    (thinned as real data arrive) may not hold. Returns the raw folder."""
    import shutil

    from synthetic.district import generate, to_csv_frame

    from analysis.paths import DATA_RAW

    raw = folder / "raw"
    shutil.copytree(DATA_RAW, raw, ignore=shutil.ignore_patterns("jinkouhe_synthetic_example.csv"))
    to_csv_frame(generate()).to_csv(raw / "synthetic" / "jinkouhe_synthetic_example_dense.csv", index=False,
                                    lineterminator="\n")  # fmt: skip
    return raw
