#!/usr/bin/env python3
"""How the readers' time grows on hostile inputs (README "Robustness").

    python benchmarks/bench_hostile.py            # about a minute
    python benchmarks/bench_hostile.py --max 8    # largest size factor

For each kind of hostile input that once took super-linear time, prints the
CPU time (``time.process_time``, best of ``--repeat``) of ``extractor.parse``
at sizes n, 2n, 4n … and the growth exponent between the first and the last
(1 is linear, 2 quadratic):

- ``attributes, one tag``: one HTML tag with n distinct attributes
  (refused as soon as libxml2's tokenizer has counted them);
- ``attributes, at the bound``: n tags of 256 attributes each (read);
- ``scripts between text``: n ``<script>`` elements, each followed by text;
- ``style chain``: n Word styles, each based on the next, with a numbering
  part (every style's inheritance resolved).

No network, nothing written.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import extractor  # noqa: E402
from docgen import NUMBERING, attribute_tag, docx_bytes, p, scripts_page, style_chain, tc  # noqa: E402
from extractor.readers.html import MAX_TAG_ATTRIBUTES  # noqa: E402


def attributes_one_tag(n: int) -> bytes:
    return f"<html><body><p>一、总体情况</p>{attribute_tag(n)}正文</p></body></html>".encode()


def attributes_at_the_bound(n: int) -> bytes:
    return ("<body>" + (attribute_tag(MAX_TAG_ATTRIBUTES) + "x</p>") * n + "</body>").encode()


def chained_styles(n: int) -> bytes:
    styled = p("x", '<w:pStyle w:val="s0"/>')
    table = f"<w:tbl><w:tr>{tc('a')}{tc('b')}</w:tr><w:tr>{tc('1')}<w:tc>{styled}</w:tc></w:tr></w:tbl>"
    return docx_bytes(table, styles=style_chain(n), numbering=NUMBERING)


CASES = [
    ("attributes, one tag", attributes_one_tag, 5_000),
    ("attributes, at the bound", attributes_at_the_bound, 240),
    ("scripts between text", scripts_page, 1_000),
    ("style chain", chained_styles, 2_000),
]


def cpu_time(data: bytes, repeat: int) -> tuple[float, str]:
    best, outcome = math.inf, ""
    for _ in range(repeat):
        start = time.process_time()
        try:
            extractor.parse(data)
            outcome = "report"
        except extractor.ParseError as exc:
            outcome = type(exc).__name__
        best = min(best, time.process_time() - start)
    return best, outcome


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", type=int, default=8, help="largest size factor (default 8)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size, the best counted (default 3)")
    args = ap.parse_args(argv)
    factors = [1 << k for k in range(int(math.log2(args.max)) + 1)]
    for label, make, n in CASES:
        times = []
        for f in factors:
            data = make(n * f)
            secs, outcome = cpu_time(data, args.repeat)
            times.append(secs)
            print(f"{label:26} n={n * f:>8,} {len(data) / 1e6:7.2f} MB {secs:7.3f} s CPU  {outcome}", flush=True)
        growth = math.log(max(times[-1], 1e-6) / max(times[0], 1e-6)) / math.log(factors[-1])
        print(f"{label:26} growth exponent over {factors[-1]}x: {growth:.2f}\n", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
