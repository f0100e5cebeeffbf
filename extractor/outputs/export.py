"""Writing corpus tables to Excel, Stata and JSON lines."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Iterator, Mapping

import numpy as np
import pandas as pd

EXCEL_MAX_ROWS = 1_048_575
_SHEETS = {"active_disclosure": "主动公开", "applications": "申请处理", "review_litigation": "复议诉讼"}
_STATA_LABELS = {
    "report_id": "报告标识", "source_path": "文件路径", "source_format": "文件格式", "title": "标题", "agency": "机关",
    "agency_key": "机关匹配键", "agency_source": "机关出处", "year": "年度", "template": "模板", "sha256": "SHA-256", "table": "表", "row": "行",
    "column": "列", "value": "数值", "raw": "原文", "row_label": "行标签", "column_label": "列标签", "source": "来源单元格",
    "severity": "级别", "code": "代码", "message": "说明", "cells": "涉及单元格", "number": "编号", "key": "标准键",
    "level": "层级", "text": "正文", "path": "路径", "error": "错误类型",
}


#: xlsxwriter options: text is written as text, never as a formula or a
#: link, whatever it starts with (a report title "=HYPERLINK(…)" stays
#: text); the workbook is assembled in memory, so no temporary file is
#: written outside the output folder.
EXCEL_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
                 "in_memory": True}


def write_excel(corpus, path: Path) -> None:
    """Write a corpus as one .xlsx workbook (see :meth:`Corpus.to_excel`):
    reports, one wide sheet per statistics table with Chinese labels,
    issues and errors. The long facts and section texts go to CSV/Parquet
    instead (a corpus quickly outgrows a sheet's 1,048,576 rows).
    Every text cell is a string cell (:data:`EXCEL_OPTIONS`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="xlsxwriter", engine_kwargs={"options": dict(EXCEL_OPTIONS)}) as xw:
        corpus.reports.to_excel(xw, sheet_name="reports", index=False)
        write_panel_sheets(xw, corpus.panel())
        for table, sheet in _SHEETS.items():
            wide = corpus.wide(table, labels=True)
            if len(wide.columns) > 3:
                wide.reset_index().to_excel(xw, sheet_name=sheet, index=False)
        for name in ("issues", "errors"):
            df = getattr(corpus, name)
            df.head(EXCEL_MAX_ROWS).to_excel(xw, sheet_name=name, index=False)


#: What makes a spreadsheet read a CSV field as a formula (OWASP, "CSV
#: Injection"): a field starting with = + - @, a tab or a carriage return.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: A field that a spreadsheet reads as a plain number ("-3", "+2", "-1.5")
#: or that is only signs (the placeholder "-"): no formula, written as it is.
_HARMLESS = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)|[+-]+")


def csv_safe_text(value: object) -> object:
    """``value``, with a ``'`` put before a text a spreadsheet would run as
    a formula (see :func:`csv_safe`).

    >>> csv_safe_text("=1+2"), csv_safe_text("-3"), csv_safe_text("-2+3"), csv_safe_text("@SUM(A1)")
    ("'=1+2", '-3', "'-2+3", "'@SUM(A1)")
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _HARMLESS.fullmatch(value):
        return "'" + value
    return value


def csv_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` safe to open in a spreadsheet: in its text columns,
    a field starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading ``'`` (OWASP's advice against CSV injection), so
    Excel, LibreOffice or WPS show it as text instead of running it; a
    field that is a plain number (``-3``, ``+2``) or only signs (``-``)
    is left as it is. The Parquet files keep every text exactly as read.
    """
    out = None
    for c in df.columns:
        col = df[c]
        if col.dtype != object and not pd.api.types.is_string_dtype(col.dtype):
            continue
        try:
            risky = col.str.startswith(_FORMULA_START, na=False)
        except AttributeError:  # no text in the column
            continue
        if not risky.any():
            continue
        risky &= ~col.str.fullmatch(_HARMLESS, na=False).astype(bool)
        if out is None:
            out = df.copy()
        out[c] = pd.Series([("'" + v) if r else v for v, r in zip(col, risky)], index=col.index, dtype=col.dtype)
    return df if out is None else out


def write_panel_sheets(xw: pd.ExcelWriter, panel: pd.DataFrame) -> None:
    """The panel (one row per agency and year) and the codebook as sheets:
    ``panel`` with the variable names as the header row and the Chinese
    labels in a second row, ``codebook`` with every variable."""
    from ..variables import codebook

    cb = codebook().set_index("variable")
    labels = pd.DataFrame([[cb.at[c, "label_zh"] if c in cb.index else c for c in panel.columns]], columns=panel.columns)
    pd.concat([labels.astype(object), panel.astype(object)], ignore_index=True).to_excel(
        xw, sheet_name="panel", index=False)
    cb.reset_index().to_excel(xw, sheet_name="codebook", index=False)


def stata_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy Stata accepts: no infinity, nullable integers stay integers (Stata's
    integer storage types, a blank is Stata's missing ``.``), text without
    missing values (Stata strings have none: a blank is "")."""
    out = df.copy()
    for c in out.columns:
        dt = str(out[c].dtype)
        if dt == "float64":
            out[c] = out[c].where(np.isfinite(out[c]))  # Stata has no infinity
            continue
        if dt in ("Int64", "Int32", "boolean", "int64"):
            continue
        out[c] = [("" if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)) else str(v))
                  for v in out[c].tolist()]
        out[c] = out[c].astype(object)
    return out


def write_stata(tables: Mapping[str, pd.DataFrame], directory: Path) -> None:
    """One Stata 14+ (format 118, Unicode) ``.dta`` per table."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        data = stata_frame(df)
        long_text = [c for c in data.columns if data[c].dtype == object and (data[c].map(len).max() if len(data) else 0) > 2000]
        labels = {c: _STATA_LABELS.get(c, c) for c in data.columns}
        if name == "panel":
            from ..variables import stata_labels

            labels.update(stata_labels(list(data.columns)))
        data.to_stata(directory / f"{name}.dta", write_index=False, version=118, convert_strl=long_text,
                      variable_labels=labels)


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and not math.isfinite(v):
        return None  # JSON has no NaN or infinity
    if hasattr(v, "item"):
        return _clean(v.item())
    if v is pd.NA:
        return None
    return v


def _by_report(df: pd.DataFrame) -> dict:
    """report_id -> list of plain row dicts (without report_id)."""
    out: dict = {}
    if not len(df):
        return out
    cols = [c for c in df.columns if c != "report_id"]
    values = [df[c].tolist() for c in cols]
    for i, rid in enumerate(df["report_id"].tolist()):
        out.setdefault(rid, []).append({c: _clean(v[i]) for c, v in zip(cols, values)})
    return out


def report_records(reports: pd.DataFrame, facts: pd.DataFrame, sections: pd.DataFrame,
                   issues: pd.DataFrame) -> Iterator[dict]:
    """One plain dict per report: its meta, facts, sections and issues."""
    groups = {"facts": _by_report(facts), "sections": _by_report(sections), "issues": _by_report(issues)}
    cols = list(reports.columns)
    values = [reports[c].tolist() for c in cols]
    for i in range(len(reports)):
        meta = {c: _clean(v[i]) for c, v in zip(cols, values)}
        rid = meta["report_id"]
        yield {"meta": meta, **{name: g.get(rid, []) for name, g in groups.items()}}
