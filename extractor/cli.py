"""Command line: ``extractor show|check|convert`` (also ``python -m extractor``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Iterable, Sequence

#: File endings a folder search picks up: the formats we read, and report
#: formats we cannot read yet (listed as failures, never silently skipped).
SUFFIXES = {".docx", ".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".doc", ".wps", ".pdf", ".mht", ".mhtml"}


def discover(inputs: Iterable[str]) -> list[Path]:
    """Files named by ``inputs`` (files, folders searched recursively, globs), sorted."""
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            out.extend(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            out.append(path)
        else:
            out.extend(p for p in Path().glob(item) if p.is_file())
    return sorted(dict.fromkeys(out))


def _show(path: str) -> int:
    import pandas as pd

    import extractor

    r = extractor.parse(path)
    for key in ("title", "agency", "year", "template", "source_format", "report_id"):
        print(f"{key:>14}: {r.meta.get(key)}")
    from .templates import TABLE_TITLES

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


def _convert(inputs: Sequence[str], out: str) -> int:
    import pandas as pd

    import extractor

    files = discover(inputs)
    if not files:
        print("no input files found", file=sys.stderr)
        return 2
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    reports, facts, issues, errors = [], [], [], []
    for f in files:
        try:
            r = extractor.parse(f)
        except extractor.ParseError as exc:
            errors.append({"path": str(f), "error": type(exc).__name__, "message": exc.reason})
            continue
        except Exception as exc:  # a bug must not stop the batch: record it
            errors.append({"path": str(f), "error": type(exc).__name__, "message": str(exc)})
            continue
        row = dict(r.meta)
        for sev in ("error", "warning", "info"):
            row[f"n_{sev}"] = sum(1 for i in r.issues if i.severity == sev)
        reports.append(row)
        fr = r.facts.copy()
        fr.insert(1, "agency", r.meta["agency"])
        fr.insert(2, "year", r.meta["year"])
        facts.append(fr)
        iss = r.issues_frame()
        iss.insert(0, "report_id", r.meta["report_id"])
        issues.append(iss)
    kw = dict(index=False, encoding="utf-8-sig")
    pd.DataFrame(reports).to_csv(outdir / "reports.csv", **kw)
    (pd.concat(facts, ignore_index=True) if facts else pd.DataFrame()).to_csv(outdir / "facts.csv", **kw)
    (pd.concat(issues, ignore_index=True) if issues else pd.DataFrame()).to_csv(outdir / "issues.csv", **kw)
    pd.DataFrame(errors, columns=["path", "error", "message"]).to_csv(outdir / "errors.csv", **kw)
    print(f"parsed {len(reports)}, failed {len(errors)} of {len(files)} files -> {outdir}")
    return 0 if reports else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``extractor`` command."""
    ap = argparse.ArgumentParser(prog="extractor", description=__doc__)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p_show = sub.add_parser("show", help="a readable summary of one report")
    p_show.add_argument("file")
    p_check = sub.add_parser("check", help="consistency issues, one line each")
    p_check.add_argument("inputs", nargs="+")
    p_conv = sub.add_parser("convert", help="parse files and folders into CSV tables")
    p_conv.add_argument("inputs", nargs="+")
    p_conv.add_argument("-o", "--out", required=True)
    args = ap.parse_args(argv)
    try:
        if args.cmd == "show":
            return _show(args.file)
        if args.cmd == "check":
            return _check(args.inputs)
        return _convert(args.inputs, args.out)
    except BrokenPipeError:  # output piped into head & co.
        sys.stderr.close()
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
