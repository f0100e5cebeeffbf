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
PDF_SEEDS = load_seeds("pdf")


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


@settings(max_examples=30, deadline=None, suppress_health_check=HEALTH)
@given(st.data())
def test_pdf_mutants_parse_or_raise_parse_error(data):
    seed = data.draw(st.sampled_from(PDF_SEEDS), label="seed")
    parse_bounded(mutate(seed, DataChooser(data)))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048), st.sampled_from([b"", b"<", b"<html>", b"PK\x03\x04", b"\xef\xbb\xbf<p>", b"%PDF-1.4\n"]))
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


def test_regression_zip_entry_needing_an_unknown_zip_version():
    # case 143710 of seed 0 (a byte flipped in the central directory):
    # zipfile raised NotImplementedError("zip file version 16.4"), which
    # escaped parse()
    import struct

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from docgen import docx_bytes, p

    data = bytearray(docx_bytes(p("一、总体情况")))
    struct.pack_into("<H", data, data.find(b"PK\x01\x02") + 6, 164)  # "version needed to extract"
    with pytest.raises(extractor.CorruptFileError):
        extractor.parse(bytes(data))


class _OverTime(BaseException):
    pass


def finishes_within(seconds: float, fn) -> bool:
    """Run ``fn()``; False if it is still running after ``seconds`` (then stopped)."""
    import signal

    def over(signum, frame):
        raise _OverTime()

    previous = signal.signal(signal.SIGALRM, over)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        fn()
        return True
    except _OverTime:
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


STATS_CAPTION = "<tr><td>本年新收</td><td>上年结转</td><td>予以公开</td><td>部分公开</td></tr>"


def test_regression_long_label_in_a_statistics_table_is_bounded_in_time():
    # case 114713 of seed 0 (a 20,000-character text mutated into a label
    # cell spanning the rows of table 三): 72 s. Reduced: one label cell of
    # 20,000 characters over 20 rows of 50 values, 31 KB of HTML; the key of each
    # header leaf and of each row's labels is now looked up once.
    label = "x" * 20_000
    header = "<tr><td>项目</td><td>自然人</td>" + "".join(f"<td>甲{i}</td>" for i in range(49)) + "</tr>"
    rows = f"<tr><td rowspan=20>{label}</td>" + "<td>1</td>" * 50 + "</tr>" + ("<tr>" + "<td>1</td>" * 50 + "</tr>") * 19
    html = ("<table>" + STATS_CAPTION + header + rows + "</table>").encode()
    assert finishes_within(3.0, lambda: extractor.parse(html)), "parse() took over 3 s for a 31 KB page"


def test_regression_many_header_rows_in_a_statistics_table_are_bounded_in_time():
    # case 175839 of seed 0 (a header row of table 三 duplicated into a
    # 904-row table): over 60 s. Reduced: 400 header-like rows of 11 cells,
    # 94 KB of HTML; time grew as the cube of the rows (100: 0.14 s,
    # 200: 0.9 s, 400: 7 s) before the band was bounded to its last rows.
    rows = "".join(f"<tr><td>项目{i}</td>" + f"<td>自然人{i}</td>" * 10 + "</tr>" for i in range(400))
    html = ("<table>" + STATS_CAPTION + rows + "</table>").encode()
    assert finishes_within(3.0, lambda: extractor.parse(html)), "parse() took over 3 s for a 94 KB page"
