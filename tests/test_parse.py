"""parse(): sources, facts shape, checks firing on broken copies of real reports."""

from __future__ import annotations

import io
import math

import lxml.html
import pytest

import extractor
from extractor.report import FACT_COLUMNS

PINGTAN_2024 = "pingtan-zonghe-shiyanqu_2024.html"


def test_path_bytes_and_file_object_agree(real_dir):
    path = real_dir / PINGTAN_2024
    a = extractor.parse(path)
    b = extractor.parse(path.read_bytes())
    with open(path, "rb") as fh:
        c = extractor.parse(fh)
    assert a.meta["report_id"] == b.meta["report_id"] == c.meta["report_id"]
    assert a.meta["source_path"] == str(path) and b.meta["source_path"] is None
    assert a.facts["value"].equals(b.facts["value"])


def test_facts_have_the_schema_columns_and_one_row_per_template_cell(real_dir):
    r = extractor.parse(real_dir / PINGTAN_2024)
    assert list(r.facts.columns) == FACT_COLUMNS
    assert len(r.facts) == 10 + 25 * 7 + 3 * 5
    assert not r.facts.duplicated(["table", "row", "column"]).any()
    row = r.facts[(r.facts.row == "new_received") & (r.facts.column == "natural_person")].iloc[0]
    assert row.value == 217 and row.raw == "217"
    assert row.row_label == "一、本年新收政府信息公开申请数量" and row.column_label == "自然人"
    t, rr, cc = row.source.split(":")
    table = r.document.tables[int(t[1:])]
    assert table.grid[int(rr[1:])][int(cc[1:])].text == "217"


def _broken_copy(path, label: str, column_offset: int, new_text: str) -> bytes:
    """The page with the value ``column_offset`` cells right of ``label`` replaced."""
    root = lxml.html.fromstring(path.read_bytes())
    for td in root.iter("td"):
        if label in td.text_content():
            cells = [c for c in td.itersiblings() if c.tag == "td"]
            target = cells[column_offset - 1]
            for ch in list(target):
                target.remove(ch)
            target.text = new_text
            return lxml.html.tostring(root, encoding="utf-8")
    raise AssertionError(f"{label} not found")


def test_consistent_report_has_no_check_errors(real_dir):
    r = extractor.parse(real_dir / PINGTAN_2024)
    assert [i for i in r.issues if i.severity == "error"] == []


def test_checks_fire_on_a_broken_copy_naming_the_cells(real_dir):
    data = _broken_copy(real_dir / PINGTAN_2024, "本年新收", 1, "218")
    r = extractor.parse(data)
    errors = {(i.code, i.row, i.column) for i in r.issues if i.severity == "error"}
    assert ("applications.balance", None, "natural_person") in errors
    assert ("applications.row_total", "new_received", None) in errors
    balance = next(i for i in r.issues if i.code == "applications.balance")
    assert "applications/new_received/natural_person" in balance.cells
    assert "applications/total_processed/natural_person" in balance.cells
    assert not any(i.code == "applications.outcome_sum" for i in r.issues)


def test_blank_cell_makes_a_rule_a_warning_not_an_error(real_dir):
    data = _broken_copy(real_dir / PINGTAN_2024, "本年新收", 1, "")
    r = extractor.parse(data)
    assert math.isnan(r.value("applications", "new_received", "natural_person"))
    assert not any(i.severity == "error" and i.column == "natural_person" for i in r.issues)
    assert any(i.code == "check.incomplete" and i.column == "natural_person" for i in r.issues)


def test_placeholder_and_annotation(real_dir):
    data = _broken_copy(real_dir / PINGTAN_2024, "本年新收", 2, "/")
    r = extractor.parse(data)
    cell = r.facts[(r.facts.row == "new_received") & (r.facts.column == "commercial")].iloc[0]
    assert math.isnan(cell.value) and cell.raw == "/"


def test_review_total_rule(real_dir):
    root = lxml.html.fromstring((real_dir / PINGTAN_2024).read_bytes())
    tables = root.findall(".//table")
    last_row = tables[2].findall(".//tr")[-1]
    tds = last_row.findall("td")
    tds[4].text = "99"
    for ch in list(tds[4]):
        tds[4].remove(ch)
    r = extractor.parse(lxml.html.tostring(root, encoding="utf-8"))
    hits = [i for i in r.issues if i.code == "review_litigation.total"]
    assert [(i.row, i.severity) for i in hits] == [("review", "error")]
    assert "review_litigation/review/total" in hits[0].cells


def test_report_to_dict_is_plain_data(real_dir):
    import json

    r = extractor.parse(real_dir / PINGTAN_2024)
    d = r.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["meta"]["template"] == "2021" and len(d["facts"]) == len(r.facts)
