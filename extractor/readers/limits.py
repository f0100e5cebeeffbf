"""Bounds on what one source may make a reader build.

Both readers count the blocks and table grid positions they emit against a
:class:`Budget`; going over raises :class:`~extractor.errors.ResourceLimitError`
at once, so a hostile file is refused before it can exhaust memory or time
(README "Robustness"). Real reports stay far below: a few hundred blocks
and a few thousand grid positions. A table cell's text is cut at
:data:`MAX_CELL_CHARS` (:func:`clip_cell`).

>>> b = Budget("x.html")
>>> b.block(); b.blocks
1
"""

from __future__ import annotations

from ..errors import ResourceLimitError

#: Most paragraphs, tables and images one document may have.
MAX_BLOCKS = 100_000
#: Most table grid positions (rows × columns, summed over all tables).
MAX_GRID_CELLS = 100_000
#: Most characters kept of one table cell's text. A statistics cell holds a
#: number or a label of a few dozen characters; recognition reads every
#: cell's text many times (as a number, as a label of each row and column
#: it heads), so one cell of megabytes would cost minutes.
MAX_CELL_CHARS = 4000


def clip_cell(text: str) -> str:
    """A table cell's text cut to :data:`MAX_CELL_CHARS`, ``…`` marking the cut.

    >>> len(clip_cell("正文" * 5000)), clip_cell("12")
    (4001, '12')
    """
    return text if len(text) <= MAX_CELL_CHARS else text[:MAX_CELL_CHARS] + "…"


class Budget:
    """Counts what a reader emits for one source."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.blocks = 0
        self.cells = 0

    def block(self) -> None:
        self.blocks += 1
        if self.blocks > MAX_BLOCKS:
            raise ResourceLimitError(self.name, f"more than {MAX_BLOCKS} paragraphs, tables and images")

    def table(self, n_rows: int, n_cols: int) -> None:
        self.block()
        self.cells += n_rows * n_cols
        if self.cells > MAX_GRID_CELLS:
            raise ResourceLimitError(
                self.name, f"the tables hold more than {MAX_GRID_CELLS} grid positions in all")


__all__ = ["Budget", "MAX_BLOCKS", "MAX_CELL_CHARS", "MAX_GRID_CELLS", "clip_cell"]
