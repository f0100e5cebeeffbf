"""Matching labels against template keys.

A label context is a list of text parts (cell texts, outer groups first).
The best key is the one matching the *deepest* part (the most specific
label), then the longest pattern. Adjacent parts are also tried joined, so
words split across cells (``商业`` / ``企业``) still match.

>>> from extractor.templates import APPLICATIONS_2021 as A
>>> best_key(A.rows, ["三、本年度办理结果", "（六）其他处理", "3.其他"]).key
'other.misc'
>>> best_key(A.columns, ["申请人情况", "法人或其他组织", "商业", "企业"]).key
'commercial'
>>> best_key(A.columns, ["申请人情况", "法人或其他组织", "其他"]).key
'other_org'
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Sequence

from .normalize import core, split_parts
from .templates import Key


@lru_cache(maxsize=4096)
def _pattern(p: str) -> tuple[str, bool]:
    if p.startswith("="):
        return core(p[1:]), True
    return core(p), False


def key_score(key: Key, text_core: str) -> int:
    """Length of the longest pattern of ``key`` matching ``text_core`` (0: none)."""
    best = 0
    for p in key.patterns:
        pat, exact = _pattern(p)
        if not pat:
            continue
        if (text_core == pat) if exact else (pat in text_core):
            best = max(best, len(pat) + (100 if exact else 0))
    return best


def _pieces(parts: Sequence[str]) -> list[tuple[int, str]]:
    """(depth, core text) of each part, of its inner pieces, and of each
    adjacent pair of parts joined."""
    flat: list[str] = []
    for p in parts:
        flat.extend(split_parts(p) or [p])
    out: list[tuple[int, str]] = []
    for i, p in enumerate(flat):
        c = core(p)
        if c:
            out.append((2 * i, c))
        if i:
            joined = core(flat[i - 1]) + c
            out.append((2 * i - 1, joined))
    return out


def best_key(keys: Iterable[Key], parts: Sequence[str]) -> Key | None:
    """The key whose pattern matches the deepest part of ``parts``."""
    best: tuple[int, int] | None = None
    found: Key | None = None
    pieces = _pieces(parts)
    for key in keys:
        for depth, text in pieces:
            s = key_score(key, text)
            if s and (best is None or (depth, s) > best):
                best, found = (depth, s), key
    return found


def matches_any(words: Iterable[str], text: str) -> bool:
    """True when the core of ``text`` contains any of ``words``."""
    c = core(text)
    return any(core(w) in c for w in words if core(w))
