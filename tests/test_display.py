"""Rich display: Report._repr_html_ / Corpus._repr_html_ parsed back with lxml
(structure and values, not bytes), and Report.table's official layout."""

from __future__ import annotations

import math

import lxml.html
import pandas as pd
import pytest

import extractor
from conftest import FIXTURES
from extractor.outputs.display import BLANK_CLASS, FAIL_CLASS, MISSING_CLASS, WARN_CLASS

SERIES = FIXTURES / "series"


def _doc(obj) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(obj._repr_html_())


def _grid(table) -> list[list]:
    """The table's cells on its grid (colspan/rowspan expanded): grid[r][c] is the cell element."""
    grid: dict[tuple[int, int], object] = {}
    for r, tr in enumerate(table.xpath("./tr|./thead/tr|./tbody/tr")):
        c = 0
        for cell in tr.xpath("./th|./td"):
            while (r, c) in grid:
                c += 1
            rs, cs = int(cell.get("rowspan", 1)), int(cell.get("colspan", 1))
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = cell
            c += cs
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c)) for c in range(n_cols)] for r in range(n_rows)]


def _text(el) -> str:
    return "" if el is None else el.text_content().strip()


def _stat(doc, name):
    tables = doc.xpath(f'//table[@class="ex-stat"][@data-table="{name}"]')
    assert len(tables) == 1, name
    return tables[0]


@pytest.fixture(scope="module")
def pingtan_2024():
    return extractor.parse(SERIES / "pingtan-2024.html")


@pytest.fixture(scope="module")
def broken():
    return extractor.parse(FIXTURES / "seed-2021-broken.docx")


def test_report_html_meta_and_tables(pingtan_2024):
    doc = _doc(pingtan_2024)
    assert doc.get("class") == "extractor-report"
    meta = {tr.get("data-key"): _text(tr.find("td")) for tr in doc.xpath('//table[@class="ex-meta"]/tr')}
    assert meta["agency"] == "平潭综合实验区" and meta["year"] == "2024" and meta["template"] == "2021"
    assert [s.text_content() for s in doc.xpath("//details[@class='ex-table']/summary")] == [
        "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]


def test_applications_table_in_the_official_layout(pingtan_2024):
    grid = _grid(_stat(_doc(pingtan_2024), "applications"))
    # three header rows, three label columns, seven value columns
    assert len(grid[0]) == 10 and len(grid) == 3 + 25
    header_cols = {_text(grid[r][c]): c for r in range(3) for c in range(3, 10)}
    assert _text(grid[0][3]) == "申请人情况" and _text(grid[1][4]) == "法人或其他组织"
    assert [_text(grid[2][c]) for c in range(4, 9)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert grid[1][3] is grid[2][3] and _text(grid[1][3]) == "自然人"  # 自然人 spans the two lower header rows
    row_of = {_text(grid[r][2]): r for r in range(3, len(grid))}
    r_new = row_of["一、本年新收政府信息公开申请数量"]
    cell = grid[r_new][header_cols["自然人"]]
    assert _text(cell) == "217" and cell.get("data-row") == "new_received" and cell.get("data-column") == "natural_person"
    assert _text(grid[r_new][header_cols["总计"]]) == "218"
    assert "ex-value" in cell.get("class") and FAIL_CLASS not in cell.get("class")
    # 三、本年度办理结果 spans the result rows; （三）不予公开 its eight reasons
    r_secret = row_of["1.属于国家秘密"]
    assert _text(grid[r_secret][0]) == "三、本年度办理结果" and _text(grid[r_secret][1]) == "（三）不予公开"
    assert grid[r_secret][1] is grid[r_secret + 7][1] and _text(grid[r_secret + 7][2]) == "8.属于行政查询事项"
    assert _text(grid[r_secret][header_cols["自然人"]]) == "4"
    assert grid[r_secret][4].get("data-row") == "denied.state_secret"
    assert _text(grid[row_of["（七）总计"]][9]) == "218"


def test_review_litigation_and_active_disclosure_layout(pingtan_2024):
    doc = _doc(pingtan_2024)
    grid = _grid(_stat(doc, "review_litigation"))
    assert len(grid) == 4 and len(grid[0]) == 15
    assert _text(grid[0][0]) == "行政复议" and _text(grid[0][5]) == "行政诉讼" and grid[0][5] is grid[0][14]
    assert _text(grid[1][5]) == "未经复议直接起诉" and _text(grid[1][10]) == "复议后起诉"
    assert _text(grid[2][14]) == "总计" and grid[1][4] is grid[2][4]
    values = [_text(c) for c in grid[3]]
    assert values == ["2", "1", "3", "1", "7", "0", "0", "0", "0", "0", "13", "2", "4", "0", "19"]
    assert grid[3][14].get("data-row") == "litigation_after_review" and grid[3][14].get("data-column") == "total"
    ad = _grid(_stat(doc, "active_disclosure"))
    rows = {_text(r[0]): r for r in ad}
    assert _text(rows["第二十条第（一）项"][3]) == "第二十条第（一）项"
    assert [_text(c) for c in rows["行政规范性文件"]] == ["行政规范性文件", "62", "33", "440"]
    assert [_text(c) for c in rows["行政事业性收费"]] == ["行政事业性收费", "18651.06", "18651.06", "18651.06"]


def test_failed_cells_are_highlighted(broken):
    doc = _doc(broken)
    failed = doc.xpath(f'//td[contains(concat(" ", @class, " "), " {FAIL_CLASS} ")]')
    keys = {(td.getparent().getparent().get("data-table"), td.get("data-row"), td.get("data-column")) for td in failed}
    # the printed 11 in (七)总计/自然人 and 3 in 行政复议/总计 are among the highlighted cells
    assert ("applications", "total_processed", "natural_person") in keys
    assert ("review_litigation", "review", "total") in keys
    # exactly the cells the failed rules name (a column that balances is not highlighted)
    named = {tuple(c.split("/")) for i in broken.issues for c in i.cells}
    assert keys == named and ("applications", "new_received", "research") not in keys
    cell = next(td for td in failed if td.get("data-row") == "total_processed" and td.get("data-column") == "natural_person")
    assert _text(cell) == "11" and "background" in cell.get("style")
    assert set(cell.get("data-issues").split()) == {"applications.balance", "applications.outcome_sum",
                                                    "applications.row_total"}
    assert "source t" in cell.get("title") and "applications.balance" in cell.get("title")
    issues = doc.xpath('//table[@class="ex-issues"]/tr[@data-code]')
    assert sorted(tr.get("data-code") for tr in issues) == sorted(i.code for i in broken.issues)
    assert all(tr.get("data-severity") == "error" for tr in issues)
    assert doc.xpath("//details[@class='ex-issues']/summary")[0].text_content() == "Issues (4)"


def test_official_report_has_nothing_highlighted():
    doc = _doc(extractor.parse(FIXTURES / "seed-2021-official.docx"))
    assert not doc.xpath(f'//td[contains(@class, "{FAIL_CLASS}") or contains(@class, "{WARN_CLASS}")]')
    assert doc.xpath("//details[@class='ex-issues']/summary")[0].text_content() == "Issues (0)"
    assert len(doc.xpath('//table[@class="ex-sections"]/tr[@data-key="problems"]')) == 1


def test_blank_and_placeholder_cells_show_their_raw_text():
    r = extractor.parse(FIXTURES / "synthetic-2021-numbers.html")
    doc = _doc(r)
    td = doc.xpath('//td[@data-row="coercion"][@data-column="decisions"]')[0]
    assert BLANK_CLASS in td.get("class") and _text(td) == "无"
    td = doc.xpath('//td[@data-row="new_received"][@data-column="natural_person"]')[0]
    assert _text(td) == "10" and "１０" in td.get("title")


def test_2019_template_tables():
    doc = _doc(extractor.parse(SERIES / "pingtan-2020.docx"))
    grid = _grid(_stat(doc, "applications"))
    row_of = {_text(grid[r][1]) or _text(grid[r][2]): r for r in range(3, len(grid))}
    assert _text(grid[row_of["（六）其他处理"]][3]) == "4"
    assert FAIL_CLASS in grid[row_of["（七）总计"]][9].get("class")  # H3.2 fails in 总计
    ad = {_text(r[0]): [_text(c) for c in r] for r in _grid(_stat(doc, "active_disclosure"))}
    assert ad["政府集中采购"] == ["政府集中采购", "395", "7380.28959", "7380.28959"]
    assert ad["行政处罚"][1:] == ["2648", "-18", "538"]


def test_report_without_tables_and_escaping():
    r = extractor.parse(b"<html><head><title>x</title></head><body><p>&lt;script&gt;alert(1)&lt;/script&gt; 2021 report</p></body></html>")
    r.meta["title"] = "<b>bad</b> & co"
    html = r._repr_html_()
    assert "<b>bad</b>" not in html and "&lt;b&gt;bad&lt;/b&gt; &amp; co" in html
    doc = lxml.html.fromstring(html)
    assert not doc.xpath("//table[@class='ex-stat']")
    assert len(doc.xpath("//p[@class='ex-absent']")) == 3
    cell = extractor.outputs.display._Cells(r)
    assert not cell.facts


def test_missing_cell_class():
    from extractor.outputs.display import _Cells

    r = extractor.parse(SERIES / "pingtan-2024.html")
    f = r.facts.copy()
    hit = (f.table == "applications") & (f.row == "carried_over") & (f.column == "research")
    f.loc[hit, "value"] = math.nan
    f.loc[hit, "raw"] = None
    r.facts = f
    td = _doc(r).xpath('//td[@data-row="carried_over"][@data-column="research"]')[0]
    assert MISSING_CLASS in td.get("class") and _text(td) == ""
    assert _Cells(r).facts[("applications", "carried_over", "research")]["raw"] is None


def test_corpus_html_overview(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04garbage")
    corpus = extractor.parse_many([SERIES, tmp_path], jobs=1)
    doc = _doc(corpus)
    assert doc.get("class") == "extractor-corpus"
    assert _text(doc.xpath("//h3")[0]) == "Corpus: 15 reports, 1 parse failures"
    by_year = doc.xpath("//table[@class='ex-by-year']")[0]
    head = [_text(c) for c in by_year.xpath("./tr[1]/th")]
    assert head[1:] == ["2019", "2021", "all"]
    rows = {_text(tr.find("th")): [_text(td) for td in tr.findall("td")] for tr in by_year.xpath("./tr[position()>1]")}
    assert rows["2024"] == ["0", "4", "4"] and rows["2020"] == ["1", "0", "1"] and rows["all"] == ["2", "13", "15"]
    err = doc.xpath("//table[@class='ex-errors']//td")
    assert "bad.docx" in _text(err[0]) and _text(err[1]) == "CorruptFileError"
    counts = doc.xpath("//table[@class='ex-issue-counts']/tr[position()>1]")
    first = [_text(td) for td in counts[0].findall("td")]
    assert first == ["error", "applications.outcome_sum", "2", "1"]  # 自然人 and 总计 columns, one report
    flagged = doc.xpath("//table[@class='ex-flagged']/tr[position()>1]")
    assert [[_text(td) for td in tr.findall("td")] for tr in flagged] == [
        ["平潭综合实验区", "2020", "pingtan-2020.docx", "2", "applications.outcome_sum"]]


def test_empty_corpus_html():
    doc = _doc(extractor.parse_many([], jobs=1))
    assert _text(doc.xpath("//h3")[0]) == "Corpus: 0 reports, 0 parse failures"


def test_report_table_official_labels(pingtan_2024):
    t = pingtan_2024.table("applications")
    assert isinstance(t.columns, pd.MultiIndex)
    assert t.columns[0] == ("自然人", "") and t.columns[1] == ("法人或其他组织", "商业企业")
    assert t.loc["一、本年新收政府信息公开申请数量", ("自然人", "")] == 217
    assert t["总计"].loc["一、本年新收政府信息公开申请数量"] == 218
    assert t["法人或其他组织"].shape == (25, 5)
    rl = pingtan_2024.table("review_litigation")
    assert list(rl.index) == [("行政复议", ""), ("行政诉讼", "未经复议直接起诉"), ("行政诉讼", "复议后起诉")]
    assert rl.loc[("行政诉讼", "复议后起诉"), "总计"] == 19
    ad = pingtan_2024.table("active_disclosure")
    assert not isinstance(ad.columns, pd.MultiIndex) and ad.loc["行政规范性文件", "现行有效件数"] == 440
    keys = pingtan_2024.table("applications", labels=False)
    assert keys.loc["new_received", "natural_person"] == 217 and keys.index.name is None


def test_to_dict_is_plain_data(pingtan_2024):
    import json

    d = pingtan_2024.to_dict()
    assert set(d) == {"meta", "facts", "sections", "issues"}
    back = json.loads(json.dumps(d, ensure_ascii=False))
    cell = next(f for f in back["facts"] if f["row"] == "new_received" and f["column"] == "natural_person")
    assert cell["value"] == 217 and cell["raw"] == "217" and cell["source"].startswith("t")
