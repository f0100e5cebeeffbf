"""Matching labels against template keys.

A label context is a list of text parts (cell texts, outer groups first).
The best key is the one matching the *deepest* part (the most specific
label), then the longest pattern. Adjacent parts are also tried joined, so
words split across cells (``商业`` / ``企业``) still match.

>>> from extractor.recognition.templates import APPLICATIONS_2021 as A
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

from ..normalize import CACHED_LEN, core, split_parts_t
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
        flat.extend(split_parts_t(p) or (p,))
    out: list[tuple[int, str]] = []
    prev = ""
    for i, p in enumerate(flat):
        c = core(p)
        if c:
            out.append((2 * i, c))
        if i:
            out.append((2 * i - 1, prev + c))
        prev = c
    return out


class _Matcher:
    """The patterns of one key set, compiled once: the best key of a text is
    looked up instead of scoring every key's patterns against it.

    Results are memoized per text and per label context, in bounded
    dictionaries (cleared when full) so memory stays flat over a batch.
    """

    MAX_CACHE = 4096

    def __init__(self, keys: tuple[Key, ...]) -> None:
        self.keys = keys
        self.exact: dict[str, tuple[int, int]] = {}  # core -> (score, -key index), the best exact match
        self.contains: list[tuple[str, int]] = []    # (pattern core, key index), in key order
        for i, key in enumerate(keys):
            for p in key.patterns:
                pat, exact = _pattern(p)
                if not pat:
                    continue
                if exact:
                    cand = (len(pat) + 100, -i)
                    if pat not in self.exact or cand > self.exact[pat]:
                        self.exact[pat] = cand
                else:
                    self.contains.append((pat, i))
        self.by_text: dict[str, tuple[int, int] | None] = {}
        self.by_parts: dict[tuple[str, ...], Key | None] = {}

    def text_best(self, text: str) -> tuple[int, int] | None:
        """(score, -key index) of the best key for one core text, or None:
        the highest score, the first key on ties."""
        try:
            return self.by_text[text]
        except KeyError:
            pass
        best = self.exact.get(text)
        for pat, i in self.contains:
            if pat in text:
                cand = (len(pat), -i)
                if best is None or cand > best:
                    best = cand
        if len(text) <= CACHED_LEN:
            if len(self.by_text) >= self.MAX_CACHE:
                self.by_text.clear()
            self.by_text[text] = best
        return best

    def best(self, parts: Sequence[str]) -> Key | None:
        # Depths are distinct, so the deepest piece with any match decides;
        # among the keys matching it, the highest score, then the first key.
        best: tuple[int, int, int] | None = None
        for depth, text in _pieces(parts):
            hit = self.text_best(text)
            if hit is not None and (best is None or (depth, hit[0]) > best[:2]):
                best = (depth, hit[0], hit[1])
        return None if best is None else self.keys[-best[2]]

    def best_cached(self, parts: Sequence[str]) -> Key | None:
        ctx = tuple(parts)
        try:
            return self.by_parts[ctx]
        except KeyError:
            pass
        found = self.best(ctx)
        if sum(len(p) for p in ctx) <= 4 * CACHED_LEN:
            if len(self.by_parts) >= self.MAX_CACHE:
                self.by_parts.clear()
            self.by_parts[ctx] = found
        return found


_MATCHERS: dict[int, _Matcher] = {}


def _matcher(keys: tuple[Key, ...]) -> _Matcher:
    m = _MATCHERS.get(id(keys))
    if m is None or m.keys is not keys:
        if len(_MATCHERS) >= 256:
            _MATCHERS.clear()
        m = _MATCHERS[id(keys)] = _Matcher(keys)  # holds keys, so the id stays theirs
    return m


def best_key(keys: Iterable[Key], parts: Sequence[str]) -> Key | None:
    """The key whose pattern matches the deepest part of ``parts``: the
    longest pattern there (an exact one first), the first key on ties."""
    if not isinstance(keys, tuple):
        keys = tuple(keys)
    return _matcher(keys).best_cached(parts)


@lru_cache(maxsize=256)
def _word_cores(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in map(core, words) if c)


def matches_any(words: Iterable[str], text: str) -> bool:
    """True when the core of ``text`` contains any of ``words``."""
    c = core(text)
    cores = _word_cores(words) if isinstance(words, tuple) else tuple(w for w in map(core, words) if w)
    return any(w in c for w in cores)
