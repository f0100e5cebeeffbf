"""Finding the statistics tables among a document's tables.

Each table is classified by the words it contains
(:data:`~extractor.recognition.templates.TABLE_SIGNATURES`), or, when those
are too few (one 第二十条 item published as a table of its own, a piece of
a table split over pages), by the template's own row and column labels it
carries: a table with numbers and at least two distinct labels of one
statistics table belongs to it. A table with no label of any kind that
follows a statistics table closely (at most one paragraph between, the
same number of grid columns, numbers in it) continues it. All the pieces
of a kind, in document order and whatever order their parts come in,
become the segments of one logical table; a later piece that repeats rows
already read (another copy, last year's table) is left out, and a piece
printed twice (the same text) counts once, with an ``info`` issue. The
template year is then decided from the labels
(:data:`~extractor.recognition.templates.TEMPLATE_MARKERS`, format.md §0).

>>> from extractor.model import Cell, Document, Table
>>> piece = Table.from_cells([Cell("信息内容", 0, 0), Cell("采购项目数量", 0, 1), Cell("采购总金额", 0, 2),
...                           Cell("政府集中采购", 1, 0), Cell("5", 1, 1), Cell("25.1", 1, 2)])
>>> classify(piece)
'active_disclosure'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..issues import Issue
from ..model import Document, Image, Paragraph, Table
from ..normalize import core
from .numbers import read_number
from .templates import TABLE_SIGNATURES, TEMPLATE_MARKERS, TEMPLATES

#: Distinct template labels (rows and columns) a table must carry to be a
#: piece of a statistics table when its signature words are too few.
MIN_LABELS = 2
#: Cells longer than this (core characters) are notes, not labels.
_LABEL_LEN = 40


@dataclass
class Located:
    """The statistics tables of a document: kind -> segments in order."""

    segments: dict[str, list[Table]] = field(default_factory=dict)
    template: str | None = None
    template_evidence: str = ""
    other_tables: list[Table] = field(default_factory=list)
    #: ``info`` issues: pieces printed twice, pieces left out as copies
    issues: list[Issue] = field(default_factory=list)


def classify(table: Table) -> str | None:
    """The statistics-table kind of ``table``, or ``None``."""
    kind = _classify(core(table.text(), memo=False))
    if kind is None and _has_numbers(table):
        kind = _by_labels(_labels(table))[0]
    return kind


def _classify(text: str) -> str | None:
    best, best_score = None, 0
    for kind, (minimum, words) in TABLE_SIGNATURES.items():
        score = sum(1 for w in words if w in text)
        if score >= minimum and score > best_score:
            best, best_score = kind, score
    return best


@lru_cache(maxsize=1)
def _label_patterns() -> tuple[tuple[str, str, str, bool], ...]:
    """(pattern core, kind, key, is a row) for every label of every
    template, generic ones (``=其他``, ``总计``, ``合计``) left out: they
    name no table."""
    out: dict[tuple[str, str, str, bool], None] = {}
    for specs in TEMPLATES.values():
        for kind, spec in specs.items():
            for is_row, keys in ((True, spec.rows), (False, spec.columns)):
                for key in keys:
                    for p in key.patterns:
                        pat = core(p.lstrip("="))
                        if len(pat) < 3 or pat in ("总计", "合计"):
                            continue
                        out[(pat, kind, key.key, is_row)] = None
    return tuple(out)


def _labels(table: Table) -> frozenset[tuple[str, str, bool]]:
    """(kind, key, is a row) of the template labels in ``table``'s cells."""
    cores = set()
    for cell in table.cells():
        c = core(cell.text)
        if 2 <= len(c) <= _LABEL_LEN and read_number(cell.text).kind != "number":
            cores.add(c)
    found = set()
    for pat, kind, key, is_row in _label_patterns():
        if any(pat in c for c in cores):
            found.add((kind, key, is_row))
    return frozenset(found)


def _by_labels(labels: frozenset[tuple[str, str, bool]]) -> tuple[str | None, int]:
    counts: dict[str, int] = {}
    for kind, _key, _row in labels:
        counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return None, 0
    kind, n = max(counts.items(), key=lambda kv: kv[1])
    if n < MIN_LABELS or sum(1 for v in counts.values() if v == n) > 1:
        return None, n
    return kind, n


def _rows_of(labels: frozenset[tuple[str, str, bool]], kind: str) -> set[str]:
    return {key for k, key, is_row in labels if k == kind and is_row}


def _adds_rows(table: Table, segments: list[Table], kind: str) -> bool:
    """Does ``table`` carry rows of ``kind`` that none of ``segments`` has?"""
    new = _rows_of(_labels(table), kind)
    if not new:
        return False
    for seg in segments:
        if new & _rows_of(_labels(seg), kind):
            return False
    return True


def _has_numbers(table: Table) -> bool:
    return any(read_number(c.text).kind == "number" for c in table.cells())


def locate(doc: Document) -> Located:
    """Group the document's tables into statistics-table segments."""
    out = Located()
    last_kind: str | None = None
    last_table: Table | None = None
    gap = 0  # non-empty paragraphs since the last statistics table
    texts: dict[int, str] = {}  # id(table) -> core of its text, computed once
    seen: dict[str, list[str]] = {}  # kind -> core texts of its segments
    closed: set[str] = set()         # kinds another kind has followed
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            if block.text.strip():
                gap += 1
            continue
        if isinstance(block, Image):
            continue
        table = block
        texts[id(table)] = text = core(table.text(), memo=False)
        kind = _classify(text)
        numbers = False
        if kind is None:
            numbers = _has_numbers(table)
            if numbers:
                kind = _by_labels(_labels(table))[0]
        if kind is None and last_kind is not None and last_table is not None and gap <= 1 \
                and table.n_cols == last_table.n_cols and numbers:
            kind = last_kind  # continued after a page break, header not repeated
        if kind is None:
            out.other_tables.append(table)
            continue
        if text in seen.get(kind, ()):
            out.other_tables.append(table)
            out.issues.append(Issue("info", "table.duplicate",
                                    f"document table {table.index} repeats an earlier piece of the "
                                    f"{kind} table word for word; read once", kind))
            last_table, gap = table, 0
            continue
        if kind in closed and not _adds_rows(table, out.segments[kind], kind):
            # after another statistics table: a part in another order adds
            # rows; a piece repeating rows already read is another copy
            out.other_tables.append(table)
            out.issues.append(Issue("info", "table.ignored",
                                    f"document table {table.index} repeats rows of the {kind} table "
                                    "read earlier; left out", kind))
            continue
        if last_kind is not None and kind != last_kind:
            closed.add(last_kind)
        out.segments.setdefault(kind, []).append(table)
        seen.setdefault(kind, []).append(text)
        last_kind, last_table, gap = kind, table, 0
    out.template, out.template_evidence = _detect(out, texts)
    return out


def detect_template(found: Located) -> tuple[str | None, str]:
    """Decide the template year from the statistics tables' labels."""
    return _detect(found, {})


def _detect(found: Located, texts: dict[int, str]) -> tuple[str | None, str]:
    if not found.segments:
        return None, ""
    text = "".join(texts.get(id(t)) or core(t.text(), memo=False) for segs in found.segments.values() for t in segs)
    scores = {year: [w for w in words if w in text] for year, words in TEMPLATE_MARKERS.items()}
    ranked = sorted(scores.items(), key=lambda kv: len(kv[1]), reverse=True)
    if ranked[0][1] and len(ranked[0][1]) > len(ranked[1][1]):
        return ranked[0][0], "labels: " + "、".join(ranked[0][1])
    return None, ""
