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

Labels no pattern covers are *aligned* to the template (:func:`align`):
the printed labels of a table, in order, are matched to the template's
keys in their official order, each pair scored by the similarity of the
normalized texts, so a reworded or mistyped label lands on its key by its
text and its place between the labels that did match.

>>> rows = [("5.要求行政机关确认或者重新出具已获取信息",)]
>>> pick = align(A.rows, [(18, None)] + [(None, rows[0])] + [(20, None)])[1]
>>> A.rows[pick.index].key, pick.method, pick.score
('rejected.confirmation', 'similarity', 100.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from ..normalize import CACHED_LEN, core, split_parts_t
from .templates import SYNONYMS, Key


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


# ------------------------------------------------------------------ alignment

#: A label at least this similar (0–100, :func:`similarity`) to a key may
#: take it.
SIM_MIN = 70.0
#: The unmatched labels between two matched neighbours (anchors or labels
#: aligned by similarity), as many as the template keys left between
#: theirs, take those keys in order when each is at least this similar.
POS_MIN = 34.0
#: Another key within this many points of the best one makes a label
#: ambiguous: it takes neither.
MARGIN = 8.0


@lru_cache(maxsize=4096)
def canon(text: str) -> str:
    """:func:`~extractor.normalize.core` with synonyms folded (templates.SYNONYMS).

    >>> canon("5.要求行政机关确认或者重新出具已获取信息")
    '要求行政机关确认或重新出具已获取信息'
    """
    c = core(text)
    for a, b in SYNONYMS:
        if a in c:
            c = c.replace(a, b)
    return c


def _forms(parts: Sequence[str]) -> tuple[str, str]:
    """(deepest piece, all pieces joined) of a label context, canonical."""
    pieces = [canon(x) for p in parts for x in (split_parts_t(p) or (p,))]
    pieces = [x for x in pieces if x]
    if not pieces:
        return "", ""
    return pieces[-1], "".join(pieces)


@lru_cache(maxsize=512)
def _key_forms(key: Key) -> tuple[str, str, tuple[str, ...]]:
    deep, full = _forms(key.label.replace(" / ", " ").split())
    pats = tuple(dict.fromkeys(c for c in (canon(p.lstrip("=")) for p in key.patterns) if c))
    return deep, full, pats


@lru_cache(maxsize=8192)
def _similarity(key: Key, deep: str, full: str) -> float:
    from rapidfuzz.fuzz import ratio  # imported on first use: most reports never need it

    k_deep, k_full, pats = _key_forms(key)
    best = max(ratio(deep, k_deep), ratio(full, k_full))
    for p in pats:
        best = max(best, ratio(deep, p))
    return round(best, 1)


def similarity(key: Key, parts: Sequence[str]) -> float:
    """How alike a printed label (its parts, outer first) and a template key
    are, 0–100: the best of the deepest pieces compared, the whole labels
    compared, and the deepest piece against each pattern, after
    :func:`canon`.

    >>> from extractor.recognition.templates import APPLICANT_COLUMNS as C
    >>> similarity(C[3], ["法人或其他组织", "社会公益组织"])
    100.0
    >>> similarity(C[3], ["社会公益组"]) > similarity(C[4], ["社会公益组"])
    True
    """
    deep, full = _forms(parts)
    if not deep:
        return 0.0
    return _similarity(key, deep, full)


@dataclass(frozen=True)
class Aligned:
    """Where :func:`align` put one label: ``index`` into the keys (None: no
    key), ``method`` (``similarity``, ``position``, ``ambiguous`` or
    ``none``), the similarity ``score`` of the chosen (or best) key and,
    when ambiguous, the ``candidates`` (key indexes)."""

    index: int | None
    method: str
    score: float
    candidates: tuple[int, ...] = ()


def align(keys: tuple[Key, ...], items: Sequence[tuple[int | None, Sequence[str] | None]], *,
          exclusive: bool = True) -> list[Aligned | None]:
    """Align printed labels with ``keys`` in their official order.

    ``items`` are the labels in print order, each ``(index, parts)``: an
    ``index`` (into ``keys``) for a label already matched (an anchor), or
    ``parts`` for one to align; ``(None, None)`` items are ignored. The
    unmatched labels between two anchors may only take keys between the
    anchors' keys (and, with ``exclusive``, no key an anchor holds); among
    those a monotone alignment maximizing the summed similarity is chosen,
    a pair counting only at :data:`SIM_MIN` or above; then the labels left
    between two matched neighbours, as many as the keys left between
    theirs, take them in order when each is :data:`POS_MIN` alike
    (``position``). A label whose best key is not :data:`MARGIN` ahead of
    another key it could take (or of another label for that key) is
    ``ambiguous``. Returns one :class:`Aligned` per label to align, None
    for the other items.
    """
    n_keys = len(keys)
    used = {i for i, _p in items if i is not None} if exclusive else set()
    out: list[Aligned | None] = [None] * len(items)
    gap: list[int] = []
    lo = -1
    for pos in range(len(items) + 1):
        idx, parts = items[pos] if pos < len(items) else (n_keys, None)
        if idx is None:
            if parts is not None:
                gap.append(pos)
            continue
        if gap:
            window = [j for j in range(lo + 1, min(idx, n_keys)) if j not in used]
            _align_gap(keys, items, gap, window, out)
            gap = []
        lo = idx
    return out


def monotone_pairs(score: Sequence[Sequence[float]], min_score: float) -> list[int | None]:
    """The column given to each row of ``score``: the assignment with the
    largest total score whose columns increase with the rows' order (each
    row and column used at most once, and only pairs scoring at least
    ``min_score``, which must be positive). On a tie the earlier row wins.

    >>> monotone_pairs([[90, 10], [80, 85]], 50)
    [0, 1]
    >>> monotone_pairs([[0, 90], [0, 90]], 50)
    [1, None]
    """
    n = len(score)
    k = len(score[0]) if n else 0
    # best[i][j]: the best total over the first i rows and j columns
    best = [[0.0] * (k + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        row, prev, s = best[i], best[i - 1], score[i - 1]
        for j in range(1, k + 1):
            v = max(prev[j], row[j - 1])
            if s[j - 1] >= min_score:
                v = max(v, prev[j - 1] + s[j - 1])
            row[j] = v
    out: list[int | None] = [None] * n
    i, j = n, k
    while i and j:
        sc = score[i - 1][j - 1]
        if sc >= min_score and best[i][j] == best[i - 1][j - 1] + sc and best[i][j] != best[i - 1][j]:
            out[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out


def _align_gap(keys: tuple[Key, ...], items, gap: list[int], window: list[int], out: list) -> None:
    forms = [_forms(items[pos][1]) for pos in gap]
    k, m = len(gap), len(window)
    score = [[(_similarity(keys[j], d, f) if d else 0.0) for j in window] for d, f in forms]

    pairs = {i: j for i, j in enumerate(monotone_pairs(score, SIM_MIN)) if j is not None}
    # by position: the labels left between two matched neighbours, as many
    # as the keys left between theirs, each at least POS_MIN alike, in order
    prev_i, prev_j = -1, -1
    for i, j in sorted(pairs.items()) + [(k, m)]:
        n = i - prev_i - 1
        if n and j - prev_j - 1 == n and all(score[prev_i + 1 + t][prev_j + 1 + t] >= POS_MIN for t in range(n)):
            for t in range(n):
                pairs[prev_i + 1 + t] = prev_j + 1 + t
        prev_i, prev_j = i, j
    matched = sorted(pairs.items())
    contested: dict[int, int] = {}  # label -> the key another label took that it fits as well
    for n, (i, j) in enumerate(matched):
        s = score[i][j]
        lo = matched[n - 1][1] if n else -1
        hi = matched[n + 1][1] if n + 1 < len(matched) else m
        rivals = [jj for jj in range(lo + 1, hi) if jj != j and score[i][jj] >= SIM_MIN and score[i][jj] >= s - MARGIN]
        others = [ii for ii in range(k) if ii not in pairs and score[ii][j] >= SIM_MIN and score[ii][j] >= s - MARGIN]
        for ii in others:
            contested[ii] = j
        if others:
            rivals.append(j)
        if rivals:
            out[gap[i]] = Aligned(None, "ambiguous", s, tuple(sorted({window[j]} | {window[x] for x in rivals})))
        else:
            out[gap[i]] = Aligned(window[j], "similarity" if s >= SIM_MIN else "position", s)
    for i in range(k):
        if i in contested:
            out[gap[i]] = Aligned(None, "ambiguous", score[i][contested[i]], (window[contested[i]],))
        elif i not in pairs:
            out[gap[i]] = Aligned(None, "none", max(score[i], default=0.0))
