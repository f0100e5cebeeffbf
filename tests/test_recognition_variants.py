"""What no fixture showed: headings however numbered and punctuated
(property tests), the statistics tables however split, content hidden
from the reader, and the agency when the title does not give it."""

from __future__ import annotations

import io
import zipfile
from html import escape

from hypothesis import given, settings, strategies as st

import extractor
from extractor.model import Cell, Document, Paragraph, Table
from extractor.readers.docx import read_docx
from extractor.readers.html import read_html
from extractor.recognition.locate import locate
from extractor.recognition.meta import find_agency, title_parts
from extractor.recognition.sections import outline

SIX = ["overview", "active_disclosure", "applications", "review_litigation", "problems", "other_matters"]
#: the statutory titles, and how sites reword them (extra words around or between)
TITLES = {
    "overview": ["总体情况", "政府信息公开工作总体情况", "2021年总体情况"],
    "active_disclosure": ["主动公开政府信息情况", "主动公开政府信息情况统计", "行政机关主动公开政府信息情况"],
    "applications": ["收到和处理政府信息公开申请情况", "政府信息公开申请的收到和处理情况"],
    "review_litigation": ["政府信息公开行政复议、行政诉讼情况", "政府信息公开行政复议和行政诉讼情况",
                          "因政府信息公开申请行政复议、提起行政诉讼的情况"],
    "problems": ["存在的主要问题及改进情况", "存在的主要问题和改进措施", "政府信息公开工作存在的主要问题及改进情况"],
    "other_matters": ["其他需要报告的事项", "其他需要报告的事项说明"],
}
CN = "一二三四五六"
FULL = str.maketrans("0123456789.,:()", "０１２３４５６７８９．，：（）")


@st.composite
def numbered(draw, n: int) -> str:
    """The number of the n-th top-level heading, as some site writes it."""
    num = CN[n]
    style = draw(st.sampled_from(["cn", "part", "arabic", "none"]))
    if style == "cn":
        sep = draw(st.sampled_from(["、", ".", "．", " ", "　", "，", "：", ")", "、 ", " 、", ""]))
        text = num + sep
    elif style == "part":
        text = f"第{num}部分" + draw(st.sampled_from(["", " ", "：", "、", "　"]))
    elif style == "arabic":
        text = str(n + 1) + draw(st.sampled_from([".", "、", "．"]))
    else:
        text = ""
    lead = draw(st.sampled_from(["", " ", "\u3000\u3000"]))
    return lead + (text.translate(FULL) if draw(st.booleans()) else text)


@st.composite
def reports(draw):
    """Paragraphs of a report whose six headings are numbered, spaced and
    worded at random, with body text (which names the sections too) between."""
    paras = [Paragraph("本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开"
                       "行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。")]
    present = draw(st.lists(st.booleans(), min_size=6, max_size=6).filter(lambda v: sum(v) >= 2))
    want = []
    for n, key in enumerate(SIX):
        if not present[n]:
            continue
        title = draw(st.sampled_from(TITLES[key]))
        tail = draw(st.sampled_from(["", "：", "（2021年）"]))
        paras.append(Paragraph(draw(numbered(n)) + title + tail, bold=draw(st.booleans())))
        want.append(key)
        for _ in range(draw(st.integers(0, 2))):
            paras.append(Paragraph(draw(st.sampled_from([
                "全年主动公开政府信息1200条，主动公开情况良好。",
                "（一）主动公开。一是完善制度。",
                "一是加强组织领导，二是完善工作机制。",
                "1.2021年，未收取信息处理费。",
                "依申请公开工作平稳有序，行政复议、行政诉讼均无。",
            ]))))
    return paras, want


@settings(max_examples=300, deadline=None, derandomize=True)
@given(reports())
def test_headings_found_whatever_their_numbering(case):
    paras, want = case
    sections, pre = outline(paras)
    assert [s.key for s in sections if s.key] == want
    # the sentence naming every section stays body text
    assert pre[0].startswith("本报告包括")
    keyed = [s for s in sections if s.key]
    assert all(s.level == 1 for s in keyed)


def test_body_sentences_are_not_headings():
    paras = [Paragraph(t) for t in (
        "一、总体情况", "主动公开政府信息情况良好，全年发布信息1200条。", "主动公开", "其他事项：无。",
        "收到和处理政府信息公开申请情况如下：", "二、主动公开政府信息情况")]
    sections, _pre = outline(paras)
    assert [(s.number, s.key) for s in sections] == [("一", "overview"), ("二", "active_disclosure")]
    assert "收到和处理政府信息公开申请情况如下：" in sections[0].text


def test_own_outline_keeps_keys_for_the_statutory_parts():
    titles = ["一、工作概述", "二、主动公开工作情况", "三、依申请公开工作情况", "一、主动公开政府信息情况",
              "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况"]
    sections, _ = outline([Paragraph(t) for t in titles])
    assert [s.key for s in sections] == ["overview", None, None, "active_disclosure", "applications",
                                         "review_litigation"]


# ---------------------------------------------------------------- tables however split

def _table(rows, index):
    return Table.from_cells([Cell(t, r, c) for r, row in enumerate(rows) for c, t in enumerate(row)], index)


def test_standalone_item_tables_join_table_two_in_any_order():
    procurement = _table([["信息内容", "采购项目数量", "采购总金额"], ["政府集中采购", "5", "251000元"]], 0)
    fees = _table([["信息内容", "上一年项目数量", "本年增/减"], ["行政事业性收费", "3", "-1"]], 1)
    rules = _table([["第二十条第（一）项", "", "", ""], ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
                    ["规章", "0", "0", "0"], ["规范性文件", "3", "3", "17"]], 2)
    unrelated = _table([["序号", "项目"], ["1", "2"]], 3)
    doc = Document([procurement, Paragraph("说明。"), Paragraph("另一段。"), fees, unrelated, rules])
    found = locate(doc)
    assert found.segments["active_disclosure"] == [procurement, fees, rules]
    assert found.other_tables == [unrelated]
    assert found.template == "2019"


def test_a_later_copy_of_rows_already_read_is_left_out():
    t4 = [["行政复议", "", "", "", "", "行政诉讼"], ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉"],
          ["1", "1", "0", "0", "2", "0"]]
    apps = _table([["申请人情况", "自然人", "总计"], ["本年新收政府信息公开申请数量", "1", "1"],
                   ["上年结转政府信息公开申请数量", "0", "0"], ["予以公开", "1", "1"], ["结转下年度继续办理", "0", "0"]], 1)
    first, again = _table(t4, 0), _table([r[:] for r in t4], 2)
    again.grid[2][0].text = "3"  # not the same text: another copy with other numbers
    found = locate(Document([first, apps, again]))
    assert found.segments["review_litigation"] == [first]
    assert [i.code for i in found.issues] == ["table.ignored"]


# ---------------------------------------------------------------- what a reader sees

def _blocks(doc):
    return [b.text if isinstance(b, Paragraph) else [[c.text for c in row] for row in b.grid] for b in doc.blocks]


def test_html_hidden_elements_rows_cells_and_columns_are_not_read():
    page = """<html><head><style>.x, p.y {display:none} #z{visibility:hidden}</style></head><body>
    <p>一、总体情况</p><p style="DISPLAY: none !important">隐藏</p><p class="a x">类</p><div id="z">编号</div>
    <p hidden>属性</p><p>可见<span style="visibility:hidden">9</span>文字</p>
    <table><colgroup><col><col span="2" style="visibility:collapse"></colgroup>
    <tr><td>a</td><td>b</td><td>c</td><td>d</td></tr><tr style="display:none"><td>1</td><td>2</td><td>3</td><td>4</td></tr>
    <tr><td colspan="2">x</td><td>y</td><td hidden>h</td><td>z</td></tr></table></body></html>"""
    doc = read_html(page.encode())
    assert _blocks(doc) == ["一、总体情况", "可见文字", [["a", "d"], ["x", "z"]]]
    assert doc.hints["hidden"] == "7"


def test_html_page_revealed_by_script_is_read():
    page = '<html><body><div style="display:none"><p>一、总体情况</p><p>全年公开信息1200条。</p></div></body></html>'
    assert _blocks(read_html(page.encode())) == ["一、总体情况", "全年公开信息1200条。"]


W = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
     'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
     'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"')


def _docx(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", f"<w:document {W}><w:body>{body}</w:body></w:document>")
    return buf.getvalue()


def _run(text, hidden=False):
    rpr = '<w:rPr><w:vanish/></w:rPr>' if hidden is True else '<w:rPr><w:vanish w:val="0"/></w:rPr>' if hidden == "off" else ""
    return f"<w:r>{rpr}<w:t>{escape(text)}</w:t></w:r>"


def _cell(*runs):
    return f"<w:tc><w:p>{''.join(runs)}</w:p></w:tc>"


def test_docx_hidden_text_and_rows_are_not_read():
    table = ("<w:tbl><w:tr>" + _cell(_run("a")) + _cell(_run("1"), _run("9", True), _run("0")) + "</w:tr>"
             "<w:tr><w:trPr><w:hidden/></w:trPr>" + _cell(_run("h")) + _cell(_run("2")) + "</w:tr>"
             "<w:tr>" + _cell(_run("b")) + _cell(_run("3", "off")) + "</w:tr></w:tbl>")
    body = "<w:p>" + _run("前") + _run("隐", True) + "</w:p><w:p>" + _run("整段隐藏", True) + "</w:p>" + table
    assert _blocks(read_docx(_docx(body))) == ["前", [["a", "10"], ["b", "3"]]]


def test_docx_text_box_is_read_once_after_its_paragraph():
    inner = "<w:p>" + _run("框内") + "</w:p><w:tbl><w:tr>" + _cell(_run("x")) + "</w:tr></w:tbl>"
    alt = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>%s'
           '</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
           '<w:txbxContent>%s</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>'
           '</w:r>' % (inner, inner))
    vml_only = '<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p>' + _run("旧框") + \
        '</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>'
    body = "<w:p>" + _run("前") + alt + "</w:p><w:p>" + vml_only + "</w:p><w:p>" + _run("后") + "</w:p>"
    assert _blocks(read_docx(_docx(body))) == ["前", "框内", [["x"]], "旧框", "后"]


# ---------------------------------------------------------------- the agency

def test_agency_from_titles_with_the_year_anywhere():
    assert title_parts("某市交通运输局政府信息公开工作2022年度报告") == ("某市交通运输局", 2022)
    assert title_parts("某县人民政府政府信息公开工作年度报告（2021年度）") == ("某县人民政府", 2021)
    assert title_parts("某县人民政府信息公开工作年度报告（2021年）") == ("某县人民政府", 2021)
    assert title_parts("某市生态环境局关于2021年度政府信息公开工作的报告") == ("某市生态环境局", 2021)
    assert title_parts("2022年度某区司法局政务公开工作年度报告") == ("某区司法局", 2022)
    assert title_parts("关于2021年政府信息公开工作年度报告") == (None, 2021)
    assert title_parts("本机关2021年政府信息公开工作年度报告") == (None, 2021)


def test_agency_outside_the_title():
    lines = ["根据《中华人民共和国政府信息公开条例》要求，编制本报告。", "一、总体情况", "……",
             "某某县财政局", "2022年1月20日"]
    assert find_agency("2021年政府信息公开工作年度报告", lines, {}) == ("某某县财政局", "signature")
    assert find_agency(None, ["某某县财政局根据《中华人民共和国政府信息公开条例》编制本报告。", "一、总体情况",
                              "联系电话：0000-0000000。"], {}) == ("某某县财政局", "body")
    assert find_agency(None, ["一、总体情况", "全年公开信息1200条。"], {"source": "某某县财政局"}) == ("某某县财政局", "page")
    assert find_agency(None, ["一、总体情况", "全年公开信息1200条。", "二〇二二年一月二十日"], {}) == (None, None)


def test_parse_reports_where_the_agency_came_from():
    page = ("<p>2021年政府信息公开工作年度报告</p><p>一、总体情况</p><p>全年公开信息1200条。</p>"
            "<p>某某县财政局</p><p>2022年1月20日</p>").encode()
    r = extractor.parse(page)
    assert (r.meta["agency"], r.meta["agency_source"], r.meta["year"]) == ("某某县财政局", "signature", 2021)
    r = extractor.parse("<p>某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p>".encode())
    assert (r.meta["agency"], r.meta["agency_source"]) == ("某局", "title")


def test_agency_from_the_page_source_field_last():
    head = '<html><head><meta name="ContentSource" content="某某县财政局"></head><body>'
    r = extractor.parse((head + "<p>2021年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>").encode())
    assert (r.meta["agency"], r.meta["agency_source"]) == ("某某县财政局", "page")
    r = extractor.parse((head + "<p>某某县审计局2021年政府信息公开工作年度报告</p></body></html>").encode())
    assert (r.meta["agency"], r.meta["agency_source"]) == ("某某县审计局", "title")
