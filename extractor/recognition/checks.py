"""The official consistency rules (勾稽关系, format.md §3.1) as issues.

A rule whose cells are all present and fails is an ``error`` naming the
cells; a rule that cannot be checked because a cell is blank is a
``warning`` (``check.incomplete``) saying which cells were blank, and whether
the rule would hold if blanks were zero.
"""

from __future__ import annotations

import math
from typing import Mapping

from ..issues import Issue
from .templates import TableSpec

Values = Mapping[tuple[str, str, str], float]

_APPLICANTS = ("natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org")


def _fmt(x: float) -> str:
    if math.isnan(x):
        return "空"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _rule(values: Values, code: str, table: str, lhs: list[tuple[str, str]], rhs: list[tuple[str, str]],
          what: str, row: str | None = None, column: str | None = None) -> Issue | None:
    return _Rule(code, table, lhs, rhs, what, row, column).run(values)


class _Rule:
    """One rule ``sum(lhs) = sum(rhs)`` over the cells of one table."""

    __slots__ = ("code", "table", "cells", "n_lhs", "what", "row", "column")

    def __init__(self, code: str, table: str, lhs: list[tuple[str, str]], rhs: list[tuple[str, str]],
                 what: str, row: str | None = None, column: str | None = None) -> None:
        self.code, self.table, self.what, self.row, self.column = code, table, what, row, column
        self.cells = tuple((table, r, c) for r, c in list(lhs) + list(rhs))
        self.n_lhs = len(lhs)

    def run(self, values: Values) -> Issue | None:
        got = []
        for k in self.cells:
            v = values.get(k)
            if v is None:
                return None
            got.append(v)
        n_blank = sum(1 for v in got if math.isnan(v))
        if n_blank == len(got):
            return None
        # the same additions in the same order as always: the sums are exact repeats
        a = sum(0.0 if math.isnan(v) else v for v in got[:self.n_lhs])
        b = sum(0.0 if math.isnan(v) else v for v in got[self.n_lhs:])
        if n_blank:
            if abs(a - b) < 1e-6:
                return None
            blanks = [f"{t}/{r}/{c}" for (t, r, c), v in zip(self.cells, got) if math.isnan(v)]
            return Issue("warning", "check.incomplete",
                         f"{self.what}: cannot be checked, blank cells {', '.join(blanks)}; with blanks as 0 it gives "
                         f"{_fmt(a)} ≠ {_fmt(b)} ({self.code})",
                         self.table, self.row, self.column, self._names())
        if abs(a - b) > 1e-6:
            return Issue("error", self.code, f"{self.what}: {_fmt(a)} ≠ {_fmt(b)}", self.table, self.row, self.column,
                         self._names())
        return None

    def _names(self) -> tuple[str, ...]:
        return tuple(f"{t}/{r}/{c}" for t, r, c in self.cells)


_ABSENT = object()


def _rules(specs: Mapping[str, TableSpec]) -> list[_Rule]:
    out: list[_Rule] = []
    app = specs.get("applications")
    if app is not None:
        rows = [r.key for r in app.rows]
        outcomes = [r for r in rows if r not in ("new_received", "carried_over", "total_processed", "carried_forward")]
        for col in app.columns:
            c = col.key
            out.append(_Rule("applications.balance", "applications",
                             [("new_received", c), ("carried_over", c)], [("total_processed", c), ("carried_forward", c)],
                             f"三 column {col.label}: 一+二 = （七）总计+四", column=c))
            out.append(_Rule("applications.outcome_sum", "applications",
                             [("total_processed", c)], [(r, c) for r in outcomes],
                             f"三 column {col.label}: （七）总计 = sum of （一）…（六）", column=c))
        for row in app.rows:
            out.append(_Rule("applications.row_total", "applications",
                             [(row.key, "total")], [(row.key, a) for a in _APPLICANTS],
                             f"三 row {row.label}: 总计 = sum of the six applicant columns", row=row.key))
    rl = specs.get("review_litigation")
    if rl is not None:
        for row in rl.rows:
            out.append(_Rule("review_litigation.total", "review_litigation",
                             [(row.key, "total")], [(row.key, c) for c in ("upheld", "corrected", "other", "pending")],
                             f"四 {row.label}: 总计 = 维持+纠正+其他+未结", row=row.key))
    return out


#: rules per template table set: id(applications spec), id(review spec) -> (the specs, the rules)
_RULES: dict[tuple[int, int], tuple[tuple, list[_Rule]]] = {}


def _cached_rules(specs: Mapping[str, TableSpec]) -> list[_Rule]:
    app, rl = specs.get("applications"), specs.get("review_litigation")
    key = (id(app), id(rl))
    hit = _RULES.get(key)
    if hit is None or hit[0][0] is not app or hit[0][1] is not rl:
        if len(_RULES) >= 64:
            _RULES.clear()
        hit = _RULES[key] = ((app, rl), _rules(specs))
    return hit[1]


def rule_tally(specs: Mapping[str, TableSpec], values: Values, table: str) -> tuple[int, int]:
    """(held, failed): how many rules of ``table`` hold and fail with
    ``values`` (the evidence one mapping of labels has over another);
    blanks count as 0, as when checking, and a rule with no number is left out.

    >>> from extractor.recognition.templates import REVIEW_LITIGATION as R
    >>> v = {("review_litigation", "review", c): x for c, x in
    ...      [("upheld", 1), ("corrected", 2), ("other", 0), ("pending", 0), ("total", 3)]}
    >>> rule_tally({"review_litigation": R}, v, "review_litigation")
    (1, 0)
    """
    held = failed = 0
    for rule in _cached_rules(specs):
        if rule.table != table:
            continue
        got = [values.get(k, math.nan) for k in rule.cells]
        if all(math.isnan(v) for v in got):
            continue
        got = [0.0 if math.isnan(v) else v for v in got]
        if abs(sum(got[:rule.n_lhs]) - sum(got[rule.n_lhs:])) < 1e-6:
            held += 1
        else:
            failed += 1
    return held, failed


def check(template: str | None, specs: Mapping[str, TableSpec], values: Values) -> list[Issue]:
    """Run the hard rules H3.1–H3.3 and H4.1 over a report's values."""
    issues: list[Issue] = []
    for rule in _cached_rules(specs):
        issue = rule.run(values)
        if issue is not None:
            issues.append(issue)
    return issues
