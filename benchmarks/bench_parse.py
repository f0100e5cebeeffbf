#!/usr/bin/env python3
"""Benchmark ``extractor.parse`` against the cost of reading the file.

    python benchmarks/make_corpus.py /tmp/corpus            # 400 reports
    python benchmarks/bench_parse.py /tmp/corpus

Prints, for the same files in one run:

1. per report, docx and HTML separately (median and p95 over the files, each
   file's time the median of ``--repeat`` runs), in wall-clock time and in
   CPU time (``time.process_time``, the figure to read when other processes
   share the machine):
   - ``parse``: end-to-end ``extractor.parse(path)``;
   - ``floor``: reading the file and parsing its XML with lxml, walking
     every table cell — for docx ``zipfile`` + ``lxml.etree.fromstring`` of
     ``word/document.xml`` and iterating every ``w:tc``; for HTML
     ``lxml.html.document_fromstring`` and iterating every ``td``/``th``;
   - their ratio (of the medians, and the median of the per-file ratios);
2. a batch over the corpus with ``concurrent.futures.ProcessPoolExecutor``
   and 1 and 2 worker processes: reports/s, the speed-up and the workers'
   CPU time per report, with the load average (other processes running on
   the machine make the 2-job figure understate the speed-up);
3. start-up: ``import extractor``, ``import extractor`` + the first parse,
   and ``python -m extractor --help``, each in a fresh interpreter (median of
   5), beside an empty ``python -c pass``;
4. memory: peak RSS (``resource.getrusage``) of this process after the
   timing runs and of each batch worker, early in the batch and at its end
   (flat memory: the two agree).

Only the standard library's timers and ``resource`` are used, so anyone can
rerun it; no network, nothing written.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

W_TC = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tc"
SUFFIXES = {".docx": "docx", ".html": "html", ".htm": "html"}


# ---------------------------------------------------------------- the floor


def floor_docx(path: str) -> int:
    from lxml import etree

    with open(path, "rb") as f:
        data = f.read()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    n = 0
    for _tc in root.iter(W_TC):
        n += 1
    return n


def floor_html(path: str) -> int:
    import lxml.html

    with open(path, "rb") as f:
        data = f.read()
    root = lxml.html.document_fromstring(data)
    n = 0
    for _td in root.iter("td", "th"):
        n += 1
    return n


FLOOR = {"docx": floor_docx, "html": floor_html}


# ---------------------------------------------------------------- helpers


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def timed(fn, arg) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``fn(arg)``."""
    c = time.process_time()
    t = time.perf_counter()
    fn(arg)
    return time.perf_counter() - t, time.process_time() - c


def maxrss_mib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def corpus_files(folder: Path) -> list[tuple[str, str]]:
    out = []
    for p in sorted(folder.iterdir()):
        kind = SUFFIXES.get(p.suffix.lower())
        if kind and p.is_file():
            out.append((str(p), kind))
    return out


def spread(files: list[tuple[str, str]], n: int) -> list[tuple[str, str]]:
    """About ``n`` files spread evenly over the sorted list, each format in
    its share of the corpus."""
    if n <= 0 or n >= len(files):
        return list(files)
    out = []
    for kind in sorted({k for _p, k in files}):
        mine = [f for f in files if f[1] == kind]
        m = max(1, round(n * len(mine) / len(files)))
        step = len(mine) / m
        out.extend(mine[int(i * step)] for i in range(m))
    return sorted(out)


# ---------------------------------------------------------------- batch workers


def _work(path: str) -> tuple[int, int, float]:
    import extractor

    r = extractor.parse(path)
    return os.getpid(), len(r.facts), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def batch(paths: list[str], jobs: int) -> tuple[float, float, dict[int, list[float]]]:
    """Wall time and the workers' CPU time of parsing ``paths`` with ``jobs``
    processes; per worker the peak RSS after each of its reports."""
    rss: dict[int, list[float]] = {}
    cpu = _cpu_children()
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for pid, _n, mib in pool.map(_work, paths, chunksize=4):
            rss.setdefault(pid, []).append(mib)
    return time.perf_counter() - t, _cpu_children() - cpu, rss


# ---------------------------------------------------------------- start-up


def fresh(code: str, runs: int = 5) -> float:
    """Median wall time of ``python -c code`` in a fresh interpreter, or of
    the time it prints itself when it prints one."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
        wall = time.perf_counter() - t
        times.append(float(out) if out.strip() else wall)
    return statistics.median(times)


def cli_start(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "extractor", "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", help="folder of .docx/.html reports (benchmarks/make_corpus.py writes one)")
    ap.add_argument("--sample", type=int, default=400,
                    help="files timed one by one, spread over the corpus (default 400; 0: all)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per file in the per-report timing (default 3)")
    ap.add_argument("--batch", type=int, default=0, help="files in the batch runs (default 0: all)")
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="batch worker counts (default 1 2)")
    args = ap.parse_args(argv)

    files = corpus_files(Path(args.corpus))
    if not files:
        print(f"no .docx/.html files in {args.corpus}", file=sys.stderr)
        return 2

    # start-up first, before this process has anything cached
    code_import = "import time; t = time.perf_counter(); import extractor; print(time.perf_counter() - t)"
    first = files[0][0]
    code_first = ("import time; t = time.perf_counter(); import extractor; extractor.parse(%r); "
                  "print(time.perf_counter() - t)" % first)
    t_python = fresh("pass")
    t_import = fresh(code_import)
    t_first = fresh(code_first)
    t_cli = cli_start()

    import extractor
    import lxml

    timed_files = spread(files, args.sample)
    for path, kind in timed_files[:10]:  # warm up imports and caches
        extractor.parse(path)
        FLOOR[kind](path)
    per: dict[str, list[tuple[float, float]]] = {"docx": [], "html": []}
    cpu: dict[str, list[tuple[float, float]]] = {"docx": [], "html": []}
    load_timing = os.getloadavg()[0]
    for path, kind in timed_files:
        floor = FLOOR[kind]
        fl, pa = [], []
        for _ in range(args.repeat):
            fl.append(timed(floor, path))
            pa.append(timed(extractor.parse, path))
        per[kind].append((statistics.median(w for w, _c in fl), statistics.median(w for w, _c in pa)))
        cpu[kind].append((statistics.median(c for _w, c in fl), statistics.median(c for _w, c in pa)))
    rss_main = maxrss_mib()

    batch_paths = [p for p, _k in spread(files, args.batch)]
    runs = {}
    load_before = os.getloadavg()[0]
    for jobs in args.jobs:
        runs[jobs] = batch(batch_paths, jobs)
    load_after = os.getloadavg()[0]

    # ------------------------------------------------------------ report
    try:
        import pandas

        pandas_v = pandas.__version__
    except ImportError:  # pragma: no cover
        pandas_v = "-"
    counts = {k: sum(1 for _p, kk in files if kk == k) for k in ("docx", "html")}
    print(f"corpus      {args.corpus}: {len(files)} reports ({counts['docx']} docx, {counts['html']} html)")
    print(f"machine     {os.cpu_count()} cores, Python {platform.python_version()}, lxml {lxml.__version__}, "
          f"pandas {pandas_v}, extractor {extractor.__version__}")
    print()
    print(f"per report  ({len(timed_files)} files, median of {args.repeat} runs each; ms; "
          f"load average {load_timing:.2f} at the start)")
    print(f"  {'':9} {'files':>5}  {'parse med':>9} {'p95':>7}  {'floor med':>9} {'p95':>7}  "
          f"{'ratio of medians':>16}  {'median ratio':>12}")
    for clock, table in (("wall", per), ("cpu", cpu)):
        for kind in ("docx", "html"):
            rows = table[kind]
            if not rows:
                continue
            fl = [f * 1000 for f, _p in rows]
            pa = [p * 1000 for _f, p in rows]
            ratios = [p / f for f, p in rows if f > 0]
            print(f"  {kind:4} {clock:4} {len(rows):5}  {statistics.median(pa):9.2f} {pct(pa, 95):7.2f}  "
                  f"{statistics.median(fl):9.2f} {pct(fl, 95):7.2f}  "
                  f"{statistics.median(pa) / statistics.median(fl):15.1f}x  {statistics.median(ratios):11.1f}x")
    print("  (wall: perf_counter; cpu: process_time, which other processes on the machine hardly change)")
    print()
    print(f"batch       ({len(batch_paths)} files, ProcessPoolExecutor over extractor.parse)")
    base = None
    for jobs, (wall, cpu_s, _rss) in runs.items():
        rps = len(batch_paths) / wall
        base = base or rps
        print(f"  jobs={jobs}  {wall:7.2f} s  {rps:7.1f} reports/s  speed-up {rps / base:4.2f}x  "
              f"(workers' CPU {cpu_s / len(batch_paths) * 1000:5.1f} ms/report)")
    print(f"  load average {load_before:.2f} before the batch runs, {load_after:.2f} after "
          f"(on {os.cpu_count()} cores; other processes running slow the 2-job run)")
    print()
    print("start-up    (fresh interpreter, median of 5)")
    print(f"  python -c pass                    {t_python * 1000:7.0f} ms (wall)")
    print(f"  import extractor                  {t_import * 1000:7.0f} ms")
    print(f"  import extractor + first parse    {t_first * 1000:7.0f} ms")
    print(f"  python -m extractor --help        {t_cli * 1000:7.0f} ms (wall)")
    print()
    print("memory      (peak RSS)")
    print(f"  this process after timing          {rss_main:7.1f} MiB")
    for jobs, (_wall, _cpu, rss) in runs.items():
        for i, (pid, seq) in enumerate(sorted(rss.items())):
            early = seq[max(0, len(seq) // 10 - 1)]
            print(f"  jobs={jobs} worker {i}: {len(seq):5} reports, after 10% {early:7.1f} MiB, "
                  f"at the end {seq[-1]:7.1f} MiB (+{seq[-1] - early:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
