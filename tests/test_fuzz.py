"""Fuzzing ``extractor.parse`` with structure-aware mutants of the fixtures
(short run; the long one is ``fuzz/run_fuzz.py``).

Mutants come from ``fuzz/mutate.py``: elements dropped, duplicated, moved,
reordered, wrapped, renamed, nested deep; attributes and Word properties
set to hostile values; text replaced or corrupted; bytes, encodings and
zip packages damaged. Every decision is drawn from Hypothesis, so a
failing mutant shrinks to a small one. The only accepted outcomes are a
report or an ``extractor.ParseError`` — never another exception.

The regression tests at the end are the crashes fuzzing found, reduced.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import extractor

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fuzz"))
from mutate import load_seeds, mutate  # noqa: E402

DOCX_SEEDS = load_seeds("docx")
HTML_SEEDS = load_seeds("html")


class DataChooser:
    """Mutation decisions drawn from Hypothesis (so they shrink)."""

    def __init__(self, data) -> None:
        self.data = data

    def randint(self, a: int, b: int) -> int:
        return self.data.draw(st.integers(a, b))

    def choice(self, seq):
        return seq[self.randint(0, len(seq) - 1)]


def parse_bounded(data: bytes, seconds: float = 20) -> None:
    start = time.perf_counter()
    try:
        extractor.parse(data)
    except extractor.ParseError:
        pass
    assert time.perf_counter() - start < seconds


HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]


@settings(max_examples=40, deadline=None, suppress_health_check=HEALTH)
@given(st.data())
def test_docx_mutants_parse_or_raise_parse_error(data):
    seed = data.draw(st.sampled_from(DOCX_SEEDS), label="seed")
    parse_bounded(mutate(seed, DataChooser(data)))


@settings(max_examples=70, deadline=None, suppress_health_check=HEALTH)
@given(st.data())
def test_html_mutants_parse_or_raise_parse_error(data):
    seed = data.draw(st.sampled_from(HTML_SEEDS), label="seed")
    parse_bounded(mutate(seed, DataChooser(data)))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([b"", b"<", b"<html>", b"PK\x03\x04", b"\xef\xbb\xbf<p>"]))
def test_arbitrary_bytes_parse_or_raise_parse_error(blob, prefix):
    parse_bounded(prefix + blob, seconds=10)


def test_mutator_is_deterministic():
    from mutate import RandomChooser

    seed = HTML_SEEDS[0]
    assert mutate(seed, RandomChooser("0:7")) == mutate(seed, RandomChooser("0:7"))


# ------------------------------------------------------------ regressions found by fuzzing
# (found by fuzz/run_fuzz.py against the readers before the robustness work)


@pytest.mark.parametrize("charset", ["undefined", "idna", "punycode", "unicode_escape", "utf-7"])
def test_regression_meta_charset_of_a_codec_that_is_no_page_encoding(charset):
    # case 1004 of seed 0: <meta charset="undefined"> made decode_html raise
    # UnicodeError ("undefined encoding"), which escaped parse()
    html = f'<html><head><meta charset="{charset}"></head><body><p>{"一、总体情况" * 30}</p></body></html>'
    report = extractor.parse(html.encode())
    assert report.document.paragraphs[0].text.startswith("一、总体情况")


def test_regression_word_row_shifted_by_a_huge_grid_before():
    # case 2823 of seed 0: a mutated <w:gridBefore w:val="65535"/> gave a
    # 26 × 65545 grid (1.7 million cells) and a 48 s parse
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from docgen import docx_bytes, tc

    rows = "".join(f"<w:tr>{tc('本年新收')}{tc(str(i))}</w:tr>" for i in range(25))
    body = f'<w:tbl><w:tr><w:trPr><w:gridBefore w:val="65535"/></w:trPr>{tc("x")}</w:tr>{rows}</w:tbl>'
    start = time.perf_counter()
    report = extractor.parse(docx_bytes(body))
    assert time.perf_counter() - start < 5
    assert report.document.tables[0].n_cols <= 200


@pytest.mark.parametrize("junk", [b"\x01", b"\x0c", "\uffff".encode(), b"&#1;", b"&#xfffe;", b"&#x1f;"])
def test_regression_control_character_after_a_dropped_script(junk):
    # case 105537 of seed 0 (found after the robustness work): the reader
    # drops <script>/<style> keeping their tail, and lxml refused to set the
    # joined tail holding a control character or U+FFFF (ValueError: "All
    # strings must be XML compatible")
    html = b"<html><body><p>a</p><script>x</script>" + junk + b"b<p>c<style>y</style>" + junk + b"d</p></body></html>"
    report = extractor.parse(html)
    assert [p.text for p in report.document.paragraphs] == ["a", "b", "c d"]  # the character became a space
