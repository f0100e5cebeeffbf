"""Text normalization for matching labels and reading cells.

Labels are matched after :func:`core`: NFKC (full-width → half-width),
all whitespace removed, outline numbering stripped (``一、`` ``（三）``
``1.`` ``1、`` ``1．``), and punctuation, quotes and brackets removed.

>>> core("（三）不予公开")
'不予公开'
>>> core("3.危及“三安全一稳定”")
'危及三安全一稳定'
>>> core("第二十条  第(一)项") == core("第二十条第（一）项")
True
>>> fold_ws("  a \\u00a0 b\\n\\n c ")
'a b\\nc'
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

CN_DIGITS = "〇零一二三四五六七八九十百千两"

_WS_RUN = re.compile(r"[^\S\n]+")
_NL_RUN = re.compile(r"\s*\n\s*")
_ALL_WS = re.compile(r"\s+")
# Outline numbering at the start of a label: 一、 （一） (一) 1. 1、 1． (1) 1) ①
_NUMBERING = re.compile(
    r"^(?:"
    r"[一二三四五六七八九十]+\s*[、.]"
    r"|\(\s*[一二三四五六七八九十]+\s*\)[、.]?"
    r"|\(\s*\d{1,2}\s*\)[、.]?"
    r"|\d{1,2}\s*[、.)](?!\d)"
    r"|[\u2460-\u2473]"
    r")\s*"
)
# Everything that is not a letter, digit or CJK ideograph.
_PUNCT = re.compile(r"[^\w]|_")


#: Labels up to this length are memoized by :func:`nfkc`, :func:`core` and
#: :func:`split_parts` (the same labels recur in every report); longer texts
#: (paragraphs, whole-table texts), and texts passed with ``memo=False``, are
#: computed afresh. The caches are small LRUs, so a worker's memory stays
#: flat over a batch.
CACHED_LEN = 100
_CACHE_SIZE = 4096
#: Cell texts up to this length are memoized by :func:`fold_ws`.
_FOLD_LEN = 32


def fold_ws(text: str) -> str:
    """Fold whitespace as a reader sees it: runs of spaces (including
    no-break and ideographic spaces) become one space, lines are trimmed,
    blank lines dropped."""
    return _fold_ws_cached(text) if len(text) <= _FOLD_LEN else _fold_ws(text)


def _fold_ws(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\r", "\n")
    text = _WS_RUN.sub(" ", text)
    text = _NL_RUN.sub("\n", text)
    return text.strip()


def _nfkc(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _ALL_WS.sub("", text)


_nfkc_cached = lru_cache(maxsize=_CACHE_SIZE)(_nfkc)
_fold_ws_cached = lru_cache(maxsize=2048)(_fold_ws)


def nfkc(text: str, *, memo: bool = True) -> str:
    """NFKC with whitespace removed: the form labels are compared in.
    ``memo=False`` for one-off texts (a paragraph, a title)."""
    return _nfkc_cached(text) if memo and len(text) <= CACHED_LEN else _nfkc(text)


def split_numbering(text: str) -> tuple[str, str]:
    """Split leading outline numbering from ``text`` (after :func:`nfkc`).

    >>> split_numbering("（二）部分公开")
    ('(二)', '部分公开')
    >>> split_numbering("2.重复申请")
    ('2.', '重复申请')
    """
    t = nfkc(text)
    m = _NUMBERING.match(t)
    if not m:
        return "", t
    return m.group(0), t[m.end():]


def _core_of(t: str) -> str:
    """:func:`core` of an :func:`nfkc` text."""
    # strip repeated numbering such as "三、(一)"
    for _ in range(3):
        m = _NUMBERING.match(t)
        if not m:
            break
        t = t[m.end():]
    return _PUNCT.sub("", t)


@lru_cache(maxsize=_CACHE_SIZE)
def _core_cached(text: str) -> str:
    return _core_of(nfkc(text))


def core(text: str, *, memo: bool = True) -> str:
    """The matching key of a label: numbering, punctuation and space removed.
    ``memo=False`` for one-off texts (a paragraph)."""
    if memo and len(text) <= CACHED_LEN:
        return _core_cached(text)
    return _core_of(_nfkc(text))


# Split a composite label ("三、本年度办理结果（三）不予公开1.属于国家秘密")
# at inner outline numbers. "第（一）项" is not a split point.
_INNER = re.compile(r"(?<![第\d.])(?=\([一二三四五六七八九十]\)|(?<![\d(])\d{1,2}\.(?!\d))")


def split_parts(text: str) -> list[str]:
    """Split a label at inner outline numbering, after :func:`nfkc`.

    >>> split_parts("（三）不予公开 1.属于国家秘密")
    ['(三)不予公开', '1.属于国家秘密']
    >>> split_parts("第二十条第（一）项")
    ['第二十条第(一)项']
    """
    return list(split_parts_t(text))


def _split_parts_t(text: str) -> tuple[str, ...]:
    return tuple(p for p in _INNER.split(nfkc(text)) if p)


_split_parts_cached = lru_cache(maxsize=2048)(_split_parts_t)


def split_parts_t(text: str) -> tuple[str, ...]:
    """:func:`split_parts` as a tuple (memoized for short texts)."""
    return _split_parts_cached(text) if len(text) <= CACHED_LEN else _split_parts_t(text)


_CN_NUM = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_NUM.update({"零": 0, "○": 0, "Ｏ": 0, "O": 0, "两": 2})


def chinese_year(text: str) -> int | None:
    """Read a year written with Chinese digits (``二〇二二`` → 2022).

    >>> chinese_year("二〇二二")
    2022
    >>> chinese_year("二零一九")
    2019
    """
    if len(text) != 4:
        return None
    digits = [_CN_NUM.get(ch) for ch in text]
    if any(d is None for d in digits):
        return None
    return int("".join(str(d) for d in digits))


_DATE = re.compile(r"((?:19|20)\d{2})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})")


def iso_date(text: object) -> str | None:
    """``YYYY-MM-DD`` from a date written ``2024年1月17日``, ``2024-01-17``,
    ``2024/1/17`` or ``2024.01.17`` (a time after it is ignored), else None.

    >>> iso_date("2024年1月17日"), iso_date("2024-01-17 09:30"), iso_date("2024-02-30"), iso_date(None)
    ('2024-01-17', '2024-01-17', None, None)
    """
    import datetime

    if not isinstance(text, str):
        return None
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return datetime.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def path_text(path: str | os.PathLike | bytes) -> str:
    """A path as text that every output can hold (UTF-8). A path that is
    valid UTF-8 is kept as it is. In a path that is not (a name written on
    a GBK system, say), each part between separators that is not valid
    UTF-8 has its bytes above 0x7F written as ``\\xNN`` escapes: the name
    is reported faithfully, byte for byte, and never stops a batch.

    >>> path_text("年报/2021.docx")
    '年报/2021.docx'
    >>> path_text(b"\\xe5\\xb9\\xb4\\xe6\\x8a\\xa5/\\xc4\\xea\\xb1\\xa8.docx")  # 年报/ in UTF-8, then 年报 in GBK
    '年报/\\\\xc4\\\\xea\\\\xb1\\\\xa8.docx'
    """
    text = os.fsdecode(path) if isinstance(path, bytes) else os.fspath(path)
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:  # the bytes that os.fsdecode() stands for with surrogates (POSIX)
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # lone surrogates of another origin (a broken Windows name)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    parts = []
    for part in raw.split(b"/"):
        try:
            parts.append(part.decode("utf-8"))
        except UnicodeDecodeError:
            parts.append(part.decode("ascii", "backslashreplace"))
    return "/".join(parts)
