"""Label normalization."""

import pytest

from extractor.normalize import core, split_parts


@pytest.mark.parametrize(
    "a, b",
    [
        ("第二十条  第(一)项", "第二十条第（一）项"),
        ("自 然 人", "自然人"),
        ("3.危及“三安全一稳定”", "3、危及\"三安全一稳定\""),
        ("1．属于国家秘密", "1.属于国家秘密"),
        ("（六）其他处理", "(六)其他处理"),
        ("商业\n企业", "商业企业"),
        ("本年增/减", "本年增减"),
    ],
)
def test_variants_share_a_core(a, b):
    assert core(a) == core(b)


def test_numbering_is_stripped():
    assert core("三、（一）予以公开") == "予以公开"
    assert core("一、本年新收政府信息公开申请数量") == "本年新收政府信息公开申请数量"


def test_composite_labels_split_at_inner_numbering():
    assert split_parts("三、本年度办理结果（三）不予公开1.属于国家秘密") == ["三、本年度办理结果", "(三)不予公开", "1.属于国家秘密"]
