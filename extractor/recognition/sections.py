"""Splitting the report text at its headings.

Top-level headings are ``一、…`` (or ``第一部分 …``), sub-sections
``（一）…``; a sub-heading that runs into its text (``（一）主动公开。一是…``)
is split at the first full stop. The six standard sections get their keys
by how closely their titles match the official ones, so an agency's own
outline that numbers the statutory parts from 一 again still maps right.

>>> from extractor.model import Paragraph
>>> secs = split_sections([Paragraph("一、总体情况"), Paragraph("（一）主动公开。一是…"), Paragraph("二、主动公开政府信息情况")])
>>> [(s.number, s.title, s.key, s.level) for s in secs]
[('一', '总体情况', 'overview', 1), ('（一）', '主动公开', None, 2), ('二', '主动公开政府信息情况', 'active_disclosure', 1)]
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..model import Paragraph
from ..normalize import core, nfkc

#: Standard section keys: the official title, then looser words.
STANDARD_SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "overview": ("总体情况", ("概述", "基本情况", "总体情况", "工作概况", "总体概况")),
    "active_disclosure": ("主动公开政府信息情况", ("主动公开",)),
    "applications": ("收到和处理政府信息公开申请情况", ("收到和处理", "依申请公开", "申请公开")),
    "review_litigation": ("政府信息公开行政复议行政诉讼情况", ("行政复议", "行政诉讼")),
    "problems": ("存在的主要问题及改进情况", ("主要问题", "存在问题", "问题及改进", "问题和改进")),
    "other_matters": ("其他需要报告的事项", ("其他需要报告", "其他事项")),
}

_CN = "一二三四五六七八九十"
_L1 = re.compile(rf"^\s*(?:([{_CN}]+)\s*[、.．，,]|第([{_CN}]+)部分[、：:.．\s]*)\s*(.*)$", re.S)
_L2 = re.compile(rf"^\s*[（(]\s*([{_CN}]+)\s*[)）]\s*(.*)$", re.S)
_STOP = re.compile(r"[。；;：:]")


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
    """(level, number, title, inline text) if ``text`` is a heading."""
    m = _L1.match(text)
    if m:
        number = m.group(1) or m.group(2)
        rest = m.group(3).strip()
        title, inline = _title(rest, 40)
        if title:
            return 1, number, title, inline
        return None
    m = _L2.match(text)
    if m:
        title, inline = _title(m.group(2).strip(), 30)
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


def split_sections(paragraphs: list[Paragraph]) -> list[Section]:
    """Sections in order (levels 1 and 2), with standard keys assigned."""
    sections: list[Section] = []
    current1: Section | None = None
    current2: Section | None = None
    own: dict[int, int] = {}  # level-1 position → how many of its paragraphs come before its first sub-section
    for p in paragraphs:
        text = p.full_text.strip()
        if not text:
            continue
        h = _heading(text)
        if h is not None:
            level, number, title, inline = h
            sec = Section(number, title, level, index=len(sections))
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
    _assign_keys([s for s in sections if s.level == 1])
    return sections


def _score(key: str, title: str) -> int:
    official, words = STANDARD_SECTIONS[key]
    c = core(title)
    o = core(official)
    if c == o:
        return 4
    if c.startswith(o) or o in c:
        return 3
    if any(core(w) in c for w in words):
        return 1
    return 0


def _assign_keys(level1: list[Section]) -> None:
    candidates = []
    for i, s in enumerate(level1):
        for key in STANDARD_SECTIONS:
            sc = _score(key, s.title)
            if sc:
                candidates.append((-sc, i, key))
    candidates.sort()
    taken_keys: set[str] = set()
    for _neg, i, key in candidates:
        s = level1[i]
        if s.key is None and key not in taken_keys:
            s.key = key
            taken_keys.add(key)


def preamble(paragraphs: list[Paragraph]) -> list[str]:
    """The paragraphs before the first top-level heading."""
    out = []
    for p in paragraphs:
        h = _heading(p.full_text.strip())
        if h is not None and h[0] == 1:
            break
        if p.full_text.strip():
            out.append(p.full_text.strip())
    return out


__all__ = ["Section", "split_sections", "preamble", "STANDARD_SECTIONS", "nfkc"]
