"""Figures the text states, compared with the tables.

The sections often repeat a figure of the tables in a sentence
(“全年共收到政府信息公开申请218件”, “发生政府信息公开行政复议7件”). Each
claim below is a pattern and the table cells whose sum it states. A claim
whose number differs from the sum of those cells (all read) is a
``warning`` issue (``text.table_mismatch``) naming the sentence and the
cells. A sentence that counts last year's carried-over applications in
(含上年结转) is not taken as a claim about the new applications: which
figure it states is ambiguous. “办理N件” (handled) is not taken either:
it may count the new or all applications.

Claims are data (:data:`CLAIMS`). Figures with no cell in the tables
(主动公开政府信息N条, 收取信息处理费N元) are not compared.

>>> found = find_claims(["2024年，共收到政府信息公开申请218件，均按时答复。"])
>>> [(c.name, n) for c, _, n in found]
[('applications.new_received', 218)]
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..issues import Issue
from ..normalize import nfkc

_N = r"(\d{1,9})"
_UNIT = r"(?:件|起|宗|个)"


@dataclass(frozen=True)
class Claim:
    """A figure a sentence may state, and the cells it should equal (summed)."""

    name: str
    pattern: str
    cells: tuple[tuple[str, str, str], ...]
    #: the claim is not taken when the sentence contains one of these words
    unless: tuple[str, ...] = ()


_REVIEW = ("review_litigation", "review", "total")
_SUITS = (("review_litigation", "litigation_direct", "total"), ("review_litigation", "litigation_after_review", "total"))

#: Claims in the order they are tried; a span matched by one is not matched again.
CLAIMS: tuple[Claim, ...] = (
    Claim("applications.new_received",
          r"(?:收到|受理|新收|接收|接到)[^，,。；;\d]{0,20}?"
          r"(?:政府信息公开申请|信息公开申请|依申请(?:信息)?公开(?:申请)?)(?:共计|总计|合计|共|总数为|数量为)?" + _N + _UNIT,
          (("applications", "new_received", "total"),), unless=("上年结转", "上年度结转", "上一年度结转", "含上年", "含结转")),
    Claim("applications.carried_forward",
          r"结转(?:至|到)?(?:下(?:一)?年度?|\d{4}年度?)(?:继续)?(?:办理)?(?:的)?(?:申请)?(?:共)?" + _N + _UNIT,
          (("applications", "carried_forward", "total"),)),
    Claim("review_litigation.review_and_suits",
          r"行政复议(?:和|、|及|与)行政诉讼(?:案件)?(?:共计|共|合计)?" + _N + _UNIT, (_REVIEW, *_SUITS)),
    Claim("review_litigation.review", r"行政复议(?:案件|申请)?(?:共计|共|合计)?" + _N + _UNIT, (_REVIEW,)),
    Claim("review_litigation.suits", r"行政诉讼(?:案件)?(?:共计|共|合计)?" + _N + _UNIT, _SUITS),
)

_PATTERNS = tuple(re.compile(c.pattern) for c in CLAIMS)
_HAS_FIGURE = re.compile(r"\d\s*" + _UNIT)  # a count and its unit, before normalizing
_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")


def sentences(paragraphs: Iterable[str]) -> list[str]:
    """The sentences of the paragraphs (split after 。；！？), as printed."""
    out = []
    for p in paragraphs:
        for m in _SENTENCE.finditer(p):
            s = m.group(0).strip()
            if s:
                out.append(s)
    return out


def find_claims(paragraphs: Iterable[str]) -> list[tuple[Claim, str, int]]:
    """(claim, sentence, number) for every figure the text states."""
    found = []
    for sentence in sentences(paragraphs):
        if not _HAS_FIGURE.search(sentence):
            continue  # no count stated (full-width digits count too: \d is Unicode)
        compact = nfkc(sentence, memo=False)
        taken: list[tuple[int, int]] = []
        for claim, pattern in zip(CLAIMS, _PATTERNS):
            if any(w in compact for w in claim.unless):
                continue
            for m in pattern.finditer(compact):
                if any(a < m.end() and m.start() < b for a, b in taken):
                    continue
                taken.append(m.span())
                found.append((claim, sentence, int(m.group(1))))
    return found


def claim_issues(paragraphs: Iterable[str], values: Mapping[tuple[str, str, str], float]) -> list[Issue]:
    """A ``warning`` for each stated figure that differs from its cells.

    >>> v = {("applications", "new_received", "total"): 217.0}
    >>> [i.message for i in claim_issues(["共收到政府信息公开申请218件。"], v)]
    ['the text says 218 (“共收到政府信息公开申请218件。”) but the table has 217 (applications/new_received/total)']
    """
    out = []
    for claim, sentence, number in find_claims(paragraphs):
        vals = [values.get(c, math.nan) for c in claim.cells]
        if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in vals):
            continue  # a cell was not read: nothing to compare
        total = sum(vals)
        if total == number:
            continue
        cells = tuple("/".join(c) for c in claim.cells)
        quoted = sentence if len(sentence) <= 120 else sentence[:117] + "…"
        table, row, column = claim.cells[0] if len(claim.cells) == 1 else (claim.cells[0][0], None, None)
        out.append(Issue("warning", "text.table_mismatch",
                         f"the text says {number} (“{quoted}”) but the table has {total:g} ({' + '.join(cells)})",
                         table=table, row=row, column=column, cells=cells))
    return out
