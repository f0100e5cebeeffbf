"""Splitting the report text at its headings.

A top-level heading is a paragraph that starts with a Chinese number
however it is written (``一、`` ``一.`` ``一 `` ``一，`` ``第一部分``, full-
or half-width, with spaces anywhere) followed by a short title; a
sub-section starts ``（一）``. A sub-heading that runs into its text
(``（一）主动公开。一是…``) is split at the first full stop.

The six standard sections (schema.md §3) are then found by their
statutory words, in the statutory order, like an alignment: every
top-level heading, and every short paragraph that carries the statutory
words of a section without a number (a bold-only heading, ``1.总体情况``,
``一总体情况``), is a candidate; the keys go to the candidates that match
best with the keys in their official order (a numbered heading wins a
tie). A key no ordered choice gives goes to a numbered heading that
carries its official title anywhere. So an agency's own outline that
numbers the statutory parts from 一 again still maps right, and a
sentence that merely names the sections (``本报告包括总体情况、…``) is
never taken for a heading: an unnumbered candidate must be short, end
without punctuation and match one section's words only.

>>> from extractor.model import Paragraph
>>> secs = split_sections([Paragraph("一 总体情况"), Paragraph("（一）主动公开。一是…"), Paragraph("二．主动公开政府信息情况")])
>>> [(s.number, s.title, s.key, s.level) for s in secs]
[('一', '总体情况', 'overview', 1), ('（一）', '主动公开', None, 2), ('二', '主动公开政府信息情况', 'active_disclosure', 1)]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from ..model import Paragraph
from ..normalize import core, nfkc
from .matching import monotone_pairs

#: Standard section keys: the official title, then looser words.
STANDARD_SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "overview": ("总体情况", ("概述", "基本情况", "总体情况", "工作概况", "总体概况")),
    "active_disclosure": ("主动公开政府信息情况", ("主动公开",)),
    "applications": ("收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开", "申请公开")),
    "review_litigation": ("政府信息公开行政复议行政诉讼情况", ("行政复议", "行政诉讼")),
    "problems": ("存在的主要问题及改进情况", ("主要问题", "存在问题", "问题及改进", "问题和改进")),
    "other_matters": ("其他需要报告的事项", ("其他需要报告", "其他事项")),
}
_KEYS = tuple(STANDARD_SECTIONS)

_CN = "一二三四五六七八九十"
# full- and half-width forms alike; the title keeps the text's own characters
_SEP = r"[、.．,，:：)）\]】\s]"
_L1 = re.compile(rf"^\s*(?:第\s*([{_CN}]+)\s*(?:部分|章|篇)|([{_CN}]+)(?={_SEP}))\s*{_SEP}*\s*(.*)$", re.S)
#: a number glued to its title (``一总体情况``), or an Arabic one
#: (``1.总体情况``): a heading only when the title is a statutory one
_WEAK_NUMBER = re.compile(rf"^\s*(?:([{_CN}])(?![{_CN}])|([0-9０-９]{{1,2}})\s*[、.．,，:：)）]\s*)(.*)$", re.S)
_L2 = re.compile(rf"^\s*[(（]\s*([{_CN}]+)\s*[)）]\s*(.*)$", re.S)
_STOP = re.compile(r"[。；;：:]")
#: what an unnumbered heading may not contain: sentence punctuation
_SENTENCE = re.compile(r"[。；;，,：:！!？?．]")
#: longest title (characters) of a numbered heading, of a sub-heading, of
#: an unnumbered one
_L1_LEN, _L2_LEN, _WEAK_LEN = 40, 30, 30


@dataclass
class Section:
    """A section of the report text (schema.md §3)."""

    number: str
    title: str
    level: int
    key: str | None = None
    text: str = ""
    paragraphs: list[str] = field(default_factory=list, repr=False)
    #: Position in ``report.sections``; ``parent``: the position of the
    #: level-1 section a sub-section belongs to (None for level 1).
    index: int = 0
    parent: int | None = None
    #: The section's own paragraphs: ``text`` without its sub-sections'.
    own_text: str = ""

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("paragraphs")
        return d


def _heading(text: str) -> tuple[int, str, str, str] | None:
    """(level, number, title, inline text) if ``text`` is a numbered heading."""
    m = _L1.match(text)
    if m:
        number = m.group(1) or m.group(2)
        title, inline = _title(m.group(3).strip(), _L1_LEN)
        if title:
            return 1, number, title, inline
        return None
    m = _L2.match(text)
    if m:
        title, inline = _title(m.group(2).strip(), _L2_LEN)
        if title:
            return 2, f"（{m.group(1)}）", title, inline
    return None


def _title(rest: str, limit: int) -> tuple[str, str]:
    if not rest:
        return "", ""
    stop = _STOP.search(rest)
    if stop is None:
        return (rest, "") if len(rest) <= limit else ("", "")
    title, inline = rest[: stop.start()].strip(), rest[stop.end():].strip()
    if not title or len(title) > limit:
        return "", ""
    if not inline and stop.group() in "：:":
        return title, ""
    return title, inline


def _weak(p: Paragraph, text: str) -> tuple[str, str] | None:
    """(number, title) of a paragraph that may be an unnumbered heading."""
    t = text
    number = ""
    m = _WEAK_NUMBER.match(t)
    if m:
        number, t = m.group(1) or m.group(2), m.group(3).strip()
    t = t.rstrip("：:").strip()
    if not t or len(t) > _WEAK_LEN or _SENTENCE.search(t):
        return None
    return number, t


@lru_cache(maxsize=1)
def _officials() -> tuple[tuple[str, frozenset[str], tuple[str, ...]], ...]:
    """Per key: the official title's core, its character pairs, the looser words' cores."""
    out = []
    for official, words in STANDARD_SECTIONS.values():
        o = core(official)
        out.append((o, frozenset(o[i:i + 2] for i in range(len(o) - 1)), tuple(core(w) for w in words)))
    return tuple(out)


@lru_cache(maxsize=4096)
def _scores(title: str) -> tuple[int, ...]:
    """How well ``title`` names each section, in :data:`_KEYS` order: 4 its
    official title, 3 the official title with other words around, 2 the
    official words in order with others between, or most (60%) of the
    official title's character pairs, 1 one of the looser words, 0 none."""
    c = core(title)
    out = []
    for o, pairs, words in _officials():
        if c == o:
            out.append(4)
        elif o in c:
            out.append(3)
        elif len(c) <= 2 * len(o) and (sum(1 for p in pairs if p in c) >= 0.6 * len(pairs) or _subsequence(o, c)):
            out.append(2)
        elif any(w in c for w in words):
            out.append(1)
        else:
            out.append(0)
    return tuple(out)


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def outline(paragraphs: list[Paragraph]) -> tuple[list[Section], list[str]]:
    """The sections in order (levels 1 and 2, standard keys assigned) and
    the paragraphs before the first top-level heading (the preamble)."""
    items: list[tuple[str, tuple[int, str, str, str] | None]] = []  # (text, numbered heading)
    cands: list[tuple[int, bool, str, str]] = []  # (item index, numbered, number, title)
    for p in paragraphs:
        text = p.full_text.strip()
        if not text:
            continue
        h = _heading(text)
        items.append((text, h))
        if h is not None:
            if h[0] == 1:
                cands.append((len(items) - 1, True, h[1], h[2]))
            continue
        w = _weak(p, text)
        if w is not None:
            cands.append((len(items) - 1, False, w[0], w[1]))
    scores = []
    for _i, numbered, _number, title in cands:
        row = list(_scores(title))
        if numbered:
            row = [s + 1 if s else 0 for s in row]
        elif sum(1 for s in row if s) != 1 or max(row) < 2:
            row = [0] * len(_KEYS)  # an unnumbered line names one section well, or none
        scores.append(row)
    keys = monotone_pairs(scores, 1)
    taken = {k for k in keys if k is not None}
    for c, (cand, row) in enumerate(zip(cands, scores)):  # out of order, but its official title
        if keys[c] is None and cand[1]:
            best = max((s, -j) for j, s in enumerate(row) if j not in taken) if len(taken) < len(_KEYS) else (0, 0)
            if best[0] >= 4:
                keys[c] = -best[1]
                taken.add(-best[1])
    heading_at: dict[int, tuple[int, str, str, str, str | None]] = {}
    for (i, numbered, number, title), key in zip(cands, keys):
        name = _KEYS[key] if key is not None else None
        numbered_heading = items[i][1]
        if numbered and numbered_heading is not None:
            heading_at[i] = (1, numbered_heading[1], numbered_heading[2], numbered_heading[3], name)
        elif name is not None:
            heading_at[i] = (1, number, title, "", name)
    for i, (text, nh) in enumerate(items):
        if nh is not None and nh[0] == 2:
            heading_at[i] = (2, nh[1], nh[2], nh[3], None)

    sections: list[Section] = []
    pre: list[str] = []
    current1: Section | None = None
    current2: Section | None = None
    own: dict[int, int] = {}  # level-1 position → how many of its paragraphs come before its first sub-section
    for i, (text, _h) in enumerate(items):
        found = heading_at.get(i)
        if current1 is None and (found is None or found[0] != 1):
            pre.append(text)
        if found is not None:
            level, number, title, inline, section_key = found
            sec = Section(number, title, level, section_key, index=len(sections))
            sections.append(sec)
            if level == 1:
                current1, current2 = sec, None
            else:
                current2 = sec
                if current1 is not None:
                    sec.parent = current1.index
                    own.setdefault(current1.index, len(current1.paragraphs))
                    current1.paragraphs.append(text)
            if inline:
                sec.paragraphs.append(inline)
            continue
        if current2 is not None:
            current2.paragraphs.append(text)
        if current1 is not None:
            current1.paragraphs.append(text)
    for s in sections:
        s.text = "\n".join(s.paragraphs)
        s.own_text = "\n".join(s.paragraphs[:own.get(s.index, len(s.paragraphs))])
    return sections, pre


def split_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Sections in order (levels 1 and 2), with standard keys assigned."""
    return outline(paragraphs)[0]


def preamble(paragraphs: list[Paragraph]) -> list[str]:
    """The paragraphs before the first top-level heading."""
    return outline(paragraphs)[1]


__all__ = ["Section", "outline", "split_sections", "preamble", "STANDARD_SECTIONS", "nfkc"]
