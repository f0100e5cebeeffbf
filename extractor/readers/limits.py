"""Bounds on what one source may make a reader build.

Both readers count the blocks and table grid positions they emit against a
:class:`Budget`; going over raises :class:`~extractor.errors.ResourceLimitError`
at once, so a hostile file is refused before it can exhaust memory or time
(README "Robustness"). Real reports stay far below: a few hundred blocks
and a few thousand grid positions.

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


__all__ = ["Budget", "MAX_BLOCKS", "MAX_GRID_CELLS"]
