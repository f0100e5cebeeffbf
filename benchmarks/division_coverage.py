"""How many agency names the division data places, and how many it would place wrongly.

Names: the real corpus (parsed agencies and the agencies its SOURCES.md lists for
files the parser does not read yet), the fixtures, and every agency name
benchmarks/make_corpus.py can generate (its places × departments). For each
name the script prints whether :func:`extractor.divisions.locate` placed it and
where. A placed name whose deepest division (full or short name) does not
occur in it is counted as suspect.

    python benchmarks/division_coverage.py [--list]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import extractor  # noqa: E402
from extractor.divisions import locate_many  # noqa: E402

#: Agencies of the real files the parser does not read (PDF, converted text), from SOURCES.md.
SOURCES_AGENCIES = [("淮安市人民政府", 2024), ("淮安市洪泽区人民政府", 2023), ("淮安市洪泽区人民政府", 2024),
                    ("上海市科学技术委员会", 2024), ("上海市人民政府办公厅", 2025), ("沭阳县人民政府", 2025),
                    ("平潭综合实验区管委会", 2024)]


def real_names() -> list[tuple[str, int]]:
    shared = Path(os.environ.get("EXTRACTOR_SHARED", "/work/shared")) / "corpus" / "real"
    files = [p for p in shared.rglob("*") if p.suffix in (".html", ".docx", ".pdf")]
    c = extractor.parse_many(files, jobs=1)
    parsed = [(a, int(y)) for a, y in zip(c.reports.agency, c.reports.year) if isinstance(a, str)]
    return sorted(set(parsed + SOURCES_AGENCIES))


def fixture_names() -> list[tuple[str, int]]:
    files = [p for p in (ROOT / "fixtures").rglob("*") if p.suffix in (".html", ".docx", ".pdf")]
    c = extractor.parse_many(files, jobs=1)
    return sorted({(a, int(y)) for a, y in zip(c.reports.agency, c.reports.year) if isinstance(a, str)})


def generated_names() -> list[tuple[str, int]]:
    import make_corpus as mc

    out = set()
    for place in mc.PLACES:
        subs = [""] + (["鼓楼区", "新城区", "高新区", "经开区", "城关镇"] if place.endswith("市") else [])
        for sub in subs:
            for dept in mc.DEPARTMENTS:
                out.add((place + sub + dept, 2023))
    return sorted(out)


def report(label: str, names: list[tuple[str, int]], show: bool) -> None:
    found = locate_many(names)
    placed = [n for n in names if found[n]["division_code"]]
    levels = Counter(found[n]["admin_level"] for n in placed)
    suspect = []
    for n in placed:
        f = found[n]
        deepest = f["county"] or f["prefecture"] or f["province"]
        if deepest not in n[0] and deepest[:-1] not in n[0]:
            suspect.append(n[0])
    distinct = {n for n, _ in names}
    distinct_placed = {n for n, _ in placed}
    print(f"{label}: {len(distinct)} distinct names, {len(distinct_placed)} placed; {len(names)} name-year pairs, "
          f"{len(placed)} placed ({len(placed) / max(len(names), 1):.1%}), {len(suspect)} suspect; levels {dict(levels)}")
    if suspect:
        print("   suspect:", ", ".join(suspect[:12]))
    if show:
        for n in names:
            f = found[n]
            where = "/".join(x for x in (f["province"], f["prefecture"], f["county"]) if x) or "-"
            print(f"   {n[0]} {n[1]}: {where} {f['division_code'] or ''} {f['admin_level'] or ''} {f['agency_kind'] or ''}")
    else:
        missing = sorted({n for n, _ in names if not found[(n, _)]["division_code"]})
        print(f"   not placed ({len(missing)}): {', '.join(missing[:12])}{' …' if len(missing) > 12 else ''}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    locate_many([("沭阳县人民政府", 2023)])
    print(f"first look-up (loading the division data, one year's index): {time.perf_counter() - t0:.2f} s")
    sets = [("real corpus", real_names()), ("fixtures", fixture_names()), ("make_corpus.py", generated_names())]
    for label, names in sets:
        report(label, names, args.list and label != "make_corpus.py")


if __name__ == "__main__":
    main()
