"""Numbers as agencies print them: unit words, increase/decrease words and
signs, separators and spaces (and what must stay text)."""

from __future__ import annotations

import math

import pytest

import extractor
import labelgen as g
from extractor.recognition.numbers import read_number, to_10k_yuan
from extractor.recognition.templates import TEMPLATES


@pytest.mark.parametrize(
    "raw, value, unit",
    [
        ("3起", 3, "起"), ("12条", 12, "条"), ("4个", 4, "个"), ("2次", 2, "次"), ("7人", 7, "人"),
        ("5人次", 5, "人次"), ("3 件次", 3, "件次"), ("9家", 9, "家"), ("1例", 1, "例"), ("6宗", 6, "宗"),
        ("1,234", 1234, ""), ("1 234", 1234, ""), ("1\u00a0234", 1234, ""), ("1\u2009234", 1234, ""),
        ("１２３４", 1234, ""), ("1，234", 1234, ""), ("１，２３４件", 1234, "件"), ("12 345 678", 12345678, ""),
    ],
)
def test_counts_with_units_and_separators(raw, value, unit):
    n = read_number(raw)
    assert (n.kind, n.value, n.unit) == ("number", value, unit)


@pytest.mark.parametrize(
    "raw, value",
    [
        ("+3", 3), ("增加3", 3), ("增3", 3), ("新增3件", 3), ("增长2", 2), ("上升1", 1), ("↑5", 5), ("增加了4", 4),
        ("-2", -2), ("－2", -2), ("−2", -2), ("–2", -2), ("减少2", -2), ("减2", -2), ("下降3", -3), ("↓4", -4),
        ("减少了1项", -1), ("持平", 0),
    ],
)
def test_increase_and_decrease(raw, value):
    n = read_number(raw)
    assert n.kind == "number" and n.value == value


@pytest.mark.parametrize("raw", ["1,23", "12,3456", "①", "①信访举报投诉类申请", "约10", "增加", "减少", "↑"])
def test_text_that_is_not_a_number(raw):
    assert read_number(raw).kind in ("text", "placeholder")
    assert math.isnan(read_number(raw).value)


def test_money_units_in_10k_yuan():
    assert to_10k_yuan(read_number("2.5亿元")) == pytest.approx(25000)
    assert to_10k_yuan(read_number("350千元")) == pytest.approx(35)
    assert to_10k_yuan(read_number("251000元")) == pytest.approx(25.1)


def test_change_words_land_signed_in_table_2():
    """本年增/减 printed with words and arrows in a 2019 table 二."""
    spec = TEMPLATES["2019"]["active_disclosure"]
    values = g.distinct_values(spec)
    printed = {"licensing": "增加3", "other_services": "减少2", "punishment": "↑1", "coercion": "−4", "fees": "持平"}
    want = {"licensing": 3, "other_services": -2, "punishment": 1, "coercion": -4, "fees": 0}
    for row, text in printed.items():
        values[(row, "items_change")] = text
    report = extractor.parse(g.report_html("2019", g.active_disclosure("2019", values)))
    for row, v in want.items():
        assert report.value("active_disclosure", row, "items_change") == v
    assert not [i for i in report.issues if i.code in ("value.not_number", "value.invalid")]


def test_counts_with_units_land_in_table_3():
    spec = TEMPLATES["2021"]["applications"]
    values = g.distinct_values(spec)
    values[("new_received", "natural_person")] = "1,234起"
    values[("new_received", "commercial")] = "１２ 件"
    values[("granted", "total")] = "5人次"
    report = extractor.parse(g.report_html("2021", g.applications("2021", values)))
    assert report.value("applications", "new_received", "natural_person") == 1234
    assert report.value("applications", "new_received", "commercial") == 12
    assert report.value("applications", "granted", "total") == 5
    assert not [i for i in report.issues if i.code == "value.not_number"]
