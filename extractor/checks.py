"""The official consistency rules (勾稽关系, format.md §3.1) as issues.

A rule whose cells are all present and fails is an ``error`` naming the
cells; a rule that cannot be checked because a cell is blank is a
``warning`` (``check.incomplete``) saying which cells were blank, and whether
the rule would hold if blanks were zero.
"""

from __future__ import annotations

import math
from typing import Callable, Mapping

from .issues import Issue
from .templates import TableSpec

Values = Mapping[tuple[str, str, str], float]

_APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")


def _fmt(x: float) -> str:
    if math.isnan(x):
        return "空"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _rule(values: Values, code: str, table: str, lhs: list[tuple[str, str]], rhs: list[tuple[str, str]],
          what: str, row: str | None = None, column: str | None = None) -> Issue | None:
    cells = [(table, r, c) for r, c in lhs + rhs]
    if not all(k in values for k in cells):
        return None
    got = [values[k] for k in cells]
    blanks = [f"{t}/{r}/{c}" for (t, r, c), v in zip(cells, got) if math.isnan(v)]
    if len(blanks) == len(cells):
        return None
    a = sum(0.0 if math.isnan(values[(table, r, c)]) else values[(table, r, c)] for r, c in lhs)
    b = sum(0.0 if math.isnan(values[(table, r, c)]) else values[(table, r, c)] for r, c in rhs)
    names = tuple(f"{t}/{r}/{c}" for t, r, c in cells)
    if blanks:
        if abs(a - b) < 1e-6:
            return None
        return Issue("warning", "check.incomplete",
                     f"{what}: cannot be checked, blank cells {', '.join(blanks)}; with blanks as 0 it gives {_fmt(a)} ≠ {_fmt(b)} ({code})",
                     table, row, column, names)
    if abs(a - b) > 1e-6:
        return Issue("error", code, f"{what}: {_fmt(a)} ≠ {_fmt(b)}", table, row, column, names)
    return None


def check(template: str | None, specs: Mapping[str, TableSpec], values: Values) -> list[Issue]:
    """Run the hard rules H3.1–H3.3 and H4.1 over a report's values."""
    issues: list[Issue] = []
    add: Callable[[Issue | None], None] = lambda i: issues.append(i) if i is not None else None
    app = specs.get("applications")
    if app is not None:
        rows = [r.key for r in app.rows]
        outcomes = [r for r in rows if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
        for col in app.columns:
            c = col.key
            add(_rule(values, "applications.balance", "applications",
                      [("new_received", c), ("carried_over", c)], [("total_processed", c), ("carried_forward", c)],
                      f"三 column {col.label}: 一+二 = （七）总计+四", column=c))
            add(_rule(values, "applications.outcome_sum", "applications",
                      [("total_processed", c)], [(r, c) for r in outcomes],
                      f"三 column {col.label}: （七）总计 = sum of （一）…（六）", column=c))
        for row in app.rows:
            add(_rule(values, "applications.row_total", "applications",
                      [(row.key, "total")], [(row.key, a) for a in _APPLICANTS],
                      f"三 row {row.label}: 总计 = sum of the six applicant columns", row=row.key))
    rl = specs.get("review_litigation")
    if rl is not None:
        for row in rl.rows:
            add(_rule(values, "review_litigation.total", "review_litigation",
                      [(row.key, "total")], [(row.key, c) for c in ("upheld", "corrected", "other", "pending")],
                      f"四 {row.label}: 总计 = 维持+纠正+其他+未结", row=row.key))
    return issues
