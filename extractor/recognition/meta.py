"""Report metadata: title, agency and reporting year.

The agency is read from the title wherever the year and the report words
stand in it; a title that names no agency leaves it to the rest of the
document (:func:`find_agency`): the signature block at the end, a
sentence of the first paragraphs that names who wrote the report, the
page's own source field. ``meta["agency_source"]`` says which.

>>> title_parts("威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告")
('威海火炬高技术产业开发区管理委员会', 2021)
>>> title_parts("2019年上海市人民政府办公厅政府信息公开工作年度报告")
('上海市人民政府办公厅', 2019)
>>> title_parts("某某县人民政府二〇二二年政府信息公开工作年度报告")
('某某县人民政府', 2022)
>>> title_parts("某某市交通运输局政府信息公开工作2022年度报告")
('某某市交通运输局', 2022)
>>> title_parts("某某县人民政府信息公开工作年度报告（2023年）")
('某某县人民政府', 2023)
>>> title_parts("2021年度政府信息公开工作年度报告")
(None, 2021)
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


#: Where the report words start in a title: what stands before is the agency.
_REPORT_WORDS = re.compile(r"(?:关于)?(?:的)?(?:政府信息公开|政务公开|信息公开|政府信息|年度报告|工作报告|年报)")
#: An agency name ends so (not a place: 县/市/区 … then 政府 is part of it).
_BODY_END = re.compile(r"(?:办公厅|办公室|委员会|管委会|局|厅|委|院|署|办|中心|所|站|队|会|部|处|集团|公司)$")
_AGENCY_STRIP = "《》“”\"'：:，,、（）()[]【】 "


def title_parts(title: str) -> tuple[str | None, int | None]:
    """(agency, year) read from a report title."""
    t = nfkc(title, memo=False)
    m = _YEAR.search(t)
    year = _year(m) if m else None
    if m:
        before, after = t[: m.start()], t[m.end():]
        text = before if _clean_agency(_cut(before)) else after
    else:
        text = t
    return _clean_agency(_cut(text)), year


def _cut(text: str) -> str:
    """``text`` up to the report words (``…政府信息公开工作年度报告``)."""
    r = _REPORT_WORDS.search(text)
    if r is None:
        return text
    head = text[: r.start()]
    if r.group().endswith(("政府信息公开", "政府信息")) and head.endswith("人民"):
        head += "政府"  # 某县人民政府信息公开: 政府 serves both
    elif head.endswith("政府") and _BODY_END.search(head[:-2]):
        head = head[:-2]  # 某局政府信息公开 is written 某局 + 政府信息公开
    return head


#: words that stand for the agency without naming it
_GENERIC = frozenset(("机关", "本机关", "我局", "本局", "本单位", "单位", "我委", "我办", "本部门", "部门", "政府"))


def _clean_agency(text: str | None) -> str | None:
    if not text:
        return None
    t = text.strip(_AGENCY_STRIP)
    for prefix in ("关于", "本"):
        if t.startswith(prefix):
            t = t[len(prefix):]
    t = re.sub(r"(?:关于|的)+$", "", t).strip(_AGENCY_STRIP)
    if t in _GENERIC or len(t) < 2 or _YEAR.search(t) or re.fullmatch(r"[\d年度月日号〇零一二三四五六七八九十]+", t):
        return None
    return t


#: the last lines of a report: an agency name alone on its line (a date,
#: contact details, attachments may stand around it)
_SIGN_LINE = re.compile(r"^[^\s，,。；;：:！？!?（()）]{3,30}$")
_DATE_LINE = re.compile(r"^(?:(?:19|20)\d{2}|[〇零一二三四五六七八九○]{4})\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?$"
                        r"|^[〇零一二三四五六七八九○]{4}年[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?$")
#: the first paragraphs: "本报告由XX编制", "XX根据《条例》…编制本报告"
_BODY_AGENCY = (
    re.compile(r"本(?:年度)?报告(?:是)?由(.{2,40}?)(?:根据|依据|按照|负责|组织|编制|制作|起草|发布|汇总)"),
    re.compile(r"^(.{2,30}?)(?:根据|依据|按照)《[^》]*(?:政府信息公开条例|政府信息公开工作年度报告格式)"),
)


def find_agency(title: str | None, lines: list[str], hints: dict[str, str]) -> tuple[str | None, str | None]:
    """(agency, where it was found): ``title``; else ``signature`` (an
    agency name among the last lines, usually above the date); else
    ``body`` (a sentence of the first paragraphs naming who wrote the
    report); else ``page`` (the page's source field); else (None, None).

    >>> find_agency("2021年政府信息公开工作年度报告", ["一、总体情况", "……", "某某县财政局", "2022年1月20日"], {})
    ('某某县财政局', 'signature')
    >>> find_agency("政府信息公开工作年度报告", ["本报告由某某市生态环境局根据《条例》编制。"], {})
    ('某某市生态环境局', 'body')
    """
    if title:
        agency = title_parts(title)[0]
        if agency:
            return agency, "title"
    tail = [ln.strip() for line in lines[-8:] for ln in line.split("\n") if ln.strip()]
    for line in reversed(tail[-6:]):
        t = nfkc(line, memo=False)
        if _DATE_LINE.match(t) or not _SIGN_LINE.match(t):
            continue
        if _AGENCY_END.search(t) and not _REPORT_WORDS.search(t):
            agency = _clean_agency(t)
            if agency:
                return agency, "signature"
    for line in lines[:6]:
        t = nfkc(line, memo=False)
        for pattern in _BODY_AGENCY:
            m = pattern.search(t)
            if m:
                agency = _clean_agency(m.group(1))
                if agency and _AGENCY_END.search(agency) and not _REPORT_WORDS.search(agency):
                    return agency, "body"
    source = hints.get("source")
    if source:
        agency = _clean_agency(nfkc(source, memo=False))
        if agency and _AGENCY_END.search(agency):
            return agency, "page"
    return None, None


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

    tail = []
    for line in lines[-40:]:
        t = re.sub(r"\s+", "", line)
        if t:  # a date line is short: only short lines are worth normalizing
            tail.append(nfkc(t, memo=False) if len(t) <= 40 else t)
    tail = tail[-10:]
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
