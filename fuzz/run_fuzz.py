#!/usr/bin/env python
"""Long fuzz run of ``extractor.parse`` on structure-aware mutants of the fixtures.

    python fuzz/run_fuzz.py --cases 100000               # cases 0 … 99999
    python fuzz/run_fuzz.py --cases 50000 --start 50000  # a second chunk (e.g. in parallel)
    python fuzz/run_fuzz.py --replay 1234                # re-run case 1234, print its traceback
    python fuzz/run_fuzz.py --cases 100000 --duration 3600  # as many as one hour allows

Case ``i`` of seed ``s`` is fully determined by ``(s, i)``: the mutant is
built from ``random.Random(f"{s}:{i}")`` (see ``fuzz/mutate.py``), so any
case can be replayed and runs can be split into chunks. The only accepted
outcomes are a report or an ``extractor.ParseError``; anything else (and a
case over ``--timeout`` seconds) is a crash: its input is saved under
``fuzz/crashes/`` (git-ignored) with the traceback beside it, and the run
exits with status 1. Progress lines and the summary give cases/s and the
count of each outcome.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import resource
import signal
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

import extractor  # noqa: E402
from mutate import RandomChooser, load_seeds, mutate  # noqa: E402


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so no ``except Exception`` hides it."""


def _alarm(signum, frame):
    raise CaseTimeout()


def build_case(seeds, seed: int, i: int):
    ch = RandomChooser(f"{seed}:{i}")
    doc = ch.choice(seeds)
    return doc, mutate(doc, ch)


def run_case(data: bytes, timeout: float) -> tuple[str, BaseException | None, float]:
    """``(outcome, exception, seconds)``; outcome is ``report``, a ParseError
    class name, ``CRASH <type>`` or ``TIMEOUT``."""
    signal.setitimer(signal.ITIMER_REAL, timeout)
    start = time.perf_counter()
    try:
        extractor.parse(data)
        outcome, exc = "report", None
    except extractor.ParseError as e:
        outcome, exc = type(e).__name__, None
    except CaseTimeout as e:
        outcome, exc = "TIMEOUT", e
    except BaseException as e:  # noqa: BLE001 - everything else is the bug we are looking for
        if isinstance(e, KeyboardInterrupt):
            raise
        outcome, exc = f"CRASH {type(e).__name__}", e
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return outcome, exc, time.perf_counter() - start


def signature(exc: BaseException) -> str:
    """Exception type and the innermost frame inside extractor/ (to group crashes)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "extractor" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {where}"


def save(crashes: Path, seed: int, i: int, doc, data: bytes, outcome: str, exc: BaseException) -> Path:
    crashes.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(data).hexdigest()[:12]
    ext = doc.kind
    path = crashes / f"{outcome.split()[-1]}-{seed}-{i}-{digest}.{ext}"
    path.write_bytes(data)
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    path.with_suffix(".txt").write_text(
        f"case {i} of seed {seed} (mutant of {doc.name}): {outcome}\n"
        f"replay: python fuzz/run_fuzz.py --seed {seed} --replay {i}\n\n{tb}", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=1000, help="number of cases to run (default 1000)")
    ap.add_argument("--start", type=int, default=0, help="index of the first case (default 0)")
    ap.add_argument("--seed", type=int, default=0, help="run seed (default 0)")
    ap.add_argument("--kind", choices=["all", "docx", "html", "pdf"], default="all", help="which fixtures to mutate")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds one case may take (default 30)")
    ap.add_argument("--mem-mb", type=int, default=4096, help="address-space limit of this process (default 4096)")
    ap.add_argument("--crashes", type=Path, default=HERE / "crashes", help="where crashing inputs go")
    ap.add_argument("--progress", type=float, default=30.0, help="seconds between progress lines")
    ap.add_argument("--replay", type=int, help="run only case REPLAY and print its outcome and traceback")
    ap.add_argument("--duration", type=float, default=0,
                    help="stop starting cases after this many seconds and print the summary (default 0: no limit)")
    args = ap.parse_args(argv)

    if args.mem_mb:
        limit = args.mem_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGALRM, _alarm)
    seeds = load_seeds(None if args.kind == "all" else args.kind)

    if args.replay is not None:
        doc, data = build_case(seeds, args.seed, args.replay)
        outcome, exc, secs = run_case(data, args.timeout)
        print(f"case {args.replay} (mutant of {doc.name}, {len(data)} bytes): {outcome} in {secs:.2f} s")
        if exc is not None:
            traceback.print_exception(type(exc), exc, exc.__traceback__)
            save(args.crashes, args.seed, args.replay, doc, data, outcome, exc)
        return 1 if exc is not None else 0

    counts: collections.Counter[str] = collections.Counter()
    signatures: collections.Counter[str] = collections.Counter()
    slowest = (0.0, -1)
    start = last = time.perf_counter()
    end = args.start + args.cases
    for i in range(args.start, end):
        if args.duration and time.perf_counter() - start >= args.duration:
            end = i
            break
        doc, data = build_case(seeds, args.seed, i)
        outcome, exc, secs = run_case(data, args.timeout)
        counts[outcome] += 1
        slowest = max(slowest, (secs, i))
        if exc is not None:
            sig = "TIMEOUT" if outcome == "TIMEOUT" else signature(exc)
            signatures[sig] += 1
            if signatures[sig] <= 5:  # a few inputs per distinct crash
                path = save(args.crashes, args.seed, i, doc, data, outcome, exc)
                print(f"case {i}: {outcome} ({sig}) -> {path}", flush=True)
        now = time.perf_counter()
        if now - last >= args.progress:
            done = i + 1 - args.start
            print(f"[{done}/{args.cases}] {done / (now - start):.1f} cases/s {dict(counts)}", flush=True)
            last = now
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    done = end - args.start
    print(f"cases {args.start}..{end - 1} (seed {args.seed}): {done} in {elapsed:.0f} s, "
          f"{done / max(elapsed, 1e-9):.1f} cases/s, slowest case {slowest[1]} at {slowest[0]:.2f} s, "
          f"peak RSS {peak} MiB")
    for outcome, n in counts.most_common():
        print(f"  {outcome:28} {n}")
    for sig, n in signatures.most_common():
        print(f"  crash {sig}: {n}")
    return 1 if signatures else 0


if __name__ == "__main__":
    sys.exit(main())
