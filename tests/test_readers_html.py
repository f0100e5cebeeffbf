"""The HTML reader: encodings, sloppy spans, page chrome, cell text."""

from __future__ import annotations

from hypothesis import given, settings

from extractor.readers.html import decode_html, read_html
from test_readers_docx import assert_grid_matches, merge_layouts
from docgen import layout_html_table


def texts(table):
    return [[c.text for c in row] for row in table.grid]


def test_encoding_from_meta_charset_gbk():
    html = '<html><head><meta charset="gbk"></head><body><p>一、总体情况</p></body></html>'
    doc = read_html(html.encode("gbk"))
    assert doc.paragraphs[0].text == "一、总体情况"


def test_encoding_from_http_equiv_gb2312():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head>'
            "<body><p>行政复议</p></body></html>")
    assert read_html(html.encode("gb2312")).paragraphs[0].text == "行政复议"


def test_encoding_detected_without_declaration():
    html = "<html><body><p>二、主动公开政府信息情况</p><p>本年新收政府信息公开申请数量</p></body></html>"
    text, enc = decode_html(html.encode("gb18030"))
    assert "主动公开" in text and enc == "gb18030"


def test_bom_wins():
    assert decode_html("<p>自然人</p>".encode("utf-8-sig"))[0] == "<p>自然人</p>"


def test_wrong_declaration_falls_back():
    html = '<meta charset="utf-8"><p>法人或其他组织</p>'
    assert "法人或其他组织" in decode_html(html.encode("gbk"))[0]


def test_sloppy_spans_and_unclosed_cells():
    html = (
        "<table><thead><tr><th>h1<th colspan=0>h2</thead>"
        "<tbody><tr><td rowspan='3 '>a<td>1<tr><td>2<tr><td>3</tbody></table>"
    )
    t = read_html(html.encode()).tables[0]
    assert texts(t) == [["h1", "h2"], ["a", "1"], ["a", "2"], ["a", "3"]]
    assert t.grid[1][0].rowspan == 3


def test_rowspan_stops_at_the_end_of_its_row_group():
    html = ("<table><tbody><tr><td rowspan='5'>a</td><td>1</td></tr><tr><td>2</td></tr></tbody>"
            "<tbody><tr><td>b</td><td>3</td></tr></tbody></table>")
    t = read_html(html.encode()).tables[0]
    assert texts(t) == [["a", "1"], ["a", "2"], ["b", "3"]]


def test_cell_text_keeps_line_structure_and_folds_nbsp():
    html = "<table><tr><td><p>商业</p><p>企业</p></td><td>&nbsp;1<span>0</span>&nbsp;</td><td>结果<br>维持</td></tr></table>"
    t = read_html(html.encode()).tables[0]
    assert texts(t) == [["商业\n企业", "10", "结果\n维持"]]


def test_report_body_found_inside_page_chrome():
    nav = "".join(f"<li><a href='/{i}'>栏目{i}</a></li>" for i in range(30))
    html = (
        f"<html><body><div class='header'><ul>{nav}</ul></div>"
        "<div class='main'><div class='crumb'><a href='/'>首页</a></div>"
        "<div class='content'><p>一、总体情况</p><p>" + "正文内容。" * 80 + "</p>"
        "<table><tr><td>本年新收</td><td>1</td></tr></table></div></div>"
        "<div class='footer'><p>版权所有：某某人民政府</p></div><script>var a='一、';</script></body></html>"
    )
    doc = read_html(html.encode())
    text = [q.text for q in doc.paragraphs]
    assert text[0] == "一、总体情况"
    assert not any("版权所有" in t or "栏目" in t for t in text)
    assert len(doc.tables) == 1


def test_nested_layout_table_is_flattened():
    html = ("<table><tr><td><p>三、收到和处理政府信息公开申请情况</p>"
            "<table><tr><td>自然人</td></tr><tr><td>1</td></tr></table></td></tr></table>")
    doc = read_html(html.encode())
    assert doc.paragraphs[0].text.startswith("三、")
    assert texts(doc.tables[0]) == [["自然人"], ["1"]]


@settings(max_examples=60, deadline=None)
@given(merge_layouts())
def test_random_merge_layouts_round_trip_through_html(layout):
    n_rows, n_cols, rects = layout
    doc = read_html(layout_html_table(n_rows, n_cols, rects).encode())
    assert_grid_matches(doc.tables[0], n_rows, n_cols, rects)
