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
UNITS = ("万元", "元", "件", "个", "项", "条", "次", "人", "宗", "份")
_NUM = re.compile(
    r"^(?P<sign>[+\-]?)\s*(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<unit>" + "|".join(UNITS) + r")?(?P<rest>.*)$",
    re.S,
)
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
    if text in PLACEHOLDERS or all(ch in "/-—―‐–_.·" for ch in text):
        return Number(NAN, "placeholder")
    m = _NUM.match(text)
    if not m:
        return Number(NAN, "text")
    rest = m.group("rest")
    if rest and not rest.startswith(("(", "[", "（", "【", "<", "；", ";", "，", ",", "。")):
        return Number(NAN, "text")
    value = float(m.group("num").replace(",", ""))
    if m.group("sign") == "-":
        value = -value
    return Number(value, "number", m.group("unit") or "", rest)


_read_cached = lru_cache(maxsize=2048)(_read)


def to_10k_yuan(number: Number) -> float:
    """A money amount in 万元 from the unit written in the cell."""
    if number.unit == "元":
        return number.value / 10000.0
    return number.value


def is_nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)
