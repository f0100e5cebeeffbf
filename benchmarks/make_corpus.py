#!/usr/bin/env python3
"""Write a synthetic benchmark corpus of annual reports (.docx and HTML).

    python benchmarks/make_corpus.py OUT_DIR [--n 400] [--seed 0] [--jobs 2]

Every report is rendered through the layout functions of
``fixtures/make_fixtures.py`` (the same grids, docx builder and HTML
writers as the test fixtures), with varied data:

- agencies (province/city/county + department), reporting years 2019–2025
  and the matching template (2019 template for 2019–2020, 2021 after);
- numbers drawn at random and kept consistent with the hard rules
  (勾稽关系 H3.1–H3.3, H4.1): every report passes them, blank cells read as 0;
- section text of a typical length: 25–60 paragraphs, 1,300–5,300
  characters (median about 2,600, like the real reports in the shared
  corpus), and picture placeholders (a small PNG in docx, ``<img>`` in
  HTML) with captions;
- layouts, half of the reports docx and half HTML:

  ============== ======================================================
  docx-official  official merge layout (gridSpan, vMerge), visible 一、
  docx-word      Word features: heading numbers from numbering styles,
                 表二 as four tables, 表三 split at a page break with
                 repeated headers, 表四 on a 17-column grid with hMerge,
                 content controls, tracked changes, a field result
  html-cms       CMS page (nav, sidebar, footer, scripts), UTF-8
  html-gbk       the same page in GBK with no charset declared
  html-sloppy    legacy page: report inside a layout table, unclosed
                 tags, th, thead/tbody, bad spans, Word span fragments
  html-one-label 表三 with one label column, 表四 transposed
  html-two-label 表三 with two label columns, 表四 flattened, label noise
  html-numbers   number notations: full-width digits, units, thousands
                 separators, placeholders, annotated cells
  ============== ======================================================

The docx files start from python-docx's default template with its styles
part cut down to the styles in use plus Word's latent-style table, so a
styles.xml has the size of a real report's (20–30 KB, like the blank
official template) rather than python-docx's 349 KB.

Output is deterministic for a given ``--seed`` (whatever ``--jobs``): each
report draws from its own ``random.Random`` seeded with the seed and its
index; docx packages have fixed timestamps. ``MANIFEST.tsv`` lists every
file with its format, layout, template, year and agency.

Needs python-docx and lxml (``pip install -e '.[test]'``); it does not use
the ``extractor`` package.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
import zipfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "fixtures"))

import docx  # noqa: E402
from lxml import etree  # noqa: E402

import make_fixtures as mf  # noqa: E402

LAYOUTS = {
    "docx": [("docx-official", 6), ("docx-word", 4)],
    "html": [("html-cms", 30), ("html-gbk", 15), ("html-sloppy", 20), ("html-one-label", 10),
             ("html-two-label", 10), ("html-numbers", 15)],
}

# ---------------------------------------------------------------------------
# agencies
# ---------------------------------------------------------------------------

PLACES = [
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "江苏省", "浙江省",
    "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省",
    "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "石家庄市", "太原市", "沈阳市", "长春市", "南京市",
    "苏州市", "无锡市", "淮安市", "宿迁市", "杭州市", "宁波市", "温州市", "合肥市", "福州市", "厦门市",
    "南昌市", "济南市", "青岛市", "威海市", "郑州市", "武汉市", "宜昌市", "长沙市", "广州市", "深圳市",
    "成都市", "贵阳市", "昆明市", "西安市", "兰州市", "海口市", "平潭综合实验区", "洪泽区", "沭阳县",
    "江宁区", "余杭区", "鼓楼区", "高新区", "经济技术开发区", "南山区", "浦东新区", "徐汇区", "海淀区",
    "朝阳区", "武侯区", "天河区", "思明区", "历下区", "雁塔区", "岳麓区", "洪山区", "滨湖区", "吴中区",
]
DEPARTMENTS = [
    "人民政府", "人民政府办公厅", "人民政府办公室", "发展和改革委员会", "教育局", "科学技术局",
    "工业和信息化局", "公安局", "民政局", "司法局", "财政局", "人力资源和社会保障局", "自然资源和规划局",
    "生态环境局", "住房和城乡建设局", "交通运输局", "水利局", "农业农村局", "商务局", "文化广电和旅游局",
    "卫生健康委员会", "退役军人事务局", "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局",
    "城市管理局", "行政审批局", "数据资源管理局", "林业局", "体育局", "机关事务管理局", "信访局",
    "管理委员会", "街道办事处", "镇人民政府",
]


def agency_name(rng: random.Random) -> str:
    place = rng.choice(PLACES)
    if rng.random() < 0.35 and place.endswith("市"):
        place += rng.choice(["", "鼓楼区", "新城区", "高新区", "经开区", "城关镇"])
    return place + rng.choice(DEPARTMENTS)


# ---------------------------------------------------------------------------
# numbers consistent with H3.1–H3.3 and H4.1
# ---------------------------------------------------------------------------


def count(rng: random.Random, hi: int, p_zero: float) -> int:
    """0 with probability ``p_zero``, else roughly log-uniform in 1..hi."""
    if rng.random() < p_zero:
        return 0
    return max(1, int(round(hi ** rng.random())))


APPLICANT_SCALE = {  # column: (upper bound, probability of 0)
    "natural_person": (300, 0.05), "commercial": (40, 0.4), "research": (5, 0.85),
    "social_welfare": (5, 0.85), "legal_service": (12, 0.7), "other_org": (12, 0.6),
}
OUTCOME_WEIGHTS = {
    "granted": 30, "partly_granted": 10, "denied.state_secret": 0.5, "denied.prohibited_by_law": 0.5,
    "denied.security_stability": 0.5, "denied.third_party_rights": 2, "denied.internal_affairs": 1,
    "denied.process_info": 2, "denied.enforcement_file": 0.5, "denied.query_service": 1,
    "unable.not_held": 20, "unable.needs_creation": 3, "unable.unclear": 3, "rejected.complaint": 3,
    "rejected.duplicate": 2, "rejected.publication": 0.5, "rejected.excessive": 1, "rejected.confirmation": 1,
    "other.no_correction": 3, "other.unpaid_fee": 0.3, "other.misc": 3, "other": 6,
}


def ad_values(rng: random.Random, template: str, extra_row: bool) -> dict:
    if template == "2021":
        return {
            "rules": {"issued": count(rng, 4, 0.7), "repealed": count(rng, 3, 0.8), "in_force": count(rng, 40, 0.5)},
            "normative_docs": {"issued": count(rng, 60, 0.2), "repealed": count(rng, 20, 0.4),
                               "in_force": count(rng, 300, 0.05)},
            "licensing": {"decisions": count(rng, 60000, 0.2)},
            "punishment": {"decisions": count(rng, 8000, 0.2)},
            "coercion": {"decisions": count(rng, 300, 0.5)},
            "fees": {"amount_10k_yuan": 0 if rng.random() < 0.4 else round(rng.uniform(0.5, 30000), 2)},
        }

    def items(with_decisions=True):
        d = {"items_prev_year": count(rng, 300, 0.2), "items_change": rng.randint(-8, 8)}
        if with_decisions:
            d["decisions"] = count(rng, 20000, 0.2)
        return d

    out = {
        "rules": {"made": count(rng, 4, 0.7), "published": 0, "total_published": count(rng, 40, 0.5)},
        "normative_docs": {"made": count(rng, 60, 0.2), "published": 0, "total_published": count(rng, 300, 0.05)},
        "licensing": items(), "other_services": items(), "punishment": items(), "coercion": items(),
        "fees": items(False),
        "procurement": {"procurement_items": count(rng, 200, 0.3),
                        "procurement_amount_10k_yuan": round(rng.randint(0, 500000) / 100, 2)},
    }
    for r in ("rules", "normative_docs"):
        out[r]["published"] = out[r]["made"]
    if extra_row:
        made = count(rng, 80, 0.2)
        out["extra.1"] = {"made": made, "published": made, "total_published": made + count(rng, 300, 0.1)}
    return out


def app_values(rng: random.Random, template: str) -> dict:
    outcomes = mf.app_outcome_keys(template)
    weights = [OUTCOME_WEIGHTS[k] for k in outcomes]
    cols: dict[str, dict[str, int]] = {}
    for col, (hi, p0) in APPLICANT_SCALE.items():
        n = count(rng, hi, p0)
        got = Counter(rng.choices(outcomes, weights, k=n))
        c = {k: got.get(k, 0) for k in outcomes}
        c["total_processed"] = n
        c["carried_forward"] = rng.randint(0, n // 5)
        c["carried_over"] = rng.randint(0, (n + c["carried_forward"]) // 4)
        c["new_received"] = n + c["carried_forward"] - c["carried_over"]
        cols[col] = c
    rows = {}
    for r in mf.app_row_keys(template):
        row = {col: cols[col][r] for col in APPLICANT_SCALE}
        row["total"] = sum(row.values())
        rows[r] = row
    return rows


def rl_values(rng: random.Random) -> dict:
    out = {}
    for r, hi in (("review", 12), ("litigation_direct", 6), ("litigation_after_review", 4)):
        row = {c: count(rng, hi, 0.6) for c in ("upheld", "corrected", "other", "pending")}
        row["total"] = sum(row.values())
        out[r] = row
    return out


# ---------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------

PREAMBLE = [
    "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《中华人民共和国政府信息公开工作年度报告格式》要求，"
    "结合本单位工作实际，编制本报告。",
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议、行政诉讼情况、"
    "存在的主要问题及改进情况、其他需要报告的事项。所列数据的统计期限为{year}年1月1日至12月31日。本报告电子版可在"
    "{agency}门户网站下载，如对本报告有疑问，请与{agency}办公室联系（邮政编码：{zip}，联系电话：{tel}）。",
]
SUBSECTIONS = [("（一）", "主动公开"), ("（二）", "依申请公开"), ("（三）", "政府信息管理"),
               ("（四）", "政府信息公开平台建设"), ("（五）", "监督保障")]
SENTENCES = {
    "overview": [
        "{year}年，{agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实党中央、国务院关于全面推进政务公开的决策部署，"
        "严格执行《条例》，以公开为常态、不公开为例外，不断提升政务公开质量和实效。",
        "围绕优化营商环境、重大建设项目、公共资源配置、社会公益事业建设等重点领域，持续深化决策、执行、管理、服务、结果公开。",
        "对照年度政务公开工作要点，制定任务分工方案，明确责任单位和完成时限，确保各项任务落到实处。",
    ],
    "主动公开": [
        "全年通过门户网站主动公开政府信息{n1}条，其中政策文件{n2}件，政策解读{n3}篇，图片解读、视频解读等多元化解读{n4}篇。",
        "动态调整主动公开基本目录，及时更新机构职能、领导信息、权责清单等基础信息，全年更新{n2}次。",
        "坚持政策文件与解读材料同步组织、同步审签、同步部署，主要负责人带头解读重要政策{n3}次。",
        "通过政务新媒体发布信息{n1}条，开设“政策直通车”专栏，回应社会关切{n4}次。",
        "公开各类会议{n3}次，其中邀请利益相关方、群众代表、专家列席{n4}次，开展“政府开放日”活动{n4}次。",
        "围绕群众关心关注的教育、医疗、养老、就业等民生领域，集中发布办事指南和服务信息{n2}项。",
        "做好财政预决算、“三公”经费、重大项目批准和实施等信息公开，按要求在统一平台集中展示。",
    ],
    "依申请公开": [
        "{year}年共收到政府信息公开申请{n2}件，均在法定期限内答复，未发生因答复不当引起的行政败诉案件。",
        "严格落实依申请公开登记、审核、办理、答复、归档等环节的工作规范，全流程留痕管理。",
        "加强与申请人的沟通，通过电话、当面等方式了解申请人的实际需求，提供便民服务{n3}次。",
        "修订依申请公开答复文书示范文本，统一答复格式和法律依据表述，提升答复规范化水平。",
        "建立疑难申请会商机制，邀请法律顾问参与研判{n4}次，有效防范行政复议和行政诉讼风险。",
    ],
    "政府信息管理": [
        "严格落实公文类信息公开属性源头认定制度，在拟制公文时同步明确公开属性，全年认定主动公开公文{n2}件。",
        "坚持“先审查、后公开”和“一事一审”原则，落实保密审查责任，全年未发生泄密事件。",
        "对现行有效的规范性文件进行全面清理，清理后继续有效{n3}件，废止{n4}件，并及时向社会公布。",
        "建立政府信息动态管理机制，对已公开信息定期评估，及时调整公开内容和公开方式。",
    ],
    "政府信息公开平台建设": [
        "持续优化门户网站政府信息公开专栏，完善信息检索、在线咨询等功能，全年网站访问量{n1}人次。",
        "规范政务新媒体管理，开展常态化检查{n3}次，关停整合功能重复、更新缓慢的账号{n4}个。",
        "在政务服务大厅设立政府信息公开查阅点，配备查阅设备和专门人员，接待群众查阅{n2}人次。",
        "推进政务公开专区标准化建设，提供政策咨询、信息查阅、办事指引等服务。",
    ],
    "监督保障": [
        "将政务公开工作纳入年度绩效考核，考核分值占比{n4}%，发挥考核的指挥棒作用。",
        "组织开展政务公开业务培训{n4}次，参训人员{n3}人次，进一步提升工作人员的业务能力。",
        "主动接受社会监督，聘请社会监督员{n4}名，对发现的问题及时整改，全年未发生责任追究情况。",
        "定期开展政府网站和政务新媒体检查，通报发现的问题并督促限期整改。",
    ],
    "问题": [
        "一是政策解读的形式还比较单一，图解、视频等多元化解读比例不高；二是部分栏目信息更新不够及时；"
        "三是依申请公开办理人员业务能力有待进一步提升。",
        "对照上级要求，政务公开工作仍存在一些不足，主要是基层政务公开标准化规范化建设推进不平衡，公众参与度不高。",
    ],
    "改进": [
        "一是丰富政策解读形式，提高图解、视频、新闻发布会等解读方式的运用比例，增强解读的针对性和可读性。",
        "二是完善栏目更新维护机制，明确责任分工，加强日常巡查，确保信息发布及时、准确、规范。",
        "三是加强业务培训，组织专题培训和案例研讨，提升依申请公开答复的规范化水平。",
        "四是拓展公众参与渠道，完善意见征集反馈机制，增强政务公开的互动性和实效性。",
    ],
    "其他": [
        "{year}年，未收取政府信息公开信息处理费。",
        "全年承办人大代表建议{n4}件、政协委员提案{n3}件，均已按期办结，可公开的办理复文已在门户网站公开。",
        "落实上级政务公开工作要点，制定年度政务公开重点工作任务分工方案，各项任务均已完成。",
        "本年度无其他需要报告的事项。",
    ],
}
CAPTIONS = ["（召开政务公开工作推进会）", "（政务服务中心政府信息公开专区）", "（开展“政府开放日”活动）",
            "（政务公开业务培训现场）", "（门户网站政府信息公开专栏）", "（主要负责人参加政务服务热线接听活动）"]


def fill(rng: random.Random, s: str, year: int, agency: str) -> str:
    return s.format(year=year, agency=agency, n1=rng.randint(500, 20000), n2=rng.randint(10, 400),
                    n3=rng.randint(3, 80), n4=rng.randint(1, 15), zip=rng.randint(100000, 859999),
                    tel="0%d-%d" % (rng.randint(10, 999), rng.randint(2000000, 89999999)))


def paragraph(rng: random.Random, pool: list[str], year: int, agency: str, lo: int, hi: int) -> str:
    k = min(len(pool), rng.randint(lo, hi))
    return "".join(fill(rng, s, year, agency) for s in rng.sample(pool, k))


def make_body(rng: random.Random, year: int, agency: str) -> list[tuple]:
    """A report body in make_fixtures' item form (h1/h2/p/img/table)."""
    body: list[tuple] = [("p", fill(rng, s, year, agency)) for s in PREAMBLE]
    body.append(("h1", "一", "总体情况", "overview"))
    body.append(("p", paragraph(rng, SENTENCES["overview"], year, agency, 2, 3)))
    most = rng.randint(2, 8)  # paragraphs per sub-section: how long the report is
    images = rng.choice([0, 1, 1, 2, 2, 3, 4])
    img_slots = set(rng.sample(range(len(SUBSECTIONS)), min(images, len(SUBSECTIONS))))
    for i, (num, title) in enumerate(SUBSECTIONS):
        body.append(("h2", num, title))
        for _ in range(rng.randint(1, most)):
            body.append(("p", paragraph(rng, SENTENCES[title], year, agency, 2, 4)))
        if i in img_slots:
            body.append(("img", rng.choice(CAPTIONS)))
    body += [("h1", "二", "主动公开政府信息情况", "active_disclosure"), ("table", "t2"),
             ("h1", "三", "收到和处理政府信息公开申请情况", "applications"), ("table", "t3"),
             ("h1", "四", "政府信息公开行政复议、行政诉讼情况", "review_litigation"), ("table", "t4"),
             ("h1", "五", "存在的主要问题及改进情况", "problems"),
             ("h2", "（一）", "主要问题"), ("p", paragraph(rng, SENTENCES["问题"], year, agency, 1, 2)),
             ("h2", "（二）", "改进措施")]
    for s in rng.sample(SENTENCES["改进"], rng.randint(1, 4)):
        body.append(("p", fill(rng, s, year, agency)))
    body.append(("h1", "六", "其他需要报告的事项", "other_matters"))
    other = rng.sample(SENTENCES["其他"][:3], rng.randint(1, 3)) if rng.random() < 0.8 else SENTENCES["其他"][3:]
    for n, s in enumerate(other, 1):
        body.append(("p", ("%d." % n if len(other) > 1 else "") + fill(rng, s, year, agency)))
    return body


# ---------------------------------------------------------------------------
# one report's data
# ---------------------------------------------------------------------------


class Spec:
    """Everything one report is rendered from."""

    def __init__(self, index: int, seed: int) -> None:
        rng = random.Random("extractor-bench:%d:%d" % (seed, index))
        self.rng = rng
        self.index = index
        self.fmt = "docx" if index % 2 == 0 else "html"
        names, weights = zip(*LAYOUTS[self.fmt])
        self.layout = rng.choices(names, weights)[0]
        self.year = rng.randint(2019, 2025)
        self.template = "2019" if self.year < 2021 else "2021"
        self.agency = agency_name(rng)
        self.title_lines = [self.agency, "%d年政府信息公开工作年度报告" % self.year]
        self.title = "".join(self.title_lines)
        # 2019 template: the standard 表二 or the provincial variant with an extra row and long labels
        self.hubei = self.template == "2019" and rng.random() < 0.4
        if self.template == "2021":
            self.blocks = mf.AD2021_BLOCKS
        else:
            self.blocks = mf.HB_BLOCKS if self.hubei else mf.AD2019_BLOCKS
        self.values = {"active_disclosure": ad_values(rng, self.template, self.hubei),
                       "applications": app_values(rng, self.template),
                       "review_litigation": rl_values(rng)}
        assert not mf.failed_rules(self.values, self.template), self.index
        self.display: dict = {}
        if self.template == "2019":
            for r, row in self.values["active_disclosure"].items():
                if "items_change" in row and row["items_change"] > 0 and rng.random() < 0.5:
                    self.display["active_disclosure/%s/items_change" % r] = "+%d" % row["items_change"]
            amount = self.values["active_disclosure"]["procurement"]["procurement_amount_10k_yuan"]
            if self.hubei and amount:
                self.display["active_disclosure/procurement/procurement_amount_10k_yuan"] = "%d元" % round(amount * 10000)
        self.body = make_body(rng, self.year, self.agency)

    @property
    def name(self) -> str:
        return "%05d_%s_%d.%s" % (self.index, self.layout, self.year, self.fmt)

    def value_keys(self) -> list[str]:
        out = []
        for t, rows in self.values.items():
            for r, cols in rows.items():
                out.extend("%s/%s/%s" % (t, r, c) for c in cols)
        return out

    def value(self, key: str):
        t, r, c = key.split("/")
        return self.values[t][r][c]


# ---------------------------------------------------------------------------
# docx
# ---------------------------------------------------------------------------

W = "{%s}" % "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: Styles kept in the base template (besides the defaults and what these are based on/linked to).
KEEP_STYLES = {"Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Header", "Footer",
               "TableGrid", "ListParagraph", "NormalWeb", "BalloonText", "Caption", "PlainText", "BodyText",
               "Hyperlink", "Strong", "FootnoteText", "TOC1", "TOC2", "Date", "NoSpacing"}
_BASE: bytes | None = None


def base_template() -> bytes:
    """python-docx's default template with styles.xml cut to a real report's size."""
    global _BASE
    if _BASE is not None:
        return _BASE
    buf = io.BytesIO()
    docx.Document().save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    root = etree.fromstring(src.read("word/styles.xml"))
    styles = {st.get(W + "styleId"): st for st in root.iter(W + "style")}
    keep = {sid for sid, st in styles.items() if st.get(W + "default") in ("1", "true")} | KEEP_STYLES
    todo = list(keep)
    while todo:
        st = styles.get(todo.pop())
        if st is None:
            continue
        for tag in ("basedOn", "next", "link"):
            el = st.find(W + tag)
            if el is not None and el.get(W + "val") not in keep:
                keep.add(el.get(W + "val"))
                todo.append(el.get(W + "val"))
    for sid, st in styles.items():
        if sid not in keep:
            root.remove(st)
    styles_xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = styles_xml if info.filename == "word/styles.xml" else src.read(info.filename)
            dst.writestr(info, data)
    _BASE = out.getvalue()
    return _BASE


class Builder(mf.DocxBuilder):
    """make_fixtures' DocxBuilder on the cut-down base template."""

    def __init__(self) -> None:  # noqa: D107 - same state as DocxBuilder
        self.doc = docx.Document(io.BytesIO(base_template()))
        self.body = self.doc.element.body
        self._id = 100


def docx_tables(spec: Spec, text) -> dict:
    return {"t2": (mf.t2_grid(spec.blocks, text), mf.T2_WIDTHS),
            "t3": (mf.t3_grid(spec.template, text), mf.T3_WIDTHS),
            "t4": (mf.t4_grid(text), mf.T4_WIDTHS)}


def docx_official(spec: Spec, path: str) -> None:
    text = mf.text_fn(spec.values, spec.display)
    b = Builder()
    mf.docx_plain_body(b, spec.body, docx_tables(spec, text), spec.title_lines)
    b.save(path, spec.title, "办公室")


def docx_word(spec: Spec, path: str) -> None:
    """build_word_features_docx of make_fixtures, for any values and template."""
    rng = spec.rng
    display = dict(spec.display)
    big = [k for k in spec.value_keys() if k not in display and isinstance(spec.value(k), int) and spec.value(k) >= 10]
    picks = rng.sample(big, min(3, len(big)))
    for kind, key in zip(("del", "ins", "sdt"), picks):
        s = mf.fmt_number(spec.value(key))
        if kind == "del":
            display[key] = [s[:-1], ("del", str(rng.randint(0, 9))), s[-1]]
        elif kind == "ins":
            display[key] = [s[:-1], ("ins", s[-1])]
        else:
            display[key] = [("sdt", s, "数据", "cell-%d" % rng.randint(1, 999))]
    money = "fees/amount_10k_yuan" if spec.template == "2021" else "procurement/procurement_amount_10k_yuan"
    key = "active_disclosure/" + money
    if key not in display:
        s = mf.fmt_number(spec.value(key))
        display[key] = [("field", ' = %s \\# "0.00" ' % s, s)]
    text = mf.text_fn(spec.values, display)
    b = Builder()
    mf.add_heading_numbering(b.doc)
    t2_parts = mf.t2_blocks(spec.blocks, text)
    t3 = mf.t3_grid(spec.template, text)
    t3[3].sdt = True
    t3a, t3b = mf.split_rows(t3, at=15, n_header=3)
    t4 = mf.t4_grid(text)
    t4[0].cells[0].hmerge = True
    for r in t4[:3]:
        r.grid_before, r.grid_after = 1, 1
    t4[3].cells.insert(0, mf.Cell([""], kind="v"))
    t4[3].grid_after = 1
    t4_widths = [280] + [600] * 15 + [280]
    b.para(spec.title_lines[0] + "\n" + spec.title_lines[1], style="Title")
    for item in spec.body:
        kind = item[0]
        if kind == "h1":
            b.para(item[2], style="Heading1")
        elif kind == "h2":
            b.para(item[2], style="Heading2")
        elif kind == "p":
            if rng.random() < 0.1 and len(item[1]) > 20:
                cut = rng.randint(5, len(item[1]) - 10)
                b.para([item[1][:cut], ("ins", item[1][cut:cut + 6]), ("del", "删除的文字"), item[1][cut + 6:]],
                       indent=True)
            elif rng.random() < 0.05:
                b.sdt_para(item[1], "段落", "p-%d" % rng.randint(1, 999), indent=True)
            else:
                b.para(item[1], indent=True)
        elif kind == "img":
            b.image(mf.PNG, item[1])
        elif kind == "table" and item[1] == "t2":
            for i, part in enumerate(t2_parts):
                if i:
                    b.empty_para()
                b.table(part, mf.T2_WIDTHS)
        elif kind == "table" and item[1] == "t3":
            b.table(t3a, mf.T3_WIDTHS, tbl_header=True)
            b.page_break()
            b.table(t3b, mf.T3_WIDTHS, tbl_header=True)
        elif kind == "table" and item[1] == "t4":
            b.table(t4, t4_widths, tbl_header=True)
    b.save(path, spec.title, "办公室")


# ---------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------


def html_tables(spec: Spec, text, **kw) -> dict:
    return {"t2": mf.html_table(mf.t2_grid(spec.blocks, text), label_prefix=kw.pop("label_prefix", ""), **kw),
            "t3": mf.html_table(mf.t3_grid(spec.template, text), **kw),
            "t4": mf.html_table(mf.t4_grid(text), **kw)}


def html_cms(spec: Spec, path: str, encoding: str = "utf-8") -> None:
    rng = spec.rng
    text = mf.text_fn(spec.values, spec.display)
    tables = html_tables(spec, text, label_prefix=rng.choice(["", "&nbsp;"]))
    h1, h2 = rng.choice([("p", "p"), ("p", "p"), ("h3", "h4"), ("h2", "h3")])
    article = mf.html_body(spec.body, tables, h1=h1, h2=h2,
                           img_base="/u/cms/%d/%02d/" % (spec.year + 1, rng.randint(1, 3)))
    page = mf.cms_page(spec.title, spec.agency, article, charset_meta=encoding == "utf-8",
                       content_class=rng.choice(["article-content", "TRS_Editor", "zoom", "content"]))
    if encoding != "utf-8":
        assert "charset" not in page.lower()
    mf.write_text(path, page, encoding)


def _span_split(s: str) -> str:
    if len(s) < 2:
        return s
    cut = len(s) // 2
    return "".join('<span lang="EN-US" style="font-size:10.5pt">%s</span>' % p for p in (s[:cut], s[cut:]))


def html_sloppy(spec: Spec, path: str) -> None:
    """fx_sloppy_html of make_fixtures, for any values and template."""
    rng = spec.rng
    text = mf.text_fn(spec.values, spec.display)
    keys = spec.value_keys()
    raw_html = {k: _span_split(text(k)) for k in rng.sample(keys, 8)}
    for k in rng.sample(keys, 3):
        raw_html.setdefault(k, "<p>&nbsp;</p><p>%s</p>" % text(k))
    t2 = mf.t2_grid(spec.blocks, text)
    t2[-1].cells[0].attrs = {"rowspan": "2"}
    t3 = mf.t3_grid(spec.template, text)
    t3[0].cells[0].paras = [mf.T3_CORNER_BR]
    n_results = len(mf.app_result_rows(spec.template))
    colspan0 = set(rng.sample(keys, 3))
    for row in t3:
        for cell in row.cells:
            if cell.paras == [mf.T3_RESULTS]:
                cell.attrs = {"rowspan": str(n_results + 2)}
            elif cell.paras == ["（四）无法提供"]:
                cell.attrs = {"rowspan": "3 "}
            elif cell.paras and str(cell.paras[0]).startswith("（二）部分公开"):
                cell.paras = ["（二）部分公开\n（区分处理的，只计这一情形，不计其他情形）"]
            elif cell.key in colspan0:
                cell.attrs = {"colspan": "0"}
    t4 = mf.t4_grid(text)
    t4[3].cells[7].attrs = {"colspan": "0"}
    common = dict(table_attrs='border="1" cellspacing="0" cellpadding="0" width="600"', td_attrs=' valign="middle"',
                  close=False, th_header=True, raw=raw_html, wrap_p=False)
    tables = {
        "t2": mf.html_table(t2, groups=[("tbody", 0, len(t2))], **common),
        "t3": mf.html_table(t3, groups=[("thead", 0, 3), ("tbody", 3, 5), ("tbody", 5, 5 + n_results),
                                        ("tbody", 5 + n_results, len(t3))], **common),
        "t4": mf.html_table(t4, groups=[("thead", 0, 3), ("tbody", 3, 4)], **common),
    }
    body = mf.html_body(spec.body, tables, h1="p", h2="p")
    title = mf.hesc(spec.title)
    page = (
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n<title>%s</title>\n'
        '<style type="text/css">td{font-size:12px} .title{font-size:20px;font-weight:bold}</style>\n</head>\n<body>\n'
        '<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">\n'
        '<tr><td colspan="2" class="banner"><img src="/images/banner.jpg" width="980" height="120"></td></tr>\n'
        '<tr><td colspan="2" class="menu"><a href="/">首页</a> · <a href="/zwgk/">政务公开</a> · '
        '<a href="/bsfw/">办事服务</a> · <a href="/hdjl/">互动交流</a></td></tr>\n<tr>\n'
        '<td width="200" valign="top" class="left">\n<table width="100%%" border="0">'
        '<tr><td><a href="/zwgk/ndbg/">政府信息公开年报</a></td></tr>\n'
        '<tr><td><a href="/zwgk/zn/">政府信息公开指南</a></td></tr></table>\n</td>\n'
        '<td width="780" valign="top" class="right">\n<table width="100%%" border="0" cellpadding="8">\n'
        '<tr><td class="title" align="center">%s</td></tr>\n'
        '<tr><td align="center">发布时间：%d年01月%02d日 —— 信息来源：办公室</td></tr>\n'
        '<tr><td class="content">\n%s\n</td></tr>\n</table>\n</td>\n</tr>\n'
        '<tr><td colspan="2" align="center" class="foot">版权所有 %s · 技术支持：信息中心</td></tr>\n'
        "</table>\n</body>\n</html>\n"
        % (title, title, spec.year + 1, rng.randint(10, 31), body, mf.hesc(spec.agency)))
    mf.write_text(path, page, "gbk")


def html_one_label(spec: Spec, path: str) -> None:
    text = mf.text_fn(spec.values, spec.display)
    tables = {"t2": mf.html_table(mf.t2_grid(spec.blocks, text)),
              "t3": mf.html_table(mf.t3_grid_one_label(spec.template, text)),
              "t4": mf.html_table(mf.t4_grid_transposed(text))}
    mf.write_text(path, mf.simple_page(spec.title, mf.html_body(spec.body, tables, indent="")))


def html_two_label(spec: Spec, path: str) -> None:
    text = mf.text_fn(spec.values, spec.display)
    noise = {"规章": "规 章", "行政许可": "行 政 许 可", "行政强制": "行政 强制", "行政事业性收费": "行政事业性 收费",
             "第二十条第（一）项": "第二十条第(一)项", "第二十条第（五）项": "第二十条 第(五)项",
             "本年制发件数": "本年 制发 件数", "本年收费金额（单位：万元）": "本年收费金额(单位:万元)"}
    tables = {"t2": mf.html_table(mf.t2_grid(spec.blocks, text, relabel=lambda s: noise.get(s, s))),
              "t3": mf.html_table(mf.t3_grid_two_label(spec.template, text)),
              "t4": mf.html_table(mf.t4_grid_flat(text))}
    mf.write_text(path, mf.simple_page(spec.title, mf.html_body(spec.body, tables, indent="")))


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def html_numbers(spec: Spec, path: str) -> None:
    """fx_numbers_html of make_fixtures: the same numbers in many notations."""
    rng = spec.rng
    display = dict(spec.display)
    for key in spec.value_keys():
        if key in display or rng.random() < 0.5:
            continue
        v = spec.value(key)
        s = mf.fmt_number(v)
        money = key.endswith("10k_yuan")
        if v == 0 and not money:
            display[key] = rng.choice(["/", "-", "—", "无", "", "０"])
        elif money:
            display[key] = s + "万元"
        elif v >= 1000 and rng.random() < 0.5:
            display[key] = "{:,}".format(v)
        elif v >= 2 and key.startswith("active_disclosure/normative_docs") and rng.random() < 0.3:
            display[key] = "%s（其中修订%d件）" % (s, rng.randint(1, v - 1))
        elif v > 0 and not key.endswith("items_change"):
            display[key] = rng.choice([s.translate(_FULL), s + "件"])
    text = mf.text_fn(spec.values, display)
    tables = html_tables(spec, text)
    mf.write_text(path, mf.simple_page(spec.title, mf.html_body(spec.body, tables, indent="")))


RENDER = {
    "docx-official": docx_official,
    "docx-word": docx_word,
    "html-cms": html_cms,
    "html-gbk": lambda spec, path: html_cms(spec, path, "gbk"),
    "html-sloppy": html_sloppy,
    "html-one-label": html_one_label,
    "html-two-label": html_two_label,
    "html-numbers": html_numbers,
}


def make_one(args: tuple[int, int, str]) -> str:
    index, seed, out = args
    spec = Spec(index, seed)
    RENDER[spec.layout](spec, os.path.join(out, spec.name))
    return "\t".join([spec.name, spec.fmt, spec.layout, spec.template, str(spec.year), spec.agency])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="folder to write the reports into (created if missing)")
    ap.add_argument("--n", type=int, default=400, help="number of reports (default 400)")
    ap.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.perf_counter()
    tasks = [(i, args.seed, args.out) for i in range(args.n)]
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            rows = list(pool.map(make_one, tasks, chunksize=16))
    else:
        rows = [make_one(t) for t in tasks]
    with open(os.path.join(args.out, "MANIFEST.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("file\tformat\tlayout\ttemplate\tyear\tagency\n")
        f.write("".join(r + "\n" for r in rows))
    kinds = Counter(r.split("\t")[2] for r in rows)
    print("wrote %d reports to %s in %.1f s (%s)" % (len(rows), args.out, time.perf_counter() - t0,
                                                    ", ".join("%s %d" % kv for kv in sorted(kinds.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
