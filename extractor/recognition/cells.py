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
5. Labels no template pattern names are aligned to the template
   (:func:`extractor.recognition.matching.align`): row labels in print
   order against the template's rows in official order, header paths
   against its columns, by text similarity between the neighbours that
   did match. A label about equally close to two keys takes neither (its
   cells stay NaN) unless exactly one of them makes the 勾稽 rules hold.
   How every label was matched is kept as a :class:`Match`.

Nothing here is specific to a template: the keys and words come from
:mod:`extractor.recognition.templates`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple, Sequence

from .checks import rule_tally
from .matching import Aligned, align, best_key, canon, matches_any
from ..model import Cell, Table
from ..normalize import core, split_numbering
from .numbers import read_number
from .templates import Key, TableSpec


class Match(NamedTuple):
    """How one printed row or column label was given its key.

    ``axis``: ``row`` or ``column``; ``key``: the template key it took
    (``extra.N`` for a row kept outside the template, None when it took
    none); ``label``: the label as printed; ``method``: ``pattern`` (a
    template pattern), ``similarity`` (aligned by text, ``score`` 0–100),
    ``position`` (one of the labels left between two matched neighbours,
    as many as the keys left between theirs, taken in order), ``checks`` (of keys about equally close, the only one
    under which the 勾稽 rules hold), ``ambiguous`` (keys about equally
    close: none taken, the cells stay NaN; ``candidates`` names them) or
    ``extra``; ``source``: ``t1:r7`` (a row) or ``t1:c4`` (a column).
    """

    table: str
    axis: str
    key: str | None
    label: str
    method: str
    score: float
    source: str
    candidates: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = self._asdict()
        d["candidates"] = list(self.candidates)
        return d


@dataclass
class Found:
    """A value cell assigned to a (row, column) of a template table."""

    row: str
    column: str
    cell: Cell
    table: Table
    row_label: str = ""
    column_label: str = ""


@dataclass(slots=True)
class _Leaf:
    start: int
    end: int
    path: list[str]
    column_key: Key | None = None
    row_key: Key | None = None
    aligned: Aligned | None = None
    aligned_row: Aligned | None = None

    @property
    def width(self) -> int:
        return self.end - self.start + 1


@dataclass
class _Band:
    leaves: list[_Leaf]
    value_start: int
    #: some leaf was aligned rather than matched by a pattern
    aligned: bool = False

    @cached_property
    def value_leaves(self) -> list[_Leaf]:
        return [lf for lf in self.leaves if lf.start >= self.value_start]


@dataclass
class Reading:
    """What was read from one table kind: found cells and unplaced values."""

    found: list[Found] = field(default_factory=list)
    extras: list[Found] = field(default_factory=list)
    unmatched: list[tuple[Cell, Table, str]] = field(default_factory=list)
    headerless: bool = False
    #: the body rows read and the header bands established (with the
    #: number of rows read before each), from which :meth:`entries` tells
    #: how each label was matched
    rows: list["_Row"] = field(default_factory=list)
    bands: list[tuple[int, int, "_Band"]] = field(default_factory=list)
    #: row index -> what aligning its label gave (labels no pattern named)
    notes: dict[int, "_Note"] = field(default_factory=dict)
    #: row index -> the ``extra.N`` key the row was kept under
    extra_keys: dict[int, str] = field(default_factory=dict)
    #: some label was aligned rather than matched by a pattern
    aligned: bool = False

    def entries(self, spec: TableSpec, only_aligned: bool = False) -> list[tuple]:
        """How each label was matched, in reading order, as compact entries
        (:func:`match` makes a :class:`Match` of one); ``only_aligned``: only
        those not matched by a pattern (nor kept as extra rows)."""
        out: list[tuple] = []
        bands = iter(self.bands)
        nxt = next(bands, None)
        for i, x in enumerate(self.rows + [None]):
            while nxt is not None and nxt[0] <= i:
                out.extend(_band_entries(spec, nxt[1], nxt[2], only_aligned))
                nxt = next(bands, None)
            note = self.notes.get(i)
            if x is None or (only_aligned and note is None):
                continue
            if x[2]:
                e = _row_entry(x, note, self.extra_keys.get(i))
                if e is not None and not (only_aligned and e[4] in ("pattern", "extra")):
                    out.append(e)
        return out


#: A body row waiting for its key, as a plain tuple (one per row, so kept
#: cheap): (table, grid row, label parts, values paired with header leaves,
#: the row key and the column key its labels name by pattern).
_Row = tuple  # (Table, int, list[str], list[tuple[Cell, _Leaf]], Key | None, Key | None)


@dataclass(slots=True)
class _Note:
    """What aligning a row's label gave: the alignment, the axis it was
    aligned on (``column`` in a transposed table), the keys it took, and
    for an ambiguous label the candidates and how it ended (``checks``
    or ``ambiguous``) with the key the checks chose."""

    aligned: Aligned
    axis: str
    row_key: Key | None
    label_column: Key | None
    how: str | None = None
    chosen: str | None = None
    candidates: tuple[str, ...] = ()


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
    grid_rows = [table.grid[r] for r in rows]
    for c in range(table.n_cols):
        path: list[str] = []
        deepest = None
        for g in grid_rows:
            cell = g[c]
            if cell is deepest or not cell.text.strip():
                continue  # a cell spanning rows is one part of the path
            path.append(cell.text)
            deepest = cell
        if leaves and last_cells[-1] is deepest and leaves[-1].path == path:
            leaves[-1].end = c
        else:
            leaves.append(_Leaf(c, c, path))
            last_cells.append(deepest)
    unknown = False
    for lf in leaves:
        if lf.path:
            lf.column_key = best_key(spec.columns, lf.path)
            lf.row_key = best_key(spec.rows, lf.path)
            if lf.column_key and lf.row_key:
                lf.row_key = _row_beside(spec, lf)
            unknown = unknown or not (lf.column_key or lf.start == 0 and not lf.row_key)
    if unknown:
        _align_leaves(spec, leaves)
    grouped = any(lf.column_key and not lf.row_key and len(lf.path) > 1 for lf in leaves) and _grouped(leaves)
    if grouped:
        _align_leaf_rows(spec, leaves)
        first = leaves[0]
        if first.row_key and not first.column_key and first.aligned is None and first.path:
            _align_leaves(spec, leaves)  # the first column is a value column under a group, not the corner
    value = [lf for lf in leaves if lf.column_key or lf.row_key]
    if not value:
        return None
    aligned = unknown or grouped and any(lf.aligned_row is not None for lf in leaves)
    return _Band(leaves, min(lf.start for lf in value), aligned)


_BESIDE: dict[tuple, Key | None] = {}


def _row_beside(spec: TableSpec, lf: _Leaf) -> Key | None:
    """The row a header names besides its column (行政复议 in
    ``行政复议 / 结果维持``), not the row the column's own word also names
    (``其他``, ``总计`` name a row and a column of 三). Memoized (bounded)."""
    memo = (id(spec.rows), id(lf.column_key), id(lf.row_key), *lf.path)
    try:
        return _BESIDE[memo]
    except KeyError:
        pass
    joined = "".join(core(p) for p in lf.path)
    patterns = lf.column_key.patterns if lf.column_key else ()
    pats = sorted((c for c in (core(p.lstrip("=")) for p in patterns) if c and c in joined), key=len)
    if not pats:
        found = lf.row_key
    else:
        head, _sep, tail = joined.rpartition(pats[-1])
        rest = head + tail
        found = best_key(spec.rows, [rest]) if rest else None
    if len(_BESIDE) >= 1024:
        _BESIDE.clear()
    if sum(map(len, lf.path)) <= 400:
        _BESIDE[memo] = found
    return found


def _align_leaves(spec: TableSpec, leaves: list[_Leaf]) -> None:
    """Give header leaves no pattern names a column by alignment. Leaves
    whose text reads like a group header (``法人或其他组织``) take none: a
    group spans several columns."""
    index = spec.column_index
    widest = max((lf.width for lf in leaves if lf.column_key is not None), default=_span(leaves))
    items: list[tuple[int | None, list[str] | None]] = []
    for lf in leaves:
        if lf.column_key is not None:
            items.append((index[lf.column_key.key], None))
        elif (lf.path and lf.width <= widest and (lf.start > 0 or lf.row_key is not None)
              and (lf.row_key is None or best_key(spec.rows, lf.path[-1:]) is None)
              and not _group_like(spec, lf.path[-1])):
            # not the corner over the labels, not a header over several
            # columns, not a header naming a row (table 四 turned round)
            items.append((None, lf.path))
        else:
            items.append((None, None))
    anchors = [i for i, _p in items if i is not None]
    if len(set(anchors)) == len(anchors):
        runs = [range(len(leaves))]
    else:  # columns repeated under groups (table 四): each group in turn
        runs, start = [], 0
        for n in range(1, len(leaves) + 1):
            if n == len(leaves) or leaves[n].path[:-1] != leaves[start].path[:-1]:
                runs.append(range(start, n))
                start = n
    for run in runs:
        for n, got in zip(run, align(spec.columns, [items[n] for n in run])):
            if got is None:
                continue
            lf = leaves[n]
            lf.aligned = got
            if got.index is not None:
                lf.column_key = spec.columns[got.index]


def _span(leaves: list[_Leaf]) -> int:
    """Grid columns the leaves cover."""
    return leaves[-1].end + 1 if leaves else 0


def _grouped(leaves: list[_Leaf]) -> bool:
    """Does the header name rows (table 四's groups): some leaf names a
    row, or columns recur (one set per group)?"""
    if any(lf.row_key for lf in leaves):
        return True
    keys = [lf.column_key for lf in leaves if lf.column_key]
    return len(set(map(id, keys))) < len(keys)


def _align_leaf_rows(spec: TableSpec, leaves: list[_Leaf]) -> None:
    """Rows named in the header (table 四's groups): a group whose words no
    pattern names is aligned with the rows, between the groups that matched."""
    runs: list[list[_Leaf]] = []
    for lf in leaves:
        if lf.column_key is None:
            continue
        if runs and runs[-1][0].path[:-1] == lf.path[:-1]:
            runs[-1].append(lf)
        else:
            runs.append([lf])
    items: list[tuple[int | None, list[str] | None]] = []
    for run in runs:
        keys = {lf.row_key.key for lf in run if lf.row_key}
        if len(keys) == 1:
            items.append((spec.row_index[keys.pop()], None))
        elif not keys and len(run[0].path) > 1:
            items.append((None, run[0].path[:-1]))
        else:
            items.append((None, None))
    for run, got in zip(runs, align(spec.rows, items)):
        if got is None:
            continue
        for lf in run:
            lf.aligned_row = got
            if got.index is not None:
                lf.row_key = spec.rows[got.index]


def _group_like(spec: TableSpec, text: str) -> bool:
    """Is a header text only header words (``法人或其他组织``), not a column
    (``法人或其他组织社会团体``)?"""
    c = canon(text)
    for w in spec.header_words:
        c = c.replace(canon(w), "")
    return not c


def _band_entries(spec: TableSpec, t: int, band: _Band, only_aligned: bool) -> list[tuple]:
    out: list[tuple] = []
    seen_rows: set[tuple[str, ...]] = set()
    rows, cols = spec.rows, spec.columns
    for lf in band.leaves:
        a = lf.aligned_row
        if a is not None and a.method != "none" and tuple(lf.path[:-1]) not in seen_rows:
            seen_rows.add(tuple(lf.path[:-1]))
            out.append(("row", lf.row_key.key if lf.row_key else None, lf.path[:-1], " / ", a.method, a.score,
                        t, "c", lf.start, tuple(rows[i].key for i in a.candidates)))
        a = lf.aligned
        if a is not None and a.method != "none":
            out.append(("column", lf.column_key.key if lf.column_key else None, lf.path, " / ", a.method, a.score,
                        t, "c", lf.start, tuple(cols[i].key for i in a.candidates)))
        elif lf.column_key is not None and not only_aligned:
            out.append(("column", lf.column_key.key, lf.path, " / ", "pattern", 100.0, t, "c", lf.start, ()))
    return out


def _row_entry(x: _Row, note: _Note | None, extra_key: str | None) -> tuple | None:
    table, r, labels, _pairs, row_key, _label_column = x
    t = table.index
    if note is not None and note.how is not None:
        return (note.axis, note.chosen, labels, " ", note.how, note.aligned.score, t, "r", r, note.candidates)
    if note is None or note.aligned.method == "none":
        if row_key is not None:
            return ("row", row_key.key, labels, " ", "pattern", 100.0, t, "r", r, ())
        if extra_key is not None:
            return ("row", extra_key, labels, " ", "extra", note.aligned.score if note else 0.0, t, "r", r, ())
        return None
    a = note.aligned
    k = note.row_key or note.label_column
    return (note.axis, k.key if k else None, labels, " ", a.method, a.score, t, "r", r, ())


def match(table: str, entry: tuple) -> Match:
    """The :class:`Match` of one entry of :attr:`Reading.matches`."""
    axis, key, parts, joiner, method, score, t, letter, pos, candidates = entry
    return Match(table, axis, key, joiner.join(parts), method, score, f"t{t}:{letter}{pos}", candidates)


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
    if len(out) > 1 and any(lf.aligned is not None for _v, lf in out):
        # a header aligned by similarity over several values is no column of theirs
        taken = [lf for _v, lf in out if lf.aligned is not None]
        out = [(v, lf) for v, lf in out if lf.aligned is None or taken.count(lf) == 1]
    return out


def read_cells(spec: TableSpec, segments: list[Table]) -> Reading:
    """Assign the value cells of ``segments`` (one logical table, possibly
    split over several document tables) to ``spec``'s rows and columns."""
    out = Reading()
    kind_get = _KINDS.get
    band: _Band | None = None
    band_cols = -1
    rows = out.rows
    for table in segments:
        header_rows: list[int] = []
        pending: tuple[tuple[int, ...], _Band | None] = ((), None)  # the band of header_rows, once built
        if band is not None and table.n_cols != band_cols:
            band = None
        for r in range(table.n_rows):
            row_cells = table.row_cells(r)
            kinds = [kind_get(c.text) or _kind(c.text) for c in row_cells]
            has_number = False
            texts = []
            for c, k in zip(row_cells, kinds):
                if c.row == r:
                    if k == "number":
                        has_number = True
                    elif k == "text":
                        texts.append(c)
            if header_rows:
                window = tuple(header_rows[-MAX_BAND_ROWS:])
                if pending[0] != window:
                    pending = (window, _band(spec, table, window))
            if not has_number and texts:
                # Under an established band, a row whose value area holds
                # only numbers, blanks and placeholders is data even when all
                # blank (its label may still read like a header: 行政复议 in
                # a transposed table 四).
                active = (pending[1] if header_rows else None) or band
                data_like = active is not None and _values_only(row_cells, kinds, r, active.value_start)
                if not data_like and any(is_header_text(spec, c.text) for c in texts):
                    header_rows.append(r)
                    continue
            if header_rows:
                new = pending[1]
                header_rows = []
                if new is not None:
                    band, band_cols = new, table.n_cols
                    out.bands.append((len(rows), table.index, band))
                    out.aligned = out.aligned or band.aligned
            if band is None:
                if has_number:
                    out.headerless = True
                continue
            row = _body_row(spec, table, r, row_cells, kinds, band)
            if row is not None:
                rows.append(row)
    out.aligned = _align_rows(spec, rows, out.notes) or out.aligned
    _emit(spec, rows, out)
    return out


_KINDS: dict[str, str] = {}


def _kind(text: str) -> str:
    """``read_number(text).kind``, memoized for short texts (bounded)."""
    k = read_number(text).kind
    if len(text) <= 32:
        if len(_KINDS) >= 4096:
            _KINDS.clear()
        _KINDS[text] = k
    return k


def _values_only(row_cells: list[Cell], kinds: list[str], r: int, value_start: int) -> bool:
    """Does row ``r`` have cells in the value area, none of them text?"""
    inside = [k for c, k in zip(row_cells, kinds) if c.row == r and c.col >= value_start]
    return bool(inside) and "text" not in inside


def _body_row(spec: TableSpec, table: Table, r: int, row_cells: list[Cell], kinds: list[str],
              band: _Band) -> _Row | None:
    vs = band.value_start
    labels = [c.text for c, k in zip(row_cells, kinds) if c.col < vs and k == "text"]
    values = [c for c in row_cells if c.col >= vs and c.row == r]
    if not values:
        return None
    pairs = _pair(values, band.value_leaves)
    row_key = best_key(spec.rows, labels) if labels else None
    label_column = best_key(spec.columns, labels) if labels else None
    return (table, r, labels, pairs, row_key, label_column)


def _align_rows(spec: TableSpec, rows: list[_Row], notes: dict[int, _Note]) -> bool:
    """Align the labels no pattern names with the template: against its
    rows, or its columns when the labels name columns (a transposed table).
    Notes what it gave per row; True when some label was aligned (or found
    ambiguous)."""
    if all(x[4] is not None or x[5] is not None or not x[2] for x in rows):
        return False
    transposed = sum(1 for x in rows if x[5] and not x[4]) > sum(1 for x in rows if x[4])
    keys, index = (spec.columns, spec.column_index) if transposed else (spec.rows, spec.row_index)
    items: list[tuple[int | None, list[str] | None]] = []
    for _t, _r, labels, _p, row_key, label_column in rows:
        k = label_column if transposed else row_key
        if k is not None:
            items.append((index[k.key], None))
        elif labels and row_key is None and label_column is None:
            items.append((None, labels))
        else:
            items.append((None, None))
    found = False
    for i, (x, got) in enumerate(zip(rows, align(keys, items, exclusive=not transposed))):
        if got is None:
            continue
        row_key, label_column = x[4], x[5]
        if got.index is not None:
            if transposed:
                label_column = keys[got.index]
            else:
                row_key = keys[got.index]
        notes[i] = _Note(got, "column" if transposed else "row", row_key, label_column)
        found = found or got.method != "none"
    return found


def _emit(spec: TableSpec, rows: list[_Row], out: Reading) -> None:
    extra_labels: dict[str, str] = {}
    ambiguous: list[int] = []
    notes = out.notes
    for i, x in enumerate(rows):
        note = notes.get(i) if notes else None
        if note is None:
            key = _emit_row(x, x[4], x[5], out, extra_labels)
        elif note.aligned.method == "ambiguous":
            ambiguous.append(i)
            continue
        else:
            key = _emit_row(x, note.row_key, note.label_column, out, extra_labels)
        if key is not None:
            out.extra_keys[i] = key
    for i in ambiguous:
        x, note = rows[i], notes[i]
        keys = spec.rows if note.axis == "row" else spec.columns
        cands = [keys[j] for j in note.aligned.candidates]
        chosen = _by_checks(spec, x[3], cands, out) if note.axis == "row" else None
        note.candidates = tuple(k.key for k in cands)
        if chosen is not None:
            _emit_row(x, chosen, x[5], out, extra_labels)
            note.how, note.chosen = "checks", chosen.key
        else:
            note.how = "ambiguous"


def _by_checks(spec: TableSpec, pairs: list[tuple[Cell, _Leaf]], cands: list[Key], out: Reading) -> Key | None:
    """Of the keys a row label fits about equally, the only one under which
    the table's 勾稽 rules all hold while under every other some fail; else None."""
    values: dict[tuple[str, str, str], float] = {}
    for f in out.found:
        values.setdefault((spec.name, f.row, f.column), read_number(f.cell.text).value)
    tally = []
    for k in cands:
        if any((spec.name, k.key, leaf.column_key.key) in values for _v, leaf in pairs if leaf.column_key):
            return None  # a key another row holds: no evidence to weigh
        trial = dict(values)
        for value, leaf in pairs:
            if leaf.column_key is not None:
                trial[(spec.name, k.key, leaf.column_key.key)] = read_number(value.text).value
        tally.append(rule_tally({spec.name: spec}, trial, spec.name))
    good = [i for i, (held, failed) in enumerate(tally) if held and not failed]
    if len(good) == 1 and all(failed for i, (_held, failed) in enumerate(tally) if i != good[0]):
        return cands[good[0]]
    return None


def _emit_row(x: _Row, row_key: Key | None, label_column: Key | None, out: Reading,
              extra_labels: dict[str, str]) -> str | None:
    """Emit one row's values under ``row_key``; the extra key it got, if any."""
    table, _r, labels, pairs, _rk, _lc = x
    # Row keys may sit in the header (table 四's groups) only when the row's
    # own labels name no row: none at all, or a column (a transposed table).
    swapped = not labels or label_column is not None
    label_core: str | None = None
    got = None
    for value, leaf in pairs:
        rk: Key | None = row_key or (leaf.row_key if swapped else None)
        # labels that name a row and also read like a column (（七）总计) give no column
        ck: Key | None = leaf.column_key or (label_column if row_key is None else None)
        if rk is None:
            if labels and value.text.strip():
                label = labels[-1]
                if label_core is None:
                    label_core = core(" ".join(labels))
                key = got = extra_labels.setdefault(label_core, f"extra.{len(extra_labels) + 1}")
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
    return got
