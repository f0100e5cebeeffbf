#!/usr/bin/env python3
"""Where ``extractor.parse`` spends its time, per format.

    python benchmarks/profile_parse.py /tmp/corpus [--n 40] [--sort tottime] [--top 25]

For ``--n`` files of each format it prints the wall time of the two halves
of a parse — the reader (bytes to document model, ``extractor.readers``)
and the rest (locating the tables, mapping cells, checks, sections, the
facts DataFrame: ``extractor.parse.build_report``) — then a cProfile of
whole parses. Standard library only (``time``, ``cProfile``, ``pstats``).
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import pstats
import statistics
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--n", type=int, default=40, help="files of each format (default 40)")
    ap.add_argument("--sort", default="cumulative", help="pstats sort key (default cumulative)")
    ap.add_argument("--top", type=int, default=25, help="functions listed (default 25)")
    args = ap.parse_args(argv)

    import extractor

    parse = extractor.parse  # the function (before the submodule of the same name is imported below)
    from extractor.parse import build_report
    from extractor.readers import read

    for suffix in (".docx", ".html"):
        files = sorted(p for p in Path(args.corpus).iterdir() if p.suffix == suffix)[: args.n]
        if not files:
            continue
        datas = [f.read_bytes() for f in files]
        for d in datas[:5]:
            parse(d)
        t_read, t_build = [], []
        for d in datas:
            t = time.perf_counter()
            fmt, doc = read(d)
            t_read.append(time.perf_counter() - t)
            t = time.perf_counter()
            build_report(doc, fmt=fmt, sha256=hashlib.sha256(d).hexdigest())
            t_build.append(time.perf_counter() - t)
        r, b = statistics.median(t_read) * 1000, statistics.median(t_build) * 1000
        print(f"{suffix[1:]}: {len(files)} files, median reader {r:.2f} ms + build_report {b:.2f} ms")
        prof = cProfile.Profile()
        prof.enable()
        for d in datas:
            parse(d)
        prof.disable()
        pstats.Stats(prof, stream=sys.stdout).strip_dirs().sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
