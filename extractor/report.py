"""The :class:`Report`: what :func:`extractor.parse` returns."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Union

from .issues import Issue
from .model import Document
from .recognition.sections import Section

if TYPE_CHECKING:  # pragma: no cover - pandas is imported where it is used
    import pandas as pd

FACT_COLUMNS = ["report_id", "table", "row", "column", "value", "raw", "row_label", "column_label", "source"]


#: What ``status`` (:attr:`Report.status`, the ``status`` column of
#: ``corpus.reports``) says about a report.
STATUSES = {
    "ok": "statistics tables read, no error-level issue",
    "errors": "statistics tables read, with error-level issues (failed checks, missing tables or cells)",
    "no_tables": "no statistics table of a known template was found (or every one is an image)",
}


def report_status(issues: Iterable[Issue | Mapping[str, Any]]) -> str:
    """A report's :data:`STATUSES` value from its issues (objects or dicts).

    >>> report_status([]), report_status([Issue("error", "applications.balance", "")])
    ('ok', 'errors')
    >>> report_status([{"severity": "error", "code": "template.unknown", "message": ""}])
    'no_tables'
    """
    errors = [(i.code, i.table) if isinstance(i, Issue) else (i.get("code"), i.get("table"))
              for i in issues if (i.severity if isinstance(i, Issue) else i.get("severity")) == "error"]
    if not errors:
        return "ok"
    codes = {c for c, _t in errors}
    absent = {t for c, t in errors if c in ("table.missing", "table.image")}
    if "template.unknown" in codes or len(absent) == 3:
        return "no_tables"
    return "errors"


def known_name(name: Any, choices: Iterable[str], what: str, where: str = "") -> str:
    """``name`` when it is one of ``choices``, else KeyError naming the
    close matches (a typo never gives an empty result).

    >>> known_name("applications", ["applications"], "table")
    'applications'
    >>> known_name("aplications", ["applications", "active_disclosure"], "table")
    Traceback (most recent call last):
    ...
    KeyError: "unknown table 'aplications'; did you mean 'applications'?"
    """
    import difflib

    options = list(dict.fromkeys(choices))
    if name in options:
        return name
    close = difflib.get_close_matches(str(name), options, n=3, cutoff=0.6)
    hint = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
            else f"one of {', '.join(repr(c) for c in options[:12])}{' …' if len(options) > 12 else ''}")
    raise KeyError(f"unknown {what} {name!r}{where}; {hint}")


def template_keys(table: str) -> tuple[list[str], list[str]]:
    """The row keys and column keys ``table`` has in any template."""
    from .recognition.templates import TEMPLATES

    rows: list[str] = []
    cols: list[str] = []
    for specs in TEMPLATES.values():
        spec = specs.get(table)
        if spec is not None:
            rows.extend(r.key for r in spec.rows)
            cols.extend(c.key for c in spec.columns)
    return list(dict.fromkeys(rows)), list(dict.fromkeys(cols))


#: The facts as column lists (:data:`FACT_COLUMNS` → one list each), what
#: the DataFrame is built from.
FactColumns = dict


class Report:
    """One parsed report (schema.md).

    - ``facts``: one row per statistics cell of the template (DataFrame,
      columns :data:`FACT_COLUMNS`; built on first use, so a parse that
      only needs plain data, as a batch worker does, never loads pandas);
    - ``meta``: report_id, source_path, source_format, title, agency,
      agency_source (where the agency was read: ``title``, ``signature``,
      ``body``, ``page``; None when no agency was found), year, template,
      sha256;
    - ``sections``: :class:`~extractor.recognition.sections.Section` list in order;
    - ``issues``: :class:`~extractor.issues.Issue` list;
    - ``document``: the document model the reader produced;
    - ``matches``: how each printed row and column label of the statistics
      tables was given its key (:class:`~extractor.recognition.cells.Match`:
      ``pattern``, ``similarity``, ``position``, ``checks``, ``ambiguous``
      or ``extra``), in reading order.

    >>> import extractor
    >>> r = extractor.parse(b"<p>2021 report</p>")
    >>> r.meta["template"] is None, r.facts.empty
    (True, True)
    """

    def __init__(self, facts: Union["pd.DataFrame", Callable[[], "pd.DataFrame"]], meta: dict[str, Any],
                 sections: list[Section] | None = None, issues: list[Issue] | None = None,
                 preamble: list[str] | None = None, document: Document | None = None,
                 fact_columns: FactColumns | None = None,
                 matches: Union[list, Callable[[], list], None] = None) -> None:
        self._facts = facts  # a DataFrame, or the function that builds it
        self._fact_columns = fact_columns
        self.meta = meta
        self.sections: list[Section] = sections if sections is not None else []
        self.issues: list[Issue] = issues if issues is not None else []
        self.preamble: list[str] = preamble if preamble is not None else []
        self.document = document
        self._matches = matches if matches is not None else []

    @property
    def facts(self) -> "pd.DataFrame":
        """One row per statistics cell of the template (:data:`FACT_COLUMNS`)."""
        if callable(self._facts):
            self._facts = self._facts()
        return self._facts

    @facts.setter
    def facts(self, frame: "pd.DataFrame") -> None:
        self._facts = frame
        self._fact_columns = None

    @property
    def matches(self) -> list:
        """How each printed row and column label of the statistics tables was
        given its key, in reading order
        (:class:`~extractor.recognition.cells.Match`; built on first use)."""
        if callable(self._matches):
            self._matches = self._matches()
        return self._matches

    def fact_columns(self) -> FactColumns:
        """The facts as plain column lists (``{column: [values]}``), as
        ``report.facts.to_dict("list")`` but without building the DataFrame."""
        if self._fact_columns is not None:
            return self._fact_columns
        return self.facts.to_dict("list")

    @property
    def status(self) -> str:
        """``ok``, ``errors`` or ``no_tables`` (:data:`STATUSES`)."""
        return report_status(self.issues)

    def _check_cell_names(self, table: str, row: str | None = None, column: str | None = None) -> None:
        """KeyError with the close matches for a table, row or column name
        that neither the templates nor this report's facts (its extra rows) have."""
        from .recognition.templates import TABLE_TITLES

        known_name(table, TABLE_TITLES, "table")
        rows, cols = template_keys(table)
        for name, known, what in ((row, rows, "row"), (column, cols, "column")):
            if name is None or name in known:
                continue
            cells = self.fact_columns()
            mine = [cells[what][i] for i, t in enumerate(cells["table"]) if t == table]
            known_name(name, known + mine, what, f" in table {table!r}")

    def value(self, table: str, row: str, column: str) -> float:
        """The value of one cell: NaN when it is blank or the report lacks
        it; KeyError (with the close matches) for a name no template has.

        >>> import extractor
        >>> r = extractor.parse(b"<p>x</p>")
        >>> r.value("applications", "new_received", "total")
        nan
        >>> r.value("applications", "new_recieved", "total")
        Traceback (most recent call last):
        ...
        KeyError: "unknown row 'new_recieved' in table 'applications'; did you mean 'new_received'?"
        """
        self._check_cell_names(table, row, column)
        f = self.facts
        if f.empty:
            return math.nan
        hit = f[(f["table"] == table) & (f["row"] == row) & (f["column"] == column)]
        return float(hit["value"].iloc[0]) if len(hit) else math.nan

    def section(self, key: str) -> Section | None:
        """The standard section with ``key`` (e.g. ``"problems"``), or None."""
        return next((s for s in self.sections if s.key == key), None)

    @property
    def section_keys(self) -> list[str]:
        """The standard section keys found, in order."""
        return [s.key for s in self.sections if s.key]

    def table(self, name: str, labels: bool = True) -> pd.DataFrame:
        """One statistics table as a DataFrame: template rows × columns.

        ``name`` is ``active_disclosure``, ``applications`` or
        ``review_litigation``. With ``labels`` the index and columns are the
        official Chinese labels in the official layout: merged headers
        become a two-level MultiIndex (columns ``("法人或其他组织", "商业企业")``
        beside ``("自然人", "")`` in 三; rows ``("行政诉讼", "未经复议直接起诉")``
        beside ``("行政复议", "")`` in 四), so ``t["总计"]`` is one column and
        ``t["法人或其他组织"]`` the five under that header. Without ``labels``
        they are the keys. Cells a row does not have are NaN. A name that
        is not one of the three raises KeyError naming the close matches.

        >>> import extractor
        >>> extractor.parse(b"<p>x</p>").table("applications").shape
        (0, 0)
        """
        import pandas as pd

        self._check_cell_names(name)
        f = self.facts[self.facts["table"] == name]
        if f.empty:
            return pd.DataFrame()
        rows = list(dict.fromkeys(f["row"]))
        cols = list(dict.fromkeys(f["column"]))
        wide = f.pivot(index="row", columns="column", values="value").reindex(index=rows, columns=cols)
        wide = _typed_cells(wide)
        if labels:
            wide.index = _label_index([dict(zip(f["row"], f["row_label"]))[r] for r in rows])
            wide.columns = _label_index([dict(zip(f["column"], f["column_label"]))[c] for c in cols])
        else:
            wide.index.name = None
            wide.columns.name = None
        return wide

    def issues_frame(self) -> pd.DataFrame:
        """The issues as a DataFrame (one row per issue)."""
        import pandas as pd

        cols = ["severity", "code", "message", "table", "row", "column", "cells"]
        df = pd.DataFrame([i.to_dict() for i in self.issues], columns=cols)
        return df.astype({c: "string" for c in cols[:-1]})

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain data (JSON-serialisable)."""
        facts = self.facts.astype(object).where(self.facts.notna(), None)
        return {
            "meta": dict(self.meta),
            "facts": facts.to_dict(orient="records"),
            "sections": [s.to_dict() for s in self.sections],
            "issues": [i.to_dict() for i in self.issues],
        }

    def _repr_html_(self) -> str:
        """Jupyter display: metadata, the three tables in their official
        layout with failed cells highlighted, sections and issues
        (:func:`extractor.outputs.display.report_html`)."""
        from .outputs.display import report_html

        return report_html(self)

    def __repr__(self) -> str:
        m = self.meta
        n_err = sum(1 for i in self.issues if i.severity == "error")
        n_facts = len(self._fact_columns["report_id"]) if self._fact_columns is not None else len(self.facts)
        return (f"<Report {m.get('agency') or '?'} {m.get('year') or '?'} template={m.get('template')} "
                f"facts={n_facts} issues={len(self.issues)} errors={n_err}>")


def _typed_cells(wide: "pd.DataFrame") -> "pd.DataFrame":
    """Counts as nullable ``Int64`` (a blank is ``<NA>``, printed without
    ``.0``), money (万元) as float, as in the codebook. A count column that
    holds a fraction stays float rather than be rounded."""
    from .recognition.templates import MONEY_COLUMNS

    for c in wide.columns:
        if c in MONEY_COLUMNS:
            continue
        v = wide[c].dropna()
        if ((v % 1) == 0).all():
            wide[c] = wide[c].astype("Int64")
    return wide


def _label_index(labels: list[str]) -> "pd.Index":
    """Official labels as an index; ``"A / B"`` labels (a merged header
    over sub-headers) make it a two-level MultiIndex, ``("A", "B")``, with
    ``(label, "")`` for the labels that have no sub-header.

    >>> _label_index(["自然人", "法人或其他组织 / 商业企业"]).tolist()
    [('自然人', ''), ('法人或其他组织', '商业企业')]
    >>> _label_index(["规章", "行政许可"]).tolist()
    ['规章', '行政许可']
    """
    import pandas as pd

    parts = [str(label).split(" / ", 1) for label in labels]
    if not any(len(p) == 2 for p in parts):
        return pd.Index(labels)
    return pd.MultiIndex.from_tuples([(p[0], p[1] if len(p) == 2 else "") for p in parts])
