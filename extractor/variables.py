"""The codebook: every variable with its labels, unit, template(s) and dtype,
and the dtypes every table keeps through Parquet, CSV and Stata.

The statistics cells come from the templates (:mod:`extractor.recognition.templates`,
with their English labels and short codes beside them), so the codebook
never disagrees with what the parser reads. Variable names are valid in
Stata and R: ``{table}_{row}_{column}`` in short codes, at most 32 characters.

>>> cb = codebook()
>>> cb.set_index("variable").loc["app_new_received_person", ["label_zh", "unit", "dtype"]].tolist()
['一、本年新收政府信息公开申请数量 / 自然人', '件', 'Int64']
>>> variable("active_disclosure", "fees", "amount_10k_yuan")
'ad_fees_amount'
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from .recognition.templates import ENGLISH, MONEY_COLUMNS, SCHEMA_VERSION, SHORT, TABLE_TITLES, TEMPLATES, UNITS

#: File metadata key under which Parquet files carry the schema version.
SCHEMA_KEY = b"extractor.schema_version"

_TEXT = "string"

def _table_dtypes() -> dict[str, dict[str, str]]:
    from .corpus import INT_COLUMNS, TABLE_COLUMNS

    out = {name: {c: "Int64" for c in INT_COLUMNS.get(name, ())} for name in TABLE_COLUMNS}
    out["facts"]["value"] = "float64"
    return out


#: The dtype of every column of the corpus tables that is not text: the
#: integer columns (:data:`extractor.corpus.INT_COLUMNS`) and the facts' value.
TABLE_DTYPES: dict[str, dict[str, str]] = _table_dtypes()

#: Identification and bookkeeping variables of the panel: name -> (中文, English, dtype).
PANEL_ID: dict[str, tuple[str, str, str]] = {
    "agency_key": ("机关匹配键", "Agency key (matches an agency across years)", _TEXT),
    "year": ("年度", "Report year", "Int64"),
    "agency": ("机关（报告所署名称）", "Agency as named in the report", _TEXT),
    "report_id": ("报告标识", "Report id (first 16 hex digits of the file's SHA-256)", _TEXT),
    "template": ("模板", "Template year of the tables (2019 or 2021)", _TEXT),
    "source_path": ("文件路径", "Source file", _TEXT),
    "n_error": ("错误数", "Errors found in the report (勾稽 checks)", "Int64"),
    "n_warning": ("警告数", "Warnings found in the report", "Int64"),
    "n_reports": ("同一机关年度的报告数", "Reports found for this agency and year", "Int64"),
    "other_reports": ("未采用的报告", "Report ids of the other reports for this agency and year", _TEXT),
    "values_differ": ("其他报告数值不同", "Another report for this agency-year has different figures", "boolean"),
}

#: Where the agency sits (:mod:`extractor.divisions`): name -> (中文, English, dtype).
PANEL_MAP: dict[str, tuple[str, str, str]] = {
    "province": ("省级行政区", "Province", _TEXT),
    "prefecture": ("地级行政区", "Prefecture", _TEXT),
    "county": ("县级行政区", "County", _TEXT),
    "division_code": ("行政区划代码", "Division code of the deepest division found", _TEXT),
    "admin_level": ("行政层级", "Administrative level: province, prefecture, county, township", _TEXT),
    "agency_kind": ("机关类型", "Kind: government, government_office, department, development_zone, street_office", _TEXT),
}

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def variable(table: str, row: str, column: str) -> str:
    """The Stata/R-safe variable name of a statistics cell.

    >>> variable("applications", "denied.third_party_rights", "other_org")
    'app_den_third_party_org_other'
    """
    s = SHORT[table]
    name = "_".join((s["table"][""], s["rows"].get(row, row), s["columns"].get(column, column)))
    name = _UNSAFE.sub("_", name)
    if len(name) > 32:  # pragma: no cover - the short codes keep every name within 32 characters
        raise ValueError(f"variable name {name!r} is longer than 32 characters")
    return name


def _harmonized_sources() -> dict[tuple[str, str, str, str], str]:
    """(template, table, row, column) of a source cell -> the panel variable it feeds."""
    from .harmonize import HARMONIZED

    out = {}
    for h in HARMONIZED:
        for template, cells in h.sources.items():
            for r, c in cells:
                out[(template, h.table, r, c)] = variable(h.table, h.row, h.column)
    return out


@lru_cache(maxsize=1)
def _codebook() -> pd.DataFrame:
    from .harmonize import HARMONIZED

    feeds = _harmonized_sources()
    panel_vars = {variable(h.table, h.row, h.column): h for h in HARMONIZED}
    rows: list[dict[str, Any]] = []
    for name, (zh, en, dtype) in {**PANEL_ID, **PANEL_MAP}.items():
        rows.append({"variable": name, "kind": "id" if name in PANEL_ID else "map", "table": None, "row": None,
                     "column": None, "label_zh": zh, "label_en": en, "unit": None, "templates": None, "dtype": dtype,
                     "harmonized": name, "in_panel": True})
    cells: dict[str, dict[str, Any]] = {}
    for template, tables in TEMPLATES.items():
        for table in TABLE_TITLES:
            spec = tables[table]
            for r, c in spec.cells():
                var = variable(table, r.key, c.key)
                money = c.key in MONEY_COLUMNS
                zh = f"{r.label} / {c.label}"
                rec = cells.get(var)
                if rec is None:
                    en = f"{ENGLISH[table]['rows'][r.key]} / {ENGLISH[table]['columns'][c.key]}"
                    rec = cells[var] = {
                        "variable": var, "kind": "cell", "table": table, "row": r.key, "column": c.key,
                        "label_zh": zh, "label_en": en, "unit": UNITS["money" if money else "count"][0],
                        "templates": [], "dtype": "float64" if money else "Int64", "harmonized": set(), "in_panel": False,
                        "_labels": [],
                    }
                rec["templates"].append(template)
                if zh not in rec["_labels"]:
                    rec["_labels"].append(zh)
                if (template, table, r.key, c.key) in feeds:
                    rec["harmonized"].add(feeds[(template, table, r.key, c.key)])
    for var, rec in cells.items():
        labels = rec.pop("_labels")
        rec["label_zh"] = labels[0] if len(labels) == 1 else f"{labels[0]}（{'；'.join(labels[1:])}）"
        rec["templates"] = ";".join(sorted(rec["templates"]))
        rec["harmonized"] = ";".join(sorted(rec["harmonized"])) or None
        rec["in_panel"] = var in panel_vars
        if var in panel_vars:  # the panel variable's own label says what it sums across templates
            h = panel_vars[var]
            rec["label_zh"] = f"{h.row_label} / {h.column_label}"
        rows.append(rec)
    df = pd.DataFrame(rows)
    for c in df.columns:
        df[c] = df[c].astype("boolean" if c == "in_panel" else _TEXT)
    return df


def codebook() -> pd.DataFrame:
    """Every variable: name, kind (``id``, ``map`` or ``cell``), table/row/column
    keys, Chinese and English labels, unit, the templates that have the cell,
    dtype, the panel variable it feeds (``harmonized``) and whether it is a
    column of :meth:`extractor.Corpus.panel` (``in_panel``).

    >>> cb = codebook()
    >>> cb[cb.variable == "app_oth_misc_total"].harmonized.item()
    'app_other_total'
    """
    return _codebook().copy()


def panel_columns() -> list[str]:
    """The columns of the panel, in order: identification, map, then the
    harmonized cells in :data:`extractor.harmonize.HARMONIZED` order."""
    from .harmonize import HARMONIZED

    return [*PANEL_ID, *PANEL_MAP, *(variable(h.table, h.row, h.column) for h in HARMONIZED)]


def panel_dtypes() -> dict[str, str]:
    cb = _codebook()
    return dict(zip(cb.loc[cb["in_panel"], "variable"], cb.loc[cb["in_panel"], "dtype"]))


def stata_labels(columns: list[str]) -> dict[str, str]:
    """Bilingual variable labels (中文 / English), within Stata's 80 characters."""
    cb = _codebook().set_index("variable")
    out = {}
    for c in columns:
        if c in cb.index:
            label = f"{cb.at[c, 'label_zh']} | {cb.at[c, 'label_en']}"
            out[c] = label if len(label) <= 80 else label[:79] + "…"
    return out


# ------------------------------------------------------------------ dtypes through every format


def dtypes(name: str, columns: list[str]) -> dict[str, str]:
    """The dtype of each column of table ``name`` (``panel`` or a corpus table)."""
    if name == "panel":
        known = panel_dtypes()
        return {c: known.get(c, _TEXT) for c in columns}
    known = TABLE_DTYPES.get(name, {})
    return {c: known.get(c, _TEXT) for c in columns}


def _missing(v: Any) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _integral(s: pd.Series) -> bool:
    v = s.dropna()
    return bool(((v % 1) == 0).all()) if len(v) else True


def _as_int(s: pd.Series) -> pd.Series:
    """``Int64`` when every value is a whole number (float64 otherwise: a
    fraction is kept, never rounded)."""
    import numpy as np

    if str(s.dtype) == "Int64":
        return s
    num = s if s.dtype == "float64" else pd.to_numeric(s, errors="coerce")
    arr = num.to_numpy(dtype="float64", na_value=np.nan)
    mask = np.isnan(arr)
    if (np.mod(arr[~mask], 1) != 0).any():
        return pd.Series(arr, index=s.index, name=s.name)
    return pd.Series(pd.arrays.IntegerArray(np.where(mask, 0, arr).astype("int64"), mask), index=s.index, name=s.name)


def apply_dtypes(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the dtypes of table ``name`` (a new frame).

    Integer columns become nullable ``Int64`` (a blank is ``<NA>``, never a
    float), text ``string``. A count column that holds a fraction stays float
    rather than be rounded.
    """
    out = {}
    for c, dt in dtypes(name, list(df.columns)).items():
        s = df[c]
        if dt == "Int64":
            s = _as_int(s)
        elif dt == "float64":
            s = pd.to_numeric(s, errors="coerce").astype("float64")
        elif dt == "boolean":
            if str(s.dtype) != "boolean":
                truth = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}
                s = pd.Series(pd.array([truth.get(str(v).strip().lower()) if not _missing(v) else None for v in s.tolist()],
                                       dtype="boolean"), index=df.index)
        elif str(s.dtype) != _TEXT:
            s = s.astype(_TEXT)
        out[c] = s
    return pd.DataFrame(out, index=df.index, columns=df.columns)


def arrow_schema(name: str, columns: list[str]):
    """The Arrow schema of a table, with pandas metadata (so any Parquet
    reader restores Int64 and string columns) and the schema version."""
    import pyarrow as pa

    empty = apply_dtypes(name, pd.DataFrame({c: pd.Series([], dtype=object) for c in columns}))
    schema = pa.Schema.from_pandas(empty, preserve_index=False)
    return schema.with_metadata({**(schema.metadata or {}), SCHEMA_KEY: SCHEMA_VERSION.encode()})


def write_parquet(df: pd.DataFrame, path: str | Path, name: str) -> None:
    """Write one table as Parquet with :func:`arrow_schema`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    df = apply_dtypes(name, df.copy())
    pq.write_table(pa.Table.from_pandas(df, schema=arrow_schema(name, list(df.columns)), preserve_index=False), path)


def _table_name(path: Path, table: str | None) -> str:
    name = table or path.stem
    if name not in TABLE_DTYPES and name != "panel":
        raise ValueError(f"unknown table {name!r}: pass table= one of panel, {', '.join(TABLE_DTYPES)}")
    return name


def read_parquet(path: str | Path, table: str | None = None) -> pd.DataFrame:
    """Read a table written by :meth:`Corpus.to_parquet` or ``extractor convert``
    with the codebook's dtypes (also for files written before the pandas
    metadata was added). The table is named by ``table`` or the file name."""
    p = Path(path)
    return apply_dtypes(_table_name(p, table), pd.read_parquet(p))


def read_csv(path: str | Path, table: str | None = None) -> pd.DataFrame:
    """Read a CSV written by this package with the codebook's dtypes:
    counts as Int64, money as float, text as string (``schema_version``
    stays ``"1.0"``, a blank year stays ``<NA>``).

    >>> import io, tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "reports.csv")
    >>> _ = open(p, "w", encoding="utf-8-sig").write("report_id,year,schema_version\\nab,2024,1.0\\ncd,,1.0\\n")
    >>> df = read_csv(p)
    >>> df.year.tolist(), df.schema_version.tolist(), str(df.year.dtype)
    ([2024, <NA>], ['1.0', '1.0'], 'Int64')
    """
    p = Path(path)
    df = pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    return apply_dtypes(_table_name(p, table), df)


def codebook_markdown() -> str:
    """The codebook as Markdown (docs/codebook.md is this text; a test keeps
    it current: ``python -m extractor.variables > docs/codebook.md``)."""
    from .divisions import SOURCE
    from .panel import RULE

    cb = _codebook()
    lines = [
        "# Codebook",
        "",
        "Generated from the templates by `python -m extractor.variables > docs/codebook.md`;",
        f"`extractor.codebook()` returns it as a DataFrame, and every output folder has it as codebook.csv. Schema {SCHEMA_VERSION}.",
        "",
        "Variable names are valid in Stata and R. `in_panel` marks the columns of `Corpus.panel()` (one row per",
        f"agency and year; of several reports for one agency-year it takes: {RULE}).",
        "A statistics cell that feeds a panel variable names it under *harmonized* (2021's three （六） rows",
        "sum to 2019's one; 2019's 本年新制作数量 is 2021's 本年制发件数).",
        f"Where an agency sits comes from {SOURCE}.",
        "",
    ]

    def table(rows: pd.DataFrame, cols: list[str]) -> None:
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        for rec in rows[cols].itertuples(index=False):
            lines.append("| " + " | ".join("" if v is pd.NA or v is None else str(v).replace("|", "\\|") for v in rec) + " |")
        lines.append("")

    lines += ["## Identification and map", ""]
    table(cb[cb["kind"] != "cell"], ["variable", "label_zh", "label_en", "dtype"])
    for name, title in TABLE_TITLES.items():
        lines += [f"## {title} (`{name}`)", ""]
        table(cb[cb["table"] == name], ["variable", "label_zh", "label_en", "unit", "templates", "dtype", "harmonized", "in_panel"])
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(codebook_markdown(), end="")
