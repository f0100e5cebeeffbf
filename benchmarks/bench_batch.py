#!/usr/bin/env python3
"""Throughput and memory of a whole batch (`extractor convert`).

    python benchmarks/make_corpus.py /tmp/corpus --n 10000
    python benchmarks/bench_batch.py /tmp/corpus [--jobs 1,2] [--format parquet,csv]

For each number of jobs it runs ``python -m extractor convert CORPUS -o OUT
--jobs N`` in a fresh output folder and prints reports/s and memory: the
peak resident set size of the main process and of the largest worker, and
the summed RSS of the process tree sampled as the batch goes (by the
share of the reports written so far), so you can see that memory does not
grow with the number of files. It reads /proc (Linux) and uses only the
standard library.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                out.extend(int(x) for x in fh.read().split())
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    seen, todo = [], [pid]
    while todo:
        p = todo.pop()
        seen.append(p)
        todo.extend(_children(p))
    return seen


def _written(out: Path) -> int:
    """Reports written so far (parts hold up to 250 each: count rows cheaply)."""
    try:
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(p).num_rows for p in (out / ".parts" / "reports").glob("run*.parquet"))
    except Exception:
        return 0


def run(corpus: Path, jobs: int, formats: str, n_files: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"bench-batch-{jobs}-"))
    cmd = [sys.executable, "-m", "extractor", "convert", str(corpus), "-o", str(out), "--jobs", str(jobs),
           "--quiet", "--format", formats]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak_main = peak_worker = peak_total = 0
    timeline: dict[int, int] = {}
    last_check = 0.0
    while proc.poll() is None:
        pids = _tree(proc.pid)
        rss = {p: _rss_kb(p) for p in pids}
        total = sum(rss.values())
        peak_main = max(peak_main, rss.get(proc.pid, 0))
        peak_worker = max([peak_worker] + [v for p, v in rss.items() if p != proc.pid])
        peak_total = max(peak_total, total)
        now = time.perf_counter()
        if now - last_check > 2.0:
            last_check = now
            done = _written(out)
            decile = min(10, done * 10 // max(1, n_files))
            timeline[decile] = max(timeline.get(decile, 0), total)
        time.sleep(0.2)
    elapsed = time.perf_counter() - t0
    stdout, stderr = proc.communicate()
    shutil.rmtree(out, ignore_errors=True)
    return {"jobs": jobs, "seconds": elapsed, "rate": n_files / elapsed, "peak_main_mb": peak_main / 1024,
            "peak_worker_mb": peak_worker / 1024, "peak_total_mb": peak_total / 1024, "timeline": timeline,
            "summary": stdout.strip().splitlines()[0] if stdout.strip() else stderr.strip()[-300:], "rc": proc.returncode}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--format", default="parquet,csv")
    args = ap.parse_args()
    from extractor.batch import discover

    n = len(discover([args.corpus]))
    print(f"corpus: {args.corpus} ({n} files), formats {args.format}, {os.cpu_count()} cores")
    results = [run(args.corpus, int(j), args.format, n) for j in args.jobs.split(",")]
    base = results[0]["rate"]
    for r in results:
        print(f"\njobs={r['jobs']}: {r['seconds']:.1f} s, {r['rate']:.1f} reports/s "
              f"({r['rate'] / base:.2f}x jobs={results[0]['jobs']}), exit {r['rc']}")
        print(f"  {r['summary']}")
        print(f"  peak RSS: main {r['peak_main_mb']:.0f} MB, largest worker {r['peak_worker_mb']:.0f} MB, "
              f"whole tree {r['peak_total_mb']:.0f} MB")
        line = ", ".join(f"{d * 10}%: {kb / 1024:.0f} MB" for d, kb in sorted(r["timeline"].items()))
        print(f"  tree RSS by share of reports written: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
