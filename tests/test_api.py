"""The library's API on mistakes and its report-level answers: unknown
names raise KeyError with the close matches, ``status`` tells complete
reports from the others, sections carry their parent and own text."""

from __future__ import annotations

import math

import pytest

import extractor
from conftest import FIXTURES
from extractor.report import STATUSES
from extractor.model import Paragraph
from extractor.recognition.sections import split_sections


@pytest.fixture(scope="module")
def official():
    return extractor.parse(FIXTURES / "seed-2021-official.docx")


@pytest.fixture(scope="module")
def corpus():
    return extractor.parse_many([FIXTURES / "seed-2021-official.docx", FIXTURES / "seed-2021-broken.docx",
                                 FIXTURES / "seed-2021-image-tables.html"], jobs=1)


def test_unknown_names_raise_keyerror_with_close_matches(official, corpus):
    with pytest.raises(KeyError, match=r"unknown table 'application'; did you mean 'applications'\?"):
        official.table("application")
    with pytest.raises(KeyError, match=r"unknown row 'new_recieved' in table 'applications'; did you mean 'new_received'\?"):
        official.value("applications", "new_recieved", "total")
    with pytest.raises(KeyError, match=r"unknown column 'totl' in table 'applications'; did you mean 'total'\?"):
        official.value("applications", "new_received", "totl")
    with pytest.raises(KeyError, match=r"unknown table 'foo'; one of 'active_disclosure', 'applications', 'review_litigation'"):
        corpus.wide("foo")
    with pytest.raises(KeyError, match="did you mean 'review_litigation'"):
        corpus.wide("review_litigaton")


def test_known_names_still_answer(official, corpus):
    # seed report, table 三 row 一、本年新收 总计: 10 (the seed text)
    assert official.value("applications", "new_received", "total") == 10
    # 规章 has no 处理决定数量 cell in the template: NaN, not an error
    assert official.value("active_disclosure", "normative_docs", "in_force") == 15
    assert math.isnan(official.value("active_disclosure", "rules", "decisions"))
    wide = corpus.wide("applications")
    image = corpus.reports.report_id[corpus.reports.source_path.str.endswith("image-tables.html")].iloc[0]
    assert len(wide) == 3 and wide.loc[image, "new_received|total":].isna().all()  # 三 is a picture there


def test_status_tells_complete_reports_from_the_others(official, corpus):
    assert official.status == "ok"
    assert extractor.parse(FIXTURES / "seed-2021-broken.docx").status == "errors"  # 勾稽 failures
    no_tables = extractor.parse("<p>某县2021年政府信息公开工作年度报告</p><p>一、总体情况</p>".encode())
    assert no_tables.status == "no_tables"
    status = dict(zip(corpus.reports.source_path.str.rsplit("/", n=1).str[-1], corpus.reports.status))
    assert status == {"seed-2021-official.docx": "ok", "seed-2021-broken.docx": "errors",
                      "seed-2021-image-tables.html": "errors"}
    assert set(status.values()) <= set(STATUSES)


def test_every_table_an_image_is_no_tables():
    html = "".join(f"<p>{t}</p><p><img src='t{i}.png'></p>" for i, t in enumerate(
        ["二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"]))
    r = extractor.parse(f"<p>某县2021年政府信息公开工作年度报告</p>{html}".encode())
    assert r.status == "no_tables", [i.code for i in r.issues]


def test_sections_carry_parent_and_own_text(official, corpus):
    s = official.sections
    # seed report: 一、总体情况 has （一）…（五）; 五、存在的主要问题及改进情况 has （一）主要问题 and （二）改进措施
    subs = {(x.number, x.title): x.parent for x in s if x.level == 2}
    assert [s[p].number for p in subs.values()] == ["一"] * 5 + ["五"] * 2
    assert all(x.parent is None and x.index == i for i, x in enumerate(s) if x.level == 1)
    problems = official.section("problems")
    assert problems.own_text == ""  # everything in 五 sits under its two sub-headings
    assert "门户网站栏目优化不够" in problems.text and "门户网站栏目优化不够" not in problems.own_text
    table = corpus.sections[corpus.sections.report_id == official.meta["report_id"]]
    assert table["index"].tolist() == list(range(len(s)))
    assert table["parent"].isna().tolist() == [x.level == 1 for x in s]


def test_own_text_is_the_text_before_the_first_sub_section():
    secs = split_sections([Paragraph(t) for t in [
        "一、总体情况", "2021年，本局坚持以公开为常态。", "（一）主动公开。全年主动公开信息120条。", "专栏更新及时。",
        "（二）依申请公开", "收到申请3件。", "二、主动公开政府信息情况", "见下表。"]])
    one, sub1, sub2, two = secs
    assert one.own_text == "2021年，本局坚持以公开为常态。"
    assert one.text.split("\n") == ["2021年，本局坚持以公开为常态。", "（一）主动公开。全年主动公开信息120条。", "专栏更新及时。",
                                    "（二）依申请公开", "收到申请3件。"]
    assert (sub1.parent, sub2.parent, two.parent) == (0, 0, None)
    assert sub1.own_text == sub1.text == "全年主动公开信息120条。\n专栏更新及时。"
    assert two.own_text == two.text == "见下表。"


def test_a_row_outside_the_template_is_known_to_its_report():
    # the synthetic 湖北 2019 report adds a row 其他主动公开文件 (kept as extra.1) to table 二: 36 made
    r = extractor.parse(FIXTURES / "synthetic-2019-hubei.docx")
    assert r.value("active_disclosure", "extra.1", "made") == 36
    with pytest.raises(KeyError, match="did you mean 'extra.1'"):
        r.value("active_disclosure", "extra1", "made")
