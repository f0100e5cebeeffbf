"""The research dataset: one row per agency and year (:meth:`Corpus.panel`).

Columns (:func:`extractor.codebook`, ``in_panel``): the agency
key and year, the report the row comes from, how many reports were found
for that agency and year, where the agency sits (:mod:`extractor.divisions`),
then every harmonized cell (:mod:`extractor.harmonize`) under a Stata/R-safe
name (``app_new_received_total``): counts ``Int64``, money ``float64``.

Which report makes the row. Reports without a year, an agency or a
recognised template (2019 or 2021) have no row. The same content read
twice is one report already (``reports.n_copies``). When an agency has
several reports for one year (the same report as an article and as a
whole page, or a corrected re-publication), the row takes, in order:

1. the report with the fewest ``error`` issues (failed 勾稽 checks);
2. then the one with the most harmonized cells read (not NaN);
3. then the first by source path.

``n_reports`` counts them, ``other_reports`` lists the others' ids and
``values_differ`` says whether any of them has other figures (NaN equal
to NaN), so a study can drop or inspect those rows. Nothing is summed or
averaged across reports.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .variables import apply_dtypes, panel_columns, variable

RULE = "fewest errors, then most harmonized cells read, then first source path"


def build_panel(reports: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """One row per (agency_key, year) from the corpus tables (module doc)."""
    from .divisions import locate_many
    from .harmonize import HARMONIZED, harmonized_matrix

    cols = panel_columns()
    cell_vars = [variable(h.table, h.row, h.column) for h in HARMONIZED]
    r = reports[reports["template"].isin(["2019", "2021"]) & reports["agency_key"].notna() & reports["year"].notna()]
    if r.empty:
        return apply_dtypes("panel", pd.DataFrame({c: pd.Series([], dtype=object) for c in cols}))
    wide = harmonized_matrix(r, facts)
    wide.columns = cell_vars
    cand = r.set_index("report_id")[["agency_key", "year", "agency", "template", "source_path", "n_error", "n_warning"]]
    cand = cand.join(wide)
    cand["_cells"] = wide.notna().sum(axis=1).reindex(cand.index).fillna(0).astype("int64")
    cand["_err"] = cand["n_error"].fillna(0).astype("int64")
    cand["_path"] = cand["source_path"].fillna("").astype(str)
    cand = cand.reset_index().sort_values(["agency_key", "year", "_err", "_cells", "_path"],
                                          ascending=[True, True, True, False, True], kind="stable")
    keys = ["agency_key", "year"]
    first = ~cand.duplicated(keys)
    best, others = cand[first], cand[~first]
    panel = best.set_index(keys)
    panel["n_reports"] = cand.groupby(keys).size()
    panel["other_reports"] = others.groupby(keys)["report_id"].agg(";".join)
    # another report differs when any of its cells differs from the chosen one's (NaN equal to NaN)
    mine = panel.loc[list(zip(others["agency_key"], others["year"])), cell_vars].to_numpy(dtype="float64", na_value=np.nan)
    theirs = others[cell_vars].to_numpy(dtype="float64", na_value=np.nan)
    same = (mine == theirs) | (np.isnan(mine) & np.isnan(theirs))
    differ = pd.Series(~same.all(axis=1), index=pd.MultiIndex.from_arrays([others["agency_key"], others["year"]]))
    panel["values_differ"] = differ.groupby(level=[0, 1]).any().reindex(panel.index, fill_value=False) if len(others) else False
    panel = panel.reset_index()
    where = locate_many(list(zip(panel["agency"], [_int(y) for y in panel["year"]])))
    for field in ("province", "prefecture", "county", "division_code", "admin_level", "agency_kind"):
        panel[field] = [where[(a, _int(y))][field] for a, y in zip(panel["agency"], panel["year"])]
    return apply_dtypes("panel", panel.reindex(columns=cols)).reset_index(drop=True)


def _int(v: Any) -> int | None:
    try:
        return int(v)
    except (TypeError, ValueError):
        return None
