"""Reading a statistics cell as a number.

>>> read_number("27,960").value
27960.0
>>> read_number("２２（其中修订16件）").note
'(其中修订16件)'
>>> read_number("+2").value
2.0
>>> read_number("/").kind
'placeholder'
>>> import math; math.isnan(read_number("").value)
True
>>> read_number("251000元").unit
'元'
>>> read_number("3起").value, read_number("减少2").value, read_number("↑5").value
(3.0, -2.0, 5.0)
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

NAN = float("nan")

#: Cell texts that mean "nothing to report": the value is NaN, raw kept.
PLACEHOLDERS = frozenset(
    "/ // \\ - -- — —— ― ―― ‐ – ~ 无 空 暂无 null N/A NA n/a × x X * ... …".split()
)
#: Unit words printed after a number (longest first where one starts another).
UNITS = (
    "亿元", "万元", "千元", "元",
    "人次", "件次", "项次", "户次",
    "件", "个", "项", "条", "次", "人", "宗", "份", "起", "家", "例", "笔", "批", "篇", "户", "名", "位", "张", "封", "部",
)
#: Money units and how many 万元 one of them is.
MONEY_UNITS = {"亿元": 10000.0, "万元": 1.0, "千元": 0.1, "元": 0.0001}
#: Signs and words printed before a change (本年增/减): 1 for an increase, -1 for a decrease.
SIGN_WORDS = {
    "+": 1, "↑": 1, "增加了": 1, "增加": 1, "新增": 1, "增长": 1, "上升": 1, "增": 1,
    "-": -1, "−": -1, "–": -1, "↓": -1, "减少了": -1, "减少": -1, "下降": -1, "减": -1,
}
#: Words that say "no change", read as 0.
ZERO_WORDS = frozenset({"持平"})
_NUM = re.compile(
    r"^(?P<sign>" + "|".join(map(re.escape, sorted(SIGN_WORDS, key=len, reverse=True))) + r")?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"(?P<unit>" + "|".join(UNITS) + r")?(?P<rest>.*)$",
    re.S,
)
# a comma followed by digits that are not a thousands group ("1,23"): not a number
_BAD_GROUP = re.compile(r"^[,，]\d")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Number:
    """A cell read as a number.

    ``kind`` is ``number``, ``blank`` (empty), ``placeholder`` (``/``, ``-``,
    ``无`` …) or ``text`` (not a number). ``note`` holds trailing text after
    the number (``（其中修订16件）``); ``unit`` a unit written in the cell.
    """

    value: float
    kind: str
    unit: str = ""
    note: str = ""

    @property
    def is_value(self) -> bool:
        """True for cells that belong in a value column (not labels)."""
        return self.kind in ("number", "blank", "placeholder")


def read_number(raw: str) -> Number:
    """Parse one cell text (see module docstring).

    The same cell texts recur in every report ("0", "1", "/" …): short ones
    are memoized (a :class:`Number` is immutable).
    """
    return _read_cached(raw) if len(raw) <= 32 else _read(raw)


def _read(raw: str) -> Number:
    text = _SPACE.sub("", unicodedata.normalize("NFKC", raw))
    if not text:
        return Number(NAN, "blank")
    if text in PLACEHOLDERS or all(ch in "/-—―‐–−_.·" for ch in text):
        return Number(NAN, "placeholder")
    if text in ZERO_WORDS:
        return Number(0.0, "number")
    m = _NUM.match(text)
    if not m or "\u2460" <= raw.lstrip()[:1] <= "\u2473":  # ①… opens a label, not a number
        return Number(NAN, "text")
    rest = m.group("rest")
    if rest and (not rest.startswith(("(", "[", "（", "【", "<", "；", ";", "，", ",", "。")) or _BAD_GROUP.match(rest)):
        return Number(NAN, "text")
    value = float(m.group("num").replace(",", ""))
    if SIGN_WORDS.get(m.group("sign") or "+") == -1:
        value = -value
    return Number(value, "number", m.group("unit") or "", rest)


_read_cached = lru_cache(maxsize=2048)(_read)


def to_10k_yuan(number: Number) -> float:
    """A money amount in 万元 from the unit written in the cell (元, 千元,
    万元, 亿元; any other unit or none: as printed)."""
    factor = MONEY_UNITS.get(number.unit)
    if factor is None or factor == 1.0:
        return number.value
    if number.unit == "元":  # the same division as always: 251000元 → 25.1 exactly
        return number.value / 10000.0
    return number.value * factor


def is_nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


#: Largest magnitude taken as a count or an amount: a trillion. A cell
#: beyond it (hundreds of digits, which a float reads as infinity; an
#: 18-digit ID number in a count column) is no statistic of one report.
MAX_PLAUSIBLE = 1e12


def plausible(value: float) -> bool:
    """Is ``value`` finite and at most :data:`MAX_PLAUSIBLE` in magnitude?

    >>> plausible(27960.0), plausible(read_number("9" * 400).value), plausible(-2e12)
    (True, False, False)
    """
    return math.isfinite(value) and abs(value) <= MAX_PLAUSIBLE
