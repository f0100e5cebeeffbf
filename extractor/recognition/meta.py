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
            head = []
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
