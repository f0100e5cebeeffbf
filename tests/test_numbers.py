"""Reading statistics cells as numbers."""

import math

import pytest

from extractor.recognition.numbers import read_number, to_10k_yuan


@pytest.mark.parametrize(
    "raw, value",
    [
        ("0", 0), ("27960", 27960), ("27,960", 27960), ("１０", 10), ("13914.44", 13914.44),
        ("+2", 2), ("-1", -1), ("－15", -15), ("795件", 795), ("13914.44万元", 13914.44),
        (" 1 0 ", 10), ("22（其中修订16件）", 22), ("55(含自然失效29件)", 55),
    ],
)
def test_numbers(raw, value):
    n = read_number(raw)
    assert n.kind == "number" and n.value == value


@pytest.mark.parametrize("raw", ["/", "-", "—", "－", "无", "——", "\\"])
def test_placeholders_are_nan(raw):
    n = read_number(raw)
    assert n.kind == "placeholder" and math.isnan(n.value)


def test_blank_is_nan():
    assert read_number("  \u00a0 ").kind == "blank"


@pytest.mark.parametrize("raw", ["信息内容", "2019年度", "见附件", "约10"])
def test_text_is_not_a_number(raw):
    assert read_number(raw).kind == "text"


def test_annotation_is_kept_as_note():
    n = read_number("22（其中修订16件）")
    assert n.note == "(其中修订16件)"


def test_money_units():
    assert to_10k_yuan(read_number("251000元")) == pytest.approx(25.1)
    assert to_10k_yuan(read_number("160.5964万元")) == pytest.approx(160.5964)
    assert to_10k_yuan(read_number("75394432.52元")) == pytest.approx(7539.443252)
