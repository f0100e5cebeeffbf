"""Command line: ``extractor convert|show|check`` (also ``python -m extractor``)."""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Sequence

from ..discovery import discover


def _show(path: str) -> int:
    import pandas as pd

    import extractor
    from ..recognition.templates import TABLE_TITLES

    r = extractor.parse(path)
    for key in ("title", "agency", "year", "template", "source_format", "report_id"):
        print(f"{key:>14}: {r.meta.get(key)}")
    with pd.option_context("display.max_rows", 100, "display.max_columns", 20, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        for name, title in TABLE_TITLES.items():
            t = r.table(name)
            print(f"\n{title}")
            print(t.to_string() if not t.empty else "  (not found)")
    print("\nsections:", ", ".join(f"{s.number} {s.title}" for s in r.sections if s.level == 1))
    print(f"\nissues ({len(r.issues)}):")
    for i in r.issues:
        print(f"  {i.severity:7} {i.code:28} {i.message}")
    return 0


def _check(inputs: Sequence[str]) -> int:
    import extractor

    files = discover(inputs)
    for f in files:
        try:
            r = extractor.parse(f)
        except extractor.ParseError as exc:
            print(f"{f}\terror\tparse.failed\t{exc.reason}")
            continue
        for i in r.issues:
            if i.code.startswith(("applications.", "review_litigation.", "check.", "value.")):
                print(f"{f}\t{i.severity}\t{i.code}\t{i.message}")
    return 0 if files else 2


_UNSUPPORTED = {"UnsupportedFormatError", "LegacyDocError"}


def _convert(args: argparse.Namespace) -> int:
    from ..batch import file_sha256, iter_outcomes
    from .store import FORMATS, Store

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        print(f"extractor convert: unknown format(s) {', '.join(bad)}; choose from {', '.join(FORMATS)}", file=sys.stderr)
        return 2
    files = discover(args.inputs)
    if not files:
        print("extractor convert: no input files found", file=sys.stderr)
        return 2
    store = Store(args.out, force=args.force)
    done = store.done_hashes()
    todo, skipped_done, skipped_dup = [], 0, 0
    seen: set[str] = set()
    for f in files:
        h = file_sha256(f)
        if h is not None and h in done:
            skipped_done += 1
        elif h is not None and h in seen:
            skipped_dup += 1
        else:
            todo.append(f)
            if h:
                seen.add(h)
    client = None
    if args.scheduler:
        from distributed import Client

        client = Client(args.scheduler)
    counts: Counter = Counter()
    unsupported: Counter = Counter()
    started = time.perf_counter()
    interrupted = False
    outcomes = iter_outcomes(todo, jobs=args.jobs, client=client, timeout=args.timeout)
    bar = None
    if not args.quiet:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(todo), unit="file", dynamic_ncols=True, file=sys.stderr)
    try:
        for outcome in outcomes:
            store.add(outcome)
            if outcome["status"] == "ok":
                counts["parsed"] += 1
                n = Counter(i["severity"] for i in outcome["issues"])
                counts["with_errors"] += bool(n["error"])
                counts["with_warnings"] += bool(n["warning"])
            else:
                counts["failed"] += 1
                if outcome["error"] in _UNSUPPORTED:
                    unsupported[Path(outcome["path"]).suffix.lower() or "(none)"] += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(parsed=counts["parsed"], failed=counts["failed"], refresh=False)
    except KeyboardInterrupt:
        interrupted = True
    except OSError as exc:
        if bar is not None:
            bar.close()
        print(f"extractor convert: cannot write to {args.out}: {exc}; the parts written so far are kept, "
              "run the same command again to finish", file=sys.stderr)
        return 3
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    store.finalize(formats)
    elapsed = time.perf_counter() - started
    total = store.n_reports()
    lines = [
        f"{'interrupted: ' if interrupted else ''}parsed {counts['parsed']} "
        f"({counts['with_errors']} with errors, {counts['with_warnings']} with warnings), "
        f"failed {counts['failed']}, skipped {skipped_done + skipped_dup} "
        f"({skipped_done} already in {args.out}, {skipped_dup} duplicate content) "
        f"of {len(files)} files in {elapsed:.1f} s",
    ]
    if unsupported:
        lines.append("unsupported formats: " + ", ".join(f"{ext} {n}" for ext, n in sorted(unsupported.items())))
    lines.append(f"{total} reports in {args.out} ({', '.join(formats)}); failures listed in {Path(args.out) / 'errors.csv'}")
    print("\n".join(lines))
    if interrupted:
        return 130
    return 0 if total else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``extractor`` command."""
    ap = argparse.ArgumentParser(prog="extractor", description="China's government information-disclosure annual reports as data.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_conv = sub.add_parser("convert", help="parse files and folders into tables (resumable)")
    p_conv.add_argument("inputs", nargs="+", help="files, folders (searched recursively) or glob patterns")
    p_conv.add_argument("-o", "--out", required=True, help="output folder")
    p_conv.add_argument("--format", default="parquet,csv", help="comma-separated: parquet,csv,xlsx,dta,jsonl (default parquet,csv)")
    p_conv.add_argument("--jobs", type=int, default=None, help="worker processes (default: all cores)")
    p_conv.add_argument("--timeout", type=float, default=300.0,
                        help="seconds one file may take before it is listed as a Timeout failure (default 300; 0: no limit)")
    p_conv.add_argument("--force", action="store_true", help="parse everything again, discarding earlier results in OUT")
    p_conv.add_argument("--scheduler", default=None, help="address of a Dask scheduler to run on (pip install extractor[dask])")
    p_conv.add_argument("--quiet", action="store_true", help="no progress bar")
    p_show = sub.add_parser("show", help="a readable summary of one report")
    p_show.add_argument("file")
    p_check = sub.add_parser("check", help="consistency issues, one line each")
    p_check.add_argument("inputs", nargs="+")
    args = ap.parse_args(argv)
    try:
        if args.cmd == "show":
            return _show(args.file)
        if args.cmd == "check":
            return _check(args.inputs)
        return _convert(args)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
