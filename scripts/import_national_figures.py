"""Bring published national (and Sichuan) reference figures into data/raw, with provenance.

    python scripts/import_national_figures.py [SHARED_DATA_DIR] [--output FILE]

Reads national_2010_2020.csv, national_2020_2024.csv, local_sichuan_leshan_jinkouhe.csv and
higher_levels_2017_2024.csv (全国 and 四川, graded A/B/C) from SHARED_DATA_DIR (default:
../shared/data relative to the repository root), keeps the value rows
whose indicator is the same statistic, in the same unit, as an indicator of
analysis/catalog/indicators.csv, and writes
data/raw/national/national_outline_monitoring_reports.csv as a long table
(indicator_id,region,year,sex,urban_rural,value,unit,source,source_url,quote,note) that
``python -m analysis ingest`` reads.

Rules
-----
* Values are copied as written: no value is changed, converted or computed. source,
  source_url and quote are the shared file's source_title, source_url and quote, verbatim.
* region: 全国 stays 全国; 城市 / 农村 become region 全国 with urban_rural 城镇 / 农村;
  四川 becomes 四川省. Indicators that are rural by definition (EN-06-1 农村自来水普及率,
  EN-07-1 农村卫生厕所普及率) have no urban/rural breakdown in the catalog, so their value is
  the indicator's total (urban_rural empty), as in the project's entry workbook. Likewise
  HE-01-1 妇女人均预期寿命 is female by definition, has no sex breakdown, and its sex is empty.
* An observation (indicator, region, year, sex, urban_rural) given by several rows with the
  same value is written once, from the most authoritative page: stats.gov.cn, then official
  government or media sites, then other pages; among those, pages flagged as machine-
  rewritten, summaries or not the bureau's report rank lower, then titles naming the bureau's
  report rank higher, then by URL. The note lists the other pages giving the same figure.
* Rows giving one observation different values are all left out, unless exactly one value
  comes from the bureau's own pages (stats.gov.cn), which is then kept.
  Conflicts in the current shared files: none (every repeated observation repeats the same
  value). A new conflict stops the script until it is listed in KNOWN_CONFLICTS and here.
* note: whether the page is the bureau's own, an official site's report, or a third-party
  reprint (the shared README: many pages are reprints of official releases on third-party
  sites; a value used in a paper should be checked against the bureau's own publication);
  what the source title flags (not the bureau's monitoring report, machine-rewritten text,
  summary); the approximation, where a mapping is approximate; caveats of single rows.
* Grades (higher_levels_2017_2024.csv): A = the bureau's or an official outlet's own page, B = a
  faithful reprint of an official release, C = an AI summary or a machine-rewritten page (a lead
  only). The hosts graded C there (reportify.cn, vip.mxggzz.com, rome.engwrite.com,
  www.baike8.com.cn, www.chaxiaohao.com), and pages whose title in the other shared files says
  the text was machine-rewritten (机器改写, 同义替换), are grade C wherever they appear. A grade C
  row is used only when an A or B row gives the same observation the same value (the A/B page is
  then the one cited); otherwise the observation is left out and printed as unconfirmed.
  Checked on the project's stored web pages (search, November 2026) without finding an A/B page:
  四川 孕产妇死亡率 2022 13.09 (and 婴儿死亡率 4.17, no catalog indicator); 全国 就业人员中女性比例
  2024 43.4; 公民科学素质水平性别差 2022 3.8 and 2024 2.76. Left out.
* Doubted, left out (DOUBTED): 省人大代表中女性比例(十三届) 2018 25.6% (graded B, labelled 四川):
  the quote names no province and the host carries other provinces' "我省" releases (its 2017
  "我省" maternal mortality, 29.36/10万, is not Sichuan's 18.63); not found on another page.
* Rows of kind ``target`` in higher_levels_2017_2024.csv are outline targets, not observations:
  the verified ones are in analysis/catalog/targets_by_level.csv. Its 成都 row (a 成都市 CPPCC
  share, "reference only") is no comparison level for 金口河区 and is left out.
* Elected bodies (DM-03-1 people's congress, DM-03-4 CPPCC): a share holds for the whole term of
  five years; it is stored once, at the year the term began, and its note names the term
  (届期). ``analysis.assessment.comparison`` carries it through the term, never beyond.
* Deterministic: rows sorted by indicator_id, region, year, sex, urban_rural; written to a
  temporary file and moved into place whole (os.replace). A shared indicator neither mapped
  nor listed below as not mapped stops the script: decide, then list it.

Mapped approximately (same statistic in substance; see MAPPING)
---------------------------------------------------------------
* 全国人大代表中女性比例 (第十二届 2013, 第十三届 2018, 第十四届 2023), 全国政协委员中女性比例
  (第十三届 2018) -> DM-03-1 / DM-03-4 of 全国; 省人大代表中女性比例(十三届) (2018) -> DM-03-1 of
  四川省 (in the graded file: 全国人大代表中女性比例(十三届,2018–2023),
  全国人大代表中女性比例(十四届,2023–2028), 全国政协委员中女性比例(十三届,2018–2023)):
  the women's share of the people's congress (CPPCC) *of that level*, set beside the
  district's own congress. Scope note in every row: another body, not a sum of the counties'
  congresses; a term value (see Rules).
* 孕产妇死亡率(城市), 孕产妇死亡率(农村) (higher_levels file) -> HE-02-1 城镇 / 农村, like 城市/农村
  regions in the other files.
* 高级专业技术人员中女性比例 -> EC-04-2: NBS scope is 公有制企事业单位 (public-sector units).
* 居委会成员中女性比例 -> DM-09-3, 居委会主任中女性比例 -> DM-09-4: 居委会 is the
  社区居民委员会.
* 女性平均受教育年限(15岁及以上), 15岁及以上人口平均受教育年限(女性) -> ED-09-2 sex 女;
  男性平均受教育年限(15岁及以上), 15岁及以上人口平均受教育年限(男性) -> ED-09-2 sex 男;
  15岁及以上人口平均受教育年限, 15岁及以上人口平均受教育年限(总) -> ED-09-2 total.
  Population aged 15+ (2020 census); the catalog names no age base. ED-09-2 has a sex
  breakdown, so men's and both sexes' values are kept beside women's.
* 20岁及以上女性经常参加体育锻炼人数比例 -> HE-09-1: women aged 20+; the quote states neither
  the year nor the age base (2014 and 20+ are the shared file's reading of the page).
* 九年义务教育巩固率 -> ED-04-1, 高中阶段毛入学率 -> ED-05-1: national figures for both
  sexes (sex empty); the catalog target is assessed on girls' values, which are not given.
* 艾滋病母婴传播率 -> HE-05-1: the 2014 value is the health commission's PMTCT programme
  figure (programme areas).
* 公民科学素质水平性别差 -> ED-07-3: men's share minus women's, percentage points.
* 孕产妇死亡率城乡差 -> HE-02-2: the bureau's published rural-minus-urban gap (not computed
  here; the project may also derive it from the HE-02-1 urban and rural rows, which agree).
Mapped exactly: 女性人均预期寿命 (HE-01-1), 孕产妇死亡率 (HE-02-1), 孕产妇系统管理率
(HE-02-4), 就业人员中女性比例 (EC-02-1), 村委会成员中女性比例 (DM-08-3),
村委会主任中女性比例 (DM-08-4), 农村自来水普及率 (EN-06-1), 农村卫生厕所普及率 (EN-07-1).

Not mapped: close to a catalog indicator, but not the same statistic or unit
----------------------------------------------------------------------------
* 城镇非私营单位就业人员中女性比例 (EC-03-1 is 城镇单位就业人员中的女性比例): the shared README
  names 城镇单位 and 城镇非私营单位 as different series (a scope trap), so they are not mapped,
  although the 2021 report's count (6852万, "比2020年增加73万人") continues the final report's
  2020 城镇单位 count (6779.4万); the researchers may decide otherwise with NBS's definition.
* 村班子(村“两委”)成员中妇女比例(2021–2022集中换届): 村班子 is the village party branch and the
  village committee together, not DM-08-3 村委会成员.
* 宫颈癌筛查率(35–64岁,曾筛查,抽样调查2023–2024), 宫颈癌筛查率(35–44岁), 宫颈癌筛查率(20岁及以上),
  宫颈癌筛查率(农村35–64岁): a survey of women ever screened (China CDC), not the
  administrative screening coverage HE-03-1; other age bases.
* 高等学校在校生中女生比例, 5岁以下儿童死亡率, 城镇非私营单位就业人员中女性比例: see above and
  below (no catalog indicator for the first two).
* 企业董事会中女性比例, 企业监事会中女性比例 (2020, English summary of the final report):
  DM-07-1/DM-07-2 are women's share of all board members. The quote is an abridged English
  rendering, and 34.9% / 38.2% look more like the bureau's 女职工董事/监事 series than shares
  of whole boards; the definition could not be confirmed.
* 企业董事会中女职工董事比例, 企业监事会中女职工监事比例, 企业职工董事中女性比例: women among
  employee directors/supervisors (职工董事/监事), a part of the board, not DM-07-1/DM-07-2.
* 全国人大女代表人数, 全国政协女委员人数: counts, not the shares DM-03-1/DM-03-4.
* 女性参加生育保险人数 (SS-02-1), 失业保险女性参保人数 (SS-05-1), 工伤保险女性参保人数
  (SS-05-2), 法律援助女性受援人数 (LA-09-1), 成人本专科在校生中女生人数 (ED-08-1): the same
  kind of count, but in 万人 where the catalog counts 人; converting would change the value.
* 基本医疗保险女性参保人数, 职工基本医疗保险女性参保人数, 女性参加基本医疗保险人数,
  女性参加职工基本医疗保险人数, 女性参加城乡居民基本医疗保险人数, 女性参加基本养老保险人数,
  女性参加城乡居民基本养老保险人数: counts (万人/亿人); SS-03-1, SS-04-1 are rates (%).
* 基本医疗保险参保人数中女性比例: women's share of the insured, not the rate SS-03-1.
* 法律援助受援人中女性比例, 成人本专科在校生中女生比例: shares; LA-09-1 and ED-08-1 are
  counts.
* 女性文盲率(15岁及以上), 15岁及以上女性文盲率, 文盲率(15岁及以上), 文盲率(总): aged 15+
  (mostly older people); ED-09-1 is the illiteracy rate of adults aged 15-50 (青壮年).
* 女性平均受教育年限(6岁及以上): aged 6+, another base than the 15+ series of ED-09-2.
* 人均预期寿命 (全国, 四川), 男性人均预期寿命 (四川): HE-01-1 is women's only.
* 农村适龄妇女宫颈癌及癌前病变早诊率, 农村适龄妇女宫颈癌及癌前病变早治率,
  乳腺癌及癌前病变治疗率: rates within the rural screening programme (lesions found);
  HE-03-1 is screening coverage, HE-03-5 the treatment rate of cervical cancer patients.
* 城镇残疾人登记失业率 (both sexes, unemployment), 福利企业残疾职工中女性比重,
  福利企业女性残疾职工人数, 福利企业残疾职工人数 (welfare enterprises only): not EC-02-3,
  the employment rate of disabled women.
* 城乡最低生活保障平均标准: a benefit level (元/月); SS-06-1 counts women receiving it.
* 公有制企事业单位专业技术人员中女性比例, 公有制企事业单位女性专业技术人员,
  女性高级专业技术人员: all professional staff, or a count; EC-04-2 is senior staff, %.
* 高中阶段在校生中女生比例, 高中阶段在校生中女生人数: all upper-secondary pupils; ED-06-1 is
  secondary vocational education only.

Not mapped: no catalog indicator
--------------------------------
Education: 义务教育在校生中女生人数, 义务教育在校生中女生比例, 九年义务教育在校生中女生人数,
九年义务教育在校生中女生比例, 小学学龄女童净入学率, 学前教育在园儿童中女童比例,
学前教育在园女童人数, 学前教育在园幼儿人数, 学前教育毛入园率, 普通高中在校生中女生人数,
普通高中在校生中女生比例, 普通本专科在校生中女生人数, 高等学校在校生中女生比例, 普通本专科在校生中女生比例,
普通、职业本专科在校生中女生人数, 普通、职业本专科在校生中女生比例,
高等职业本专科在校生中女生人数, 高等职业本专科在校生中女生比例, 高等教育在校生中女生人数,
高等教育在校生中女生比例, 高等教育毛入学率, 研究生中女性比例, 女研究生人数,
女研究生在校生人数, 硕士研究生在校生中女生比例, 博士研究生在校生中女生比例.
Health: 产前检查率, 产前筛查率, 产后访视率, 婚前医学检查率, 孕产妇住院分娩率,
孕产妇中高危产妇比重, 妇女常见病筛查率, 查出妇女病率, 婴儿死亡率 and 5岁以下儿童死亡率
(children's outline);
counts of services: 免费宫颈癌筛查累计人次(2009-2024), 免费乳腺癌筛查累计人次(2009-2024),
农村妇女免费宫颈癌筛查累计人次(约10年), 农村妇女免费乳腺癌筛查累计人次(约10年),
农村适龄妇女宫颈癌检查人数, 农村适龄妇女乳腺癌检查人数, 免费婚检服务拟婚人群,
免费孕前优生健康检查, 农村育龄妇女免费增补叶酸.
Employment counts (the catalog has shares only): 城镇单位女性就业人员,
城镇非私营单位就业人员中女性人数, 女性就业人数, 女性就业人员.
Other: 《纲要》可监测重点统计指标达标率, 中央机关及其直属机构新录用公务员中女性比例,
执行《女职工劳动保护特别规定》的企业比重, 农村贫困人口, 农村贫困发生率,
刑事案件受害人中女性比重, 拐卖妇女儿童案件立案数, 地级及以上城市PM2.5年均浓度,
城市人均公园绿地面积, 城市建成区绿化覆盖率, 城市污水处理率, 城市生活垃圾无害化处理率.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CATALOG_CSV = ROOT / "analysis" / "catalog" / "indicators.csv"
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUTPUT = ROOT / "data" / "raw" / "national" / "national_outline_monitoring_reports.csv"
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from analysis.files import write_whole  # noqa: E402

INPUT_FILES = (
    "national_2010_2020.csv",
    "national_2020_2024.csv",
    "local_sichuan_leshan_jinkouhe.csv",
)
GRADED_FILE = "higher_levels_2017_2024.csv"
GRADED_COLUMNS = ["indicator_zh", "level", "year", "value", "unit", "kind", "grade", "quote", "source"]
GRADED_LEVELS = {"全国": "全国", "四川": "四川"}  # 成都 is reference only (the shared README)
MACHINE_REWRITTEN = ("机器改写", "同义替换")  # said in a source_title: grade C
# Titles of pages the graded file names by address only (from the project's stored pages).
TITLES = {
    "http://isenbj.cn/e/action/ShowInfo.php?classid=76&id=87481":
        "四川省发布2018年健康状况白皮书:全省人均期望寿命增至77.1岁(艾森新闻网转载)",
    "https://m.gmw.cn/toutiao/2023-11/01/content_1303556954.htm":
        "四川人均期望寿命增至77.91岁(光明网,来源:四川发布;《2022年四川省人群健康状况及重点疾病报告》)",
    "http://www.ny26zhong.com/n2/2024/1225/c345167-41086840.html":
        "《2023年四川省人群健康状况及重点疾病报告》发布 四川人均预期寿命78.5岁(人民网四川频道稿件的繁体转载页)",
    "https://www.stats.gov.cn/english/PressRelease/202401/t20240115_1946563.html":
        "NBS: Statistical Monitoring Report of China National Program for Women's Development (2021-2030) in 2022 (EN)",
}  # fmt: skip
UNTITLED = "（共享数据未记录页面标题）"
INPUT_COLUMNS = ["indicator_zh", "unit", "year", "value", "region",
                 "source_url", "source_title", "quote"]  # fmt: skip
OUTPUT_COLUMNS = ["indicator_id", "region", "year", "sex", "urban_rural", "value", "unit",
                  "source", "source_url", "quote", "note"]  # fmt: skip

# shared region -> (project region, urban_rural)
REGIONS = {
    "全国": ("全国", ""),
    "城市": ("全国", "城镇"),
    "农村": ("全国", "农村"),
    "四川": ("四川省", ""),
}
REGION_ORDER = {"全国": 0, "四川省": 1}
SEX_ORDER = {"": 0, "女": 1, "男": 2}
URBAN_RURAL_ORDER = {"": 0, "城镇": 1, "农村": 2}
FROM_REGION = None  # urban_rural taken from the shared region (城市 -> 城镇, 农村 -> 农村)


@dataclass(frozen=True)
class Target:
    indicator_id: str
    sex: str = ""
    urban_rural: str | None = FROM_REGION
    note: str = ""  # written into every row's note: the approximation, if any


AGE_15 = "近似匹配：15岁及以上人口口径"
ELECTED = ("口径：{body}（届期{term}，届内有效），与本区比较的是区人大/区政协，层级不同的机构，"
           "不是下级各区县的合计")  # fmt: skip
BOTH_SEXES = "近似匹配：全国值为男女合计，目录目标按女性数值评估"

# shared indicator_zh -> catalog indicator. The shared unit must equal the catalog unit.
MAPPING: dict[str, Target] = {
    # Exact. HE-01-1 is female by definition, without sex breakdown: its total (sex empty).
    "女性人均预期寿命": Target("HE-01-1"),
    # Exact; 城市/农村 rows become urban_rural 城镇/农村.
    "孕产妇死亡率": Target("HE-02-1"),
    # Same definition; the bureau's published gap (rural minus urban), not computed here.
    "孕产妇死亡率城乡差": Target(
        "HE-02-2", note="国家统计局公布的城乡差（农村减城市），非本项目计算值"
    ),
    "孕产妇系统管理率": Target("HE-02-4"),
    # Exact; the 2014 value is the PMTCT programme's (row note).
    "艾滋病母婴传播率": Target("HE-05-1"),
    # Approximate: women aged 20+ (national fitness survey); the catalog names no age.
    "20岁及以上女性经常参加体育锻炼人数比例": Target(
        "HE-09-1", note="近似匹配：口径为20岁及以上女性，目录未限定年龄"
    ),
    # Approximate: both sexes; the catalog target is assessed on girls' values (not given).
    "九年义务教育巩固率": Target("ED-04-1", note=BOTH_SEXES),
    "高中阶段毛入学率": Target("ED-05-1", note=BOTH_SEXES),
    # Same definition: men's share with basic scientific literacy minus women's, in points.
    "公民科学素质水平性别差": Target(
        "ED-07-3", note="国家统计局公布的科学素质水平性别差（男性减女性）"
    ),
    # Approximate: population aged 15+ (2020 census); the catalog names no age base.
    "女性平均受教育年限(15岁及以上)": Target("ED-09-2", sex="女", note=AGE_15),
    "15岁及以上人口平均受教育年限(女性)": Target("ED-09-2", sex="女", note=AGE_15),
    "男性平均受教育年限(15岁及以上)": Target("ED-09-2", sex="男", note=AGE_15),
    "15岁及以上人口平均受教育年限(男性)": Target("ED-09-2", sex="男", note=AGE_15),
    "15岁及以上人口平均受教育年限": Target("ED-09-2", note=AGE_15 + "，男女合计"),
    "15岁及以上人口平均受教育年限(总)": Target("ED-09-2", note=AGE_15 + "，男女合计"),
    "就业人员中女性比例": Target("EC-02-1"),
    # Elected bodies of the higher level: a term value, with a scope note (see the docstring).
    "全国人大代表中女性比例": Target("DM-03-1", note="ELECTED:全国人民代表大会"),
    "全国人大代表中女性比例(十三届,2018–2023)": Target("DM-03-1", note="ELECTED:全国人民代表大会"),
    "全国人大代表中女性比例(十四届,2023–2028)": Target("DM-03-1", note="ELECTED:全国人民代表大会"),
    "全国政协委员中女性比例(十三届,2018–2023)": Target("DM-03-4", note="ELECTED:全国政协"),
    "全国政协委员中女性比例": Target("DM-03-4", note="ELECTED:全国政协"),
    "省人大代表中女性比例(十三届)": Target("DM-03-1", note="ELECTED:四川省人民代表大会"),
    # The graded file names urban and rural in the indicator, not the region.
    "孕产妇死亡率(城市)": Target("HE-02-1", urban_rural="城镇"),
    "孕产妇死亡率(农村)": Target("HE-02-1", urban_rural="农村"),
    # Approximate: NBS scope is public-sector enterprises and institutions.
    "高级专业技术人员中女性比例": Target("EC-04-2", note="近似匹配：口径为公有制企事业单位"),
    "村委会成员中女性比例": Target("DM-08-3"),
    "村委会主任中女性比例": Target("DM-08-4"),
    # Same statistic: 居委会 is the 社区居民委员会.
    "居委会成员中女性比例": Target("DM-09-3", note="原指标名“居委会成员中女性比例”"),
    "居委会主任中女性比例": Target("DM-09-4", note="原指标名“居委会主任中女性比例”"),
    # Exact. Rural by definition, no urban/rural breakdown in the catalog: the total.
    "农村自来水普及率": Target("EN-06-1", urban_rural=""),
    "农村卫生厕所普及率": Target("EN-07-1", urban_rural=""),
}

# Left out on purpose; the docstring gives the reason for each (checked at run time).
NOT_MAPPED = frozenset({
    # close to a catalog indicator, but not the same statistic or unit
    "企业董事会中女性比例", "企业监事会中女性比例",
    "企业董事会中女职工董事比例", "企业监事会中女职工监事比例", "企业职工董事中女性比例",
    "全国人大女代表人数", "全国政协女委员人数", "城镇非私营单位就业人员中女性比例",
    "村班子(村“两委”)成员中妇女比例(2021–2022集中换届)",
    "宫颈癌筛查率(35–64岁,曾筛查,抽样调查2023–2024)", "宫颈癌筛查率(35–44岁)",
    "宫颈癌筛查率(20岁及以上)", "宫颈癌筛查率(农村35–64岁)", "高等学校在校生中女生比例", "5岁以下儿童死亡率",
    "女性参加生育保险人数", "失业保险女性参保人数", "工伤保险女性参保人数",
    "法律援助女性受援人数", "成人本专科在校生中女生人数",
    "基本医疗保险女性参保人数", "职工基本医疗保险女性参保人数", "女性参加基本医疗保险人数",
    "女性参加职工基本医疗保险人数", "女性参加城乡居民基本医疗保险人数",
    "女性参加基本养老保险人数", "女性参加城乡居民基本养老保险人数",
    "基本医疗保险参保人数中女性比例", "法律援助受援人中女性比例", "成人本专科在校生中女生比例",
    "女性文盲率(15岁及以上)", "15岁及以上女性文盲率", "文盲率(15岁及以上)", "文盲率(总)",
    "女性平均受教育年限(6岁及以上)", "人均预期寿命", "男性人均预期寿命",
    "农村适龄妇女宫颈癌及癌前病变早诊率", "农村适龄妇女宫颈癌及癌前病变早治率",
    "乳腺癌及癌前病变治疗率", "城镇残疾人登记失业率",
    "福利企业残疾职工中女性比重", "福利企业女性残疾职工人数", "福利企业残疾职工人数",
    "城乡最低生活保障平均标准", "公有制企事业单位专业技术人员中女性比例",
    "公有制企事业单位女性专业技术人员", "女性高级专业技术人员",
    "高中阶段在校生中女生比例", "高中阶段在校生中女生人数",
    # no catalog indicator: education
    "义务教育在校生中女生人数", "义务教育在校生中女生比例",
    "九年义务教育在校生中女生人数", "九年义务教育在校生中女生比例", "小学学龄女童净入学率",
    "学前教育在园儿童中女童比例", "学前教育在园女童人数", "学前教育在园幼儿人数",
    "学前教育毛入园率", "普通高中在校生中女生人数", "普通高中在校生中女生比例",
    "普通本专科在校生中女生人数", "普通本专科在校生中女生比例",
    "普通、职业本专科在校生中女生人数", "普通、职业本专科在校生中女生比例",
    "高等职业本专科在校生中女生人数", "高等职业本专科在校生中女生比例",
    "高等教育在校生中女生人数", "高等教育在校生中女生比例", "高等教育毛入学率",
    "研究生中女性比例", "女研究生人数", "女研究生在校生人数",
    "硕士研究生在校生中女生比例", "博士研究生在校生中女生比例",
    # no catalog indicator: health, and counts of services
    "产前检查率", "产前筛查率", "产后访视率", "婚前医学检查率", "孕产妇住院分娩率",
    "孕产妇中高危产妇比重", "妇女常见病筛查率", "查出妇女病率", "婴儿死亡率",
    "免费宫颈癌筛查累计人次(2009-2024)", "免费乳腺癌筛查累计人次(2009-2024)",
    "农村妇女免费宫颈癌筛查累计人次(约10年)", "农村妇女免费乳腺癌筛查累计人次(约10年)",
    "农村适龄妇女宫颈癌检查人数", "农村适龄妇女乳腺癌检查人数", "免费婚检服务拟婚人群",
    "免费孕前优生健康检查", "农村育龄妇女免费增补叶酸",
    # no catalog indicator: employment counts, and the rest
    "城镇单位女性就业人员", "城镇非私营单位就业人员中女性人数", "女性就业人数", "女性就业人员",
    "《纲要》可监测重点统计指标达标率", "中央机关及其直属机构新录用公务员中女性比例",
    "执行《女职工劳动保护特别规定》的企业比重", "农村贫困人口", "农村贫困发生率",
    "刑事案件受害人中女性比重", "拐卖妇女儿童案件立案数", "地级及以上城市PM2.5年均浓度",
    "城市人均公园绿地面积", "城市建成区绿化覆盖率", "城市污水处理率", "城市生活垃圾无害化处理率",
})  # fmt: skip

# Rows of the graded file left out although graded A/B: (indicator_zh, level, year) -> why (docstring too).
DOUBTED = {
    ("省人大代表中女性比例(十三届)", "四川", "2018"):
        "the quote (共227名,占代表总数的25.6%) names no province, and the host (1010jz.com.cn) carries other "
        "provinces' “我省” releases (its 2017 “我省” maternal mortality of 29.36/10万 is not Sichuan's 18.63); "
        "not confirmed on another page",
}  # fmt: skip

# Observations (indicator_id, region, year, sex, urban_rural) whose sources disagree and
# that are left out; listed in the docstring too. None in the current shared files.
KNOWN_CONFLICTS: frozenset[tuple] = frozenset()

# What kind of page a source is, by host. Ranks: 0 the bureau's own; 1 an official site or
# the report's original publisher; 2 (any other host) a third-party reprint.
BUREAU_HOSTS = {"www.stats.gov.cn": "国家统计局官网页面（共享数据中最权威的来源）"}
OFFICIAL_HOSTS = {
    "big5.www.gov.cn": "中国政府网刊发的新华社稿件（全国妇联提供数据），非统计局原文",
    "www.scio.gov.cn": "国务院新闻办网站刊发的新华社报道，非统计局原文",
    "www.chinanews.com.cn": "中国新闻网报道，非统计局原文",
    "kr.xinhuanet.com": "新华网韩文版报道（引文为韩文），非统计局原文",
    "www.thepaper.cn": "澎湃新闻报道，非统计局原文",
    "health.china.com.cn": "中国网报道，非统计局原文",
    "global.chinadaily.com.cn": "中国日报网刊载的白皮书英文本，非统计局监测报告",
    "www.womenofchina.cn": "中国妇女网英文版（全国妇联）摘要，非统计局原文",
    "m.womenofchina.cn": "中国妇女网英文版（全国妇联）摘要，非统计局原文",
    "en.theorychina.org.cn": "官方网站转载的统计局英文报告",
}
REPRINT_NOTE = "第三方网站转载页，非原发布机构页面；用于论文前须核对国家统计局等原发布机构的原文"
HOST_NOTES = {  # said in addition to the rank's note
    "nx.4617.cn": "链接为经搜索引擎跳转的转载页，原文为澎湃新闻2022-08-09报道",
    "reportify.cn": "摘要网站（共享数据说明：部分2024年教育、就业数值来自摘要网站）",
    "m.jinchutou.com": "文档分享网站上的第三方分析文章（引卫健委数据）",
    "asiacity.news": "英文新闻摘要",
}
# Words in source_title flagging a weaker page: said in the note, and ranked lower.
TITLE_FLAGS = {
    "非统计局监测报告": "来源标题注明：非国家统计局监测报告",
    "非监测报告": "来源标题注明：非监测报告原文",
    "机器改写": "转载文字经机器改写，措辞与原文不同",
    "同义替换": "转载文字经同义替换，措辞与原文不同",
    "摘要": "摘要页，非报告全文",
    "summary": "摘要页，非报告全文",
}
# A title naming the bureau or its monitoring report ranks first among otherwise equal pages.
BUREAU_REPORT_WORDS = ("国家统计局", "统计局", "统计监测报告", "NBS")
SICHUAN = "四川省数值（《2021年四川省人群健康状况及重点疾病报告》），非金口河区数据"
# Caveats of single rows: (shared indicator_zh, shared region, year) -> note.
ROW_NOTES = {
    ("20岁及以上女性经常参加体育锻炼人数比例", "全国", "2014"):
        "引文未写明年份和年龄口径，2014年和20岁及以上为共享数据整理者对页面的判读",
    ("公民科学素质水平性别差", "全国", "2024"): "引文写作“2.76%”，按上下文为百分点",
    ("艾滋病母婴传播率", "全国", "2014"): "口径：卫计委预防艾滋病母婴传播项目数据（项目地区），非全国全人群",
    ("女性人均预期寿命", "四川", "2021"): SICHUAN,
    ("孕产妇死亡率", "四川", "2021"): SICHUAN,
}  # fmt: skip


class NeedsDecision(Exception):
    """The shared files need a decision before they can be imported."""


def read_catalog_units(path: Path = CATALOG_CSV) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return {row["indicator_id"]: row["unit"] for row in csv.DictReader(f)}


def read_shared(folder: Path) -> list[dict[str, str]]:
    """Every value row of the shared files in one form, each with its ``grade`` (A, B or C)."""
    rows = []
    for name in INPUT_FILES:
        path = folder / name
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != INPUT_COLUMNS:
                raise NeedsDecision(f"{path}: columns {reader.fieldnames}, not {INPUT_COLUMNS}")
            for line, row in enumerate(reader, start=2):
                rows.append({**row, "file": name, "line": str(line), "grade": ""})
    titles = {r["source_url"]: r["source_title"] for r in rows}
    path = folder / GRADED_FILE
    graded = []
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != GRADED_COLUMNS:
            raise NeedsDecision(f"{path}: columns {reader.fieldnames}, not {GRADED_COLUMNS}")
        for line, row in enumerate(reader, start=2):
            if row["kind"] != "value" or row["level"] not in GRADED_LEVELS:
                continue  # targets: analysis/catalog/targets_by_level.csv; 成都: reference only
            if (row["indicator_zh"], row["level"], row["year"]) in DOUBTED:
                continue  # attributed to a level the page does not name (DOUBTED)
            url = row["source"]
            title = TITLES.get(url) or titles.get(url) or f"{host(url)}{UNTITLED}"
            graded.append({"indicator_zh": row["indicator_zh"], "unit": row["unit"], "year": row["year"],
                           "value": row["value"], "region": GRADED_LEVELS[row["level"]], "source_url": url,
                           "source_title": title, "quote": row["quote"], "file": GRADED_FILE,
                           "line": str(line), "grade": row["grade"]})  # fmt: skip
    c_hosts = {host(r["source_url"]) for r in graded if r["grade"] == "C"}
    for row in rows:
        weak = host(row["source_url"]) in c_hosts or any(w in row["source_title"] for w in MACHINE_REWRITTEN)
        row["grade"] = "C" if weak else "B"
    return rows + graded


def host(url: str) -> str:
    return urlsplit(url).hostname or ""


def rank(row: dict[str, str]) -> tuple:
    """Sort key among equal duplicates: the most authoritative page first, then by URL."""
    h = host(row["source_url"])
    kind = 0 if h in BUREAU_HOSTS else 1 if h in OFFICIAL_HOSTS or row["grade"] == "A" else 2
    flags = sum(word in row["source_title"] for word in TITLE_FLAGS) + (h in HOST_NOTES)
    not_bureau_report = not any(word in row["source_title"] for word in BUREAU_REPORT_WORDS)
    return (row["grade"] == "C", kind, UNTITLED in row["source_title"], flags, not_bureau_report,
            row["source_url"], row["source_title"], row["quote"])


def page_notes(row: dict[str, str]) -> list[str]:
    h = host(row["source_url"])
    notes = [BUREAU_HOSTS.get(h) or OFFICIAL_HOSTS.get(h) or REPRINT_NOTE]
    if h in HOST_NOTES:
        notes.append(HOST_NOTES[h])
    notes += [text for word, text in TITLE_FLAGS.items() if word in row["source_title"]]
    return list(dict.fromkeys(notes))


def check_decisions(shared: list[dict[str, str]], units: dict[str, str]) -> list[str]:
    """Every shared indicator is mapped or listed, in the docstring, onto catalog indicators."""
    problems = []
    unknown = sorted({r["indicator_zh"] for r in shared} - set(MAPPING) - NOT_MAPPED)
    if unknown:
        problems.append("neither mapped nor listed as not mapped: " + ", ".join(unknown))
    undocumented = sorted(n for n in NOT_MAPPED | set(MAPPING) if n not in (__doc__ or ""))
    if undocumented:
        problems.append("not named in the docstring: " + ", ".join(undocumented))
    for name, target in sorted(MAPPING.items()):
        if target.indicator_id not in units:
            problems.append(f"{name}: {target.indicator_id} is not in the catalog")
    return problems


def build(shared: list[dict[str, str]], units: dict[str, str]) -> tuple[list[dict], dict]:
    """The output rows and a summary; raises NeedsDecision when a decision is needed."""
    problems = check_decisions(shared, units)
    groups: dict[tuple, list[dict[str, str]]] = defaultdict(list)
    for row in shared:
        target = MAPPING.get(row["indicator_zh"])
        if target is None:
            continue
        where = f"{row['file']}:{row['line']}"
        unit = units.get(target.indicator_id)
        if row["unit"] != unit:
            problems.append(f"{where}: unit {row['unit']!r}, not {target.indicator_id}'s {unit!r}")
            continue
        if row["region"] not in REGIONS:
            problems.append(f"{where}: unknown region {row['region']!r}")
            continue
        region, urban_rural = REGIONS[row["region"]]
        if target.urban_rural is not FROM_REGION:
            urban_rural = target.urban_rural
        key = (target.indicator_id, region, int(row["year"]), target.sex, urban_rural)
        groups[key].append({**row, "target_note": target.note})
    if problems:
        raise NeedsDecision("\n".join(problems))

    out, conflicts, merged, unconfirmed = [], [], 0, []
    for key, rows in groups.items():
        confirmed = {float(r["value"]) for r in rows if r["grade"] in ("A", "B")}
        leads = [r for r in rows if r["grade"] == "C" and float(r["value"]) not in confirmed]
        if leads:  # a grade C page is a lead only: used when an A or B page states the same figure
            unconfirmed += [(key, r["value"], r["source_url"]) for r in leads]
            rows = [r for r in rows if r not in leads]
            if not rows:
                continue
        kept = rows
        if len({float(r["value"]) for r in rows}) > 1:
            bureau = {float(r["value"]) for r in rows if host(r["source_url"]) in BUREAU_HOSTS}
            if len(bureau) != 1:
                conflicts.append((key, sorted((r["value"], r["source_url"]) for r in rows)))
                continue
            kept = [r for r in rows if float(r["value"]) in bureau]
        kept = sorted(kept, key=rank)
        best, others = kept[0], kept[1:]
        merged += len(rows) - 1
        notes = page_notes(best)
        if best["target_note"].startswith("ELECTED:"):
            year = int(best["year"])
            notes.insert(0, ELECTED.format(body=best["target_note"].split(":", 1)[1], term=f"{year}—{year + 5}年"))
        elif best["target_note"]:
            notes.append(best["target_note"])
        if best["grade"] == "A" and notes[0] == REPRINT_NOTE:
            notes[0] = "官方媒体或原发布机构页面（共享数据评级A），非统计局原文"
        if any(r["grade"] == "C" for r in rows):
            notes.append("另有C级（摘要或机器改写）页面给出同一数值，未作引用")
        if row_note := ROW_NOTES.get((best["indicator_zh"], best["region"], best["year"])):
            notes.append(row_note)
        if len(kept) < len(rows):
            dropped = "、".join(sorted({r["value"] for r in rows if r not in kept}))
            notes.append(f"其他来源给出不同数值（{dropped}），采用国家统计局官网数值")
        if other_urls := sorted({r["source_url"] for r in others} - {best["source_url"]}):
            notes.append("同一数值另见：" + "；".join(other_urls))
        indicator_id, region, year, sex, urban_rural = key
        out.append({
            "indicator_id": indicator_id, "region": region, "year": str(year), "sex": sex,
            "urban_rural": urban_rural, "value": best["value"], "unit": best["unit"],
            "source": best["source_title"], "source_url": best["source_url"],
            "quote": best["quote"], "note": "；".join(notes),
        })  # fmt: skip
    new = sorted(k for k, _ in conflicts if k not in KNOWN_CONFLICTS)
    if new:
        detail = "\n".join(f"  {k}: {v}" for k, v in sorted(conflicts) if k in new)
        raise NeedsDecision(f"sources disagree; list in KNOWN_CONFLICTS and docstring:\n{detail}")
    out.sort(key=lambda r: (r["indicator_id"], REGION_ORDER[r["region"]], int(r["year"]),
                            SEX_ORDER[r["sex"]], URBAN_RURAL_ORDER[r["urban_rural"]]))  # fmt: skip
    not_mapped = sorted({r["indicator_zh"] for r in shared} & NOT_MAPPED)
    summary = {"merged": merged, "conflicts": conflicts, "not_mapped": not_mapped,
               "shared_rows": len(shared), "unconfirmed": sorted(set(unconfirmed))}  # fmt: skip
    return out, summary


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    """The output table, written whole or not at all."""

    def write(tmp: Path) -> None:
        # UTF-8 with BOM, so that Excel shows the Chinese text; the project reads either.
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=OUTPUT_COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    write_whole(path, write)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=DEFAULT_SHARED,
                        help="shared CSV folder (default: ../shared/data)")  # fmt: skip
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the CSV to write")
    args = parser.parse_args(argv)
    try:
        rows, summary = build(read_shared(args.shared.resolve()), read_catalog_units())
    except (NeedsDecision, OSError) as error:
        print(f"import_national_figures: {error}", file=sys.stderr)
        return 1
    write_rows(args.output, rows)
    counts: dict[str, int] = defaultdict(int)
    for row in rows:
        counts[row["indicator_id"]] += 1
    print(f"wrote {len(rows)} rows to {args.output} from {summary['shared_rows']} shared rows: "
          f"{summary['merged']} repeated rows merged, {len(summary['not_mapped'])} shared "
          f"indicators not mapped, {len(summary['conflicts'])} conflicts left out, "
          f"{len(summary['unconfirmed'])} grade C rows unconfirmed")  # fmt: skip
    for indicator_id, n in sorted(counts.items()):
        print(f"  {indicator_id}: {n}")
    for key, values in summary["conflicts"]:
        print(f"  conflict left out: {key} {values}")
    for key, value, url in summary["unconfirmed"]:
        print(f"  grade C, no A/B page with the same figure, left out: {key} {value} {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
