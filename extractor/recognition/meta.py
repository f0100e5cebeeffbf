"""Report metadata: title, agency and reporting year.

>>> title_parts("威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告")
('威海火炬高技术产业开发区管理委员会', 2021)
>>> title_parts("2019年上海市人民政府办公厅政府信息公开工作年度报告")
('上海市人民政府办公厅', 2019)
>>> title_parts("某某县人民政府二〇二二年政府信息公开工作年度报告")
('某某县人民政府', 2022)
"""

from __future__ import annotations

import re

from ..normalize import chinese_year, nfkc

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?|([〇零一二三四五六七八九○Ｏ]{4})\s*年度?")
_REPORT = re.compile(r"(?:政府)?信息公开.{0,8}报告|年度报告|年报")
_TITLE_STOP = re.compile(r"[。，,；;：:>|》]")
_YEAR_END = re.compile(r"(?:(?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年度?$")
_AGENCY_END = re.compile(r"(?:政府|办公厅|办公室|委员会|管委会|局|厅|委|院|署|办|中心|所|站|队|会|街道|镇|乡|区|县|市|部|处|集团|公司)$")


def _year(m: re.Match) -> int | None:
    if m.group(1):
        return int(m.group(1))
    return chinese_year(m.group(2).replace("○", "〇").replace("Ｏ", "〇"))


def title_parts(title: str) -> tuple[str | None, int | None]:
    """(agency, year) read from a report title."""
    t = nfkc(title, memo=False)
    m = _YEAR.search(t)
    if not m:
        r = _REPORT.search(t)
        agency = t[: r.start()] if r else None
        return (agency or None), None
    year = _year(m)
    before = t[: m.start()]
    after = t[m.end():]
    if before:
        agency = before
    else:
        r = _REPORT.search(after)
        agency = after[: r.start()] if r else None
    agency = (agency or "").strip("《》“”\"'：:，,") or None
    return agency, year


def find_title(lines: list[str], hints: dict[str, str]) -> str | None:
    """The report title: the first lines of the body that name a report
    (joining an agency line printed above it), else the page's heading."""
    for i, line in enumerate(lines[:12]):
        t = nfkc(line, memo=False)
        if len(t) <= 80 and _REPORT.search(t) and not t.startswith(("根据", "本报告", "按照", "依据")):
            head: list[str] = []
            for prev in reversed(lines[max(0, i - 2):i]):
                prev = nfkc(prev, memo=False)
                if len(prev) > 40 or _TITLE_STOP.search(prev) or _REPORT.search(prev):
                    break
                if not (_AGENCY_END.search(prev) or _YEAR_END.search(prev)):
                    break
                head.insert(0, prev)
            return "".join(head) + t
            return t
    for key in ("heading", "article_title", "title"):
        if hints.get(key):
            t = nfkc(hints[key], memo=False)
            if _REPORT.search(t):
                return re.split(r"[_|｜-]{1,2}(?=[^_|｜-]*$)", t)[0] if len(t) > 60 else t
    return None


def find_year(title: str | None, lines: list[str]) -> int | None:
    """The reporting year from the title, else from the text."""
    if title:
        _agency, year = title_parts(title)
        if year:
            return year
    for line in lines[:20]:
        t = nfkc(line, memo=False)
        m = re.search(r"((?:19|20)\d{2})年1月1日", t)
        if m:
            return int(m.group(1))
        m = re.search(r"((?:19|20)\d{2})年(?:度)?(?:政府信息公开|，|,)", t)
        if m:
            return int(m.group(1))
    return None


_CN_DIGITS = "〇一二三四五六七八九"
_SIGNED_DATE = re.compile(r"((?:19|20)\d{2}|[〇零一二三四五六七八九○Ｏ]{4})年([0-9]{1,2}|[一二三四五六七八九十]{1,3})月"
                          r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})日")


def _small_number(text: str) -> int | None:
    """1–31 written in digits or Chinese numerals (``十七`` → 17)."""
    if text.isdigit():
        return int(text)
    tens, _, ones = text.rpartition("十")
    if "十" not in text:
        return _CN_DIGITS.index(text) if len(text) == 1 and text in _CN_DIGITS else None
    t = 1 if not tens else (_CN_DIGITS.index(tens) if tens in _CN_DIGITS[1:] else None)
    o = 0 if not ones else (_CN_DIGITS.index(ones) if ones in _CN_DIGITS[1:] else None)
    return None if t is None or o is None else 10 * t + o


def find_publication_date(lines: list[str]) -> str | None:
    """The date under the signature (``YYYY-MM-DD``): the last line of the
    last ten that is nothing but a date.

    >>> find_publication_date(["……", "沭阳县发展和改革局", "2024年1月17日"])
    '2024-01-17'
    >>> find_publication_date(["某局", "二〇二四年一月十七日", "— 7 —"])
    '2024-01-17'
    >>> find_publication_date(["统计期限为2024年1月1日至2024年12月31日。"]) is None
    True
    """
    import datetime

    tail = [t for t in (re.sub(r"\s+", "", nfkc(line, memo=False)) for line in lines[-40:]) if t][-10:]
    for t in reversed(tail):
        m = _SIGNED_DATE.fullmatch(t)
        if not m:
            continue
        year = int(m.group(1)) if m.group(1).isdigit() else chinese_year(m.group(1).replace("○", "〇").replace("Ｏ", "〇"))
        month, day = _small_number(m.group(2)), _small_number(m.group(3))
        try:
            return datetime.date(year or 0, month or 0, day or 0).isoformat()
        except ValueError:
            return None
    return None
