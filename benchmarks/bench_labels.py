#!/usr/bin/env python3
"""How many statistics cells survive reworded, mistyped and renumbered labels.

    python benchmarks/bench_labels.py --start 150 --n 250

For each seed, every label of tables 二, 三 and 四 (both templates, random
layouts of 三) is rewritten with one or two of the random small edits of
``tests/labelgen.py`` (characters dropped, inserted or swapped,
synonyms, units, brackets or 的 appended, spaces and line breaks,
enumeration styles), every cell holding a distinct number. Prints, per
table, the values expected, those read on their own key, those left NaN and
those that landed on another key (which must be 0).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

import extractor  # noqa: E402
import labelgen as g  # noqa: E402
from labelgen import EDITS, edit  # noqa: E402
from extractor.recognition.templates import TEMPLATES  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--start", type=int, default=0, help="first seed (default 0)")
    ap.add_argument("--n", type=int, default=100, help="number of seeds (default 100)")
    ap.add_argument("--edits", type=int, default=2, help="at most this many edits a label (default 2)")
    args = ap.parse_args(argv)
    stats: dict[str, list[int]] = {}

    def tally(report, table: str, values: dict) -> None:
        f = report.facts[report.facts.table == table]
        got = {(r, c): v for r, c, v in zip(f.row, f.column, f.value)}
        st = stats.setdefault(table, [0, 0, 0, 0])
        for key, want in values.items():
            v = got.get(key, math.nan)
            st[0] += 1
            if math.isnan(v):
                st[2] += 1
            elif v == want:
                st[1] += 1
            else:
                st[3] += 1

    for seed in range(args.start, args.start + args.n):
        rnd = random.Random(seed)
        memo: dict[str, str] = {}

        def lab(text: str) -> str:
            if text not in memo:
                out = text
                for _ in range(rnd.randint(1, args.edits)):
                    out = edit(out, rnd.choice(EDITS), rnd.randrange(1000), rnd.randrange(1000))
                memo[text] = out
            return memo[text]

        template = rnd.choice(["2021", "2019"])
        app = g.distinct_values(TEMPLATES[template]["applications"])
        html = g.applications(template, app, label_cols=rnd.choice([1, 2]), header_rows=rnd.choice([1, 2]), lab=lab)
        tally(extractor.parse(g.report_html(template, html)), "applications", app)
        memo.clear()
        ad = g.distinct_values(TEMPLATES[template]["active_disclosure"])
        rl = g.distinct_values(TEMPLATES[template]["review_litigation"])
        report = extractor.parse(g.report_html(template, g.active_disclosure(template, ad, lab=lab),
                                               g.review_litigation(rl, lab=lab)))
        tally(report, "active_disclosure", ad)
        tally(report, "review_litigation", rl)

    print(f"seeds {args.start}..{args.start + args.n - 1}, 1–{args.edits} edits a label")
    print(f"  {'table':18} {'values':>7} {'on key':>7} {'NaN':>7} {'wrong key':>9}")
    for table, (n, ok, nan, wrong) in stats.items():
        print(f"  {table:18} {n:7} {ok:7} {nan:7} {wrong:9}   read {ok / n:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
