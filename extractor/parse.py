"""``parse``: one source in, one :class:`~extractor.report.Report` out."""

from __future__ import annotations

import hashlib
import math
import os
from pathlib import Path
from typing import IO, Any, Union

from .recognition.cells import Found, Reading, match, read_cells
from .recognition.claims import claim_issues
from .recognition.checks import check
from .issues import Issue
from .recognition.locate import locate
from .recognition.meta import find_agency, find_publication_date, find_title, find_year, title_parts
from .model import Document, Image, Paragraph, Table
from .normalize import core, iso_date, path_text
from .recognition.numbers import MAX_PLAUSIBLE, MONEY_UNITS as MONEY_UNITS_10K, plausible, read_number, to_10k_yuan
from .readers import read, read_file
from .report import FACT_COLUMNS, Report
from .recognition.sections import outline
from .recognition.templates import MONEY_COLUMNS, SIGNED_COLUMNS, TABLE_TITLES, TEMPLATES, TableSpec

Source = Union[str, os.PathLike, bytes, IO[bytes]]

#: Largest source accepted, in bytes.
MAX_SOURCE_BYTES = 256 * 1024 * 1024


def _load(source: Source) -> tuple[bytes, str | None, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), None, "<bytes>"
    if isinstance(source, (str, os.PathLike)):
        path = str(Path(source))
        return read_file(path, MAX_SOURCE_BYTES), path, path
    if hasattr(source, "read"):
        name = str(getattr(source, "name", "<stream>"))
        data = source.read(MAX_SOURCE_BYTES + 1)
        if not isinstance(data, (bytes, bytearray)):
            raise TypeError("parse() needs a binary file object (open the file with 'rb')")
        if len(data) > MAX_SOURCE_BYTES:
            from .errors import ResourceLimitError

            raise ResourceLimitError(name, f"stream larger than {MAX_SOURCE_BYTES} bytes")
        return bytes(data), (name if name != "<stream>" else None), name
    raise TypeError(f"parse() takes a path, bytes or a binary file object, not {type(source).__name__}")


def parse(source: Source) -> Report:
    """Parse one report (.docx or HTML) into the normalized schema.

    ``source`` is a path, the file's bytes, or a binary file object. The
    format is decided from the bytes. Problems inside the report are
    returned as ``report.issues``; a source that cannot be read at all
    raises a :class:`~extractor.errors.ParseError` subclass.

    >>> import extractor
    >>> html = "<p>某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p>"
    >>> r = extractor.parse(html.encode())
    >>> r.meta["agency"], r.meta["year"], r.section_keys
    ('某局', 2021, ['overview'])
    """
    data, path, name = _load(source)
    fmt, doc = read(data, name)
    sha = hashlib.sha256(data).hexdigest()
    return build_report(doc, fmt=fmt, sha256=sha, path=path_text(path) if path is not None else None)


def build_report(doc: Document, *, fmt: str, sha256: str, path: str | None = None) -> Report:
    """Turn a document model into a :class:`Report` (format-independent)."""
    report_id = sha256[:16]
    issues: list[Issue] = []
    paragraphs = doc.paragraphs
    lines = [p.full_text for p in paragraphs]
    title = find_title(lines, doc.hints)
    year = title_parts(title)[1] if title else None
    agency, agency_source = find_agency(title, lines, doc.hints)
    if year is None:
        year = find_year(title, lines)

    if doc.hints.get("hidden"):
        issues.append(Issue("info", "content.hidden",
                            f"{doc.hints['hidden']} hidden element(s) of the page (display:none, visibility:hidden, "
                            "hidden) were not read"))
    located = locate(doc)
    issues.extend(located.issues)
    template = located.template
    if template is None and located.segments:
        template = "2021" if (year or 2021) >= 2021 else "2019"
        issues.append(Issue("warning", "template.guessed",
                            f"the tables carry no label that tells the template apart; assumed {template} from the year"))
    if template and year and (template == "2021") != (year >= 2021):
        issues.append(Issue("warning", "template.year_mismatch",
                            f"{year} report uses the {template} template tables (format.md §0)"))

    facts = _Facts()
    matches: list[tuple[TableSpec, Reading]] = []
    values: dict[tuple[str, str, str], float] = {}
    specs = TEMPLATES.get(template or "", {})
    if not located.segments:
        why = "no statistics tables of a known template (2019 or 2021 format)"
        if doc.tables:
            why += f"; the document has {len(doc.tables)} other table(s), e.g. an older local statistics table"
        issues.append(Issue("error", "template.unknown", why))
    for name, spec in specs.items():
        segments = located.segments.get(name)
        if not segments:
            issues.append(_missing_table(doc, name))
            for row, col in spec.cell_tuple:
                facts.add(name, row.key, col.key, math.nan, None, row.label, col.label, "")
                values[(name, row.key, col.key)] = math.nan
            continue
        _read_table(spec, segments, facts, values, issues, matches)

    issues.extend(check(template, specs, values))
    issues.extend(claim_issues(lines, values))
    sections, pre = outline(paragraphs)
    found_keys = {s.key for s in sections if s.key}
    for key in ("overview", "active_disclosure", "applications", "review_litigation", "problems", "other_matters"):
        if key not in found_keys and paragraphs:
            issues.append(Issue("info", "section.missing", f"no section heading for {key}"))
    meta = {
        "report_id": report_id,
        "source_path": path,
        "source_format": fmt,
        "title": title,
        "agency": agency,
        "agency_source": agency_source,
        "year": year,
        "template": template,
        "sha256": sha256,
        "schema_version": "1.0",
        "publication_date": find_publication_date(lines),
    }
    published = iso_date(doc.hints.get("published"))  # the page's own PubDate
    if published:
        meta["source_published"] = published
    return Report(lambda: facts.frame(report_id), meta, sections, issues, pre, doc,
                  fact_columns=facts.columns(report_id),
                  matches=lambda: [match(spec.name, e) for spec, reading in matches for e in reading.entries(spec)])


class _Facts:
    """The facts table, collected column by column (one DataFrame at the end)."""

    __slots__ = ("table", "row", "column", "value", "raw", "row_label", "column_label", "source")
    table: list[str]
    row: list[str]
    column: list[str]
    value: list[float]
    raw: list[str | None]
    row_label: list[str]
    column_label: list[str]
    source: list[str]

    def __init__(self) -> None:
        for name in self.__slots__:
            setattr(self, name, [])

    def add(self, table: str, row: str, col: str, value: float, raw: str | None,
            row_label: str, col_label: str, source: str) -> None:
        self.table.append(table)
        self.row.append(row)
        self.column.append(col)
        self.value.append(value)
        self.raw.append(raw)
        self.row_label.append(row_label)
        self.column_label.append(col_label)
        self.source.append(source)

    def __len__(self) -> int:
        return len(self.table)

    def columns(self, report_id: str) -> dict[str, Any]:
        """The columns as lists, in FACT_COLUMNS order."""
        data: dict[str, Any] = {"report_id": [report_id] * len(self.table)}
        for name in self.__slots__:
            data[name] = getattr(self, name)
        return data

    def frame(self, report_id: str):
        """The facts DataFrame with the corpus tables' dtypes (value
        float64, text ``string``: :data:`extractor.variables.TABLE_DTYPES`).

        Text columns are built with the dtype given up front (``pd.array``),
        which skips pandas' per-value type inference.
        """
        import numpy as np
        import pandas as pd  # imported on first use: ``import extractor`` stays quick

        if not self.table:
            return pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "string") for c in FACT_COLUMNS})
        data = self.columns(report_id)
        for name, col in data.items():
            if name == "value":
                data[name] = np.array(col, dtype="float64")
            else:
                data[name] = pd.array(col, dtype="string")
        return pd.DataFrame(data, columns=FACT_COLUMNS, copy=False)


def _source(f: Found) -> str:
    return f"t{f.table.index}:r{f.cell.row}:c{f.cell.col}"


def _where(table: str, row: str, col: str) -> dict:
    return dict(table=table, row=row, column=col, cells=(f"{table}/{row}/{col}",))


def _value(spec: TableSpec, row: str, col: str, raw: str, issues: list[Issue]) -> float:
    num = read_number(raw)
    kind = num.kind
    if kind != "number":
        if kind == "text":
            issues.append(Issue("warning", "value.not_number", f"cell {spec.name}/{row}/{col} is not a number: {raw!r}",
                                **_where(spec.name, row, col)))
        return math.nan
    value = num.value
    if not plausible(value):
        issues.append(Issue("warning", "value.implausible",
                            f"cell {spec.name}/{row}/{col} reads {raw[:80]!r}: beyond any count or amount "
                            f"(at most {MAX_PLAUSIBLE:g}); left empty", **_where(spec.name, row, col)))
        return math.nan
    if num.note:
        issues.append(Issue("info", "value.annotated", f"cell {spec.name}/{row}/{col} reads {raw!r}: took {value:g}",
                            **_where(spec.name, row, col)))
    if col in MONEY_COLUMNS:
        if num.unit in MONEY_UNITS_10K:
            value = to_10k_yuan(num)
        elif col == "procurement_amount_10k_yuan":
            issues.append(Issue("info", "unit.assumed", f"cell {spec.name}/{row}/{col} has no unit; taken as 万元",
                                **_where(spec.name, row, col)))
        if value < 0:
            issues.append(Issue("error", "value.invalid", f"cell {spec.name}/{row}/{col} is negative: {raw!r}",
                                **_where(spec.name, row, col)))
    elif col not in SIGNED_COLUMNS:
        if value < 0 or not float(value).is_integer():
            issues.append(Issue("error", "value.invalid",
                                f"cell {spec.name}/{row}/{col} is not a non-negative integer count: {raw!r}",
                                **_where(spec.name, row, col)))
    return value


def _read_table(spec: TableSpec, segments: list[Table], facts: _Facts, values: dict, issues: list[Issue],
                matches: list[tuple[TableSpec, Reading]]) -> None:
    reading = read_cells(spec, segments)
    name = spec.name
    matches.append((spec, reading))
    for entry in reading.entries(spec, only_aligned=True) if reading.aligned else ():
        m = match(name, entry)
        if m.method == "ambiguous":
            issues.append(Issue("warning", f"{m.axis}.ambiguous",
                                f"{name}: {m.axis} label {m.label!r} at {m.source} fits {' and '.join(m.candidates)} "
                                f"about equally (similarity {m.score:g}); its cells are left empty",
                                name, m.key if m.axis == "row" else None, m.key if m.axis == "column" else None))
            continue
        how = {"similarity": f"similarity {m.score:g}",
               "position": f"its place between matched neighbours (similarity {m.score:g})",
               "checks": f"the 勾稽 rules, of {' and '.join(m.candidates)} (similarity {m.score:g})"}[m.method]
        issues.append(Issue("info", f"{m.axis}.aligned",
                            f"{name}: {m.axis} label {m.label!r} at {m.source} read as {m.key} by {how}",
                            name, m.key if m.axis == "row" else None, m.key if m.axis == "column" else None))
    by_key: dict[tuple[str, str], Found] = {}
    for f in reading.found:
        k = (f.row, f.column)
        prev = by_key.get(k)
        if prev is None:
            by_key[k] = f
        elif not prev.cell.text.strip() and f.cell.text.strip():
            by_key[k] = f
        elif f.cell.text.strip() and core(f.cell.text) != core(prev.cell.text):
            issues.append(Issue("warning", "cell.duplicate",
                                f"{name}/{f.row}/{f.column} appears twice ({prev.cell.text!r} at {_source(prev)}, "
                                f"{f.cell.text!r} at {_source(f)}); kept the first",
                                name, f.row, f.column))
    valid = spec.cell_keys
    for (rk, ck), f in by_key.items():
        if (rk, ck) not in valid and f.cell.text.strip():
            issues.append(Issue("info", "cell.outside_template",
                                f"{name}: value {f.cell.text!r} at {_source(f)} under {rk}/{ck}, which the template does not have",
                                name, rk, ck))
    missing: dict[str, list[str]] = {}
    add = facts.add
    nan = math.nan
    for row, col in spec.cell_tuple:
        rk, ck = row.key, col.key
        hit = by_key.get((rk, ck))
        if hit is None:
            missing.setdefault(rk, []).append(ck)
            add(name, rk, ck, nan, None, row.label, col.label, "")
            values[(name, rk, ck)] = nan
            continue
        cell = hit.cell
        raw = cell.text
        v = _value(spec, rk, ck, raw, issues)
        values[(name, rk, ck)] = v
        add(name, rk, ck, v, raw, row.label, col.label, f"t{hit.table.index}:r{cell.row}:c{cell.col}")
    for rk, cols in missing.items():
        issues.append(Issue("warning", "cell.missing",
                            f"{name}/{rk}: no cell found for {', '.join(cols)}", name, rk, None,
                            tuple(f"{name}/{rk}/{c}" for c in cols)))
    extra_rows: dict[str, str] = {}
    for f in reading.extras:
        v = _value(spec, f.row, f.column, f.cell.text, []) if read_number(f.cell.text).kind == "number" else nan
        add(name, f.row, f.column, v, f.cell.text, f.row_label, f.column_label, _source(f))
        extra_rows.setdefault(f.row, f.row_label)
    for key, label in extra_rows.items():
        issues.append(Issue("info", "row.extra", f"{name}: row {label!r} is not in the template; kept as {key}",
                            name, key, None))
    for cell, table, context in reading.unmatched:
        issues.append(Issue("warning", "cell.unmatched",
                            f"{name}: value {cell.text!r} at t{table.index}:r{cell.row}:c{cell.col} ({context}) matches no row/column",
                            name))
    if reading.headerless and not by_key:
        issues.append(Issue("error", "table.no_header", f"{name}: the table has no header naming its columns"))


def _missing_table(doc: Document, name: str) -> Issue:
    """table.image when a picture stands where the table should be."""
    title = core(TABLE_TITLES[name])
    blocks = doc.blocks
    for i, b in enumerate(blocks):
        if isinstance(b, Paragraph) and core(b.full_text, memo=False).endswith(title[-6:]) and len(b.full_text) < 60:
            for nxt in blocks[i + 1:i + 6]:
                if isinstance(nxt, Image) or (isinstance(nxt, Paragraph) and nxt.has_image):
                    return Issue("error", "table.image",
                                 f"table {TABLE_TITLES[name]} is published as an image; its numbers cannot be read", name)
                if isinstance(nxt, Table):
                    break
    return Issue("error", "table.missing", f"table {TABLE_TITLES[name]} was not found", name)
