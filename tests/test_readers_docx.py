"""The .docx reader: merges, content controls, revisions, fields, numbering."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given, settings, strategies as st

from docgen import docx_bytes, layout_docx_table, p, tc
from extractor.model import Paragraph, Table
from extractor.readers.docx import read_docx


def texts(table: Table):
    return [[c.text for c in row] for row in table.grid]


def test_gridspan_and_vmerge():
    body = (
        "<w:tbl><w:tr>" + tc("a", '<w:vMerge w:val="restart"/>') + tc("b", '<w:gridSpan w:val="2"/>') + "</w:tr>"
        "<w:tr>" + tc("", "<w:vMerge/>") + tc("c") + tc("d") + "</w:tr></w:tbl>"
    )
    t = read_docx(docx_bytes(body)).tables[0]
    assert texts(t) == [["a", "b", "b"], ["a", "c", "d"]]
    a = t.grid[0][0]
    assert (a.row, a.col, a.rowspan, a.colspan) == (0, 0, 2, 1)
    assert t.grid[0][1].colspan == 2


def test_legacy_hmerge():
    body = "<w:tbl><w:tr>" + tc("x", '<w:hMerge w:val="restart"/>') + tc("", "<w:hMerge/>") + tc("y") + "</w:tr></w:tbl>"
    t = read_docx(docx_bytes(body)).tables[0]
    assert texts(t) == [["x", "x", "y"]]


def test_grid_before_and_after_shift_cells():
    body = (
        "<w:tbl><w:tr>" + tc("a") + tc("b") + tc("c") + "</w:tr>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>' + tc("m") + "</w:tr></w:tbl>"
    )
    t = read_docx(docx_bytes(body)).tables[0]
    assert texts(t) == [["a", "b", "c"], ["", "m", ""]]
    assert t.grid[1][1].col == 1


def test_content_controls_at_every_level():
    row = "<w:tr>" + tc("r1") + "<w:sdt><w:sdtContent>" + tc("r2") + "</w:sdtContent></w:sdt></w:tr>"
    run_sdt = '<w:p><w:r><w:t>一、</w:t></w:r><w:sdt><w:sdtContent><w:r><w:t>总体情况</w:t></w:r></w:sdtContent></w:sdt></w:p>'
    body = (
        "<w:sdt><w:sdtContent>" + run_sdt + "</w:sdtContent></w:sdt>"
        "<w:tbl>" + "<w:sdt><w:sdtContent>" + row + "</w:sdtContent></w:sdt></w:tbl>"
    )
    doc = read_docx(docx_bytes(body))
    assert doc.paragraphs[0].text == "一、总体情况"
    assert texts(doc.tables[0]) == [["r1", "r2"]]


def test_tracked_changes_insertions_kept_deletions_dropped():
    cell = (
        "<w:tc><w:p><w:del><w:r><w:delText>8</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>5</w:t></w:r></w:ins></w:p></w:tc>"
    )
    body = "<w:tbl><w:tr>" + tc("规章") + cell + "</w:tr></w:tbl>"
    assert texts(read_docx(docx_bytes(body)).tables[0]) == [["规章", "5"]]


def test_field_result_is_read_and_instruction_is_not():
    para = (
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> = 3+4 </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:p><w:fldSimple w:instr="PAGE"><w:r><w:t>12</w:t></w:r></w:fldSimple></w:p>'
    )
    doc = read_docx(docx_bytes(para))
    assert [q.text for q in doc.paragraphs] == ["7", "12"]


def test_line_break_inside_a_cell():
    cell = '<w:tc><w:p><w:r><w:t>结果</w:t><w:br/><w:t>维持</w:t></w:r></w:p></w:tc>'
    t = read_docx(docx_bytes("<w:tbl><w:tr>" + cell + "</w:tr></w:tbl>")).tables[0]
    assert t.grid[0][0].text == "结果\n维持"


NUMBERING = (
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
    "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
)
STYLES = (
    '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/>'
    '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
)


def test_automatic_numbering_rendered_from_paragraph_and_style():
    def numbered(text, lvl):
        return p(text, f'<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="1"/></w:numPr>')

    body = (
        p("总体情况", '<w:pStyle w:val="H1"/>') + numbered("主动公开", 1) + numbered("依申请公开", 1)
        + numbered("第一条", 2) + p("主动公开政府信息情况", '<w:pStyle w:val="H1"/>') + numbered("再起", 1)
    )
    doc = read_docx(docx_bytes(body, numbering=NUMBERING, styles=STYLES))
    got = [(q.numbering, q.text, q.level) for q in doc.paragraphs]
    assert got == [
        ("一、", "总体情况", 1), ("（一）", "主动公开", None), ("（二）", "依申请公开", None),
        ("1.", "第一条", None), ("二、", "主动公开政府信息情况", 1), ("（一）", "再起", None),
    ]


def test_nested_layout_table_is_read_through():
    inner = "<w:tbl><w:tr>" + tc("行政复议") + tc("1") + "</w:tr></w:tbl>"
    body = "<w:tbl><w:tr><w:tc>" + p("四、政府信息公开行政复议、行政诉讼情况") + inner + "</w:tc></w:tr></w:tbl>"
    doc = read_docx(docx_bytes(body))
    assert isinstance(doc.blocks[0], Paragraph) and doc.blocks[0].text.startswith("四、")
    assert texts(doc.tables[0]) == [["行政复议", "1"]]


@st.composite
def merge_layouts(draw):
    n_rows = draw(st.integers(1, 6))
    n_cols = draw(st.integers(1, 6))
    taken: set[tuple[int, int]] = set()
    rects = []
    for r in range(n_rows):
        for c in range(n_cols):
            if (r, c) in taken:
                continue
            max_w = 1
            while c + max_w < n_cols and (r, c + max_w) not in taken:
                max_w += 1
            w = draw(st.integers(1, max_w))
            max_h = 1
            while r + max_h < n_rows and all((r + max_h, cc) not in taken for cc in range(c, c + w)):
                max_h += 1
            h = draw(st.integers(1, max_h))
            for rr in range(r, r + h):
                for cc in range(c, c + w):
                    taken.add((rr, cc))
            rects.append((r, c, h, w))
    return n_rows, n_cols, rects


def assert_grid_matches(table: Table, n_rows: int, n_cols: int, rects) -> None:
    assert (table.n_rows, table.n_cols) == (n_rows, n_cols)
    for r0, c0, h, w in rects:
        for r in range(r0, r0 + h):
            for c in range(c0, c0 + w):
                cell = table.grid[r][c]
                assert (cell.text, cell.row, cell.col, cell.rowspan, cell.colspan) == (f"r{r0}c{c0}", r0, c0, h, w)


@settings(max_examples=60, deadline=None)
@given(merge_layouts())
def test_random_merge_layouts_round_trip_through_docx(layout):
    n_rows, n_cols, rects = layout
    doc = read_docx(docx_bytes(layout_docx_table(n_rows, n_cols, rects)))
    assert_grid_matches(doc.tables[0], n_rows, n_cols, rects)


def test_docx_written_by_python_docx_merges():
    docx = pytest.importorskip("docx")
    d = docx.Document()
    t = d.add_table(rows=3, cols=4)
    t.cell(0, 0).merge(t.cell(2, 0)).text = "A"
    t.cell(0, 1).merge(t.cell(0, 3)).text = "B"
    t.cell(1, 1).text = "1"
    buf = io.BytesIO()
    d.save(buf)
    table = read_docx(buf.getvalue()).tables[0]
    assert texts(table)[0] == ["A", "B", "B", "B"]
    assert table.grid[2][0].rowspan == 3 and table.grid[1][1].text == "1"


def test_zip_is_read_with_bounds(monkeypatch):
    from extractor.errors import ResourceLimitError
    from extractor.readers import docx as mod

    monkeypatch.setattr(mod, "MAX_PART_BYTES", 1000)
    body = p("x" * 5000)
    with pytest.raises(ResourceLimitError):
        read_docx(docx_bytes(body))


def test_dtd_in_document_is_refused():
    from extractor.errors import CorruptFileError

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>')
    with pytest.raises(CorruptFileError):
        read_docx(buf.getvalue())
