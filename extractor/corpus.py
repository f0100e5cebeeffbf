"""The :class:`Corpus`: many reports as pandas tables for analysis.

>>> import extractor
>>> c = extractor.parse_many([], jobs=1)
>>> list(c.reports.columns)[:4]
['report_id', 'source_path', 'source_format', 'title']
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

from .normalize import core
from .report import known_name, report_status

REPORT_COLUMNS = ["report_id", "source_path", "source_format", "title", "agency", "agency_key", "agency_source", "year",
                  "template", "sha256", "schema_version", "publication_date", "source_url", "source_published",
                  "source_title", "source_agency", "n_error", "n_warning", "n_info", "status"]
FACT_COLUMNS = ["report_id", "agency", "year", "template", "table", "row", "column", "value", "raw",
                "row_label", "column_label", "source"]
SECTION_COLUMNS = ["report_id", "index", "number", "title", "key", "level", "parent", "text", "own_text"]
ISSUE_COLUMNS = ["report_id", "severity", "code", "message", "table", "row", "column", "cells"]
ERROR_COLUMNS = ["path", "sha256", "error", "message"]
TABLE_COLUMNS = {"reports": REPORT_COLUMNS, "facts": FACT_COLUMNS, "sections": SECTION_COLUMNS,
                 "issues": ISSUE_COLUMNS, "errors": ERROR_COLUMNS}
#: Integer columns (nullable ``Int64``) of each table.
INT_COLUMNS = {"reports": ("year", "n_error", "n_warning", "n_info"), "facts": ("year",),
               "sections": ("index", "level", "parent")}
_TABLE_NAMES = {"active_disclosure": "主动公开", "applications": "申请处理", "review_litigation": "复议诉讼"}


def agency_key(name: Any, agency_map: Mapping[str, str] | None = None) -> str | None:
    """The key that matches an agency across years: the user's mapping, else
    its normalized name (NFKC, no whitespace or punctuation).

    >>> agency_key("平潭综合实验区 管委会") == agency_key("平潭综合实验区管委会")
    True
    """
    if not isinstance(name, str) or not name:
        return None
    if agency_map:
        mapped = agency_map.get(name) or agency_map.get(core(name))
        if mapped:
            return core(mapped)
    return core(name)


def _map_dict(agency_map: Any) -> dict[str, str] | None:
    if agency_map is None:
        return None
    if isinstance(agency_map, pd.DataFrame):
        a, b = agency_map.columns[:2]
        pairs: Iterable[tuple[Any, Any]] = zip(agency_map[a], agency_map[b])
    else:
        pairs = dict(agency_map).items()
    out: dict[str, str] = {}
    for k, v in pairs:
        out[str(k)] = str(v)
        out[core(str(k))] = str(v)
    return out


class Rows:
    """Column lists for the five corpus tables, filled outcome by outcome.

    Adding is plain list work; DataFrames are built once per batch of
    outcomes (:meth:`frames`), which keeps the process that gathers the
    results of many workers from becoming the bottleneck.
    """

    def __init__(self) -> None:
        self.cols: dict[str, dict[str, list]] = {n: {c: [] for c in cols} for n, cols in TABLE_COLUMNS.items()}
        self.n = 0

    def add(self, outcome: dict) -> None:
        self.n += 1
        if outcome["status"] != "ok":
            err = self.cols["errors"]
            for c in ERROR_COLUMNS:
                err[c].append(outcome.get(c))
            return
        meta = outcome["meta"]
        rid = meta["report_id"]
        counts = {"n_error": 0, "n_warning": 0, "n_info": 0}
        for i in outcome["issues"]:
            counts[f"n_{i['severity']}"] += 1
        rep = self.cols["reports"]
        for c in REPORT_COLUMNS:
            if c in counts:
                rep[c].append(counts[c])
            elif c == "status":
                rep[c].append(report_status(outcome["issues"]))
            elif c == "agency_key":
                rep[c].append(agency_key(meta.get("agency")))
            else:
                rep[c].append(meta.get(c))
        facts = outcome["facts"]
        n = len(facts["report_id"])
        fc = self.cols["facts"]
        for c in FACT_COLUMNS:
            if c in ("agency", "year", "template"):
                fc[c].extend([meta.get(c)] * n)
            else:
                fc[c].extend(facts[c])
        for name, records in (("sections", outcome["sections"]), ("issues", outcome["issues"])):
            tc = self.cols[name]
            for rec in records:
                tc["report_id"].append(rid)
                for c in TABLE_COLUMNS[name][1:]:
                    v = rec.get(c)
                    if c == "cells" and isinstance(v, (list, tuple)):
                        v = ";".join(v)
                    tc[c].append(v)

    def frames(self) -> dict[str, pd.DataFrame]:
        """The collected rows as typed DataFrames (every table, maybe empty)."""
        return {name: typed(name, pd.DataFrame(cols, columns=TABLE_COLUMNS[name])) for name, cols in self.cols.items()}


def outcome_frames(outcome: dict) -> dict[str, pd.DataFrame]:
    """The rows one parse outcome contributes to each corpus table."""
    rows = Rows()
    rows.add(outcome)
    return rows.frames()


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A corpus table with its schema's columns and dtypes."""
    df = df.reindex(columns=TABLE_COLUMNS[name])
    ints = INT_COLUMNS.get(name, ())
    for c in ints:
        df[c] = pd.to_numeric(df[c], errors="coerce").astype("Int64")
    if name == "facts":
        df["value"] = pd.to_numeric(df["value"], errors="coerce").astype("float64")
    for c in df.columns:
        if c not in ints and not (name == "facts" and c == "value"):
            df[c] = df[c].astype("object").where(df[c].notna(), None)
    return df


def cross_year_issues(reports: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """S3.1: this year's 上年结转 equals last year's 结转下年度 (warnings)."""
    r = reports.dropna(subset=["agency_key", "year"])
    if r.empty:
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    f = facts[(facts["table"] == "applications") & facts["row"].isin(["carried_over", "carried_forward"])]
    vals = {(rid, row, col): v for rid, row, col, v in zip(f["report_id"], f["row"], f["column"], f["value"])}
    by_key: dict[tuple[str, int], list[str]] = {}
    for rid, key, year in zip(r["report_id"], r["agency_key"], r["year"]):
        by_key.setdefault((key, int(year)), []).append(rid)
    rows = []
    cols = ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"]
    for (key, year), rids in by_key.items():
        for this in rids:
            for last in by_key.get((key, year - 1), []):
                rows.extend(_carry_rows(vals, this, last, year, cols))
    return pd.DataFrame(rows, columns=ISSUE_COLUMNS)


def _carry_rows(vals: dict, this: str, last: str, year: int, cols: list[str]) -> list[dict]:
    rows = []
    for c in cols:
        a, b = vals.get((this, "carried_over", c)), vals.get((last, "carried_forward", c))
        if a is None or b is None or math.isnan(a) or math.isnan(b) or a == b:
            continue
        rows.append({"report_id": this, "severity": "warning", "code": "applications.carry_over",
                     "message": f"{year} 二、上年结转 {c} = {a:g} but the {year - 1} report's 四、结转下年度 = {b:g}",
                     "table": "applications", "row": "carried_over", "column": c,
                     "cells": f"applications/carried_over/{c};{last}:applications/carried_forward/{c}"})
    return rows


class CorpusBuilder:
    """Collects parse outcomes; :meth:`build` makes the :class:`Corpus`."""

    def __init__(self) -> None:
        self.rows = Rows()

    def add(self, outcome: dict) -> None:
        self.rows.add(outcome)

    def build(self, agency_map: Any = None) -> "Corpus":
        return Corpus(agency_map=agency_map, **self.rows.frames())


class Corpus:
    """Many parsed reports as DataFrames.

    - ``reports``: one row per report (every meta field, issue counts by
      severity, ``agency_key`` used to match agencies across years);
    - ``facts``: every report's statistics cells, long, with agency, year
      and template columns;
    - ``sections``, ``issues`` (including cross-year checks), ``errors``
      (files that could not be parsed: path, error class, message).
    """

    def __init__(self, reports: pd.DataFrame, facts: pd.DataFrame, sections: pd.DataFrame,
                 issues: pd.DataFrame, errors: pd.DataFrame, agency_map: Any = None) -> None:
        amap = _map_dict(agency_map)
        if amap is not None and len(reports):
            reports = reports.copy()
            reports["agency_key"] = [agency_key(a, amap) for a in reports["agency"]]
        self.reports = reports
        self.facts = facts
        self.sections = sections
        self.errors = errors
        extra = cross_year_issues(reports, facts)
        self.issues = typed("issues", pd.concat([issues, extra], ignore_index=True)) if len(extra) else issues

    def __len__(self) -> int:
        return len(self.reports)

    def _repr_html_(self) -> str:
        """Jupyter display: reports by year and template, parse failures,
        issue counts (:func:`extractor.outputs.display.corpus_html`)."""
        from .outputs.display import corpus_html

        return corpus_html(self)

    def __repr__(self) -> str:
        return f"<Corpus reports={len(self.reports)} errors={len(self.errors)} facts={len(self.facts)}>"

    # ------------------------------------------------------------ analysis
    def wide(self, table: str, labels: bool = False) -> pd.DataFrame:
        """One row per report, one column per (row, column) cell of ``table``.

        Columns are ``row.column`` keys joined with ``|`` (``new_received|total``),
        or with ``labels`` the Chinese labels (``一、本年新收…/总计``). The
        index is ``report_id``; agency, year and template lead the columns.
        An unknown ``table`` raises KeyError naming the close matches.
        """
        from .recognition.templates import TABLE_TITLES

        known_name(table, TABLE_TITLES, "table")
        f = self.facts[self.facts["table"] == table]
        meta = self.reports.set_index("report_id")[["agency", "year", "template"]]
        if f.empty:
            return meta.iloc[0:0]
        order = list(dict.fromkeys(zip(f["row"], f["column"])))
        wide = f.drop_duplicates(["report_id", "row", "column"]).set_index(["report_id", "row", "column"])["value"].unstack(["row", "column"])
        wide = wide.reindex(columns=pd.MultiIndex.from_tuples(order))
        if labels:
            lab = dict(zip(zip(f["row"], f["column"]), zip(f["row_label"], f["column_label"])))
            wide.columns = [f"{lab[k][0]}/{lab[k][1]}" for k in order]
        else:
            wide.columns = [f"{r}|{c}" for r, c in order]
        return meta.join(wide, how="inner").reindex([r for r in self.reports["report_id"] if r in set(wide.index)])

    def harmonized(self) -> pd.DataFrame:
        """2019- and 2021-template reports on one set of keys (long table).

        See :mod:`extractor.harmonize` for the mapping. Columns: report_id,
        agency, year, template, table, row, column, value, row_label,
        column_label.
        """
        from .harmonize import harmonize

        return harmonize(self.reports, self.facts)

    # ------------------------------------------------------------ export
    def tables(self) -> dict[str, pd.DataFrame]:
        """The five corpus tables by name."""
        return {"reports": self.reports, "facts": self.facts, "sections": self.sections,
                "issues": self.issues, "errors": self.errors}

    def to_csv(self, directory: str | Path) -> None:
        """One CSV per table, UTF-8 with BOM (Excel on Chinese Windows opens it right)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables().items():
            df.to_csv(d / f"{name}.csv", index=False, encoding="utf-8-sig")

    def to_parquet(self, directory: str | Path) -> None:
        """One Parquet file per table."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, df in self.tables().items():
            df.to_parquet(d / f"{name}.parquet", index=False)

    def to_excel(self, path: str | Path) -> None:
        """One workbook: reports, one wide sheet per statistics table with
        Chinese labels (主动公开, 申请处理, 复议诉讼), issues, errors."""
        from .outputs.export import write_excel

        write_excel(self, Path(path))

    def to_stata(self, directory: str | Path) -> None:
        """Stata 14+ ``.dta`` files (Unicode) for the long tables."""
        from .outputs.export import write_stata

        write_stata(self.tables(), Path(directory))

    def to_jsonl(self, path: str | Path) -> None:
        """JSON lines, one whole report (meta, facts, sections, issues) per line."""
        from .outputs.export import report_records

        with open(path, "w", encoding="utf-8") as fh:
            for rec in report_records(self.reports, self.facts, self.sections, self.issues):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
