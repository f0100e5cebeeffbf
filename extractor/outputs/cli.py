"""Command line: ``extractor convert|show|check`` (also ``python -m extractor``).

Exit codes (:data:`EXIT_CODES`): 0 success, 1 nothing could be parsed
(``check``: error-level issues found), 2 usage error, 3 the output cannot be
written, 130 interrupted. Mistakes print one line on standard error, never
a traceback (``-vv`` adds the traceback of an unexpected error).
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import time
from collections import Counter
from pathlib import Path
from typing import IO, Any, Sequence

from ..discovery import Scan, Sidecars, scan, special_kind
from ..normalize import path_text

log = logging.getLogger("extractor")

#: What each exit status means.
EXIT_CODES = {
    0: "success (convert: OUT holds at least one report; check: no error-level issue)",
    1: "convert: nothing could be parsed; show: the file is not a readable report; "
       "check: error-level issues found or a file could not be parsed",
    2: "usage error: an unknown option, a bad value, an input that names no file",
    3: "the output cannot be written (convert -o names a file, a folder without write permission, a full disk)",
    130: "interrupted (Ctrl-C)",
}

#: Longest --timeout accepted (seconds): about 11.5 days.
MAX_TIMEOUT = 1e6


class UsageError(Exception):
    """A mistake in what the command was asked to do (exit status 2)."""


class OutputError(Exception):
    """The output cannot be written (exit status 3)."""


def _timeout(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"{text!r}: seconds between 0 (no limit) and {MAX_TIMEOUT:g}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: at least 1")
    return value


def _setup_logging(verbose: int, quiet: bool) -> None:
    """``logging`` for the command: warnings (the default), INFO with
    ``-v``, DEBUG with ``-vv``, errors only with ``-q``; one line each on
    standard error."""
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    log.setLevel(level)
    for old in [h for h in log.handlers if getattr(h, "_extractor_cli", False)]:
        log.removeHandler(old)  # one handler, on this call's standard error
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("extractor: %(message)s"))
    handler._extractor_cli = True  # type: ignore[attr-defined]
    log.addHandler(handler)
    log.propagate = False


def _one_file(path: str) -> Any:
    """The source ``show`` reads: standard input for ``-``, else the path,
    refused with a :class:`UsageError` when it is not a regular file."""
    if path == "-":
        return sys.stdin.buffer
    p = Path(path)
    what = special_kind(p)
    if what is not None:
        raise UsageError(f"{path}: {what}, not a regular file")
    if p.is_dir():
        raise UsageError(f"{path}: a folder; show reads one file (convert and check take folders)")
    if not p.is_file():
        raise UsageError(f"{path}: no such file")
    return p


def _show(args: argparse.Namespace) -> int:
    import pandas as pd

    import extractor
    from ..recognition.templates import TABLE_TITLES

    source = _one_file(args.file)
    try:
        r = extractor.parse(source)
    except extractor.ParseError as exc:
        _say("show", f"{exc.source}: {exc.reason}")
        return 1
    if isinstance(source, Path):
        fields, problem = Sidecars().meta(source)
        r.meta.update(fields)
        if problem:
            log.warning("%s", problem)
    keys = ["title", "agency", "year", "template", "source_format", "report_id", "publication_date", "status",
            *sorted(k for k in r.meta if k.startswith("source_") and k != "source_format" and k != "source_path")]
    for key in keys:
        value = r.status if key == "status" else r.meta.get(key)
        if value is not None or key in ("title", "agency", "year", "template"):
            print(f"{key:>16}: {value}")
    with pd.option_context("display.max_rows", 100, "display.max_columns", 20, "display.width", 200,
                           "display.unicode.east_asian_width", True):
        for name, title in TABLE_TITLES.items():
            t = r.table(name)
            print(f"\n{title}")
            print(t.astype(object).where(t.notna(), "").to_string() if not t.empty else "  (not found)")  # counts as integers
    print("\nsections:", ", ".join(f"{s.number} {s.title}" for s in r.sections if s.level == 1))
    print(f"\nissues ({len(r.issues)}):")
    for i in r.issues:
        print(f"  {i.severity:7} {i.code:28} {i.message}")
    return 0


_LEVELS = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info")}


def _inputs(args: argparse.Namespace, command: str) -> Scan:
    """The files named on the command line (``-``: for check a report on
    standard input, for convert the names of the inputs, one a line)."""
    inputs = list(args.inputs)
    if command == "convert" and "-" in inputs:
        inputs.remove("-")
        inputs.extend(line.strip() for line in sys.stdin if line.strip())
    found = scan(inputs, sniff=args.sniff, exclude=[args.out] if command == "convert" else [])
    for item in found.missing:
        log.warning("no such file or folder: %s", item)
    reasons = Counter(_reason_kind(why) for _p, why in found.skipped)
    if reasons:
        log.warning("skipped %d file(s) in folders: %s%s", len(found.skipped),
                    ", ".join(f"{n} {kind}" for kind, n in reasons.most_common()),
                    "" if log.isEnabledFor(logging.INFO) else " (-v lists them)")
    return found


def _reason_kind(why: str) -> str:
    """A skip reason without the file's own details, to count by."""
    return why.split(":")[0]


def _check(args: argparse.Namespace) -> int:
    import extractor

    severities = _LEVELS[args.level]
    stdin = "-" in args.inputs
    if stdin:
        args.inputs = [i for i in args.inputs if i != "-"]
    found = _inputs(args, "check") if args.inputs else Scan()
    sources: list[Any] = ([sys.stdin.buffer] if stdin else []) + list(found.files)
    if not sources and not found.special:
        raise UsageError("no input files found")
    counts: Counter = Counter()
    out = sys.stdout
    for failed in found.special_outcomes():
        counts["failed"] += 1
        out.write(f"{failed['path']}\terror\tparse.failed\t{failed['error']}: {failed['message']}\n")
    for src in sources:
        name = "-" if src is sys.stdin.buffer else path_text(src)  # a name that is not UTF-8 with \xNN escapes
        try:
            r = extractor.parse(src)
        except extractor.ParseError as exc:
            counts["failed"] += 1
            out.write(f"{name}\terror\tparse.failed\t{type(exc).__name__}: {exc.reason}\n")
            continue
        severity = Counter(i.severity for i in r.issues)
        counts["with_errors"] += bool(severity["error"])
        counts["with_warnings"] += bool(severity["warning"])
        for i in r.issues:
            if i.severity in severities:
                out.write(f"{name}\t{i.severity}\t{i.code}\t{i.message}\n")
    n = len(sources) + len(found.special)
    log.info("checked %d file(s): %d with errors, %d with warnings, %d could not be parsed",
             n, counts["with_errors"], counts["with_warnings"], counts["failed"])
    return 1 if counts["with_errors"] or counts["failed"] else 0


_UNSUPPORTED = {"UnsupportedFormatError", "LegacyDocError"}


def _convert(args: argparse.Namespace) -> int:
    from ..batch import file_sha256, iter_outcomes
    from .store import FORMATS, Store

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise UsageError(f"unknown format(s) {', '.join(bad) or repr(args.format)}; choose from {', '.join(FORMATS)}")
    try:
        sidecars = Sidecars(args.manifest)
    except (OSError, ValueError) as exc:
        raise UsageError(f"manifest {args.manifest}: {getattr(exc, 'strerror', None) or exc}") from None
    found = _inputs(args, "convert")
    files = found.files
    if not files and not found.special:
        raise UsageError("no input files found")
    try:
        store = Store(args.out, force=args.force)
    except OSError as exc:
        raise OutputError(_cannot_write(args.out, exc)) from None
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
    client = _client(args.scheduler) if args.scheduler else None
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
        for outcome in found.special_outcomes():
            store.add(outcome)
            counts["failed"] += 1
        for outcome in outcomes:
            sidecars.apply(outcome)
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
        raise OutputError(f"{_cannot_write(args.out, exc)}; the parts written so far are kept, "
                          "run the same command again to finish") from None
    finally:
        if bar is not None:
            bar.close()
        if client is not None:
            client.close()
    try:
        store.finalize(formats)
    except OSError as exc:
        raise OutputError(_cannot_write(args.out, exc)) from None
    elapsed = time.perf_counter() - started
    total = store.n_reports()
    lines = [
        f"{'interrupted: ' if interrupted else ''}parsed {counts['parsed']} "
        f"({counts['with_errors']} with errors, {counts['with_warnings']} with warnings), "
        f"failed {counts['failed']}, skipped {skipped_done + skipped_dup} "
        f"({skipped_done} already in {args.out}, {skipped_dup} duplicate content) "
        f"of {len(files) + len(found.special)} files in {elapsed:.1f} s",
    ]
    if unsupported:
        lines.append("unsupported formats: " + ", ".join(f"{ext} {n}" for ext, n in sorted(unsupported.items())))
    lines.append(f"{total} reports in {args.out} ({', '.join(formats)}); failures listed in {Path(args.out) / 'errors.csv'}")
    print("\n".join(lines))
    if interrupted:
        return 130
    return 0 if total else 1


def _cannot_write(out: str, exc: OSError) -> str:
    if Path(out).exists() and not Path(out).is_dir():
        return f"cannot write to {out}: it is a file, not a folder"
    return f"cannot write to {out}: {exc.strerror or exc}"


def _client(address: str) -> Any:
    """A Dask client for ``--scheduler``; UsageError when it cannot be had."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--scheduler needs dask.distributed: pip install -e \".[dask]\"") from None
    try:
        return Client(address, timeout=30)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-v", "--verbose", action="count", default=0,
                        help="say more: -v lists skipped files and progress notes, -vv adds debugging detail")
    common.add_argument("-q", "--quiet", action="store_true", help="no progress bar; only errors on standard error")
    ap = argparse.ArgumentParser(
        prog="extractor", description="China's government information-disclosure annual reports as data.",
        epilog="exit status: " + "; ".join(f"{k} {v}" for k, v in EXIT_CODES.items()))
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="cmd", required=True, metavar="{convert,show,check}")
    p_conv = sub.add_parser("convert", parents=[common], help="parse files and folders into tables (resumable)")
    p_conv.add_argument("inputs", nargs="+",
                        help="files, folders (searched recursively) or glob patterns; - reads their names from standard input")
    p_conv.add_argument("-o", "--out", required=True, help="output folder")
    p_conv.add_argument("--format", default="parquet,csv", help="comma-separated: parquet,csv,xlsx,dta,jsonl (default parquet,csv)")
    p_conv.add_argument("--jobs", type=_positive, default=None, help="worker processes (default: all cores)")
    p_conv.add_argument("--timeout", type=_timeout, default=300.0,
                        help="seconds one file may take: then its worker process is stopped and the file listed as a "
                             "Timeout failure (default 300; 0: no limit; not with --scheduler)")
    p_conv.add_argument("--force", action="store_true", help="parse everything again, discarding earlier results in OUT")
    p_conv.add_argument("--scheduler", default=None, help="address of a Dask scheduler to run on (pip install -e \".[dask]\")")
    p_conv.add_argument("--sniff", action="store_true",
                        help="in folders, also read files without an ending or with a server page's ending (.jsp, .aspx, .php …) whose content is a report format")
    p_conv.add_argument("--manifest", default=None,
                        help="CSV with a path column and url, published, title, agency: merged into each report's metadata")
    p_show = sub.add_parser("show", parents=[common], help="a readable summary of one report")
    p_show.add_argument("file", help="a report file; - reads it from standard input")
    p_check = sub.add_parser("check", parents=[common], help="issues, one line each; exit status 1 when errors are found")
    p_check.add_argument("inputs", nargs="+", help="files, folders or glob patterns; - reads a report from standard input")
    p_check.add_argument("--level", choices=list(_LEVELS), default="warning",
                         help="lowest severity listed (default warning: errors and warnings)")
    p_check.add_argument("--sniff", action="store_true", help="as for convert")
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``extractor`` command: the exit status
    (:data:`EXIT_CODES`)."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # --help, --version, a usage error argparse printed
        return exc.code if isinstance(exc.code, int) else 2
    _setup_logging(args.verbose, args.quiet)
    command = {"show": _show, "check": _check, "convert": _convert}[args.cmd]
    try:
        return command(args)
    except UsageError as exc:
        _say(args.cmd, str(exc))
        return 2
    except OutputError as exc:
        _say(args.cmd, str(exc))
        return 3
    except KeyboardInterrupt:
        _say(args.cmd, "interrupted")
        return 130
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0
    except Exception as exc:  # a bug: one line, the traceback with -vv
        log.debug("traceback", exc_info=True)
        _say(args.cmd, f"internal error: {type(exc).__name__}: {exc} (-vv shows the traceback)")
        return 1


def _say(command: str, message: str, stream: IO[str] | None = None) -> None:
    print(f"extractor {command}: {message}", file=stream or sys.stderr)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
