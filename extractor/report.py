"""The :class:`Report`: what :func:`extractor.parse` returns."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Union

from .issues import Issue
from .model import Document
from .recognition.sections import Section

if TYPE_CHECKING:  # pragma: no cover - pandas is imported where it is used
    import pandas as pd

FACT_COLUMNS = ["report_id", "table", "row", "column", "value", "raw", "row_label", "column_label", "source"]


#: The facts as column lists (:data:`FACT_COLUMNS` → one list each), what
#: the DataFrame is built from.
FactColumns = dict


class Report:
    """One parsed report (schema.md).

    - ``facts``: one row per statistics cell of the template (DataFrame,
      columns :data:`FACT_COLUMNS`; built on first use, so a parse that
      only needs plain data, as a batch worker does, never loads pandas);
    - ``meta``: report_id, source_path, source_format, title, agency, year,
      template, sha256;
    - ``sections``: :class:`~extractor.recognition.sections.Section` list in order;
    - ``issues``: :class:`~extractor.issues.Issue` list;
    - ``document``: the document model the reader produced.

    >>> import extractor
    >>> r = extractor.parse(b"<p>2021 report</p>")
    >>> r.meta["template"] is None, r.facts.empty
    (True, True)
    """

    def __init__(self, facts: Union["pd.DataFrame", Callable[[], "pd.DataFrame"]], meta: dict[str, Any],
                 sections: list[Section] | None = None, issues: list[Issue] | None = None,
                 preamble: list[str] | None = None, document: Document | None = None,
                 fact_columns: FactColumns | None = None) -> None:
        self._facts = facts  # a DataFrame, or the function that builds it
        self._fact_columns = fact_columns
        self.meta = meta
        self.sections: list[Section] = sections if sections is not None else []
        self.issues: list[Issue] = issues if issues is not None else []
        self.preamble: list[str] = preamble if preamble is not None else []
        self.document = document

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

    def fact_columns(self) -> FactColumns:
        """The facts as plain column lists (``{column: [values]}``), as
        ``report.facts.to_dict("list")`` but without building the DataFrame."""
        if self._fact_columns is not None:
            return self._fact_columns
        return self.facts.to_dict("list")

    def value(self, table: str, row: str, column: str) -> float:
        """The value of one cell (NaN when blank or absent).

        >>> import extractor
        >>> extractor.parse(b"<p>x</p>").value("applications", "new_received", "total")
        nan
        """
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
        they are the keys. Cells a row does not have are NaN.

        >>> import extractor
        >>> extractor.parse(b"<p>x</p>").table("applications").shape
        (0, 0)
        """
        import pandas as pd

        f = self.facts[self.facts["table"] == name]
        if f.empty:
            return pd.DataFrame()
        rows = list(dict.fromkeys(f["row"]))
        cols = list(dict.fromkeys(f["column"]))
        wide = f.pivot(index="row", columns="column", values="value").reindex(index=rows, columns=cols)
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
        return pd.DataFrame([i.to_dict() for i in self.issues], columns=cols)

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
