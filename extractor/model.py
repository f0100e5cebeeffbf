"""The common document model every reader produces.

A :class:`Document` is an ordered list of blocks: :class:`Paragraph`,
:class:`Table` and :class:`Image`. A table is a rectangular grid in which
every position points at the :class:`Cell` that covers it, so a merged cell
appears at every grid position it spans and knows its origin and span.
Nothing after the readers knows whether the source was docx or HTML.

>>> t = Table.from_cells([Cell("a", 0, 0, 1, 2), Cell("b", 1, 0), Cell("c", 1, 1)])
>>> [[c.text for c in row] for row in t.grid]
[['a', 'a'], ['b', 'c']]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Union

#: Largest grid a single table may have; sloppy spans are clipped to it
#: (a statistics table has < 100 rows and < 30 columns).
MAX_TABLE_ROWS = 1000
MAX_TABLE_COLS = 200


@dataclass
class Paragraph:
    """A paragraph of text.

    ``numbering`` is the visible automatic number a reader sees before the
    text (Word list numbering such as ``一、``), already rendered; ``text``
    does not contain it. ``level`` is a heading level (1 = top) when the
    source marks the paragraph as a heading, else ``None``.
    """

    text: str
    numbering: str = ""
    level: int | None = None
    bold: bool = False
    has_image: bool = False

    @property
    def full_text(self) -> str:
        """The text as printed: automatic numbering followed by the text."""
        return self.numbering + self.text


@dataclass(eq=False)
class Cell:
    """One cell of a table: its text and where it sits in the grid.

    ``row``/``col`` are the grid coordinates of its top-left corner (its span
    origin); ``rowspan``/``colspan`` how many grid rows and columns it covers.
    """

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    has_image: bool = False

    @property
    def last_col(self) -> int:
        return self.col + self.colspan - 1

    @property
    def last_row(self) -> int:
        return self.row + self.rowspan - 1


@dataclass(eq=False)
class Table:
    """A rectangular grid of cells (see module docstring)."""

    grid: list[list[Cell]]
    index: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.grid)

    @property
    def n_cols(self) -> int:
        return len(self.grid[0]) if self.grid else 0

    def row_cells(self, r: int) -> list[Cell]:
        """The distinct cells covering grid row ``r``, left to right."""
        out: list[Cell] = []
        for cell in self.grid[r]:
            if not out or out[-1] is not cell:
                out.append(cell)
        return out

    def cells(self) -> Iterator[Cell]:
        """Every distinct cell once, in reading order of its origin."""
        for r, row in enumerate(self.grid):
            for c, cell in enumerate(row):
                if cell.row == r and cell.col == c:
                    yield cell

    def text(self) -> str:
        return "\n".join(c.text for c in self.cells())

    @classmethod
    def from_cells(cls, cells: Iterable[Cell], index: int = 0) -> "Table":
        """Build the grid from placed cells; holes are filled with blank cells.

        Cells are clipped to :data:`MAX_TABLE_ROWS` × :data:`MAX_TABLE_COLS`:
        a cell starting outside is dropped, a span reaching past the bound
        (or below 1) is cut to fit.
        """
        kept = []
        n_rows = n_cols = 0
        for cell in cells:
            row, col = cell.row, cell.col
            if not (0 <= row < MAX_TABLE_ROWS and 0 <= col < MAX_TABLE_COLS):
                continue
            span, most = cell.rowspan, MAX_TABLE_ROWS - row
            cell.rowspan = span = 1 if span < 1 else span if span <= most else most
            if row + span > n_rows:
                n_rows = row + span
            span, most = cell.colspan, MAX_TABLE_COLS - col
            cell.colspan = span = 1 if span < 1 else span if span <= most else most
            if col + span > n_cols:
                n_cols = col + span
            kept.append(cell)
        grid: list[list[Cell | None]] = [[None] * n_cols for _ in range(n_rows)]
        for cell in kept:  # each position keeps the first cell covering it
            col, end = cell.col, cell.col + cell.colspan
            for r in range(cell.row, cell.row + cell.rowspan):
                line = grid[r]
                if end - col == 1:
                    if line[col] is None:
                        line[col] = cell
                elif line[col:end].count(None) == end - col:
                    line[col:end] = [cell] * (end - col)
                else:
                    for c in range(col, end):
                        if line[c] is None:
                            line[c] = cell
        full: list[list[Cell]] = []
        for r, line in enumerate(grid):
            if None in line:  # holes: blank cells
                line = [x if x is not None else Cell("", r, c) for c, x in enumerate(line)]
            full.append(line)  # type: ignore[arg-type]
        return cls(full, index)


def place_rows(rows: list[list[tuple[str, int, int, bool]]], index: int = 0,
               group_ends: list[int] | None = None) -> Table:
    """Lay out rows of ``(text, rowspan, colspan, has_image)`` like a browser.

    Each row's cells go into the first grid columns not already covered by a
    ``rowspan`` from above. Spans are clipped to the table (a ``rowspan``
    larger than the rows left ends at the last row; ``0`` means "to the
    end" for rows and 1 for columns), and to :data:`MAX_TABLE_ROWS` ×
    :data:`MAX_TABLE_COLS`.

    >>> t = place_rows([[("a", 2, 1, False), ("b", 1, 1, False)], [("c", 1, 1, False)]])
    >>> [[c.text for c in row] for row in t.grid]
    [['a', 'b'], ['a', 'c']]
    """
    rows = rows[:MAX_TABLE_ROWS]
    n_rows = len(rows)
    # taken[r][c] != 0: covered from above; byte MAX_TABLE_COLS stays free,
    # so find() always stops there
    taken = [bytearray(MAX_TABLE_COLS + 1) for _ in range(n_rows)]
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        if not row:
            continue
        free = taken[r]
        end = min(group_ends[r], n_rows) if group_ends else n_rows
        c = 0
        for text, rowspan, colspan, has_image in row:
            c = free.find(0, c)
            if c >= MAX_TABLE_COLS:
                break
            if rowspan <= 0 or rowspan > end - r:  # 0: to the end
                rowspan = end - r
            if colspan < 1:
                colspan = 1
            elif colspan > MAX_TABLE_COLS - c:
                colspan = MAX_TABLE_COLS - c
            cells.append(Cell(text, r, c, rowspan, colspan, has_image))
            if rowspan == 1 and colspan == 1:
                free[c] = 1
            else:
                cover = b"\x01" * colspan
                for rr in range(r, r + rowspan):
                    taken[rr][c:c + colspan] = cover
            c += colspan
    return Table.from_cells(cells, index)


@dataclass
class Image:
    """A picture standing on its own between paragraphs and tables."""

    description: str = ""


Block = Union[Paragraph, Table, Image]


@dataclass
class Document:
    """What a reader returns: blocks in reading order plus source hints.

    ``hints`` carries metadata the container offers (HTML ``<title>``, docx
    core properties title/created), used only as fallbacks.
    """

    blocks: list[Block] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]
