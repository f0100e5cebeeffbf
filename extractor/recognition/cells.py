"""Reading the statistics cells of one table kind from its table grids.

The mechanism is the same for every table and layout:

1. Rows are *header rows* (no numbers; text that names columns, such as
   ``自然人`` or ``第二十条第（一）项``) or *body rows*.
2. Consecutive header rows form a band. Each grid column under a band has
   a header path (the distinct texts above it, outer first); runs of
   columns with the same path are the band's leaves. Leaves whose path
   names a template column (or a row: table 四 puts its groups in the
   header) are value leaves; the first of them marks where the value area
   of the rows below starts.
3. In a body row, text cells left of the value area are its label parts;
   cells inside it are its values. Values are paired with value leaves in
   order when their counts agree (so header and data rows whose colspans
   disagree still line up), else by the largest column overlap.
4. Each value gets its row key from the label parts (else, when the row
   has no label or its label names a column, from its header path) and its
   column key from its header path (else from the label parts: a
   transposed table). A labelled row that names no template row is kept
   as ``extra.N``, never shifted onto a standard row.

Nothing here is specific to a template: the keys and words come from
:mod:`extractor.recognition.templates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .matching import best_key, matches_any
from ..model import Cell, Table
from ..normalize import core, split_numbering
from .numbers import read_number
from .templates import Key, TableSpec


@dataclass
class Found:
    """A value cell assigned to a (row, column) of a template table."""

    row: str
    column: str
    cell: Cell
    table: Table
    row_label: str = ""
    column_label: str = ""


@dataclass
class _Leaf:
    start: int
    end: int
    path: list[str]
    column_key: Key | None = None
    row_key: Key | None = None

    @property
    def width(self) -> int:
        return self.end - self.start + 1


@dataclass
class _Band:
    leaves: list[_Leaf]
    value_start: int

    @property
    def value_leaves(self) -> list[_Leaf]:
        return [lf for lf in self.leaves if lf.start >= self.value_start]


@dataclass
class Reading:
    """What was read from one table kind: found cells and unplaced values."""

    found: list[Found] = field(default_factory=list)
    extras: list[Found] = field(default_factory=list)
    unmatched: list[tuple[Cell, Table, str]] = field(default_factory=list)
    headerless: bool = False


def is_header_text(spec: TableSpec, text: str) -> bool:
    """Does ``text`` read like a column header of ``spec``'s table?"""
    if not core(text):
        return False
    number, _rest = split_numbering(text)
    if number:
        return False
    return best_key(spec.columns, [text]) is not None or matches_any(spec.header_words, text)


#: A header band is read from at most this many header rows (the last
#: ones above the body): the templates use two or three, and a table whose
#: "header" runs to hundreds of rows must not cost time by the cube of them.
MAX_BAND_ROWS = 8


def _band(spec: TableSpec, table: Table, rows: Sequence[int]) -> _Band | None:
    leaves: list[_Leaf] = []
    last_cells: list[Cell | None] = []
    for c in range(table.n_cols):
        path: list[str] = []
        seen: set[int] = set()
        deepest = None
        for r in rows:
            cell = table.grid[r][c]
            if id(cell) in seen or not cell.text.strip():
                continue
            seen.add(id(cell))
            path.append(cell.text)
            deepest = cell
        if leaves and last_cells[-1] is deepest and leaves[-1].path == path:
            leaves[-1].end = c
        else:
            leaves.append(_Leaf(c, c, path))
            last_cells.append(deepest)
    for lf in leaves:
        if lf.path:
            lf.column_key = best_key(spec.columns, lf.path)
            lf.row_key = best_key(spec.rows, lf.path)
    value = [lf for lf in leaves if lf.column_key or lf.row_key]
    if not value:
        return None
    return _Band(leaves, min(lf.start for lf in value))


def _pair(values: list[Cell], leaves: list[_Leaf]) -> list[tuple[Cell, _Leaf]]:
    if not leaves:
        return []
    if len(values) == len(leaves):
        return list(zip(values, leaves))
    out = []
    for v in values:
        best, overlap = None, 0
        for lf in leaves:
            o = min(v.last_col, lf.end) - max(v.col, lf.start) + 1
            if o > overlap:
                best, overlap = lf, o
        if best is not None:
            out.append((v, best))
    return out


def read_cells(spec: TableSpec, segments: list[Table]) -> Reading:
    """Assign the value cells of ``segments`` (one logical table, possibly
    split over several document tables) to ``spec``'s rows and columns."""
    out = Reading()
    band: _Band | None = None
    band_cols = -1
    extra_labels: dict[str, str] = {}
    for table in segments:
        header_rows: list[int] = []
        pending: tuple[tuple[int, ...], _Band | None] = ((), None)  # the band of header_rows, once built
        if band is not None and table.n_cols != band_cols:
            band = None
        for r in range(table.n_rows):
            row_cells = table.row_cells(r)
            kinds = [read_number(c.text).kind for c in row_cells]
            has_number = False
            texts = []
            for c, k in zip(row_cells, kinds):
                if c.row == r:
                    if k == "number":
                        has_number = True
                    elif k == "text":
                        texts.append(c)
            # Under an established band, a row whose value area holds only
            # numbers, blanks and placeholders is data even when all blank
            # (its label may still read like a header: 行政复议 in a
            # transposed table 四).
            if header_rows:
                window = tuple(header_rows[-MAX_BAND_ROWS:])
                if pending[0] != window:
                    pending = (window, _band(spec, table, window))
            active = (pending[1] if header_rows else None) or band
            data_like = active is not None and _values_only(row_cells, kinds, r, active.value_start)
            if not has_number and not data_like and texts and any(is_header_text(spec, c.text) for c in texts):
                header_rows.append(r)
                continue
            if header_rows:
                new = pending[1]
                header_rows = []
                if new is not None:
                    band, band_cols = new, table.n_cols
            if band is None:
                if has_number:
                    out.headerless = True
                continue
            _read_row(spec, table, r, row_cells, kinds, band, out, extra_labels)
    return out


def _values_only(row_cells: list[Cell], kinds: list[str], r: int, value_start: int) -> bool:
    """Does row ``r`` have cells in the value area, none of them text?"""
    inside = [k for c, k in zip(row_cells, kinds) if c.row == r and c.col >= value_start]
    return bool(inside) and "text" not in inside


def _read_row(spec: TableSpec, table: Table, r: int, row_cells: list[Cell], kinds: list[str], band: _Band,
              out: Reading, extra_labels: dict[str, str]) -> None:
    vs = band.value_start
    labels = [c.text for c, k in zip(row_cells, kinds) if c.col < vs and k == "text"]
    values = [c for c in row_cells if c.col >= vs and c.row == r]
    if not values:
        return
    pairs = _pair(values, band.value_leaves)
    row_key = best_key(spec.rows, labels) if labels else None
    label_column = best_key(spec.columns, labels) if labels else None
    # Row keys may sit in the header (table 四's groups) only when the row's
    # own labels name no row: none at all, or a column (a transposed table).
    swapped = not labels or label_column is not None
    label_core: str | None = None
    for value, leaf in pairs:
        rk: Key | None = row_key or (leaf.row_key if swapped else None)
        ck: Key | None = leaf.column_key or label_column
        if rk is None:
            if labels and value.text.strip():
                label = labels[-1]
                if label_core is None:
                    label_core = core(" ".join(labels))
                key = extra_labels.setdefault(label_core, f"extra.{len(extra_labels) + 1}")
                out.extras.append(Found(key, ck.key if ck else f"c{value.col}", value, table, label,
                                        ck.label if ck else " / ".join(leaf.path)))
            elif value.text.strip():
                out.unmatched.append((value, table, " / ".join(labels + leaf.path)))
            continue
        if ck is None:
            if value.text.strip():
                out.unmatched.append((value, table, " / ".join(labels + leaf.path)))
            continue
        out.found.append(Found(rk.key, ck.key, value, table))
