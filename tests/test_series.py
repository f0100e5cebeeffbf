"""The multi-year, multi-agency series (fixtures/series/) parses to its expected outputs.

The 平潭综合实验区 documents carry the real reports' numbers (the same as
tests/expected/real/pingtan-zonghe-shiyanqu_YYYY.page.json); the others are
fictional agencies with rule-consistent numbers.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import extractor
from conftest import EXPECTED_REAL, FIXTURES, compare, load_expected

SERIES = FIXTURES / "series"
CASES = sorted(SERIES.glob("*.expected.json"))


def test_series_is_there():
    assert len(CASES) == 15
    assert {p.name.split("-")[0] for p in CASES} == {"pingtan", "fictional"}


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_series_document_matches_expected(expected_path: Path) -> None:
    expected = load_expected(expected_path)
    report = extractor.parse(SERIES / expected["document"])
    problems = compare(report, expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("year", [2019, 2020, 2022, 2023, 2024, 2025])
def test_pingtan_series_carries_the_real_numbers(year: int) -> None:
    ours = load_expected(next(SERIES.glob(f"pingtan-{year}.expected.json")))
    real = json.loads((EXPECTED_REAL / f"pingtan-zonghe-shiyanqu_{year}.page.json").read_text(encoding="utf-8"))
    assert ours["tables"] == real["tables"]
    assert {k: ours["meta"][k] for k in ("year", "template", "agency")} == \
        {k: real["meta"][k] for k in ("year", "template", "agency")}


def test_pingtan_2020_breaks_h32_as_printed():
    report = extractor.parse(SERIES / "pingtan-2020.docx")
    codes = {i.code for i in report.issues if i.severity == "error"}
    assert codes == {"applications.outcome_sum"}
    assert report.value("applications", "total_processed", "total") == 21


def test_series_as_a_corpus_has_no_cross_year_warnings():
    corpus = extractor.parse_many(SERIES, jobs=1)
    assert corpus.errors.empty and len(corpus) == 15
    assert corpus.reports.groupby("agency").size().to_dict() == {
        "平潭综合实验区": 6, "虚构市示范区管理委员会": 4, "样例县自然资源局": 3, "示例市生态环境局": 2}
    assert "applications.carry_over" not in set(corpus.issues.code)
    flagged = corpus.reports[corpus.reports.n_error > 0]
    assert list(zip(flagged.agency, flagged.year)) == [("平潭综合实验区", 2020)]
