#!/usr/bin/env python
"""``extractor.parse`` of a PDF report against pdfplumber merely finding its tables.

    python -m pip install pdfplumber        # for this comparison only; not a dependency
    python benchmarks/bench_pdf.py          # the real PDFs in ../shared/corpus/real (or $EXTRACTOR_SHARED)
    python benchmarks/bench_pdf.py a.pdf b.pdf --repeat 20

For each file: the median CPU time (``time.process_time``) of the whole
``extractor.parse`` (reading, tables, recognition, checks, report), of its
PDF reader alone, and of ``pdfplumber`` opening the file and calling
``find_tables()`` on every page (its default settings; nothing is read out
of the tables). The target is parse ≤ ¼ of pdfplumber's time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import extractor  # noqa: E402
from extractor.readers.pdf import read_pdf  # noqa: E402


def cpu(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def plumber_tables(data: bytes) -> int:
    import io

    import pdfplumber

    n = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            n += len(page.find_tables())
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=15, help="runs of extractor per file (median; default 15)")
    ap.add_argument("--repeat-plumber", type=int, default=5, help="runs of pdfplumber per file (default 5)")
    args = ap.parse_args(argv)
    files = args.files
    if not files:
        shared = Path(os.environ.get("EXTRACTOR_SHARED", ROOT.parent / "shared"))
        files = sorted((shared / "corpus" / "real").glob("*.pdf"))
    if not files:
        print("no PDF files given or found", file=sys.stderr)
        return 2
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        pdfplumber = None  # type: ignore[assignment]
        print("pdfplumber is not installed: only extractor is timed (pip install pdfplumber)")
    print(f"load average {os.getloadavg()[0]:.2f}; CPU time per file, median")
    print(f"{'file':45s} {'pages':>5s} {'parse':>9s} {'reader':>9s} {'pdfplumber':>11s} {'ratio':>6s}")
    ratios = []
    for path in files:
        data = path.read_bytes()
        extractor.parse(data)  # warm up (imports, font tables)
        t_parse = cpu(lambda: extractor.parse(data), args.repeat)
        t_read = cpu(lambda: read_pdf(data), args.repeat)
        import pypdfium2

        pages = len(pypdfium2.PdfDocument(data))
        if pdfplumber is not None:
            t_plumb = cpu(lambda: plumber_tables(data), args.repeat_plumber)
            ratio = t_parse / t_plumb
            ratios.append(ratio)
            print(f"{path.name:45s} {pages:5d} {t_parse * 1000:7.1f}ms {t_read * 1000:7.1f}ms "
                  f"{t_plumb * 1000:9.1f}ms {ratio:6.2f}")
        else:
            print(f"{path.name:45s} {pages:5d} {t_parse * 1000:7.1f}ms {t_read * 1000:7.1f}ms")
    if ratios:
        print(f"parse ÷ pdfplumber find_tables: {min(ratios):.2f} … {max(ratios):.2f} (target ≤ 0.25)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
