"""Layouts beyond the fixtures, built from the seed report's numbers.

Each test lays the same numbers out differently and checks that every value
lands on the same (table, row, column) as in the official layout: the
mapping must follow the labels, not positions.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile

import pytest

import extractor
from conftest import FIXTURES, compare
from extractor.recognition.templates import TEMPLATES

EXPECTED = json.loads((FIXTURES / "seed-2021-official.expected.json").read_text(encoding="utf-8"))
VALUES = EXPECTED["tables"]
APP = TEMPLATES["2021"]["applications"]
RL = TEMPLATES["2021"]["review_litigation"]
TITLE = "<p>威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告</p>"


def _num(v) -> str:
    return "" if v is None else (str(int(v)) if float(v).is_integer() else str(v))


def _expect(tables: list[str]) -> dict:
    return {"tables": {t: VALUES[t] for t in tables}, "no_issue_codes": ["applications.balance", "review_litigation.total", "cell.unmatched"]}


def _app_rows(order):
    return "".join(
        f"<tr><td>{row.label}</td>" + "".join(f"<td>{_num(VALUES['applications'][row.key][c])}</td>" for c in order) + "</tr>"
        for row in APP.rows
    )


@pytest.mark.parametrize("seed", range(4))
def test_applications_columns_in_any_order_map_by_header(seed):
    keys = [c.key for c in APP.columns]
    order = list(itertools.islice(itertools.permutations(keys), 1 + seed * 997, 2 + seed * 997))[0]
    labels = {c.key: c.label.split(" / ")[-1] for c in APP.columns}
    head = "<tr><td>项目</td>" + "".join(f"<td>{labels[c]}</td>" for c in order) + "</tr>"
    html = TITLE + "<p>三、收到和处理政府信息公开申请情况</p><table>" + head + _app_rows(order) + "</table>"
    r = extractor.parse(html.encode())
    assert not compare(r, _expect(["applications"]))


def test_applications_with_an_empty_spacer_column():
    keys = [c.key for c in APP.columns]
    head = "<tr><td>项目</td><td></td>" + "".join(f"<td>{c.label.split(' / ')[-1]}</td>" for c in APP.columns) + "</tr>"
    rows = "".join(
        f"<tr><td>{row.label}</td><td></td>" + "".join(f"<td>{_num(VALUES['applications'][row.key][c])}</td>" for c in keys) + "</tr>"
        for row in APP.rows
    )
    r = extractor.parse((TITLE + "<table>" + head + rows + "</table>").encode())
    assert not compare(r, _expect(["applications"]))


def test_applications_group_rows_with_subtotals_are_extra_rows_not_shifts():
    keys = [c.key for c in APP.columns]
    head = "<tr><td>项目</td>" + "".join(f"<td>{c.label.split(' / ')[-1]}</td>" for c in APP.columns) + "</tr>"
    body = ""
    for row in APP.rows:
        if row.key == "denied.state_secret":
            body += "<tr><td>（三）不予公开（小计）</td>" + "<td>2</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>2</td></tr>"
        body += f"<tr><td>{row.label.split(' ')[-1]}</td>" + "".join(f"<td>{_num(VALUES['applications'][row.key][c])}</td>" for c in keys) + "</tr>"
    r = extractor.parse((TITLE + "<table>" + head + body + "</table>").encode())
    assert not compare(r, _expect(["applications"]))
    extra = r.facts[r.facts.row.str.startswith("extra.")]
    assert set(extra.row) == {"extra.1"} and extra[extra.column == "total"].value.iloc[0] == 2
    assert any(i.code == "row.extra" for i in r.issues)


def _rl_value(group, col):
    return _num(VALUES["review_litigation"][group][col])


RESULTS = [("upheld", "结果维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"), ("total", "总计")]


def test_review_litigation_with_a_two_row_header():
    groups = [("review", "行政复议"), ("litigation_direct", "行政诉讼（未经复议直接起诉）"), ("litigation_after_review", "行政诉讼（复议后起诉）")]
    h0 = "".join(f"<td colspan='5'>{g}</td>" for _k, g in groups)
    h1 = "".join(f"<td>{lab}</td>" for _g in groups for _k, lab in RESULTS)
    data = "".join(f"<td>{_rl_value(g, k)}</td>" for g, _ in groups for k, _lab in RESULTS)
    html = TITLE + f"<table><tr>{h0}</tr><tr>{h1}</tr><tr>{data}</tr></table>"
    r = extractor.parse(html.encode())
    assert not compare(r, _expect(["review_litigation"]))


def test_review_litigation_transposed_with_results_as_rows():
    groups = [("review", "行政复议"), ("litigation_direct", "未经复议直接起诉"), ("litigation_after_review", "复议后起诉")]
    head = "<tr><td>结果</td>" + "".join(f"<td>{g}</td>" for _k, g in groups) + "</tr>"
    rows = "".join(f"<tr><td>{lab}</td>" + "".join(f"<td>{_rl_value(g, k)}</td>" for g, _ in groups) + "</tr>" for k, lab in RESULTS)
    html = TITLE + "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>" + head + rows + "</table>"
    r = extractor.parse(html.encode())
    assert not compare(r, _expect(["review_litigation"]))


def _split_docx_table(data: bytes, table_index: int, at_row: int, repeat_header: int) -> bytes:
    """The docx with one table cut in two at ``at_row`` (a page break between),
    the second part repeating ``repeat_header`` header rows."""
    from lxml import etree

    zin = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(zin.read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    tbl = root.findall(f".//{w}body/{w}tbl")[table_index]
    rows = tbl.findall(f"{w}tr")
    second = etree.Element(f"{w}tbl")
    for el in tbl:
        if el.tag != f"{w}tr":
            second.append(__import__("copy").deepcopy(el))
    for tr in rows[:repeat_header]:
        second.append(__import__("copy").deepcopy(tr))
    for tr in rows[at_row:]:
        second.append(tr)
    brk = etree.fromstring(f'<w:p xmlns:w="{w[1:-1]}"><w:r><w:br w:type="page"/></w:r></w:p>')
    tbl.addnext(brk)
    brk.addnext(second)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            payload = etree.tostring(root) if info.filename == "word/document.xml" else zin.read(info)
            zout.writestr(info.filename, payload)
    return out.getvalue()


@pytest.mark.parametrize("repeat_header", [0, 3])
def test_table_continued_after_a_page_break_is_stitched(repeat_header):
    data = (FIXTURES / "seed-2021-official.docx").read_bytes()
    split = _split_docx_table(data, 1, 16, repeat_header)
    r = extractor.parse(split)
    problems = compare(r, EXPECTED)
    assert not problems, problems
    # the second half's cells point into the second document table
    src = r.facts[(r.facts.row == "carried_forward") & (r.facts.column == "total")].source.iloc[0]
    assert re.match(r"t2:", src)


def test_chinese_numeral_year_in_title():
    html = "<p>某某县人民政府办公室二〇二二年政府信息公开工作年度报告</p><p>一、总体情况</p>"
    r = extractor.parse(html.encode())
    assert r.meta["year"] == 2022 and r.meta["agency"] == "某某县人民政府办公室"
