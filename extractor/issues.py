"""Issues: what a researcher must know before trusting a number.

>>> Issue("error", "applications.balance", "一+二 ≠ 七+四", table="applications", column="total").severity
'error'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Issue:
    """One finding about a report.

    ``severity`` is ``error`` (a hard rule fails or data is missing),
    ``warning`` (something could not be checked or looks wrong) or ``info``.
    ``code`` is stable (e.g. ``applications.balance``); ``cells`` lists the
    facts involved as ``table/row/column`` keys.
    """

    severity: str
    code: str
    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None
    cells: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["cells"] = list(self.cells)
        return d
