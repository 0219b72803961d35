"""Write the published 乐山市 / 四川省 / 全国 comparison figures into data/raw/comparison/, with provenance.

    python scripts/import_comparison_figures.py [--output FILE]

Every figure below was read on a public page found through the project's search of stored web
pages (no live internet, November 2026). Each keeps the page's title (``source``), its address
(``source_url``) and the sentence on the page that states the number (``quote``, copied
verbatim, including the traditional characters or stray conversion marks of a reprint). The
script checks, before writing anything, that

* the indicator is in analysis/catalog/indicators.csv and the unit is the catalog's unit;
* the region is one of analysis/catalog/regions.csv (全国, 四川省, 乐山市);
* the quote contains the value exactly as written (so a typo in either is caught);
* no observation (indicator, region, year, sex, urban_rural) is also in
  data/raw/national/ (the ingest would otherwise store one as a revision of the other);
* no observation appears twice.

Nothing is estimated, converted or back-calculated: a value is here only if a page says it.

What was looked for and not used
--------------------------------
* 乐山市: nothing. The stored pages hold the 2022 and 2023 乐山市国民经济和社会发展统计公报 and
  tables of the 乐山统计年鉴 (stjj.leshan.gov.cn), but the retrievable passages give GDP,
  prices and health staff counts, none of the catalog's indicators; no 乐山 卫生健康统计公报 or
  妇女儿童发展纲要监测报告 was found. The Leshan rows are therefore empty, and the README says so.
* 四川省 孕产妇死亡率 2022 (13.09/10万): the only page giving it is a machine-rewritten
  reprint ("孕产妇崛起率为13.09/10万"), whose sentence does not state the statistic; left out.
* 四川省 孕产妇系统管理率, 两癌筛查率, 农村自来水普及率, 村委会/居委会成员中女性比例,
  就业人员中女性比例, 社会保险参保率: no page found stating them (农村卫生厕所普及率 2021 was found
  in the second round, below).
  (Counts of 两癌 screenings in Sichuan, e.g. 84.83万 in 2021, are numbers of women screened,
  not the coverage rate HE-03-1, so they are not used.)
* 四川省 高中阶段毛入学率 92.71% (a 2019 press conference): the year of the figure is not
  stated; left out. Likewise 四川 义务教育巩固率 96.84% and 高中阶段毛入学率 94.95% (a 四川省政府
  新闻办 press conference of 2025-11-14 on the 十四五, 中新网 via a reprint): "十四五期间……提升至",
  no year stated; left out.
* 四川省 党员总数中女性比例 28.1% (截至2021年6月5日, "省委组织部发布最新党内统计数据", 540.66万名
  党员): the retrievable text says only "全省"/"我省" and never names the province; left out (the same
  rule as the 25.6% NPC share below).
* 四川省 (second search round, November 2026), not found on any stored page: 《四川省妇女发展纲要
  （2021—2030年）》统计监测报告 (any year); 四川省卫生健康事业发展统计公报 (孕产妇系统管理率, 住院分娩率);
  四川省教育事业统计公报; 四川 互联网普及率 after 2015 (the 2015 figure, 40%, quoted in a 成都 report, is
  kept as context); 四川 农村自来水普及率 (only 成都市 91.8% and targets); 村（居）委会
  成员中女性比例 after the 2021 换届; 就业人员中女性比例; 基本医疗/养老保险参保率; 第七次人口普查 women's
  average years of schooling (only both sexes, already here); 四川 公民具备科学素质的比例 (2010 and
  targets only); 四川 艾滋病母婴传播率.
* 全国 (second round), looked for and not found or not usable: R&D人员中女性比例 (only 科技人力资源中
  女性 40.1% in 2019, 中国科协: another population, not used); 高级专业技术人员中女性比例 after 2017
  (2017: 39.3%, before the period); 居委会成员中女性比例 and 村委会主任中女性比例 after 2018; 十四届全国
  政协 women's share (not found); 社会组织从业人员中女性比例; 基本医疗保险参保率 and 基本养老保险参保率 as
  rates. 孕产妇艾滋病、梅毒和乙肝检测率 "达到99%以上" (国家卫生健康委, 2023 and 2024): a bound, not a
  value, so HE-05-4 is not filled.
* New in the second round: 全国 中等职业教育在校生中女生比例 (ED-06-1) 2021, 41.8% (国家统计局 2021年
  监测报告, via 中国教育在线 reprint); 全国 先天梅毒发病率 (HE-05-2) 2023, 6.3/10万 (国家卫生健康委 press
  conference 2024-10-18, via reprints; "报告发病率", per 10万 live births); 四川省 农村卫生厕所普及率
  (EN-07-1) 2021, 87% (四川省农业农村厅, via a mirror of the provincial government's page); 四川省
  互联网普及率 (EN-04-1) 2015, 40% (stated in CNNIC's 2015 成都 report, via 四川在线; before the period,
  context only).
* 四川省 妇女人均预期寿命 2018 and 2022, 孕产妇死亡率 2023: now imported with the graded shared file
  (higher_levels_2017_2024.csv) by scripts/import_national_figures.py, so no longer here.
* 全国 公民具备科学素质的比例 (ED-07-2): 2020 and 2022 (人民日报, via reprints), 2023 total and by
  sex (中新社, via reprints; the women's value 12.53% is the one a women's comparison uses). The
  gender gap ED-07-3 (men minus women) is *not* computed from them.
* 全国 艾滋病母婴传播率 (HE-05-1) 2023, 1.3% (国家疾控局 press conference, via a reprint).
* 全国 党员总数中女性比例 (DM-02-1) 2021 and 2023 (中共中央组织部 党内统计, via reprints) and
  互联网普及率 (EN-04-1, both sexes) 2023 (CNNIC, via reprints). CNNIC's 2021 figure (73.0%) was
  found only on a machine-converted page (and misdated on another), so it is not used.
* 全国: the other national figures are in data/raw/national/; new here are
  农村自来水普及率 2020-2023 and 2025 (水利部, via 新华社 and 央视网) and 农村卫生厕所普及率 2025
  ("77%左右", 农业农村部; an approximate figure, said so in its note). Left out: 农村卫生厕所普及率
  77.5% (联合早报 on an NPC report of 2022-10: the year it refers to is not stated) and 80.3%
  (2016, 全国爱卫办: the older health-department series, not comparable with 农业农村部's);
  妇女在村班子中占28.1% (2022): 村班子 is the village party branch and committee together,
  not DM-08-3 村委会成员.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from analysis.files import write_whole  # noqa: E402

CATALOG_CSV = ROOT / "analysis" / "catalog" / "indicators.csv"
REGIONS_CSV = ROOT / "analysis" / "catalog" / "regions.csv"
NATIONAL_CSV = ROOT / "data" / "raw" / "national" / "national_outline_monitoring_reports.csv"
DEFAULT_OUTPUT = ROOT / "data" / "raw" / "comparison" / "comparison_figures.csv"
COLUMNS = ["indicator_id", "region", "year", "sex", "urban_rural", "value", "unit",
           "source", "source_url", "quote", "note"]  # fmt: skip
LEVELS = ("全国", "四川省", "乐山市")  # the comparison levels, in the order rows are written

REPRINT = "第三方网站转载页，非原发布机构页面；用于论文前须核对原发布机构原文"
SC_HEALTH_REPORT = "四川省卫生健康委《四川省人群健康状况及重点疾病报告》数值，非金口河区数据"
AGE_15 = "近似匹配：15岁及以上人口口径（第七次全国人口普查），男女合计；目录未限定年龄"
MWR = "水利部统计口径（农村自来水普及率），新华社报道"
CAST = "口径：中国科协公民科学素质抽样调查（18—69岁公民）"
PARTY = "口径：中共中央组织部党内统计，全国党员总数中女党员的比例（年末）"
SPAM_HOST = ("第三方网站（页面含无关广告）对中新社稿件的转载，原文照录；用于论文前须核对中国科协或中新社原文")

# One dict per published figure. `value` is the text as published (it must occur in `quote`).
FIGURES: list[dict[str, str]] = [
    # --- 四川省: 妇女人均预期寿命 (HE-01-1, female by definition: sex empty) ---
    dict(indicator_id="HE-01-1", region="四川省", year="2014", value="79.29", unit="岁",
         source="四川省卫生计生委发布《2014年全省人群健康状况及重点疾病报告》(转载)",
         source_url="http://www.cdrx.net/m/article-35709-1.htm",
         quote="四川省2014年人均期望寿命达到76.06岁,其中男性73.54岁,女性79.29岁(高于男性5.75岁)。",
         note=f"{REPRINT}；{SC_HEALTH_REPORT}"),
    # --- 四川省: 平均受教育年限 (ED-09-2, both sexes) ---
    dict(indicator_id="ED-09-2", region="四川省", year="2010", value="8.35", unit="年",
         source="四川常住人口受教育程度显著提升但地区差异明显(转载四川省统计局第七次人口普查分析)",
         source_url="http://gdcenn.cn/a/202106/513498.html",
         quote="全省常住人口中,15岁及以上人口的平均受教育年限由8.35年上升至9.24年,提高了0.89年",
         note=f"{REPRINT}；{AGE_15}；2010年为第六次人口普查数"),
    dict(indicator_id="ED-09-2", region="四川省", year="2020", value="9.24", unit="年",
         source="四川常住人口受教育程度显著提升但地区差异明显(转载四川省统计局第七次人口普查分析)",
         source_url="http://gdcenn.cn/a/202106/513498.html",
         quote="全省常住人口中,15岁及以上人口的平均受教育年限由8.35年上升至9.24年,提高了0.89年",
         note=f"{REPRINT}；{AGE_15}"),
    # --- 四川省: 农村卫生厕所普及率 (EN-07-1, rural by definition: urban_rural empty) ---
    dict(indicator_id="EN-07-1", region="四川省", year="2021", value="87", unit="%",
         source="全省农村卫生厕所普及率达87%(四川省农业农村厅;四川省人民政府网站稿件的镜像转载页,记者王代强)",
         source_url="https://m.pouringspot.com/10462/12771/2022/6/9/deacbce5a83a45698a201de9eae5bda0.shtml",
         quote="截至2021年底,全省农村卫生厕所普及率已达87%。",
         note=f"{REPRINT}；页面明确为四川（“四川183个县(市、区)……统筹推进农村‘厕所革命’”，"
              "“农业农村厅相关负责人说”），网址路径与四川省人民政府网站相同；口径：四川省农业农村厅统计，"
              "截至年末，与全国2025年农业农村部口径同类"),
    # --- 四川省: 互联网普及率 (EN-04-1, both sexes) 2015 (quoted in the 成都 report; before the period) ---
    dict(indicator_id="EN-04-1", region="四川省", year="2015", value="40", unit="%",
         source="《2015年成都市互联网络发展状况报告》:成都网民规模883万 互联网普及率61.2%(四川在线稿件,第三方网站转载)",
         source_url="https://itol.com.cn/m/it/2016/0602/52559/1",
         quote="互联网普及率61.2%,高出四川省(40%)21个百分点,高出全国(50.3%)11个百分点。",
         note=f"{REPRINT}；四川省数值见于成都市网信办等委托中国互联网络信息中心编制的成都市报告（“截至2015年12月”），"
              "非四川省专门发布；男女合计；2015年，在纲要期之前，仅作背景"),
    # --- 全国: 公民具备科学素质的比例 (ED-07-2; 中国科协 survey, ages 18-69; women's values as sex 女) ---
    *[
        dict(indicator_id="ED-07-2", region="全国", year=year, value=value, unit="%",
             source="2022年我国公民具备科学素质比例达12.93%(人民日报2023-09-01,记者喻思南;第三方网站转载)",
             source_url="http://fangchan.smartjx.com/gj/2023/0901/253025204.html",
             quote="第十二次中国公民科学素质抽样调查结果显示,2022年我国公民具备科学素质比例达12.93%,"
                   "较2020年的10.56%提高了2.37个百分点",
             note=f"{REPRINT}；{CAST}；同一数值另见（人民日报稿件转载）http://g0988.com/jujiao/2023/0901/65559.html")
        for year, value in (("2020", "10.56"), ("2022", "12.93"))
    ],
    dict(indicator_id="ED-07-2", region="全国", year="2023", value="14.14", unit="%",
         source="中新社北京4月16日电(记者孙自法):第十三次中国公民科学素质抽样调查结果发布(第三方网站转载)",
         source_url="http://www.fanatic-surf.com/show/885686",
         quote="2023年中国公民具备科学素质的比例为14.14%,比2022年的12.93%提高了1.21个百分点",
         note=f"{SPAM_HOST}；{CAST}；同一数值另见 https://zzsj.com.cn/mv/zezk326467.html、"
              "联合早报 http://yzaobao.com/shiju/20240416/160174.html"),
    *[
        dict(indicator_id="ED-07-2", region="全国", year="2023", sex=sex, value=value, unit="%",
             source="中新社北京4月16日电(记者孙自法):第十三次中国公民科学素质抽样调查结果发布(第三方网站转载)",
             source_url="http://www.fanatic-surf.com/show/885686",
             quote="性别方面,2023年,男性公民和女性公民具备科学素质的比例分别达到15.66%和12.53%",
             note=f"{SPAM_HOST}；{CAST}；同一数值另见 https://zzsj.com.cn/mv/zezk326467.html")
        for sex, value in (("女", "12.53"), ("男", "15.66"))
    ],
    # --- 全国: 党员总数中女性比例 (DM-02-1; 中共中央组织部 党内统计公报, year end) ---
    dict(indicator_id="DM-02-1", region="全国", year="2021", value="29.4", unit="%",
         source="中共中央组织部最新党内统计数据：截至2021年底党员总数9671.2万名(中英双语稿件,微信公众号文章镜像页)",
         source_url="https://freewechat.com/a/MjM5MTc3MTg4MA==/2654149061/3",
         quote="党员队伍结构持续优化。女党员2843.1万名,占党员总数的29.4%。",
         note=f"{REPRINT}；{PARTY}"),
    dict(indicator_id="DM-02-1", region="全国", year="2023", value="30.4", unit="%",
         source="风传媒(storm.mg)引述新华社:截至2023年底中国共产党党员总数9918.5万名",
         source_url="https://storm.mg/article/5175502",
         quote="報導說,女性黨員數量為3018.5萬名,占黨員總數的30.4%,比上年提高0.5個百分點",
         note=f"台湾媒体转述新华社报道（繁体），非原发布机构页面；用于论文前须核对中共中央组织部党内统计公报原文；{PARTY}"),
    # --- 全国: 艾滋病母婴传播率 (HE-05-1) 2023 (国家疾控局 press conference) ---
    dict(indicator_id="HE-05-1", region="全国", year="2023", value="1.3", unit="%",
         source="国家疾控局“推动疾控事业高质量发展进展成效”专题新闻发布会(2024-12-27,人民网报道,第三方网站转载)",
         source_url="https://dushinv.com/news/8204.html",
         quote="全国艾滋病母婴传播率从2012年的7.1%降低到2023年的1.3%。",
         note=f"{REPRINT}；国家疾病预防控制局传染病防控司司长在新闻发布会上公布"),
    # --- 全国: 先天梅毒发病率 (HE-05-2) 2023 (国家卫生健康委 press conference, 2024-10-18) ---
    dict(indicator_id="HE-05-2", region="全国", year="2023", value="6.3", unit="1/10万",
         source="国家卫生健康委新闻发布会:我国孕产妇艾滋病、梅毒和乙肝检测率达到99%以上(2024-10-18,央视新闻客户端稿件,第三方网站转载)",
         source_url="http://lncm.cn/gongyi/2024/10/415.html",
         quote="先天梅毒报告发病率降至6.3/10万,较2011年下降90%以上;",
         note=f"{REPRINT}；年份：页面该句列于“2023年:”之下；同一数值另见中新社稿件转载（“2023年,全国艾滋病母婴传播率"
              "由干预实施前的34.8%降至1.3%;先天梅毒的报告发病率降至6.3/10万”）https://22cmj2.com/page/ZC3lZlRXIpCimu-149.html；"
              "口径：国家卫生健康委妇幼司公布的先天梅毒报告发病率（每10万活产）"),
    # --- 全国: 中等职业教育在校生中女生比例 (ED-06-1) 2021 (国家统计局 2021年监测报告) ---
    dict(indicator_id="ED-06-1", region="全国", year="2021", value="41.8", unit="%",
         source="高等教育女生占比持續超過半數(中國教育在線微信公眾號2023-04-21,引國家統計局2021年《中國婦女發展綱要(2021—2030年)》統計監測報告;第三方網站繁體轉載)",
         source_url="http://www.ebuy0431.cn/gundong/2023/0421/60863.html",
         quote="2021年,中等職業教育在校生中女生為726.6萬人,比2020年增加36.6萬人;占在校生的41.8%,提高0.3個百分點。",
         note=f"{REPRINT}（繁体转载，原句照录）；口径：国家统计局《中国妇女发展纲要（2021—2030年）》2021年统计监测报告，"
              "中等职业教育在校生中女生所占比重"),
    # --- 全国: 互联网普及率 (EN-04-1, both sexes; CNNIC, December) ---
    dict(indicator_id="EN-04-1", region="全国", year="2023", value="77.5", unit="%",
         source="中国互联网络信息中心发布第53次《中国互联网络发展状况统计报告》(中新网、新华社报道,第三方网站转载)",
         source_url="http://www.br-cn.com/static/content/news/ch_news/2024-03-23/1221110666473014022.html",
         quote="数据显示,截至2023年12月,中国网民规模达10.92亿人,互联网普及率达77.5%。",
         note=f"{REPRINT}；口径：中国互联网络信息中心（CNNIC）统计，截至年末，男女合计；同一数值另见 "
              "https://shuzhiren.com/post/122377.html"),
    # --- 全国: 农村自来水普及率 (EN-06-1, rural by definition: urban_rural empty) ---
    *[
        dict(indicator_id="EN-06-1", region="全国", year=year, value=value, unit="%",
             source="我国农村自来水普及率达到90%(新华社2024-01-11,中国西部网转载)",
             source_url="http://www.zgxbyx.cc/infoview.asp?id=22279",
             quote="水利部统计显示,2020年、2021年和2022年全国农村自来水普及率分别为83%、84%和87%。",
             note=f"{REPRINT}；{MWR}" + ("；同一数值另见（中国新闻网稿件转载）"
                                        "http://www.tyjgjz.com/cn/Instant/domestic/202212/t20221214_7327326.html"
                                        if year == "2022" else ""))
        for year, value in (("2020", "83"), ("2021", "84"), ("2022", "87"))
    ],
    dict(indicator_id="EN-06-1", region="全国", year="2023", value="90", unit="%",
         source="我国农村自来水普及率达到90%(新华社2024-01-11,中国西部网转载)",
         source_url="http://www.zgxbyx.cc/infoview.asp?id=22279",
         quote="水利部部长李国英11日在2024年全国水利工作会议上表示,2023年全国农村自来水普及率达到90%。",
         note=f"{REPRINT}；{MWR}"),
    dict(indicator_id="EN-06-1", region="全国", year="2025", value="96", unit="%",
         source="截至2025年底全国农村自来水普及率达到96%(央视网消息,网易号转载)",
         source_url="https://www.163.com/dy/article/KSO1OHLA0514R9KQ.html",
         quote="截至2025年底,全国农村自来水普及率达到96%、规模化供水工程覆盖农村人口比例达到71%",
         note=f"自媒体平台（网易号）转载央视网消息，非原发布机构页面；{MWR.replace('，新华社报道', '，央视网报道')}"),
    # --- 全国: 农村卫生厕所普及率 (EN-07-1) ---
    dict(indicator_id="EN-07-1", region="全国", year="2025", value="77", unit="%",
         source="农业农村部:我国农村卫生厕所普及率达77%左右(人民网2026-01-22,转载)",
         source_url="http://cesuo.langfei.net/web_show.asp?id=12236&type1_id=203&type2_id=257",
         quote="同时,农村人居环境持续改善,农村卫生厕所普及率达到77%左右",
         note=f"{REPRINT}；口径：农业农村部统计，原文为约数“77%左右”（2025年，农业农村部国新办发布会），"
              "与2012—2013年卫生部门口径（全国统计监测报告所引数据）不完全可比；"
              "同一数值另见 http://www.cisceindiaresults.com/cj/jjgc/2026-01-22/1841897.html"),
]  # fmt: skip


class Refused(Exception):
    """A figure breaks a rule; nothing is written."""


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def key(row: dict[str, str]) -> tuple[str, str, str, str, str]:
    return (row["indicator_id"], row["region"], str(row["year"]), row.get("sex", ""), row.get("urban_rural", ""))


def build(figures: list[dict[str, str]] = FIGURES) -> list[dict[str, str]]:
    units = {r["indicator_id"]: r["unit"] for r in _read(CATALOG_CSV)}
    regions = {r["region"] for r in _read(REGIONS_CSV)}
    national = {key(r) for r in _read(NATIONAL_CSV)}
    problems, seen, rows = [], set(), []
    for n, figure in enumerate(figures, start=1):
        row = {column: figure.get(column, "") for column in COLUMNS}
        where = f"figure {n} ({row['indicator_id']} {row['region']} {row['year']})"
        if row["indicator_id"] not in units:
            problems.append(f"{where}: not a catalog indicator")
        elif row["unit"] != units[row["indicator_id"]]:
            problems.append(f"{where}: unit {row['unit']!r}, catalog says {units[row['indicator_id']]!r}")
        if row["region"] in regions and row["region"] not in LEVELS:
            problems.append(f"{where}: region {row['region']} is not a higher level (全国, 四川省, 乐山市): "
                            "the district's and the towns' figures go in data/raw/<year>/, not here")
        elif row["region"] not in regions or row["region"] not in LEVELS:
            problems.append(f"{where}: region must be one of {LEVELS} (analysis/catalog/regions.csv)")
        if row["sex"] not in ("", "女", "男"):
            problems.append(f"{where}: sex must be empty (both sexes), 女 or 男")
        if not all(row[c] for c in ("source", "source_url", "quote")):
            problems.append(f"{where}: source, source_url and quote are all required")
        elif not row["source_url"].startswith(("http://", "https://")):
            problems.append(f"{where}: source_url must be the page's address (http:// or https://)")
        if row["value"] not in row["quote"]:
            problems.append(f"{where}: the quote does not state {row['value']!r}")
        if key(row) in national:
            problems.append(f"{where}: already in {NATIONAL_CSV.name}; keep one of the two")
        if key(row) in seen:
            problems.append(f"{where}: given twice")
        seen.add(key(row))
        rows.append(row)
    if problems:
        raise Refused("\n".join(problems))
    order = {level: i for i, level in enumerate(LEVELS)}
    return sorted(rows, key=lambda r: (order[r["region"]], r["indicator_id"], int(r["year"]), r["sex"], r["urban_rural"]))


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as f:  # BOM: Excel shows the Chinese text
            writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)

    write_whole(path, write)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the CSV to write")
    args = parser.parse_args(argv)
    try:
        rows = build()
    except Refused as error:
        print(f"import_comparison_figures: nothing written:\n{error}", file=sys.stderr)
        return 1
    write_rows(args.output, rows)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["region"]] = counts.get(row["region"], 0) + 1
    print(f"wrote {len(rows)} rows to {args.output}: " + ", ".join(f"{r} {counts.get(r, 0)}" for r in LEVELS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
