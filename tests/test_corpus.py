"""Corpus tables: wide, harmonized (real Pingtan reports across templates), cross-year checks, exports."""

from __future__ import annotations

import json
import math
import shutil

import lxml.html
import pandas as pd
import pytest

import extractor
from extractor.corpus import agency_key


@pytest.fixture(scope="module")
def pingtan(real_dir):
    return extractor.parse_many(real_dir / "pingtan", jobs=2)


def _fact(corpus, year, table, row, col):
    rid = corpus.reports.set_index("year").report_id[year]
    f = corpus.facts
    return f[(f.report_id == rid) & (f.table == table) & (f.row == row) & (f.column == col)].value.iloc[0]


def test_corpus_tables(pingtan):
    assert list(pingtan.reports.year) == [2018, 2019, 2020, 2022, 2023, 2024, 2025]
    assert list(pingtan.reports.template.fillna("-")) == ["-", "2019", "2019", "2021", "2021", "2021", "2021"]
    assert pingtan.errors.empty
    assert set(pingtan.facts.columns) >= {"report_id", "agency", "year", "template", "table", "row", "column", "value", "raw"}
    assert (pingtan.reports.n_error > 0).tolist() == [True, False, True, False, False, False, False]


def test_wide_table(pingtan):
    w = pingtan.wide("applications")
    rid = pingtan.reports.set_index("year").report_id[2024]
    assert w.loc[rid, "new_received|natural_person"] == 217
    assert list(w.columns[:3]) == ["agency", "year", "template"]
    labelled = pingtan.wide("applications", labels=True)
    assert "一、本年新收政府信息公开申请数量/自然人" in labelled.columns
    # 2019-template reports have the single （六） row; 2021 ones the three sub-rows
    assert math.isnan(w.loc[rid, "other|total"]) and not math.isnan(w.loc[rid, "other.misc|total"])


def test_harmonized_across_templates(pingtan):
    h = pingtan.harmonized()
    assert set(h.template) == {"2019", "2021"}  # the 2018 free-form report has no template
    hv = h.set_index(["year", "table", "row", "column"]).value
    for year in (2022, 2023, 2024, 2025):
        parts = [_fact(pingtan, year, "applications", r, "total") for r in ("other.no_correction", "other.unpaid_fee", "other.misc")]
        assert hv[(year, "applications", "other", "total")] == sum(parts)
    for year in (2019, 2020):
        assert hv[(year, "applications", "other", "total")] == _fact(pingtan, year, "applications", "other", "total")
        assert hv[(year, "active_disclosure", "normative_docs", "issued")] == _fact(pingtan, year, "active_disclosure", "normative_docs", "made")
    assert hv[(2023, "active_disclosure", "normative_docs", "issued")] == _fact(pingtan, 2023, "active_disclosure", "normative_docs", "issued")
    # one key set for every report: same rows for both templates
    keys = h.groupby("report_id").apply(lambda g: tuple(zip(g.table, g.row, g.column)), include_groups=False)
    assert keys.nunique() == 1
    assert not (h.row.str.contains("procurement|fees|other_services")).any()


def test_harmonized_keeps_nan_where_nothing_was_reported():
    from extractor.harmonize import harmonize

    reports = pd.DataFrame({"report_id": ["x"], "agency": ["a"], "year": [2022], "template": ["2021"]})
    facts = pd.DataFrame({"report_id": ["x"] * 3, "table": ["applications"] * 3,
                          "row": ["other.no_correction", "other.unpaid_fee", "other.misc"], "column": ["total"] * 3,
                          "value": [math.nan] * 3})
    h = harmonize(reports, facts).set_index(["row", "column"]).value
    assert math.isnan(h[("other", "total")]) and math.isnan(h[("new_received", "total")])


def test_cross_year_carry_over_warning(real_dir, tmp_path):
    for y in (2022, 2023):
        shutil.copy(real_dir / "pingtan" / f"pingtan-zonghe-shiyanqu_{y}.page.html", tmp_path / f"{y}.html")
    root = lxml.html.fromstring((tmp_path / "2023.html").read_bytes())
    td = next(td for td in root.iter("td") if "上年结转" in td.text_content())
    cell = next(td.itersiblings("td"))
    for ch in list(cell):
        cell.remove(ch)
    cell.text = "3"
    (tmp_path / "2023.html").write_bytes(lxml.html.tostring(root, encoding="utf-8"))
    corpus = extractor.parse_many(tmp_path, jobs=1)
    hits = corpus.issues[corpus.issues.code == "applications.carry_over"]
    assert list(hits.column) == ["natural_person"] and list(hits.severity) == ["warning"]
    rid2023 = corpus.reports.set_index("year").report_id[2023]
    assert hits.report_id.iloc[0] == rid2023


def test_agency_matching_with_a_user_mapping():
    assert agency_key("平潭综合实验区 管委会") == agency_key("平潭综合实验区管委会")
    amap = {"平潭综合实验区": "平潭综合实验区管委会"}
    assert agency_key("平潭综合实验区", amap) == "平潭综合实验区管委会"  # the user's mapping is final


def test_agency_map_applies_to_reports(real_dir, tmp_path):
    corpus = extractor.parse_many(real_dir / "pingtan" / "pingtan-zonghe-shiyanqu_2022.page.html", jobs=1,
                                  agency_map=pd.DataFrame({"agency": ["平潭综合实验区"], "canonical": ["福建省平潭综合实验区"]}))
    assert corpus.reports.agency_key.iloc[0] == "福建省平潭综合实验区"


def test_exports(pingtan, tmp_path):
    pingtan.to_csv(tmp_path / "csv")
    assert (tmp_path / "csv" / "facts.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    back = pd.read_csv(tmp_path / "csv" / "reports.csv", encoding="utf-8-sig")
    assert list(back.agency.unique()) == ["平潭综合实验区"]
    pingtan.to_parquet(tmp_path / "pq")
    pd.testing.assert_series_equal(pd.read_parquet(tmp_path / "pq" / "facts.parquet").value, pingtan.facts.value)
    pingtan.to_excel(tmp_path / "x.xlsx")
    sheets = pd.read_excel(tmp_path / "x.xlsx", sheet_name=None)
    assert {"reports", "主动公开", "申请处理", "复议诉讼", "issues", "errors"} <= set(sheets)
    app = sheets["申请处理"].set_index("year")
    assert app.loc[2024, "一、本年新收政府信息公开申请数量/自然人"] == 217
    pingtan.to_stata(tmp_path / "dta")
    dta = pd.read_stata(tmp_path / "dta" / "facts.dta")
    assert dta.row_label.str.contains("本年新收").any() and len(dta) == len(pingtan.facts)
    pingtan.to_jsonl(tmp_path / "r.jsonl")
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [x["meta"]["year"] for x in lines] == [2018, 2019, 2020, 2022, 2023, 2024, 2025]
    assert len(lines[5]["facts"]) == 200 and lines[5]["sections"][0]["key"] == "overview"
