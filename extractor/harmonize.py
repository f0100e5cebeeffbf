"""One set of keys across the 2019 and 2021 templates (as data).

Tables 三 and 四 have the same keys in both templates, except （六）其他处理:
2019 prints one row (``other``), 2021 three (``other.no_correction``,
``other.unpaid_fee``, ``other.misc``); their sum is 2019's row. Table 二 is
comparable only in part: the counts of rules and normative documents made
in the year (2019 本年新制作数量 ↔ 2021 本年制发件数; 规范性文件 ↔
行政规范性文件) and the decisions on licensing, punishment and coercion.
What has no counterpart is not in the harmonized table at all; a cell
whose sources are all blank stays NaN, never 0.

>>> [m for m in HARMONIZED if (m.row, m.column) == ("other", "total")][0].sources["2021"]
(('other.no_correction', 'total'), ('other.unpaid_fee', 'total'), ('other.misc', 'total'))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from .recognition.templates import TEMPLATES


@dataclass(frozen=True)
class Harmonized:
    """A harmonized cell and, per template, the cells it sums."""

    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    sources: dict[str, tuple[tuple[str, str], ...]]


def _build() -> list[Harmonized]:
    out: list[Harmonized] = []
    apps21 = TEMPLATES["2021"]["applications"]
    for row in TEMPLATES["2019"]["applications"].rows:
        for col in apps21.columns:
            if row.key == "other":
                parts21 = tuple((k, col.key) for k in ("other.no_correction", "other.unpaid_fee", "other.misc"))
                out.append(Harmonized("applications", "other", col.key, "（六）其他处理", col.label,
                                      {"2019": (("other", col.key),), "2021": parts21}))
            else:
                out.append(Harmonized("applications", row.key, col.key, row.label, col.label,
                                      {"2019": ((row.key, col.key),), "2021": ((row.key, col.key),)}))
    rl = TEMPLATES["2021"]["review_litigation"]
    for row in rl.rows:
        for col in rl.columns:
            same = ((row.key, col.key),)
            out.append(Harmonized("review_litigation", row.key, col.key, row.label, col.label, {"2019": same, "2021": same}))
    ad = [
        ("rules", "issued", "规章", "本年制发件数（2019：本年新制作数量）", ("rules", "made"), ("rules", "issued")),
        ("normative_docs", "issued", "（行政）规范性文件", "本年制发件数（2019：本年新制作数量）", ("normative_docs", "made"), ("normative_docs", "issued")),
        ("licensing", "decisions", "行政许可", "处理决定数量", ("licensing", "decisions"), ("licensing", "decisions")),
        ("punishment", "decisions", "行政处罚", "处理决定数量", ("punishment", "decisions"), ("punishment", "decisions")),
        ("coercion", "decisions", "行政强制", "处理决定数量", ("coercion", "decisions"), ("coercion", "decisions")),
    ]
    for rk, ck, rl_, cl_, s19, s21 in ad:
        out.append(Harmonized("active_disclosure", rk, ck, rl_, cl_, {"2019": (s19,), "2021": (s21,)}))
    return out


#: Every harmonized cell in order.
HARMONIZED: list[Harmonized] = _build()


HARMONIZED_COLUMNS = ["report_id", "agency", "year", "template", "table", "row", "column", "value", "row_label", "column_label"]


def harmonized_matrix(reports: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per report of a known template (index ``report_id``), one
    column per :data:`HARMONIZED` cell, in that order: the wide form of
    :func:`harmonize`, built without the long table."""
    import numpy as np

    cols = [facts[c].tolist() for c in ("report_id", "table", "row", "column", "value")]
    idx = {(r, t, row, col): v for r, t, row, col, v in zip(*cols)}
    rids = [(rid, t) for rid, t in zip(reports["report_id"].tolist(), reports["template"].tolist())
            if isinstance(t, str) and t in ("2019", "2021")]
    out = np.full((len(rids), len(HARMONIZED)), np.nan)
    nan = math.nan
    for i, (rid, template) in enumerate(rids):
        row = out[i]
        for j, h in enumerate(HARMONIZED):
            total, seen = 0.0, False
            for r, c in h.sources[template]:
                v = idx.get((rid, h.table, r, c), nan)
                if v is not None and v is not pd.NA and v == v:
                    total += v
                    seen = True
            if seen:
                row[j] = total
    return pd.DataFrame(out, index=pd.Index([r for r, _ in rids], name="report_id"),
                        columns=pd.MultiIndex.from_tuples([(h.table, h.row, h.column) for h in HARMONIZED]))


def harmonize(reports: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """The harmonized long table of the reports in ``reports`` (see module doc).

    A harmonized cell is the sum of its source cells that hold a number;
    NaN when none does.
    """
    import numpy as np

    m = harmonized_matrix(reports, facts)
    meta = reports.drop_duplicates("report_id").set_index("report_id").reindex(m.index)
    n, k = len(m), len(HARMONIZED)
    df = pd.DataFrame({
        "report_id": np.repeat(m.index.to_numpy(dtype=object), k),
        "agency": np.repeat(meta["agency"].to_numpy(dtype=object), k),
        "year": np.repeat(meta["year"].to_numpy(dtype=object), k),
        "template": np.repeat(meta["template"].to_numpy(dtype=object), k),
        "table": [h.table for h in HARMONIZED] * n,
        "row": [h.row for h in HARMONIZED] * n,
        "column": [h.column for h in HARMONIZED] * n,
        "value": m.to_numpy().ravel(),
        "row_label": [h.row_label for h in HARMONIZED] * n,
        "column_label": [h.column_label for h in HARMONIZED] * n,
    }, columns=HARMONIZED_COLUMNS)
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int64")
    df["value"] = df["value"].astype("float64")
    for c in ("report_id", "agency", "template", "table", "row", "column", "row_label", "column_label"):
        df[c] = df[c].astype("string")
    return df
