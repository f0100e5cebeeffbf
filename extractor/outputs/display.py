"""Rich display for Jupyter: the HTML behind ``Report._repr_html_`` and
``Corpus._repr_html_``.

A report shows its metadata, the three statistics tables in their official
layout (Chinese labels, merged headers as ``colspan``/``rowspan``), its
sections and its issues. Every value cell is a ``<td>`` with the classes
``ex-value`` and, where an issue names it, :data:`FAIL_CLASS` (an
``error``: a failed 勾稽 rule, an invalid value …) or :data:`WARN_CLASS`
(a ``warning``: a blank cell a rule needed, a cell not found …); its
``data-row``/``data-column`` attributes hold the schema keys, ``data-issues``
the issue codes and ``title`` the raw text, the source cell and the issue
messages. A corpus shows a compact overview: reports by year and template,
parse failures, issue counts and the reports that fail a check.

All text is escaped (:func:`html.escape`); the output is one ``<div>``
with a scoped ``<style>`` and inline styles on highlighted cells, so it
reads the same where a notebook viewer drops style sheets.

>>> import extractor
>>> html = report_html(extractor.parse(b"<p>2021 report</p>"))
>>> html.startswith('<div class="extractor-report">')
True
"""

from __future__ import annotations

import html
import math
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..corpus import Corpus
    from ..report import Report

#: class of a value cell named by an ``error`` issue (a failed check)
FAIL_CLASS = "ex-fail"
#: class of a value cell named by a ``warning`` issue
WARN_CLASS = "ex-warn"
#: class of a value cell that holds no number (blank or a placeholder such as ``/``)
BLANK_CLASS = "ex-blank"
#: class of a template cell the document lacks entirely
MISSING_CLASS = "ex-missing"

_FAIL_STYLE = "background:#f6c6c6;color:#8a0000;font-weight:bold;outline:2px solid #c00;outline-offset:-2px"
_WARN_STYLE = "background:#fbe7b5"

_CSS = """
.extractor-report, .extractor-corpus {font-size:13px; line-height:1.4}
.extractor-report table, .extractor-corpus table {border-collapse:collapse; margin:4px 0 10px 0}
.extractor-report th, .extractor-report td, .extractor-corpus th, .extractor-corpus td
  {border:1px solid #999; padding:2px 6px; vertical-align:middle}
.extractor-report table.ex-stat th {background:#eef2f7; font-weight:normal; text-align:center}
.extractor-report table.ex-stat th.ex-rowlabel {text-align:left}
.extractor-report table.ex-stat td {text-align:right; min-width:2.5em}
.extractor-report td.ex-blank, .extractor-report td.ex-missing {color:#888; background:#f4f4f4}
.extractor-report td.ex-fail {background:#f6c6c6; color:#8a0000; font-weight:bold}
.extractor-report td.ex-warn {background:#fbe7b5}
.extractor-report table.ex-meta th, .extractor-corpus th {text-align:left; background:#f4f4f4; font-weight:normal}
.extractor-report .ex-sev-error {color:#b00; font-weight:bold}
.extractor-report .ex-sev-warning {color:#a60}
.extractor-report .ex-sev-info {color:#666}
.extractor-report summary, .extractor-corpus summary {font-weight:bold; cursor:pointer; margin-top:6px}
""".strip()

_META_FIELDS = [
    ("title", "标题 title"),
    ("agency", "机关 agency"),
    ("year", "年度 year"),
    ("template", "模板 template"),
    ("source_format", "格式 format"),
    ("source_path", "文件 source"),
    ("report_id", "report_id"),
    ("sha256", "sha256"),
    ("schema_version", "schema_version"),
]

# 表二: the 第二十条 item each standard row is printed under (both templates)
_AD_BLOCKS = {
    "rules": "第二十条第（一）项", "normative_docs": "第二十条第（一）项",
    "licensing": "第二十条第（五）项", "other_services": "第二十条第（五）项",
    "punishment": "第二十条第（六）项", "coercion": "第二十条第（六）项",
    "fees": "第二十条第（八）项", "procurement": "第二十条第（九）项",
}
# 表三: the 三、本年度办理结果 rows and their groups
_RESULTS_LABEL = "三、本年度办理结果"
_T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
_APPLICANT_HEADER = "申请人情况"
_GROUPS = {"denied": "（三）不予公开", "unable": "（四）无法提供", "rejected": "（五）不予处理", "other": "（六）其他处理"}
_RESULT_SINGLE = ("granted", "partly_granted", "other", "total_processed")
_ITEM_PREFIX = re.compile(r"^\s*(?:三、)?（[一二三四五六七八九十]+）\s*(?:不予公开|无法提供|不予处理|其他处理)?\s*")


def esc(x: Any) -> str:
    """Text for HTML: ``None`` as empty, everything else escaped."""
    return "" if x is None else html.escape(str(x), quote=True)


def _attrs(**kw: Any) -> str:
    out = []
    for k, v in kw.items():
        if v is None or v == "" or v is False:
            continue
        name = k.rstrip("_").replace("_", "-")
        out.append(f' {name}="{esc(v)}"')
    return "".join(out)


def fmt_value(v: Any) -> str:
    """A number as printed in a table: integers without a decimal point.

    >>> fmt_value(217.0), fmt_value(7539.443252), fmt_value(-18.0), fmt_value(float("nan"))
    ('217', '7539.443252', '-18', '')
    """
    if v is None:
        return ""
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if math.isnan(f):
        return ""
    if f.is_integer():
        return str(int(f))
    return ("%.6f" % f).rstrip("0").rstrip(".")


# ------------------------------------------------------------------ report


class _Cells:
    """The facts of one report by (table, row, column), and the issues naming each cell."""

    def __init__(self, report: "Report") -> None:
        f = report.facts
        self.facts: dict[tuple[str, str, str], dict] = {}
        self.order: dict[str, list[str]] = defaultdict(list)  # table -> row keys in order
        self.columns: dict[str, list[str]] = defaultdict(list)  # table -> column keys in order
        self.row_columns: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.row_label: dict[tuple[str, str], str] = {}
        self.col_label: dict[tuple[str, str], str] = {}
        if not f.empty:
            cols = ["table", "row", "column", "value", "raw", "row_label", "column_label", "source"]
            for t, r, c, v, raw, rl, cl, src in zip(*(f[k] for k in cols)):
                if not isinstance(raw, str):  # None, or NaN in a string column: the cell is absent
                    raw = None
                if not isinstance(src, str):
                    src = ""
                self.facts[(t, r, c)] = {"value": v, "raw": raw, "source": src}
                if r not in self.order[t]:
                    self.order[t].append(r)
                if c not in self.columns[t]:
                    self.columns[t].append(c)
                self.row_columns[(t, r)].append(c)
                self.row_label[(t, r)] = rl
                self.col_label[(t, c)] = cl
        self.issues: dict[tuple[str, str, str], list] = defaultdict(list)
        for issue in report.issues:
            named: set[tuple[str, str, str]] = set()
            for cell in issue.cells:
                parts = cell.split("/")
                if len(parts) == 3:
                    named.add((parts[0], parts[1], parts[2]))
            if issue.table and issue.row and issue.column:
                named.add((issue.table, issue.row, issue.column))
            for key in named:
                self.issues[key].append(issue)

    def td(self, table: str, row: str, column: str, colspan: int = 1) -> str:
        fact = self.facts.get((table, row, column))
        if fact is None:
            return f'<td class="ex-none"{_attrs(colspan=colspan if colspan > 1 else None)}></td>'
        value, raw, source = fact["value"], fact["raw"], fact["source"]
        classes = ["ex-value"]
        style = None
        tips = []
        number = isinstance(value, (int, float)) and not math.isnan(value)
        if number:
            text = fmt_value(value)
            tips.append(f"raw: {raw!r}" if raw is not None else "")
        elif raw is None:
            classes.append(MISSING_CLASS)
            text = ""
            tips.append("not found in the document")
        else:
            classes.append(BLANK_CLASS)
            text = raw
            tips.append("blank" if raw == "" else f"not a number: {raw!r}")
        if source:
            tips.append(f"source {source}")
        issues = self.issues.get((table, row, column), [])
        severities = {i.severity for i in issues}
        if "error" in severities:
            classes.append(FAIL_CLASS)
            style = _FAIL_STYLE
        elif "warning" in severities:
            classes.append(WARN_CLASS)
            style = _WARN_STYLE
        tips.extend(f"{i.severity} {i.code}: {i.message}" for i in issues if i.severity in ("error", "warning"))
        codes = " ".join(dict.fromkeys(i.code for i in issues))
        return (f"<td{_attrs(class_=' '.join(classes), colspan=colspan if colspan > 1 else None, style=style)}"
                f"{_attrs(data_row=row, data_column=column, data_source=source, data_issues=codes)}"
                f"{_attrs(title=' · '.join(t for t in tips if t))}>{esc(text)}</td>")


def _th(text: str, cls: str | None = None, colspan: int = 1, rowspan: int = 1, scope: str | None = None) -> str:
    return (f"<th{_attrs(class_=cls, colspan=colspan if colspan > 1 else None, rowspan=rowspan if rowspan > 1 else None, scope=scope)}>"
            f"{esc(text)}</th>")


def _split(label: str) -> tuple[str, str]:
    top, _, sub = str(label).partition(" / ")
    return top, sub


def _spans(n: int, width: int) -> list[int]:
    """Column spans that spread ``n`` cells over ``width`` grid columns
    (the official 表二 gives the last cell what is left)."""
    if n >= width:
        return [1] * n
    if n == 2 and width == 3:
        return [1, 2]
    return [1] * (n - 1) + [width - n + 1]


def _active_disclosure(cells: _Cells) -> list[str]:
    t = "active_disclosure"
    rows = cells.order[t]
    width = max([3] + [len(cells.row_columns[(t, r)]) for r in rows])
    out = []
    block, cols_now = None, None
    for r in rows:
        cols = cells.row_columns[(t, r)]
        b = _AD_BLOCKS.get(r, block)
        if b != block or cols != cols_now:
            if b != block:
                out.append(f'<tr class="ex-block">{_th(b or "", "ex-block", colspan=width + 1)}</tr>')
            spans = _spans(len(cols), width)
            out.append('<tr class="ex-head">' + _th("信息内容") +
                       "".join(_th(cells.col_label[(t, c)], colspan=s, scope="col") for c, s in zip(cols, spans)) + "</tr>")
            block, cols_now = b, cols
        spans = _spans(len(cols), width)
        out.append(f'<tr{_attrs(data_row=r)}>' + _th(cells.row_label[(t, r)], "ex-rowlabel", scope="row") +
                   "".join(cells.td(t, r, c, s) for c, s in zip(cols, spans)) + "</tr>")
    return out


def _column_header(cells: _Cells, t: str, corner: str | None, label_cols: int) -> list[str]:
    """Two header rows from ``"A / B"`` column labels (merged header A over B),
    under a first row ``申请人情况`` when ``corner`` is given (表三)."""
    cols = cells.columns[t]
    split = [_split(cells.col_label[(t, c)]) for c in cols]
    nested = any(sub for _, sub in split)
    rows = []
    first: list[str] = []
    if corner is not None:
        depth = 3 if nested else 2
        first.append(_th(corner, "ex-corner", colspan=label_cols, rowspan=depth))
        first.append(_th(_APPLICANT_HEADER, colspan=len(cols)))
        rows.append('<tr class="ex-head">' + "".join(first) + "</tr>")
    top, sub = [], []
    i = 0
    while i < len(split):
        label, s = split[i]
        if not s:
            top.append(_th(label, rowspan=2 if nested else 1, scope="col"))
            i += 1
            continue
        j = i
        while j < len(split) and split[j][0] == label and split[j][1]:
            sub.append(_th(split[j][1], scope="col"))
            j += 1
        top.append(_th(label, colspan=j - i, scope="colgroup"))
        i = j
    lead = "" if corner is not None else _th("", colspan=label_cols, rowspan=2 if nested else 1)
    rows.append('<tr class="ex-head">' + lead + "".join(top) + "</tr>")
    if nested:
        rows.append('<tr class="ex-head">' + "".join(sub) + "</tr>")
    return rows


def _is_result(row: str) -> bool:
    return row in _RESULT_SINGLE or row.split(".", 1)[0] in _GROUPS


def _applications(cells: _Cells) -> list[str]:
    t = "applications"
    rows = cells.order[t]
    cols = cells.columns[t]
    out = _column_header(cells, t, _T3_CORNER, 3)
    result_idx = [i for i, r in enumerate(rows) if _is_result(r)]
    i0, i1 = (result_idx[0], result_idx[-1]) if result_idx else (-1, -2)
    group_size: dict[str, int] = defaultdict(int)
    for r in rows[i0:i1 + 1]:
        if "." in r and r.split(".", 1)[0] in _GROUPS:
            group_size[r.split(".", 1)[0]] += 1
    seen_groups: set[str] = set()
    for i, r in enumerate(rows):
        label = cells.row_label[(t, r)]
        heads = []
        if i0 <= i <= i1:
            if i == i0:
                heads.append(_th(_RESULTS_LABEL, "ex-rowlabel", rowspan=i1 - i0 + 1, scope="rowgroup"))
            g = r.split(".", 1)[0] if "." in r else None
            if g in _GROUPS:
                if g not in seen_groups:
                    seen_groups.add(g)
                    heads.append(_th(_GROUPS[g], "ex-rowlabel", rowspan=group_size[g], scope="rowgroup"))
                heads.append(_th(_ITEM_PREFIX.sub("", label) or label, "ex-rowlabel", scope="row"))
            else:
                heads.append(_th(re.sub(r"^\s*三、", "", label), "ex-rowlabel", colspan=2, scope="row"))
        else:
            heads.append(_th(label, "ex-rowlabel", colspan=3, scope="row"))
        out.append(f'<tr{_attrs(data_row=r)}>' + "".join(heads) + "".join(cells.td(t, r, c) for c in cols) + "</tr>")
    return out


def _review_litigation(cells: _Cells) -> list[str]:
    """表四 as printed: 行政复议 and 行政诉讼 side by side, one row of values."""
    t = "review_litigation"
    rows = cells.order[t]
    split = [_split(cells.row_label[(t, r)]) for r in rows]
    nested = any(sub for _, sub in split)
    groups: list[tuple[str, list[int]]] = []  # consecutive rows under one merged header
    for k, (label, sub) in enumerate(split):
        if sub and groups and groups[-1][0] == label and split[groups[-1][1][0]][1]:
            groups[-1][1].append(k)
        else:
            groups.append((label, [k]))
    top: list[str] = []
    mid: list[str] = []
    low: list[str] = []
    values: list[str] = []
    for label, members in groups:
        width = sum(len(cells.row_columns[(t, rows[k])]) for k in members)
        top.append(_th(label, colspan=width, scope="colgroup"))
        for k in members:
            r, sub = rows[k], split[k][1]
            rcols = cells.row_columns[(t, r)]
            if sub:
                mid.append(_th(sub, colspan=len(rcols), scope="colgroup"))
                low.extend(_th(cells.col_label[(t, c)], scope="col") for c in rcols)
            else:
                mid.extend(_th(cells.col_label[(t, c)], rowspan=2 if nested else 1, scope="col") for c in rcols)
            values.extend(cells.td(t, r, c) for c in rcols)
    out = ['<tr class="ex-head">' + "".join(top) + "</tr>", '<tr class="ex-head">' + "".join(mid) + "</tr>"]
    if nested:
        out.append('<tr class="ex-head">' + "".join(low) + "</tr>")
    out.append('<tr class="ex-values">' + "".join(values) + "</tr>")
    return out


_LAYOUTS = {"active_disclosure": _active_disclosure, "applications": _applications,
            "review_litigation": _review_litigation}


def statistics_table_html(report: "Report", name: str, _cells: _Cells | None = None) -> str:
    """One statistics table of ``report`` as an HTML ``<table>`` in its
    official layout ('' when the report does not have it)."""
    cells = _cells or _Cells(report)
    if not cells.order.get(name):
        return ""
    body = "\n".join(_LAYOUTS[name](cells))
    return f'<table class="ex-stat"{_attrs(data_table=name)}>\n{body}\n</table>'


def _issue_rows(issues: Iterable, limit: int) -> tuple[list[str], int]:
    rows, n = [], 0
    for i in issues:
        n += 1
        if n > limit:
            continue
        where = "/".join(x for x in (i.table, i.row, i.column) if x)
        rows.append(f'<tr{_attrs(data_code=i.code, data_severity=i.severity)}>'
                    f'<td class="ex-sev-{esc(i.severity)}">{esc(i.severity)}</td><td><code>{esc(i.code)}</code></td>'
                    f"<td>{esc(where)}</td><td>{esc(i.message)}</td></tr>")
    return rows, n


def report_html(report: "Report", max_issues: int = 200) -> str:
    """The HTML shown for a :class:`~extractor.report.Report` in Jupyter."""
    from ..recognition.templates import TABLE_TITLES

    m = report.meta
    cells = _Cells(report)
    parts = ['<div class="extractor-report">', f"<style>{_CSS}</style>"]
    parts.append(f'<h3 class="ex-title">{esc(m.get("title") or m.get("source_path") or "Report")}</h3>')
    meta_rows = []
    shown = set()
    for key, label in _META_FIELDS:
        shown.add(key)
        if key in m:
            meta_rows.append(f'<tr{_attrs(data_key=key)}><th>{esc(label)}</th><td>{esc(m.get(key))}</td></tr>')
    for key in m:
        if key not in shown:
            meta_rows.append(f'<tr{_attrs(data_key=key)}><th>{esc(key)}</th><td>{esc(m.get(key))}</td></tr>')
    parts.append('<table class="ex-meta">' + "".join(meta_rows) + "</table>")
    counts = {s: sum(1 for i in report.issues if i.severity == s) for s in ("error", "warning", "info")}
    parts.append(f'<p class="ex-summary">{len(report.facts)} cells · issues: '
                 f'<span class="ex-sev-error">{counts["error"]} error</span>, '
                 f'<span class="ex-sev-warning">{counts["warning"]} warning</span>, '
                 f'<span class="ex-sev-info">{counts["info"]} info</span>'
                 + (f' · cells named by a failed check are <span style="{_FAIL_STYLE}">highlighted</span>'
                    if counts["error"] else "") + "</p>")
    for name, title in TABLE_TITLES.items():
        table = statistics_table_html(report, name, cells)
        parts.append(f'<details open class="ex-table"{_attrs(data_table=name)}><summary>{esc(title)}</summary>')
        parts.append(table or '<p class="ex-absent">(not found in this report)</p>')
        parts.append("</details>")
    sec_rows = "".join(
        f'<tr{_attrs(data_key=s.key)}><td>{esc(s.number)}</td><td>{esc(s.title)}</td><td>{esc(s.key or "")}</td>'
        f"<td>{s.level}</td><td>{len(s.text)}</td></tr>" for s in report.sections)
    parts.append(f'<details class="ex-sections"><summary>Sections ({len(report.sections)})</summary>'
                 '<table class="ex-sections"><tr><th>number</th><th>title</th><th>key</th><th>level</th>'
                 f"<th>characters</th></tr>{sec_rows}</table></details>")
    rows, n = _issue_rows(report.issues, max_issues)
    more = f'<p class="ex-more">… and {n - max_issues} more</p>' if n > max_issues else ""
    parts.append(f'<details open class="ex-issues"><summary>Issues ({n})</summary>'
                 + ('<table class="ex-issues"><tr><th>severity</th><th>code</th><th>where</th><th>message</th></tr>'
                    + "".join(rows) + "</table>" + more if n else "<p>none</p>")
                 + "</details>")
    parts.append("</div>")
    return "\n".join(parts)


# ------------------------------------------------------------------ corpus


def _frame_html(df: "pd.DataFrame", cls: str, limit: int = 30, index: bool = True) -> str:
    """A small DataFrame as an escaped HTML table (at most ``limit`` rows)."""
    head = df.head(limit)
    cols = list(head.columns)
    out = [f'<table class="{esc(cls)}"><tr>' + ("<th></th>" if index else "")
           + "".join(f"<th>{esc(c)}</th>" for c in cols) + "</tr>"]
    for idx, row in zip(head.index, head.itertuples(index=False)):
        out.append("<tr>" + (f"<th>{esc(idx)}</th>" if index else "")
                   + "".join(f"<td>{esc(fmt_value(v) if isinstance(v, float) else v)}</td>" for v in row) + "</tr>")
    out.append("</table>")
    if len(df) > limit:
        out.append(f'<p class="ex-more">… and {len(df) - limit} more</p>')
    return "".join(out)


def corpus_html(corpus: "Corpus", limit: int = 20) -> str:
    """The HTML shown for a :class:`~extractor.corpus.Corpus` in Jupyter:
    counts, reports by year and template, parse failures, issue counts and
    the reports that fail a check."""
    import pandas as pd

    rep, iss, err = corpus.reports, corpus.issues, corpus.errors
    parts = ['<div class="extractor-corpus">', f"<style>{_CSS}</style>"]
    n_agencies = rep["agency_key"].nunique() if len(rep) else 0
    parts.append(f'<h3 class="ex-title">Corpus: {len(rep)} reports, {len(err)} parse failures</h3>')
    sev = iss["severity"].value_counts() if len(iss) else pd.Series(dtype=int)
    parts.append(f'<p class="ex-summary">{n_agencies} agencies · {len(corpus.facts)} cells · issues: '
                 f'{int(sev.get("error", 0))} error, {int(sev.get("warning", 0))} warning, {int(sev.get("info", 0))} info · '
                 f'{int((rep["n_error"] > 0).sum()) if len(rep) else 0} reports with errors</p>')
    # reports by year and template
    if len(rep):
        years = rep["year"].astype("object").where(rep["year"].notna(), "?")
        templates = rep["template"].fillna("none").astype(str)
        ct = pd.crosstab(years.rename("year"), templates.rename("template"), margins=True, margins_name="all")
        ct.columns.name = None
        parts.append('<details open class="ex-by-year"><summary>Reports by year and template</summary>'
                     + _frame_html(ct, "ex-by-year", limit=60) + "</details>")
    else:
        parts.append('<p class="ex-by-year">No reports.</p>')
    # parse failures
    if len(err):
        e = err[["path", "error", "message"]]
        parts.append(f'<details open class="ex-errors"><summary>Parse failures ({len(err)})</summary>'
                     + _frame_html(e, "ex-errors", limit, index=False) + "</details>")
    else:
        parts.append('<p class="ex-errors">Parse failures: none.</p>')
    # issue counts
    if len(iss):
        order = {"error": 0, "warning": 1, "info": 2}
        g = (iss.groupby(["severity", "code"]).agg(issues=("code", "size"), reports=("report_id", "nunique"))
             .reset_index())
        g = g.sort_values(["severity", "issues"], key=lambda s: s.map(order) if s.name == "severity" else -s)
        parts.append(f'<details open class="ex-issue-counts"><summary>Issue counts ({len(iss)} issues)</summary>'
                     + _frame_html(g, "ex-issue-counts", 40, index=False) + "</details>")
    else:
        parts.append('<p class="ex-issue-counts">Issues: none.</p>')
    # reports that fail a check
    if len(rep) and (rep["n_error"] > 0).any():
        bad = rep[rep["n_error"] > 0]
        codes = (iss[iss["severity"] == "error"].groupby("report_id")["code"]
                 .agg(lambda s: ", ".join(dict.fromkeys(s))) if len(iss) else pd.Series(dtype=object))
        t = pd.DataFrame({"agency": bad["agency"].values, "year": bad["year"].values,
                          "file": [str(p).replace("\\", "/").rsplit("/", 1)[-1] for p in bad["source_path"]],
                          "errors": bad["n_error"].values,
                          "codes": [codes.get(r, "") for r in bad["report_id"]]})
        parts.append(f'<details open class="ex-flagged"><summary>Reports with errors ({len(bad)})</summary>'
                     + _frame_html(t, "ex-flagged", limit, index=False) + "</details>")
    parts.append("</div>")
    return "\n".join(parts)
