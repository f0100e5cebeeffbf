#!/usr/bin/env python3
"""The batch's worker supervision against other process pools, with
workers killed at random moments.

    python benchmarks/make_corpus.py /tmp/corpus --n 500
    python benchmarks/bench_executors.py /tmp/corpus [--runs 10] [--files 150]
        [--executors own,stdlib,pebble,loky]

Each executor parses the corpus with 2 workers and retries a file whose
worker died once (given up after a second death), the same policy for all:

- ``own``: :func:`extractor.batch.iter_outcomes` (one pipe per worker,
  supervised from the parent);
- ``stdlib``: ``concurrent.futures.ProcessPoolExecutor``, rebuilt when it
  breaks (the batch's executor before);
- ``pebble``: ``pebble.ProcessPool`` with a per-task timeout
  (``pip install pebble``);
- ``loky``: ``loky.get_reusable_executor``, rebuilt when a worker is
  terminated (``pip install loky``).

It prints the throughput of a clean run over the whole corpus, then for
``--runs`` runs over the first ``--files`` files with a worker killed
(SIGKILL) every 10–150 ms: how many finished with an outcome for every file,
how many raised, and how many hung (no end within 60 s; the run's process
group is then killed). Each run is a separate process. Linux (SIGKILL,
process groups); needs psutil.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

WORKERS = 2


def _killer(seed: int, pids, stop: threading.Event, counter: list) -> None:
    rng = random.Random(seed)
    while not stop.wait(rng.uniform(0.01, 0.15)):
        live = pids()
        if live:
            try:
                os.kill(rng.choice(live), signal.SIGKILL)
                counter[0] += 1
            except (ProcessLookupError, PermissionError):
                pass


def _children() -> list[int]:
    import psutil

    out = []
    for c in psutil.Process().children():
        try:
            if "resource_tracker" not in " ".join(c.cmdline()):
                out.append(c.pid)
        except psutil.Error:
            pass
    return out


def run_own(paths: list[str]) -> list[dict]:
    from extractor.batch import iter_outcomes

    return list(iter_outcomes(paths, jobs=WORKERS, timeout=300))


def run_stdlib(paths: list[str]) -> list[dict]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from extractor.batch import _work

    out: dict[int, dict] = {}
    deaths: dict[int, int] = {}
    todo = list(range(len(paths)))
    while todo:
        pool = ProcessPoolExecutor(max_workers=WORKERS)
        futs = [(i, pool.submit(_work, paths[i])) for i in todo]
        todo = []
        for i, f in futs:
            try:
                out[i] = f.result()
            except BrokenProcessPool:
                deaths[i] = deaths.get(i, 0) + 1
                if deaths[i] >= 2:
                    out[i] = {"status": "failed", "error": "WorkerDied", "path": paths[i]}
                else:
                    todo.append(i)
        pool.shutdown(wait=False, cancel_futures=True)
    return [out[i] for i in range(len(paths))]


def run_pebble(paths: list[str]) -> list[dict]:
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired, ProcessPool

    from extractor.batch import _work

    out: dict[int, dict] = {}
    deaths: dict[int, int] = {}
    with ProcessPool(max_workers=WORKERS) as pool:
        todo = list(range(len(paths)))
        while todo:
            futs = [(i, pool.schedule(_work, args=(paths[i],), timeout=300)) for i in todo]
            todo = []
            for i, f in futs:
                try:
                    out[i] = f.result()
                except ProcessExpired:
                    deaths[i] = deaths.get(i, 0) + 1
                    if deaths[i] >= 2:
                        out[i] = {"status": "failed", "error": "WorkerDied", "path": paths[i]}
                    else:
                        todo.append(i)
                except FutureTimeout:
                    out[i] = {"status": "failed", "error": "Timeout", "path": paths[i]}
    return [out[i] for i in range(len(paths))]


def run_loky(paths: list[str]) -> list[dict]:
    from loky import get_reusable_executor
    from loky.process_executor import BrokenProcessPool, TerminatedWorkerError

    from extractor.batch import _work

    out: dict[int, dict] = {}
    deaths: dict[int, int] = {}
    todo = list(range(len(paths)))
    while todo:
        pool = get_reusable_executor(max_workers=WORKERS)
        futs = [(i, pool.submit(_work, paths[i])) for i in todo]
        todo = []
        for i, f in futs:
            try:
                out[i] = f.result()
            except (TerminatedWorkerError, BrokenProcessPool):
                deaths[i] = deaths.get(i, 0) + 1
                if deaths[i] >= 2:
                    out[i] = {"status": "failed", "error": "WorkerDied", "path": paths[i]}
                else:
                    todo.append(i)
    return [out[i] for i in range(len(paths))]


RUNNERS = {"own": run_own, "stdlib": run_stdlib, "pebble": run_pebble, "loky": run_loky}


def trial(name: str, corpus: Path, files: int, seed: int | None) -> dict:
    """One run in this process; printed as JSON for the parent."""
    from extractor.batch import discover

    paths = [str(p) for p in discover([corpus])][:files]
    stop, counter = threading.Event(), [0]
    killer = None
    if seed is not None:
        killer = threading.Thread(target=_killer, args=(seed, _children, stop, counter), daemon=True)
        killer.start()
    t0 = time.perf_counter()
    try:
        outcomes = RUNNERS[name](paths)
        result = "finished" if len(outcomes) == len(paths) else "lost files"
    except BaseException as exc:  # noqa: BLE001 - reported
        outcomes, result = [], f"raised {type(exc).__name__}"
    finally:
        stop.set()
    seconds = time.perf_counter() - t0
    return {"result": result, "seconds": seconds, "kills": counter[0], "files": len(paths),
            "ok": sum(o.get("status") == "ok" for o in outcomes),
            "died": sum(o.get("error") == "WorkerDied" for o in outcomes)}


def run_trial(name: str, corpus: Path, files: int, seed: int | None, limit: float) -> dict:
    cmd = [sys.executable, __file__, str(corpus), "--trial", name, "--files", str(files)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            start_new_session=True)
    try:
        stdout, _ = proc.communicate(timeout=limit)
        return json.loads(stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return {"result": "hung", "seconds": limit, "kills": None, "files": files, "ok": 0, "died": 0}
    except (json.JSONDecodeError, IndexError):
        return {"result": f"crashed (exit {proc.returncode})", "seconds": 0, "kills": None, "files": files,
                "ok": 0, "died": 0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--files", type=int, default=150)
    ap.add_argument("--executors", default="own,stdlib,pebble,loky")
    ap.add_argument("--hang", type=float, default=60.0, help="seconds after which a run counts as hung")
    ap.add_argument("--trial", default=None, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.trial:
        print(json.dumps(trial(args.trial, args.corpus, args.files, args.seed)))
        return 0
    names = [n.strip() for n in args.executors.split(",") if n.strip()]
    print(f"corpus: {args.corpus}, {WORKERS} workers, {os.cpu_count()} cores")
    for name in names:
        clean = run_trial(name, args.corpus, 10 ** 9, None, 600)
        runs = [run_trial(name, args.corpus, args.files, seed, args.hang) for seed in range(args.runs)]
        tally: dict[str, int] = {}
        for r in runs:
            tally[r["result"]] = tally.get(r["result"], 0) + 1
        fin = [r for r in runs if r["result"] == "finished"]
        print(f"\n{name}: clean run {clean['files'] if clean['files'] < 10 ** 9 else ''} "
              f"{clean['result']} in {clean['seconds']:.1f} s, "
              f"{clean['ok'] / max(clean['seconds'], 1e-9):.1f} reports/s")
        print(f"  {args.runs} runs over {args.files} files with workers killed: "
              + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
        if fin:
            print(f"  finished runs: {sum(r['kills'] for r in fin)} kills, {sum(r['died'] for r in fin)} WorkerDied, "
                  f"median {sorted(r['seconds'] for r in fin)[len(fin) // 2]:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
