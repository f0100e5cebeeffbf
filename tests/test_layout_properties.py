"""Random layouts of tables 三 and 四 (property tests): whatever the number
of label columns, header rows, column order, captions and blanks, every
value lands on its (row, column)."""

from __future__ import annotations

import math
from html import escape

from hypothesis import given, settings, strategies as st

import extractor
from labelgen import BLOCKS  # the 第二十条 items of table 二, per template
from extractor.recognition.templates import TEMPLATES

APP = TEMPLATES["2021"]["applications"]
RL = TEMPLATES["2021"]["review_litigation"]
ORG = ["commercial", "research", "social_welfare", "legal_service", "other_org"]
LEAF = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
        "legal_service": "法律服务机构", "other_org": "其他", "total": "总计"}
GROUPS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "rejected": "（五）不予处理", "other": "（六）其他处理"}
TOP = {"new_received", "carried_over", "carried_forward"}


def td(text, rs=1, cs=1):
    a = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    return f"<td{a}>{escape(str(text))}</td>"


def item_label(row):
    """The row's own label as printed (item part only for grouped rows)."""
    label = row.label
    return label.split(" ")[-1] if " " in label else label.split("（三）")[-1].split("（四）")[-1].split("（五）")[-1].split("（六）")[-1]


def cell_text(v):
    return "" if v is None else str(v)


@st.composite
def app_layouts(draw):
    values = {(r.key, c.key): draw(st.one_of(st.none(), st.integers(0, 999))) for r, c in APP.cells()}
    label_cols = draw(st.sampled_from([1, 2, 3]))
    header_rows = draw(st.sampled_from([1, 2, 3]))
    org = draw(st.permutations(ORG))
    total_first = draw(st.booleans())
    order = (["total"] if total_first else []) + ["natural_person"] + list(org) + ([] if total_first else ["total"])
    caption = draw(st.booleans())
    group_rows = label_cols == 1 and draw(st.booleans())
    return values, label_cols, header_rows, order, caption, group_rows


def render_app(values, label_cols, header_rows, order, caption, group_rows):
    rows = []
    width = label_cols + len(order)
    if caption:
        rows.append(td("三、收到和处理政府信息公开申请情况", cs=width))
    corner = td("项目", rs=header_rows, cs=label_cols)
    if header_rows == 1:
        rows.append(corner + "".join(td(("法人或其他组织" if k in ORG else "") + LEAF[k]) for k in order))
    else:
        top, leaves = [], []
        i = 0
        while i < len(order):
            k = order[i]
            if k in ORG:
                n = sum(1 for x in order if x in ORG)
                top.append(td("法人或其他组织", cs=n))
                leaves.extend(td(LEAF[x]) for x in order[i:i + n])
                i += n
            else:
                top.append(td(LEAF[k], rs=header_rows - (1 if header_rows == 3 else 0)))
                i += 1
        if header_rows == 3:
            rows.append(corner + td("申请人情况", cs=len(order)))
            rows.append("".join(top))
        else:
            rows.append(corner + "".join(top))
        rows.append("".join(leaves))
    data_rows = list(APP.rows)
    current_group = None
    outcome_rows = [r for r in data_rows if r.key not in TOP]
    for idx, row in enumerate(data_rows):
        vals = "".join(td(cell_text(values[(row.key, c)])) for c in order)
        group = row.key.split(".")[0] if "." in row.key else None
        if label_cols == 3:
            if row.key in TOP:
                label = td(row.label, cs=3)
            else:
                first = td("三、本年度办理结果", rs=len(outcome_rows)) if row is outcome_rows[0] else ""
                if group:
                    members = [r for r in data_rows if r.key.startswith(group + ".")]
                    g = td(GROUPS[group], rs=len(members)) if row is members[0] else ""
                    label = first + g + td(item_label(row))
                else:
                    label = first + td(row.label.replace("三、", ""), cs=2)
        elif label_cols == 2:
            if group:
                members = [r for r in data_rows if r.key.startswith(group + ".")]
                label = (td(GROUPS[group], rs=len(members)) if row is members[0] else "") + td(item_label(row))
            else:
                label = td(row.label.replace("三、", ""), cs=2)
        else:
            if group_rows and group and group != current_group:
                rows.append(td(GROUPS[group], cs=width))
            label = td(item_label(row) if (group_rows and group) else row.label)
        current_group = group
        rows.append(label + vals)
    return "<table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def check(report, table, values):
    f = report.facts[report.facts.table == table].set_index(["row", "column"])
    for (r, c), v in values.items():
        got = f.loc[(r, c), "value"]
        if v is None:
            assert math.isnan(got), (r, c, got)
        else:
            assert got == v, (r, c, got, v)


@settings(max_examples=40, deadline=None)
@given(app_layouts())
def test_applications_in_random_layouts(layout):
    values, *shape = layout
    html = "<p>某区某局2022年政府信息公开工作年度报告</p>" + render_app(values, *shape)
    report = extractor.parse(html.encode("utf-8"))
    assert report.meta["template"] == "2021"
    check(report, "applications", values)
    assert not report.facts.row.str.startswith("extra.").any()


RESULT = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
GROUP = {"review": ("行政复议", ""), "litigation_direct": ("行政诉讼", "未经复议直接起诉"),
         "litigation_after_review": ("行政诉讼", "复议后起诉")}


@st.composite
def rl_layouts(draw):
    values = {(r.key, c.key): draw(st.one_of(st.none(), st.integers(0, 99))) for r, c in RL.cells()}
    return values, draw(st.sampled_from(["official", "two_rows", "flat", "transposed", "results_as_rows"]))


def render_rl(values, kind):
    groups, results = list(GROUP), list(RESULT)
    if kind == "official":
        h0 = td("行政复议", cs=5) + td("行政诉讼", cs=10)
        h1 = "".join(td(RESULT[r], rs=2) for r in results) + td("未经复议直接起诉", cs=5) + td("复议后起诉", cs=5)
        h2 = "".join(td(RESULT[r]) for _ in range(2) for r in results)
        data = "".join(td(cell_text(values[(g, r)])) for g in groups for r in results)
        rows = [h0, h1, h2, data]
    elif kind == "two_rows":
        h0 = "".join(td((GROUP[g][1] or GROUP[g][0]), cs=5) for g in groups)
        h1 = "".join(td(RESULT[r]) for _ in groups for r in results)
        rows = [h0, h1, "".join(td(cell_text(values[(g, r)])) for g in groups for r in results)]
    elif kind == "flat":
        h = "".join(td(GROUP[g][0] + GROUP[g][1] + RESULT[r]) for g in groups for r in results)
        rows = [h, "".join(td(cell_text(values[(g, r)])) for g in groups for r in results)]
    elif kind == "transposed":
        rows = [td("类别", cs=2) + "".join(td(RESULT[r]) for r in results)]
        for g in groups:
            a, b = GROUP[g]
            rows.append((td(a, cs=2) if not b else td(a) + td(b)) + "".join(td(cell_text(values[(g, r)])) for r in results))
    else:
        rows = [td("结果") + "".join(td(GROUP[g][1] or GROUP[g][0]) for g in groups)]
        for r in results:
            rows.append(td(RESULT[r]) + "".join(td(cell_text(values[(g, r)])) for g in groups))
    return "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


@settings(max_examples=30, deadline=None)
@given(rl_layouts())
def test_review_litigation_in_random_layouts(layout):
    values, kind = layout
    html = "<p>某区某局2022年政府信息公开工作年度报告</p>" + render_rl(values, kind)
    report = extractor.parse(html.encode("utf-8"))
    check(report, "review_litigation", values)


# ---------------------------------------------------------------- table 二


def _noisy(label: str, noise: int) -> str:
    if noise == 1:
        return " ".join(label)  # 规 章
    if noise == 2:
        return label.replace("（", "(").replace("）", ")") + "(本级)"  # half-width brackets, a provincial note
    return label


@st.composite
def ad_layouts(draw):
    template = draw(st.sampled_from(["2021", "2019"]))
    spec = TEMPLATES[template]["active_disclosure"]
    values = {}
    for row, col in spec.cells():
        lo = -50 if col.key == "items_change" else 0
        values[(row.key, col.key)] = draw(st.one_of(st.none(), st.integers(lo, 5000)))
    return template, values, draw(st.booleans()), draw(st.integers(0, 2)), draw(st.booleans())


def render_ad(template, values, split, noise, extra_row):
    spec = TEMPLATES[template]["active_disclosure"]
    labels = {r.key: r.label for r in spec.rows}
    cols = {c.key: c.label for c in spec.columns}
    tables, rows = [], []
    for title, row_keys, col_keys in BLOCKS[template]:
        width = 1 + max(len(c) for _t, _r, c in BLOCKS[template])
        span = (width - 1) // len(col_keys)
        part = [td(_noisy(title, noise), cs=width)]
        part.append(td("信息内容") + "".join(td(_noisy(cols[c], noise), cs=span) for c in col_keys))
        for rk in row_keys:
            part.append(td(_noisy(labels[rk], noise)) + "".join(
                td(("+" if c == "items_change" and (values[(rk, c)] or 0) > 0 else "") + cell_text(values[(rk, c)]), cs=span)
                for c in col_keys))
            if extra_row and rk == "normative_docs":
                part.append(td("其他主动公开文件") + "".join(td("7", cs=span) for _ in col_keys))
        if split:
            tables.append(part)
        else:
            rows.extend(part)
    if not split:
        tables = [rows]
    return "<p>二、主动公开政府信息情况</p>" + "".join(
        "<table>" + "".join(f"<tr>{r}</tr>" for r in t) + "</table><p></p>" for t in tables)


@settings(max_examples=40, deadline=None)
@given(ad_layouts())
def test_active_disclosure_in_random_layouts(layout):
    template, values, split, noise, extra_row = layout
    year = 2022 if template == "2021" else 2020
    html = f"<p>某区某局{year}年政府信息公开工作年度报告</p>" + render_ad(template, values, split, noise, extra_row)
    report = extractor.parse(html.encode("utf-8"))
    assert report.meta["template"] == template
    money = {("procurement", "procurement_amount_10k_yuan")}
    expected = {k: (v if k not in money or v is None else v) for k, v in values.items()}
    check(report, "active_disclosure", expected)
    extras = report.facts[report.facts.row.str.startswith("extra.")]
    assert set(extras.row) == ({"extra.1"} if extra_row else set())
