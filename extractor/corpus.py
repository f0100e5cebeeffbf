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
                  "source_title", "source_agency", "n_error", "n_warning", "n_info", "status", "n_copies", "also_at"]
FACT_COLUMNS = ["report_id", "agency", "year", "template", "table", "row", "column", "value", "raw",
                "row_label", "column_label", "source"]
SECTION_COLUMNS = ["report_id", "index", "number", "title", "key", "level", "parent", "text", "own_text"]
ISSUE_COLUMNS = ["report_id", "severity", "code", "message", "table", "row", "column", "cells"]
ERROR_COLUMNS = ["path", "sha256", "error", "message"]
TABLE_COLUMNS = {"reports": REPORT_COLUMNS, "facts": FACT_COLUMNS, "sections": SECTION_COLUMNS,
                 "issues": ISSUE_COLUMNS, "errors": ERROR_COLUMNS}
#: Integer columns (nullable ``Int64``) of each table.
INT_COLUMNS = {"reports": ("year", "n_error", "n_warning", "n_info", "n_copies"), "facts": ("year",),
               "sections": ("index", "level", "parent")}
_TABLE_NAMES = {"active_disclosure": "主动公开", "applications": "申请处理", "review_litigation": "复议诉讼"}


def agency_key(name: Any, agency_map: Mapping[str, str] | None = None, year: Any = None) -> str | None:
    """The key that matches an agency across years: the user's mapping; else,
    for an agency placed on the map (:mod:`extractor.divisions`), the stable
    id of its division and the rest of its name, so a renamed county's
    government keeps its key; else its normalized name (NFKC, no whitespace
    or punctuation).

    >>> agency_key("平潭综合实验区 管委会") == agency_key("平潭综合实验区管委会")
    True
    >>> agency_key("洪泽县人民政府", year=2015) == agency_key("淮安市洪泽区人民政府", year=2023) == "320813人民政府"
    True
    >>> agency_key("示例市生态环境局")
    '示例市生态环境局'
    """
    return agency_keys([(name, year)], agency_map)[0]


def agency_keys(pairs: list[tuple[Any, Any]], agency_map: Mapping[str, str] | None = None) -> list[str | None]:
    """:func:`agency_key` of many (name, year) pairs, the map looked up once."""
    from .divisions import division_key, locate_many

    out: list[str | None] = [None] * len(pairs)
    ask = []
    for i, (name, year) in enumerate(pairs):
        if not isinstance(name, str) or not name:
            continue
        mapped = (agency_map.get(name) or agency_map.get(core(name))) if agency_map else None
        if mapped:
            out[i] = core(mapped)
        else:
            ask.append(i)
    if ask:
        found = locate_many([(pairs[i][0], _year(pairs[i][1])) for i in ask])
        for i in ask:
            name, year = pairs[i][0], _year(pairs[i][1])
            out[i] = division_key(name, found[(name, year)]) or core(name)
    return out


def _year(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


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

    def __init__(self, keys: bool = True) -> None:
        self.cols: dict[str, dict[str, list]] = {n: {c: [] for c in cols} for n, cols in TABLE_COLUMNS.items()}
        self.n = 0
        #: fill ``agency_key`` in :meth:`frames` (a batch writing parts fills
        #: it when it reads them back, so that no division look-up runs while
        #: workers are busy)
        self.keys = keys
        #: report_id -> the other paths the same content was read from
        self.copies: dict[str, list[str]] = {}

    def add(self, outcome: dict) -> None:
        """Add one parse outcome. The same content read twice (two copies of
        a file) is kept once: ``report_id`` stays unique in every table and
        the report's ``n_copies`` and ``also_at`` say where else it was."""
        self.n += 1
        if outcome["status"] != "ok":
            err = self.cols["errors"]
            for c in ERROR_COLUMNS:
                err[c].append(outcome.get(c))
            return
        meta = outcome["meta"]
        rid = meta["report_id"]
        if rid in self.copies:
            self.copies[rid].append(str(meta.get("source_path")))
            return
        self.copies[rid] = []
        counts = {"n_error": 0, "n_warning": 0, "n_info": 0}
        for i in outcome["issues"]:
            counts[f"n_{i['severity']}"] += 1
        rep = self.cols["reports"]
        for c in REPORT_COLUMNS:
            if c in counts:
                rep[c].append(counts[c])
            elif c == "status":
                rep[c].append(report_status(outcome["issues"]))
            elif c in ("agency_key", "n_copies", "also_at"):
                rep[c].append(None)  # filled in frames()
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
        rep = self.cols["reports"]
        if self.keys:
            rep["agency_key"] = agency_keys(list(zip(rep["agency"], rep["year"])))
        rep["n_copies"] = [1 + len(self.copies[r]) for r in rep["report_id"]]
        rep["also_at"] = [";".join(self.copies[r]) or None for r in rep["report_id"]]
        return {name: typed(name, pd.DataFrame(cols, columns=TABLE_COLUMNS[name])) for name, cols in self.cols.items()}


def with_agency_keys(reports: pd.DataFrame) -> pd.DataFrame:
    """``reports`` with ``agency_key`` filled where it is missing."""
    missing = reports["agency_key"].isna() & reports["agency"].notna()
    if not missing.any():
        return reports
    reports = reports.copy()
    keys = agency_keys(list(zip(reports.loc[missing, "agency"], reports.loc[missing, "year"])))
    reports.loc[missing, "agency_key"] = pd.array(keys, dtype="string")
    return reports


def outcome_frames(outcome: dict) -> dict[str, pd.DataFrame]:
    """The rows one parse outcome contributes to each corpus table."""
    rows = Rows()
    rows.add(outcome)
    return rows.frames()


def typed(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A corpus table with its schema's columns and dtypes
    (:data:`extractor.variables.TABLE_DTYPES`: counts ``Int64``, the facts'
    ``value`` float64 (it holds money and counts), text ``string``)."""
    from .variables import apply_dtypes

    return apply_dtypes(name, df.reindex(columns=TABLE_COLUMNS[name]))


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


def _unique_reports(reports: pd.DataFrame, facts: pd.DataFrame, sections: pd.DataFrame,
                    issues: pd.DataFrame) -> tuple[pd.DataFrame, ...]:
    """Tables joined from several sources may hold a report twice: keep its
    first row in ``reports`` (counting the copies) and its rows once in the
    other tables."""
    if not reports["report_id"].duplicated().any():
        return reports, facts, sections, issues
    reports = reports.copy()
    first = ~reports["report_id"].duplicated()
    others = reports[~first].groupby("report_id")["source_path"].agg(lambda s: ";".join(map(str, s)))
    n = reports.groupby("report_id")["report_id"].transform("size")
    reports["n_copies"] = n.astype("Int64")
    reports["also_at"] = reports["report_id"].map(others).astype("string")
    reports = reports[first].reset_index(drop=True)
    out = [reports]
    for df, keys in ((facts, ["report_id", "table", "row", "column"]), (sections, None), (issues, None)):
        out.append(df.drop_duplicates(keys).reset_index(drop=True) if len(df) else df)
    return tuple(out)


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
            reports["agency_key"] = pd.array(agency_keys(list(zip(reports["agency"], reports["year"])), amap), dtype="string")
        reports, facts, sections, issues = _unique_reports(reports, facts, sections, issues)
        self.reports = reports
        self.facts = facts
        self.sections = sections
        self.errors = errors
        self._panel: pd.DataFrame | None = None
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

    def panel(self) -> pd.DataFrame:
        """The research dataset: one row per agency and year on the
        harmonized keys, with the report it came from, where the agency sits
        and how duplicates were resolved (:mod:`extractor.panel`; the
        variables are described by :func:`extractor.codebook`).

        >>> import extractor
        >>> extractor.parse_many([], jobs=1).panel().columns[:3].tolist()
        ['agency_key', 'year', 'agency']
        """
        if self._panel is None:
            from .panel import build_panel

            self._panel = build_panel(self.reports, self.facts)
        return self._panel.copy()

    def agencies(self) -> pd.DataFrame:
        """Each agency name and year in the reports with where it sits
        (:func:`extractor.divisions.locate`); unplaced names have no
        ``division_code`` (none is guessed)."""
        from .divisions import FIELDS, locate_many

        r = self.reports.dropna(subset=["agency"])
        pairs = list(dict.fromkeys(zip(r["agency"], [_year(y) for y in r["year"]])))
        found = locate_many(pairs)
        df = pd.DataFrame([{"agency": a, "year": y, **found[(a, y)]} for a, y in pairs],
                          columns=["agency", "year", *FIELDS])
        df["year"] = df["year"].astype("Int64")
        return df.astype({c: "string" for c in ["agency", *FIELDS]})

    # ------------------------------------------------------------ export
    def tables(self) -> dict[str, pd.DataFrame]:
        """The five corpus tables by name."""
        return {"reports": self.reports, "facts": self.facts, "sections": self.sections,
                "issues": self.issues, "errors": self.errors}

    def to_csv(self, directory: str | Path) -> None:
        """One CSV per table, UTF-8 with BOM (Excel on Chinese Windows opens
        it right), plus panel.csv and codebook.csv; read them back with the
        codebook's dtypes by :func:`extractor.read_csv`. Text that a
        spreadsheet would run as a formula gets a leading ``'``
        (:func:`~extractor.outputs.export.csv_safe`)."""
        from .outputs.export import csv_safe
        from .variables import codebook

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, df in {**self.tables(), "panel": self.panel(), "codebook": codebook()}.items():
            csv_safe(df).to_csv(d / f"{name}.csv", index=False, encoding="utf-8-sig")

    def to_parquet(self, directory: str | Path) -> None:
        """One Parquet file per table and panel.parquet, with pandas
        metadata (any reader gets Int64 and string columns back) and the
        schema version in the file metadata; codebook.csv beside them."""
        from .variables import codebook, write_parquet

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        for name, df in {**self.tables(), "panel": self.panel()}.items():
            write_parquet(df, d / f"{name}.parquet", name)
        codebook().to_csv(d / "codebook.csv", index=False, encoding="utf-8-sig")

    def to_excel(self, path: str | Path) -> None:
        """One workbook: reports, one wide sheet per statistics table with
        Chinese labels (主动公开, 申请处理, 复议诉讼), issues, errors."""
        from .outputs.export import write_excel

        write_excel(self, Path(path))

    def to_stata(self, directory: str | Path) -> None:
        """Stata 14+ ``.dta`` files (Unicode) for the long tables and
        panel.dta: integer storage types for counts, bilingual variable
        labels from the codebook."""
        from .outputs.export import write_stata
        from .variables import codebook

        write_stata({**self.tables(), "panel": self.panel()}, Path(directory))
        codebook().to_csv(Path(directory) / "codebook.csv", index=False, encoding="utf-8-sig")

    def to_jsonl(self, path: str | Path) -> None:
        """JSON lines, one whole report (meta, facts, sections, issues) per line."""
        from .outputs.export import report_records

        with open(path, "w", encoding="utf-8") as fh:
            for rec in report_records(self.reports, self.facts, self.sections, self.issues):
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
