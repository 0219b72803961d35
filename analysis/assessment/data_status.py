"""The data status of one series, apart from its warning: what data the call rests on.

The warning level speaks only of progress. How recent, how many and how often the values are,
and whether they are a proxy, is said here, in its own columns and sentence (``to_row`` adds
``data_latest_year``, ``data_points``, ``data_frequency``, ``data_stale``, ``data_proxy``,
``data_missing_years``, ``data_note``, ``data_note_en``). A data note never turns green into yellow.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DataStatus:
    latest_year: int | None = None
    points_in_period: int = 0  # values from the base year (or its named stand-in) up to as_of
    frequency_years: int | None = None  # years between releases; the term's length for elected bodies
    per_term: bool = False  # an elected body: one value per term, changes only at a 换届
    stale: bool = False  # nothing newer although the series' own release interval has passed
    proxy: bool = False  # totals standing in for a women's target
    missing_years: list[int] = field(default_factory=list)  # period years an annual series lacks
    base_stand_in: int | None = None  # the year standing in for the base year, when it has no value
    note_zh: str = ""
    note_en: str = ""

    def describe(self, base_year: int, as_of: int) -> None:
        """Write ``note_zh`` / ``note_en`` from the fields."""
        zh, en = [], []
        if self.latest_year is None:
            zh.append("无数据")
            en.append("no data")
        else:
            zh.append(f"最新数据{self.latest_year}年")
            en.append(f"latest {self.latest_year}")
            zh.append(f"{base_year}年以来{self.points_in_period}个数据点")
            en.append(f"{self.points_in_period} point(s) since {base_year}")
        if self.per_term:
            zh.append("按届（换届时更新）")
            en.append("by term (changes at elections)")
        elif self.frequency_years and self.frequency_years > 1:
            zh.append(f"每{self.frequency_years}年发布")
            en.append(f"released every {self.frequency_years} years")
        if self.base_stand_in is not None:
            zh.append(f"基期以{self.base_stand_in}年代替{base_year}年")
            en.append(f"{self.base_stand_in} stands in for the {base_year} base")
        if self.missing_years:
            years = "、".join(str(y) for y in self.missing_years)
            zh.append(f"缺{years}年")
            en.append("missing " + ", ".join(str(y) for y in self.missing_years))
        if self.stale:
            zh.append("数据陈旧")
            en.append("stale")
        if self.proxy:
            zh.append("以合计值代替女性数值")
            en.append("total for both sexes as a proxy")
        self.note_zh, self.note_en = "；".join(zh), "; ".join(en)

    def to_row(self) -> dict:
        return {"data_latest_year": self.latest_year, "data_points": self.points_in_period,
                "data_frequency": self.frequency_years, "data_stale": self.stale, "data_proxy": self.proxy,
                "data_missing_years": ";".join(str(y) for y in self.missing_years),
                "data_note": self.note_zh, "data_note_en": self.note_en}  # fmt: skip
