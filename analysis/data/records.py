"""An observation as read from a file, before it enters the database."""

from __future__ import annotations

from dataclasses import dataclass, field

# Breakdown codes stored in the database, and the words people write for them.
SEX_LABELS = {"total": "合计", "female": "女", "male": "男"}
URBAN_RURAL_LABELS = {"total": "合计", "urban": "城镇", "rural": "农村"}
SEX_WORDS = {
    "": "total", "合计": "total", "总计": "total", "全部": "total", "total": "total", "all": "total",
    "女": "female", "女性": "female", "female": "female", "f": "female",
    "男": "male", "男性": "male", "male": "male", "m": "male",
}  # fmt: skip
URBAN_RURAL_WORDS = {
    "": "total", "合计": "total", "总计": "total", "全部": "total", "total": "total",
    "城镇": "urban", "城市": "urban", "urban": "urban",
    "农村": "rural", "乡村": "rural", "rural": "rural",
}  # fmt: skip
GROUP_WOMEN_WORDS = {"妇女", "女性", "女"}  # 群体 words that mean the female breakdown itself
KEY = ("indicator_id", "region", "year", "sex", "urban_rural", "population_group", "age_group")


@dataclass
class Record:
    """One observation and the place it was read from."""

    indicator_id: str
    region: str
    year: int
    sex: str = "total"
    urban_rural: str = "total"
    population_group: str = ""
    age_group: str = ""  # "" = all ages; else a code from analysis/catalog/age_groups.csv (e.g. "60+")
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    status: str = "value"  # or "missing": reported as not collected (未统计)
    unit: str = ""
    source: str = ""
    source_url: str = ""
    quote: str = ""
    note: str = ""
    synthetic: bool = False
    file: str = ""
    sheet: str = ""
    cell: str = ""  # where the value (or the numerator) is, e.g. 健康!H7
    row: int = 0
    extra_cells: dict[str, str] = field(default_factory=dict)  # e.g. the denominator's cell
    revises: str = ""  # the file this value corrects, when the file says so (a `revises` column, 更正文件)

    @property
    def key(self) -> tuple:
        return tuple(getattr(self, k) for k in KEY)
