"""Finding the statistics tables among a document's tables.

Each table is classified by the words it contains
(:data:`~extractor.recognition.templates.TABLE_SIGNATURES`); a table continued after a
page break (a following table of the same kind, or one of no kind with the
same number of grid columns and numbers in it) becomes a further segment of
the same logical table. The template year is then decided from the labels
(:data:`~extractor.recognition.templates.TEMPLATE_MARKERS`, format.md §0).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Document, Image, Paragraph, Table
from ..normalize import core
from .numbers import read_number
from .templates import TABLE_SIGNATURES, TEMPLATE_MARKERS


@dataclass
class Located:
    """The statistics tables of a document: kind -> segments in order."""

    segments: dict[str, list[Table]] = field(default_factory=dict)
    template: str | None = None
    template_evidence: str = ""
    other_tables: list[Table] = field(default_factory=list)


def classify(table: Table) -> str | None:
    """The statistics-table kind of ``table``, or ``None``."""
    return _classify(core(table.text(), memo=False))


def _classify(text: str) -> str | None:
    best, best_score = None, 0
    for kind, (minimum, words) in TABLE_SIGNATURES.items():
        score = sum(1 for w in words if w in text)
        if score >= minimum and score > best_score:
            best, best_score = kind, score
    return best


def _has_numbers(table: Table) -> bool:
    return any(read_number(c.text).kind == "number" for c in table.cells())


def locate(doc: Document) -> Located:
    """Group the document's tables into statistics-table segments."""
    out = Located()
    last_kind: str | None = None
    last_table: Table | None = None
    gap = 0  # non-empty paragraphs since the last statistics table
    done: set[str] = set()
    texts: dict[int, str] = {}  # id(table) -> core of its text, computed once
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
        if kind is None and last_kind is not None and last_table is not None and gap <= 1 \
                and table.n_cols == last_table.n_cols and _has_numbers(table):
            kind = last_kind  # continued after a page break, header not repeated
        if kind is None or kind in done:
            out.other_tables.append(table)
            continue
        if last_kind is not None and kind != last_kind:
            done.add(last_kind)
        out.segments.setdefault(kind, []).append(table)
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
