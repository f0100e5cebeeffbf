"""The real reports of ../shared/corpus/real against hand-checked expected outputs."""

from __future__ import annotations

from pathlib import Path

import pytest

import extractor
from conftest import EXPECTED_REAL, compare, load_expected

CASES = sorted(EXPECTED_REAL.glob("*.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=[p.stem for p in CASES])
def test_real_document_matches_expected(expected_path: Path, real_dir: Path) -> None:
    expected = load_expected(expected_path)
    report = extractor.parse(real_dir / expected["document"])
    problems = compare(report, expected)
    assert not problems, "\n".join(problems)
