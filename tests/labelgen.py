"""Statistics tables with the labels printed as given (for the label-variant
tests and ``benchmarks/bench_labels.py``).

Each renderer takes the printed text of every label through ``lab`` (the
official text by default), so a test can reword, mistype or renumber any
of them, and puts a distinct number in every cell, so that a number on a
wrong key cannot go unnoticed. :func:`edit` makes one small random edit of
a label (a character dropped, inserted or swapped, a synonym, a unit or
bracket or 的 appended, a space or line break, another enumeration style).

>>> edit("（五）2.重复申请", "enum", 3, 0)
'5.2.重复申请'
"""

from __future__ import annotations

import re
from html import escape

from extractor.recognition.templates import TEMPLATES

ORG = ["commercial", "research", "social_welfare", "legal_service", "other_org"]
LEAF = {"natural_person": "自然人", "commercial": "商业企业", "research": "科研机构", "social_welfare": "社会公益组织",
        "legal_service": "法律服务机构", "other_org": "其他", "total": "总计"}
GROUPS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "rejected": "（五）不予处理", "other": "（六）其他处理"}
TOP = {"new_received", "carried_over", "carried_forward"}
RESULT = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}


def td(text, rs=1, cs=1):
    a = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
    return f"<td{a}>{escape(str(text))}</td>"


def same(text: str) -> str:
    return text


def distinct_values(spec, blank=frozenset()) -> dict:
    """A distinct number for every cell of ``spec`` (None for ``blank`` cells)."""
    return {(r.key, c.key): (None if (r.key, c.key) in blank else 100 + i) for i, (r, c) in enumerate(spec.cells())}


def _cell(v):
    return "" if v is None else str(v)


def _item(row) -> str:
    """The row's own label (the item after its group) as printed."""
    label = row.label
    if " " in label:
        return label.split(" ")[-1]
    for g in GROUPS.values():
        label = label.split(g)[-1]
    return label


def applications(template: str, values: dict, *, label_cols: int = 1, header_rows: int = 2, lab=same) -> str:
    """Table 三 in the official shape: one or two label columns, one or two header rows."""
    spec = TEMPLATES[template]["applications"]
    order = list(LEAF)
    rows = []
    corner = td(lab("项目"), rs=header_rows, cs=label_cols)
    if header_rows == 1:
        rows.append(corner + "".join(td(lab(("法人或其他组织" if k in ORG else "") + LEAF[k])) for k in order))
    else:
        rows.append(corner + td(lab("自然人"), rs=2) + td(lab("法人或其他组织"), cs=5) + td(lab("总计"), rs=2))
        rows.append("".join(td(lab(LEAF[k])) for k in ORG))
    data_rows = list(spec.rows)
    for row in data_rows:
        vals = "".join(td(_cell(values[(row.key, c)])) for c in order)
        group = row.key.split(".")[0] if "." in row.key else None
        if label_cols == 2 and group:
            members = [r for r in data_rows if r.key.startswith(group + ".")]
            label = (td(lab(GROUPS[group]), rs=len(members)) if row is members[0] else "") + td(lab(_item(row)))
        elif label_cols == 2:
            label = td(lab(row.label), cs=2)
        else:
            label = td(lab(row.label))
        rows.append(label + vals)
    return ("<p>三、收到和处理政府信息公开申请情况</p><table>"
            + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>")


def review_litigation(values: dict, *, lab=same) -> str:
    """Table 四 in the official layout: groups and results in three header rows."""
    results = list(RESULT)
    groups = ["review", "litigation_direct", "litigation_after_review"]
    h0 = td(lab("行政复议"), cs=5) + td(lab("行政诉讼"), cs=10)
    h1 = "".join(td(lab(RESULT[r]), rs=2) for r in results) + td(lab("未经复议直接起诉"), cs=5) + td(lab("复议后起诉"), cs=5)
    h2 = "".join(td(lab(RESULT[r])) for _ in range(2) for r in results)
    data = "".join(td(_cell(values[(g, r)])) for g in groups for r in results)
    return ("<p>四、政府信息公开行政复议、行政诉讼情况</p><table>"
            + "".join(f"<tr>{r}</tr>" for r in (h0, h1, h2, data)) + "</table>")


BLOCKS = {
    "2021": [("第二十条第（一）项", ["rules", "normative_docs"], ["issued", "repealed", "in_force"]),
             ("第二十条第（五）项", ["licensing"], ["decisions"]),
             ("第二十条第（六）项", ["punishment", "coercion"], ["decisions"]),
             ("第二十条第（八）项", ["fees"], ["amount_10k_yuan"])],
    "2019": [("第二十条第（一）项", ["rules", "normative_docs"], ["made", "published", "total_published"]),
             ("第二十条第（五）项", ["licensing", "other_services"], ["items_prev_year", "items_change", "decisions"]),
             ("第二十条第（六）项", ["punishment", "coercion"], ["items_prev_year", "items_change", "decisions"]),
             ("第二十条第（八）项", ["fees"], ["items_prev_year", "items_change"]),
             ("第二十条第（九）项", ["procurement"], ["procurement_items", "procurement_amount_10k_yuan"])],
}


def active_disclosure(template: str, values: dict, *, lab=same) -> str:
    """Table 二 as one table of 第二十条 blocks, each with its own header row."""
    spec = TEMPLATES[template]["active_disclosure"]
    labels = {r.key: r.label for r in spec.rows}
    cols = {c.key: c.label for c in spec.columns}
    width = 1 + max(len(c) for _t, _r, c in BLOCKS[template])
    rows = []
    for title, row_keys, col_keys in BLOCKS[template]:
        span = (width - 1) // len(col_keys)
        rows.append(td(title, cs=width))
        rows.append(td("信息内容") + "".join(td(lab(cols[c]), cs=span) for c in col_keys))
        for rk in row_keys:
            rows.append(td(lab(labels[rk])) + "".join(td(_cell(values[(rk, c)]), cs=span) for c in col_keys))
    return "<p>二、主动公开政府信息情况</p><table>" + "".join(f"<tr>{r}</tr>" for r in rows) + "</table>"


def report_html(template: str, *tables: str) -> bytes:
    year = 2022 if template == "2021" else 2020
    return (f"<p>某区某局{year}年政府信息公开工作年度报告</p>" + "".join(tables)).encode("utf-8")


# ---------------------------------------------------------------- label edits

CN = "一二三四五六七八九十"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_ENUM = re.compile(r"^(?:（|\()?([一二三四五六七八九十]|\d{1,2})(?:）|\))?[、.．]?")
SYNONYM_EDITS = [("或", "或者"), ("其他", "其它"), ("和", "及"), ("信息", "的信息")]
SUFFIXES = ["（件）", "的", "数", "(单位：件)", "情况", "（个）", "：", "类"]
FILLERS = "的之等类某及"
EDITS = ("drop", "insert", "swap", "synonym", "suffix", "space", "newline", "enum")


def _enum_styles(n: int) -> list[str]:
    c = CN[n - 1] if 1 <= n <= 10 else str(n)
    return [f"（{c}）", f"({c})", f"{c}、", f"{n}.", f"{n}、", f"({n})"] + ([CIRCLED[n - 1]] if n <= 10 else [])


def edit(label: str, op: str, a: int, b: int) -> str:
    """One small edit of ``label``: ``a``, ``b`` pick positions and variants."""
    m = _ENUM.match(label) if label[:1] in "（(" + CN + "0123456789" else None
    head, body = (label[:m.end()], label[m.end():]) if m and m.end() < len(label) else ("", label)
    n = len(body)
    if op == "drop" and n > 1:
        i = a % n
        body = body[:i] + body[i + 1:]
    elif op == "insert":
        i = a % (n + 1)
        body = body[:i] + FILLERS[b % len(FILLERS)] + body[i:]
    elif op == "swap" and n > 1:
        i = a % (n - 1)
        body = body[:i] + body[i + 1] + body[i] + body[i + 2:]
    elif op == "synonym":
        hits = [(x, y) for x, y in SYNONYM_EDITS if x in body]
        if hits:
            x, y = hits[a % len(hits)]
            body = body.replace(x, y, 1)
        else:
            body += "的"
    elif op == "suffix":
        body += SUFFIXES[a % len(SUFFIXES)]
    elif op in ("space", "newline"):
        i = a % (n + 1)
        body = body[:i] + (" " if op == "space" else "\n") + body[i:]
    elif op == "enum" and m:
        number = m.group(1)
        k = int(number) if number.isdigit() else CN.index(number) + 1
        styles = _enum_styles(k)
        head = styles[a % len(styles)]
    return head + body
