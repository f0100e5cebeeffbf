"""Streaming a batch to disk: resumable output folders for ``extractor convert``.

Results are written as they come, in parts of a few hundred reports
(``OUT/.parts/<table>/run0001-000001.parquet``), so memory does not grow with
the number of files and an interrupted or failed run keeps everything it
had finished. At the end the parts are joined into the requested formats
(Parquet, CSV, JSON lines stream part by part; Excel and Stata load each
table once). A later run skips files whose content hash is already in the
folder and merges its new results.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..corpus import TABLE_COLUMNS, Rows, cross_year_issues, typed, with_agency_keys
from .export import csv_safe

FORMATS = ("parquet", "csv", "xlsx", "dta", "jsonl")
#: Failures that depend only on the file's bytes: a rerun skips those files.
FINAL_ERRORS = frozenset({"EmptyFileError", "UnsupportedFormatError", "LegacyDocError", "CorruptFileError", "ResourceLimitError"})


def _schema(name: str):
    """The Arrow schema of a table: the codebook's dtypes, pandas metadata
    and the schema version (:func:`extractor.variables.arrow_schema`)."""
    from ..variables import arrow_schema

    return arrow_schema(name, TABLE_COLUMNS[name])


class Store:
    """An output folder that collects parse outcomes part by part."""

    def __init__(self, out: str | Path, *, force: bool = False, part_size: int = 250) -> None:
        self.out = Path(out)
        self.parts = self.out / ".parts"
        if force and self.parts.exists():
            shutil.rmtree(self.parts)
        for name in TABLE_COLUMNS:
            (self.parts / name).mkdir(parents=True, exist_ok=True)
        runs = [_run_of(p) for p in (self.parts / "reports").glob("run*.parquet")] + \
               [_run_of(p) for p in (self.parts / "errors").glob("run*.parquet")]
        self.run = max(runs, default=0) + 1
        self.seq = 0
        self.part_size = part_size
        self.rows = Rows(keys=False)  # agency keys are filled when the parts are read back

    def done_hashes(self) -> set[str]:
        """Content hashes earlier runs finished: reports parsed, and files
        that failed for a reason a rerun cannot change
        (:data:`FINAL_ERRORS`). Transient failures are tried again."""
        import pyarrow.parquet as pq

        out: set[str] = set()
        for p in self._part_files("reports"):
            out.update(x for x in pq.read_table(p, columns=["sha256"]).column("sha256").to_pylist() if x)
        for p in self._part_files("errors"):
            t = pq.read_table(p, columns=["sha256", "error"]).to_pydict()
            out.update(h for h, e in zip(t["sha256"], t["error"]) if h and e in FINAL_ERRORS)
        return out

    @property
    def buffered(self) -> int:
        """Outcomes added since the last part was written."""
        return self.rows.n

    def add(self, outcome: dict) -> None:
        self.rows.add(outcome)
        if self.rows.n >= self.part_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered outcomes as one part of each table."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows.n:
            return
        self.seq += 1
        for name, df in self.rows.frames().items():
            if df.empty:
                continue
            table = pa.Table.from_pandas(df, schema=_schema(name), preserve_index=False)
            tmp = self.parts / name / f".run{self.run:04d}-{self.seq:06d}.tmp"
            pq.write_table(table, tmp)
            tmp.rename(self.parts / name / f"run{self.run:04d}-{self.seq:06d}.parquet")
        self.rows = Rows(keys=False)  # agency keys are filled when the parts are read back

    def _part_files(self, name: str) -> list[Path]:
        return sorted((self.parts / name).glob("run*.parquet"))

    def _iter(self, name: str) -> Iterable[pd.DataFrame]:
        import pyarrow.parquet as pq

        for p in self._part_files(name):
            df = typed(name, pq.read_table(p).to_pandas())
            yield with_agency_keys(df) if name == "reports" else df

    def _errors(self) -> pd.DataFrame:
        """Errors of all runs: the latest per file, without files parsed
        since (the same content parsed in any run, or the same path parsed
        in the same or a later run: a file that was missing, unreadable or
        being written when it failed)."""
        import pyarrow.parquet as pq

        files = self._part_files("errors")
        if not files:
            return typed("errors", pd.DataFrame())
        err = pd.concat([typed("errors", pq.read_table(p).to_pandas()).assign(_run=_run_of(p)) for p in files],
                        ignore_index=True).drop_duplicates(["path"], keep="last")
        parsed_in: dict[str, int] = {}  # path -> the last run that parsed it
        done: set[str] = set()  # content parsed in any run
        for p in self._part_files("reports"):
            t = pq.read_table(p, columns=["source_path", "sha256"]).to_pydict()
            parsed_in.update(dict.fromkeys(t["source_path"], _run_of(p)))
            done.update(h for h in t["sha256"] if h)
        since = err["path"].map(lambda x: parsed_in.get(x, 0)) >= err["_run"]
        return err[~err["sha256"].isin(done) & ~since].drop(columns="_run").reset_index(drop=True)

    def _extra_issues(self) -> pd.DataFrame:
        """Cross-year issues over all reports in the folder."""
        import pyarrow.parquet as pq

        reports = pd.concat(list(self._iter("reports")), ignore_index=True) if self._part_files("reports") else None
        if reports is None or reports.empty:
            return typed("issues", pd.DataFrame())
        filt = [("table", "=", "applications"), ("row", "in", ["carried_over", "carried_forward"])]
        facts = pd.concat([pq.read_table(p, filters=filt).to_pandas() for p in self._part_files("facts")], ignore_index=True)
        return typed("issues", cross_year_issues(reports, facts))

    def n_reports(self) -> int:
        import pyarrow.parquet as pq

        return sum(pq.read_metadata(p).num_rows for p in self._part_files("reports"))

    def finalize(self, formats: Iterable[str]) -> None:
        """Join the parts into the requested formats; errors.csv always."""
        self.flush()
        formats = list(formats)
        extra = self._extra_issues()
        errors = self._errors()
        csv_safe(errors).to_csv(self.out / "errors.csv", index=False, encoding="utf-8-sig")
        if "parquet" in formats or "csv" in formats:
            self._stream_tables(formats, extra, errors)
        if "jsonl" in formats:
            self._write_jsonl(extra)
        if "xlsx" in formats or "dta" in formats:
            from ..corpus import Corpus

            loaded = {n: (pd.concat(list(self._iter(n)), ignore_index=True) if self._part_files(n) else typed(n, pd.DataFrame()))
                      for n in ("reports", "facts", "sections", "issues")}
            corpus = Corpus(loaded["reports"], loaded["facts"], loaded["sections"], loaded["issues"], errors)
            if "xlsx" in formats:
                corpus.to_excel(self.out / "reports.xlsx")
            if "dta" in formats:
                corpus.to_stata(self.out / "dta")
        write_panel(self, formats)

    def _stream_tables(self, formats: list[str], extra: pd.DataFrame, errors: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for name in TABLE_COLUMNS:
            if name == "errors":
                chunks: Iterable[pd.DataFrame] = [errors]
            elif name == "issues":
                chunks = _chain(self._iter(name), [extra] if len(extra) else [])
            else:
                chunks = self._iter(name)
            writer = None
            csv_path = self.out / f"{name}.csv"
            first = True
            try:
                if "csv" in formats:
                    csv_path.unlink(missing_ok=True)
                for df in chunks:
                    if "csv" in formats:
                        csv_safe(df).to_csv(csv_path, mode="w" if first else "a", header=first, index=False,
                                  encoding="utf-8-sig" if first else "utf-8")
                    if "parquet" in formats:
                        if writer is None:
                            writer = pq.ParquetWriter(self.out / f"{name}.parquet", _schema(name))
                        writer.write_table(pa.Table.from_pandas(df, schema=_schema(name), preserve_index=False))
                    first = False
                if first:
                    empty = typed(name, pd.DataFrame())
                    if "csv" in formats:
                        empty.to_csv(csv_path, index=False, encoding="utf-8-sig")
                    if "parquet" in formats:
                        pq.write_table(pa.Table.from_pandas(empty, schema=_schema(name), preserve_index=False),
                                       self.out / f"{name}.parquet")
            finally:
                if writer is not None:
                    writer.close()

    def _write_jsonl(self, extra: pd.DataFrame) -> None:
        import pyarrow.parquet as pq

        from .export import report_records

        def load(name: str, part: str) -> pd.DataFrame:
            path = self.parts / name / part
            df = typed(name, pq.read_table(path).to_pandas() if path.exists() else pd.DataFrame())
            return with_agency_keys(df) if name == "reports" else df

        with open(self.out / "reports.jsonl", "w", encoding="utf-8") as fh:
            for rp in self._part_files("reports"):
                reports = load("reports", rp.name)
                issues = load("issues", rp.name)
                if len(extra):
                    issues = pd.concat([issues, extra[extra["report_id"].isin(reports["report_id"])]], ignore_index=True)
                for rec in report_records(reports, load("facts", rp.name), load("sections", rp.name), issues):
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")


def write_panel(store: Store, formats: list[str]) -> None:
    """panel.parquet / panel.csv (and the codebook.csv beside them) from all
    reports in the folder: one row per agency and year (:mod:`extractor.panel`).
    The .dta and Excel outputs get theirs from :class:`~extractor.Corpus`."""
    import pyarrow.parquet as pq

    from ..variables import codebook, write_parquet
    from ..panel import build_panel

    if not ({"parquet", "csv"} & set(formats)):
        return
    reports = (pd.concat(list(store._iter("reports")), ignore_index=True) if store._part_files("reports")
               else typed("reports", pd.DataFrame()))
    reports = reports.drop_duplicates("report_id")
    if reports.empty:
        facts = typed("facts", pd.DataFrame())
    else:
        cols = ["report_id", "table", "row", "column", "value"]
        facts = pd.concat([pq.read_table(p, columns=cols).to_pandas() for p in store._part_files("facts")], ignore_index=True)
    panel = build_panel(reports, facts)
    if "parquet" in formats:
        write_parquet(panel, store.out / "panel.parquet", "panel")
    if "csv" in formats:
        csv_safe(panel).to_csv(store.out / "panel.csv", index=False, encoding="utf-8-sig")
    codebook().to_csv(store.out / "codebook.csv", index=False, encoding="utf-8-sig")


def _run_of(part: Path) -> int:
    """The run number of a part file (``run0003-000012.parquet`` → 3)."""
    return int(part.name[3:7])


def _chain(*iterables):
    for it in iterables:
        yield from it
