"""Labels as agencies print them: reworded, mistyped, renumbered.

The property: whatever small edits the printed labels carry, every value
lands on its own key or stays NaN with an issue naming the cell — never on
another key. Every cell holds a distinct number, so a value on a wrong key
cannot pass unnoticed.
"""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

import extractor
import labelgen as g
from labelgen import EDITS, edit
from extractor.recognition.cells import match
from extractor.recognition.matching import align, similarity
from extractor.recognition.templates import TEMPLATES, Key

@st.composite
def rewrites(draw):
    """A function rewriting each distinct label with 0–2 random edits (the
    same label the same way wherever it is printed)."""
    seed = draw(st.integers(0, 2**32 - 1))
    rate = draw(st.sampled_from([0.3, 0.6, 1.0]))
    import random

    rnd = random.Random(seed)
    memo: dict[str, str] = {}

    def lab(text: str) -> str:
        if text not in memo:
            out = text
            if rnd.random() < rate:
                for _ in range(rnd.choice([1, 1, 2])):
                    out = edit(out, rnd.choice(EDITS), rnd.randrange(1000), rnd.randrange(1000))
            memo[text] = out
        return memo[text]

    return lab


def assert_on_key_or_nan(report, table: str, values: dict) -> tuple[int, int]:
    """Every value on its own key, or NaN with an issue on that cell;
    returns (values read, values expected)."""
    f = report.facts[report.facts.table == table]
    got = {(r, c): v for r, c, v in zip(f.row, f.column, f.value)}
    flagged = set()
    for i in report.issues:
        flagged.update(i.cells)
        if i.table == table and i.row and not i.column:
            flagged.add(f"{table}/{i.row}/*")
        if i.code in ("table.no_header", "table.missing", "template.unknown"):
            flagged.add(f"{table}/*/*")
    read = 0
    for (r, c), want in values.items():
        v = got.get((r, c), math.nan)
        if want is None:
            assert math.isnan(v), f"{table}/{r}/{c} got {v}, the cell was blank"
        elif math.isnan(v):
            assert {f"{table}/{r}/{c}", f"{table}/{r}/*", f"{table}/*/*"} & flagged, f"{table}/{r}/{c} NaN without an issue"
        else:
            assert v == want, f"{table}/{r}/{c} got {v}, want {want} (another cell's number)"
            read += 1
    return read, sum(1 for w in values.values() if w is not None)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(rewrites(), st.sampled_from(["2021", "2019"]), st.sampled_from([1, 2]), st.sampled_from([1, 2]))
def test_rewritten_labels_of_applications_never_land_on_another_key(lab, template, label_cols, header_rows):
    spec = TEMPLATES[template]["applications"]
    values = g.distinct_values(spec)
    html = g.report_html(template, g.applications(template, values, label_cols=label_cols, header_rows=header_rows, lab=lab))
    assert_on_key_or_nan(extractor.parse(html), "applications", values)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(rewrites(), st.sampled_from(["2021", "2019"]))
def test_rewritten_labels_of_tables_2_and_4_never_land_on_another_key(lab, template):
    ad = TEMPLATES[template]["active_disclosure"]
    rl = TEMPLATES[template]["review_litigation"]
    ad_values, rl_values = g.distinct_values(ad), g.distinct_values(rl)
    html = g.report_html(template, g.active_disclosure(template, ad_values, lab=lab), g.review_litigation(rl_values, lab=lab))
    report = extractor.parse(html)
    assert_on_key_or_nan(report, "active_disclosure", ad_values)
    assert_on_key_or_nan(report, "review_litigation", rl_values)


def test_most_rewritten_labels_are_still_read():
    """Not only safe: over a fixed set of one-edit rewrites of every label
    of table 三, the alignment reads nearly all values (pattern lookup
    alone read far fewer)."""
    import random

    spec = TEMPLATES["2021"]["applications"]
    values = g.distinct_values(spec)
    read = total = 0
    for seed in range(12):
        rnd = random.Random(seed)
        memo: dict[str, str] = {}

        def lab(text):
            return memo.setdefault(text, edit(text, rnd.choice(EDITS), rnd.randrange(1000), rnd.randrange(1000)))

        html = g.report_html("2021", g.applications("2021", values, label_cols=1 + seed % 2, lab=lab))
        r, t = assert_on_key_or_nan(extractor.parse(html), "applications", values)
        read, total = read + r, total + t
    assert read / total > 0.95, (read, total)


# ---------------------------------------------------------------- targeted


def _parse_app(lab, **kw):
    spec = TEMPLATES["2021"]["applications"]
    values = g.distinct_values(spec)
    report = extractor.parse(g.report_html("2021", g.applications("2021", values, lab=lab, **kw)))
    return report, values


def test_huozhe_row_lands_on_its_key_with_an_info_issue():
    printed = "（五）5.要求行政机关确认或者重新出具已获取信息"
    report, values = _parse_app(lambda t: t.replace("确认或重新", "确认或者重新"))
    for c in g.LEAF:
        assert report.value("applications", "rejected.confirmation", c) == values[("rejected.confirmation", c)]
    assert not report.facts.row.str.startswith("extra.").any()
    info = [i for i in report.issues if i.code == "row.aligned"]
    assert len(info) == 1 and info[0].severity == "info" and printed in info[0].message
    assert info[0].row == "rejected.confirmation"
    m = [m for m in report.matches if m.method != "pattern"]
    assert [(m[0].axis, m[0].key, m[0].method, m[0].score) for _ in m] == [("row", "rejected.confirmation", "similarity", 100.0)]


def test_matches_record_every_label_and_how():
    report, _values = _parse_app(g.same)
    rows = [m for m in report.matches if m.axis == "row"]
    cols = [m for m in report.matches if m.axis == "column"]
    assert [m.key for m in rows] == [r.key for r in TEMPLATES["2021"]["applications"].rows]
    assert {m.key for m in cols} == set(g.LEAF)
    assert {m.method for m in report.matches} == {"pattern"}
    assert rows[0].source.endswith(":r2") and rows[0].label == "一、本年新收政府信息公开申请数量"


def test_reworded_column_header_does_not_shift_its_neighbours():
    """社会公益组织 printed as 社会团体 in a one-row header: the rows whose
    label also reads like a column (（六）3.其他, （七）总计) once put that
    column's number on 其他/总计; now the column is found between its
    neighbours."""
    report, values = _parse_app(lambda t: t.replace("社会公益组织", "社会团体"), header_rows=1)
    for (r, c), v in values.items():
        assert report.value("applications", r, c) == v, (r, c)
    (m,) = [m for m in report.matches if m.method != "pattern"]
    assert (m.axis, m.key, m.method) == ("column", "social_welfare", "similarity")
    assert any(i.code == "column.aligned" and "社会团体" in i.message for i in report.issues)


def test_unreadable_column_header_leaves_nan_not_a_neighbours_number():
    """自然人 printed as 公民 shares nothing with its key: the column stays
    NaN with issues, and no other column moves."""
    report, values = _parse_app(lambda t: t.replace("自然人", "公民"), header_rows=1)
    for (r, c), v in values.items():
        got = report.value("applications", r, c)
        assert math.isnan(got) if c == "natural_person" else got == v, (r, c)
    assert any(i.code == "cell.missing" and "natural_person" in i.message for i in report.issues)


def test_two_labels_fitting_one_key_stay_nan_with_a_warning():
    """Rows （三）2 and （三）3 printed as two rewordings of （三）2
    (其他法律禁止公开 / 其他法规禁止公开): either could be it, so neither
    takes the key, and neither becomes an extra row."""
    spec = TEMPLATES["2021"]["applications"]
    values = g.distinct_values(spec)
    html = g.applications("2021", values, label_cols=1)
    a = "（三）2.其他法律行政法规禁止公开"
    b = "（三）3.危及“三安全一稳定”"
    html = html.replace(g.escape(a), "（三）2.其他法律禁止公开").replace(g.escape(b), "（三）3.其他法规禁止公开")
    report = extractor.parse(g.report_html("2021", html))
    amb = [i for i in report.issues if i.code == "row.ambiguous"]
    assert len(amb) == 2 and all(i.severity == "warning" for i in amb)
    assert {m.label for m in report.matches if m.method == "ambiguous"} == {"（三）2.其他法律禁止公开", "（三）3.其他法规禁止公开"}
    for row in ("denied.prohibited_by_law", "denied.security_stability"):
        for c in g.LEAF:
            assert math.isnan(report.value("applications", row, c))
    assert not report.facts.row.str.startswith("extra.").any()
    assert report.value("applications", "denied.third_party_rights", "total") == values[("denied.third_party_rights", "total")]


def test_align_leaves_equally_close_keys_to_neither():
    keys = (Key("a", "甲乙丙丁", ("甲乙丙丁",)), Key("b", "甲乙丙戊", ("甲乙丙戊",)), Key("c", "庚辛", ("庚辛",)))
    got = align(keys, [(None, ["甲乙丙"]), (2, None)])[0]
    assert (got.index, got.method, got.candidates) == (None, "ambiguous", (0, 1))
    got = align(keys, [(None, ["甲乙丙丁的"]), (2, None)])[0]
    assert (got.index, got.method) == (0, "similarity")


def test_align_keeps_order_and_leaves_misfits_extra():
    rows = TEMPLATES["2021"]["applications"].rows
    # between 重复申请 (16) and 大量反复申请 (18) only 公开出版物 (17) is free
    items = [(16, None), (None, ["要求提供出版物"]), (18, None)]
    assert align(rows, items)[1].index == 17
    # a province's own row between two neighbours with no free key between them
    items = [(15, None), (None, ["其中：网上申请"]), (16, None)]
    assert align(rows, items)[1].method == "none"
    # an unknown label far from every free key
    items = [(2, None), (None, ["申请人撤回申请"]), (3, None)]
    assert align(rows, items)[1].index is None


def _read_with_close_keys(values: dict):
    """Table 三 read against a template whose 总计 and 结转 rows are labelled
    甲乙丙丁 and 甲乙丙戊 (so that the printed row 甲乙丙 fits both alike)."""
    from dataclasses import replace

    from extractor.readers import read
    from extractor.recognition.cells import read_cells

    base = TEMPLATES["2021"]["applications"]
    alike = {"total_processed": "甲乙丙丁", "carried_forward": "甲乙丙戊"}
    spec = replace(base, rows=tuple(Key(r.key, alike[r.key], ("=" + alike[r.key],)) if r.key in alike else r
                                    for r in base.rows))
    html = g.applications("2021", values, label_cols=1)
    html = html.replace("（七）总计", "甲乙丙").replace("四、结转下年度继续办理", "")
    _fmt, doc = read(g.report_html("2021", html), "t.html")
    return read_cells(spec, doc.tables)


def test_checks_decide_between_equally_close_keys():
    """Only under 总计 do the printed totals add up: the row is read there."""
    spec = TEMPLATES["2021"]["applications"]
    values = {k: 0 for k in g.distinct_values(spec)}
    for r in ("new_received", "granted", "total_processed"):
        values.update({(r, "natural_person"): 5, (r, "total"): 5})
    reading = _read_with_close_keys(values)
    (m,) = [match("applications", e) for e in reading.entries(TEMPLATES["2021"]["applications"], only_aligned=True)]
    assert (m.key, m.method, set(m.candidates)) == ("total_processed", "checks", {"total_processed", "carried_forward"})
    assert {(f.column, f.cell.text) for f in reading.found if f.row == "total_processed"} >= {("total", "5")}


def test_checks_that_cannot_tell_leave_the_row_out():
    """Totals that add up under neither key (or both): the row takes none."""
    spec = TEMPLATES["2021"]["applications"]
    values = g.distinct_values(spec)
    reading = _read_with_close_keys(values)
    (m,) = [match("applications", e) for e in reading.entries(TEMPLATES["2021"]["applications"], only_aligned=True)]
    assert (m.key, m.method) == (None, "ambiguous")
    assert not [f for f in reading.found if f.row in ("total_processed", "carried_forward")]


def test_similarity_folds_synonyms():
    rows = TEMPLATES["2021"]["applications"].rows
    key = next(r for r in rows if r.key == "rejected.confirmation")
    assert similarity(key, ["5.要求行政机关确认或者重新出具已获取信息"]) == 100.0
    assert similarity(key, ["5.要求行政机关确认或重新出具已获取的信息"]) == 100.0


def test_group_header_over_several_columns_takes_none_of_them():
    """法人或其他组织 reworded over five sub-headers no pattern names: the
    group header is as close to 其他 (法人或其他组织 / 其他) as any label is,
    but it spans five values, so it takes no column and none of the five
    numbers lands on 其他."""
    sub = {"商业企业": "商业单位", "科研机构": "研究所", "社会公益组织": "公益团体", "法律服务机构": "律所", "其他": "另外"}
    report, values = _parse_app(lambda t: sub.get(t, t.replace("法人或其他组织", "法人或其他组")), header_rows=2)
    for (r, c), v in values.items():
        got = report.value("applications", r, c)
        assert got == v if c in ("natural_person", "total") else math.isnan(got), (r, c, got)


def test_reworded_block_header_of_table_2_is_aligned():
    """A 第二十条 block whose only column label is mistyped (本年理处决定数量)
    has no pattern to anchor it: it is aligned by similarity alone."""
    spec = TEMPLATES["2021"]["active_disclosure"]
    values = g.distinct_values(spec)
    html = g.active_disclosure("2021", values, lab=lambda t: {"本年处理决定数量": "本年理处决定数量"}.get(t, t))
    report = extractor.parse(g.report_html("2021", html))
    for (r, c), v in values.items():
        assert report.value("active_disclosure", r, c) == v, (r, c)
    aligned = [i for i in report.issues if i.code == "column.aligned"]
    assert aligned and all("本年理处决定数量" in i.message and i.column == "decisions" for i in aligned)


def test_reworded_groups_and_results_of_table_4_are_aligned_group_by_group():
    """Table 四 in its official layout, its results repeated under each
    group: a mistyped group (行政复义) and a reworded result (结果改正) are
    found group by group."""
    spec = TEMPLATES["2021"]["review_litigation"]
    values = g.distinct_values(spec)
    words = {"行政复议": "行政复义", "结果纠正": "结果改正", "复议后起诉": "经复议后起诉的"}
    report = extractor.parse(g.report_html("2021", g.review_litigation(values, lab=lambda t: words.get(t, t))))
    for (r, c), v in values.items():
        assert report.value("review_litigation", r, c) == v, (r, c)
    got = {(m.axis, m.key, m.method) for m in report.matches if m.method != "pattern"}
    assert ("row", "review", "similarity") in got and ("column", "corrected", "similarity") in got
