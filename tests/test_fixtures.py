"""Every fixture document parses to its expected output (fixtures/*.expected.json)."""

from __future__ import annotations

from pathlib import Path

import pytest

import extractor
from conftest import FIXTURES, compare, load_expected

CASES = sorted(FIXTURES.glob("*.expected.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=[p.name.split(".")[0] for p in CASES])
def test_fixture_matches_expected(expected_path: Path) -> None:
    expected = load_expected(expected_path)
    report = extractor.parse(FIXTURES / expected["document"])
    problems = compare(report, expected)
    assert not problems, "\n".join(problems)
