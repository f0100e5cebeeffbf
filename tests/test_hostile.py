"""Hostile and broken inputs: each is refused with the right ParseError or
read into a report, within bounded time and memory (README "Robustness").

Every input is generated here; none is committed. Time bounds are loose
(a slow CI machine must pass); memory is checked as the growth of the
process's peak RSS, or with tracemalloc where the cost is Python objects.
"""

from __future__ import annotations

import io
import random
import resource
import struct
import time
import tracemalloc
import zipfile
import zlib
from contextlib import contextmanager

import pytest

import extractor
from docgen import CONTENT_TYPES, RELS, W_NS, docx_bytes, p, tc
from extractor.model import MAX_TABLE_COLS, MAX_TABLE_ROWS
from extractor.readers import docx as docx_reader
from extractor.readers import html as html_reader
from extractor.readers.limits import MAX_BLOCKS, MAX_GRID_CELLS

MiB = 1024 * 1024


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


@contextmanager
def bounded(seconds: float = 10, mib: float | None = None):
    """The block runs in under ``seconds`` and grows the process's peak
    resident memory by less than ``mib``."""
    peak, start = _peak_mib(), time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.1f} s (bound {seconds} s)"
    if mib is not None:
        grew = _peak_mib() - peak
        assert grew < mib, f"peak memory grew by {grew:.0f} MiB (bound {mib} MiB)"


@contextmanager
def python_memory_under(mib: float):
    """Python-level allocations (zip inflation, strings, objects) peak below ``mib``."""
    tracemalloc.start()
    try:
        yield
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < mib * MiB, f"Python allocations peaked at {peak / MiB:.0f} MiB (bound {mib} MiB)"


def document_xml(body: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')


def zip_of(members: list[tuple[str, bytes | str]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return buf.getvalue()


def package(document: bytes | str, extra: dict[str, bytes | str] | None = None) -> bytes:
    """A .docx whose word/document.xml is ``document`` (plus other parts)."""
    members = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS), ("word/document.xml", document)]
    return zip_of(members + list((extra or {}).items()))


# ------------------------------------------------------------ zip bombs, written by hand


def _gf2_times(mat: list[int], vec: int) -> int:
    s, i = 0, 0
    while vec:
        if vec & 1:
            s ^= mat[i]
        vec >>= 1
        i += 1
    return s


def _gf2_square(mat: list[int]) -> list[int]:
    return [_gf2_times(mat, mat[n]) for n in range(32)]


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """zlib's crc32_combine: the CRC of A+B from CRC(A), CRC(B) and len(B)."""
    if len2 <= 0:
        return crc1
    odd = [0xEDB88320] + [1 << n for n in range(31)]
    even = _gf2_square(odd)
    odd = _gf2_square(even)
    while True:
        even = _gf2_square(odd)
        if len2 & 1:
            crc1 = _gf2_times(even, crc1)
        len2 >>= 1
        if not len2:
            break
        odd = _gf2_square(even)
        if len2 & 1:
            crc1 = _gf2_times(odd, crc1)
        len2 >>= 1
        if not len2:
            break
    return crc1 ^ crc2


def deflate_bomb(total: int, chunk: int = 16 * MiB) -> tuple[bytes, int, int]:
    """``(raw deflate stream, crc32, size)`` of ``total`` spaces, without
    compressing them all: one fully flushed chunk (which refers to nothing
    before it) repeated, then an empty final block."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    segment = c.compress(b" " * chunk) + c.flush(zlib.Z_FULL_FLUSH)
    n = total // chunk
    crc, crc_chunk = 0, zlib.crc32(b" " * chunk)
    for _ in range(n):
        crc = crc32_combine(crc, crc_chunk, chunk)
    return segment * n + zlib.compressobj(9, zlib.DEFLATED, -15).flush(), crc, n * chunk


def raw_zip(entries: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip of ``(name, method, payload, crc, declared size)`` entries, the
    payload written as given (so sizes and CRCs may lie)."""
    out = io.BytesIO()
    central = []
    for name, method, payload, crc, size in entries:
        offset, n = out.tell(), name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0x21, crc, len(payload), size, len(n), 0))
        out.write(n + payload)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0x21, crc, len(payload), size,
                                   len(n), 0, 0, 0, 0, 0, offset) + n)
    directory = b"".join(central)
    start = out.tell()
    out.write(directory)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return deflate_bomb(2 * 1024 * MiB)


def test_crc32_combine_helper():
    a, b = b"hello " * 1000, b"world" * 777
    assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)


def test_zip_bomb_is_refused_before_inflating(bomb):
    payload, crc, size = bomb
    data = raw_zip([("[Content_Types].xml", 0, CONTENT_TYPES.encode(), zlib.crc32(CONTENT_TYPES.encode()), len(CONTENT_TYPES)),
                    ("word/document.xml", 8, payload, crc, size)])
    assert len(data) < 3 * MiB and size >= 2 * 1024 * MiB  # a small file inflating to 2 GiB
    with bounded(seconds=10, mib=200), python_memory_under(64):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "word/document.xml" in info.value.reason and "declares" in info.value.reason


def test_zip_bomb_with_a_lying_size_stops_at_the_declared_size(bomb):
    payload, crc, _size = bomb
    data = raw_zip([("word/document.xml", 8, payload, crc, 4 * MiB)])  # claims 4 MiB, inflates to 2 GiB
    with bounded(seconds=10, mib=200), python_memory_under(64):
        with pytest.raises(extractor.CorruptFileError):
            extractor.parse(data)


def test_parts_are_bounded_in_total(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_TOTAL_BYTES", 100_000)
    filler = "<!--" + "x" * 60_000 + "-->"
    data = package(document_xml(p("一、总体情况")), {"word/styles.xml": f'<w:styles xmlns:w="{W_NS}">{filler}</w:styles>',
                                                   "word/numbering.xml": f'<w:numbering xmlns:w="{W_NS}">{filler}</w:numbering>'})
    with pytest.raises(extractor.ResourceLimitError) as info:
        extractor.parse(data)
    assert "decompresses to more than" in info.value.reason


def test_bzip2_and_lzma_members_are_refused():
    for method in (zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA):
        data = zip_of([("word/document.xml", document_xml(p("一、总体情况")))], method=method)
        with pytest.raises(extractor.CorruptFileError) as info:
            extractor.parse(data)
        assert "compression method" in info.value.reason


# ------------------------------------------------------------ zip structure


def test_thousands_of_members_are_refused_from_the_end_record():
    data = zip_of([(f"customXml/item{i}.xml", "") for i in range(20_000)] + [("word/document.xml", document_xml(""))],
                  method=zipfile.ZIP_STORED)
    with bounded(seconds=5):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "20001 members" in info.value.reason


def test_member_count_lying_in_the_end_record_is_still_bounded():
    data = bytearray(zip_of([(f"m{i}", "") for i in range(20_000)] + [("word/document.xml", document_xml(""))],
                            method=zipfile.ZIP_STORED))
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, 10, 10)  # claims 10 members
    with bounded(seconds=5):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(bytes(data))
    assert "members" in info.value.reason


def test_huge_central_directory_is_refused_before_parsing():
    name = "word/media/" + "x" * 1000
    data = zip_of([(f"{name}{i}", "") for i in range(4000)] + [("word/document.xml", document_xml(""))],
                  method=zipfile.ZIP_STORED)
    with bounded(seconds=5):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "central directory" in info.value.reason


@pytest.mark.parametrize("evil", ["../../etc/cron.d/evil", "/etc/passwd", "word/../../evil.xml", "C:/Windows/evil.dll",
                                  "..\\..\\evil.xml"])
def test_path_traversal_member_name_is_refused(evil):
    data = package(document_xml(p("一、总体情况")), {evil: "x"})
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(data)
    assert "unsafe member name" in info.value.reason


# ------------------------------------------------------------ XML payloads

LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))


@pytest.mark.parametrize("case", ["billion_laughs", "external_entity", "parameter_entity", "padded_prolog", "utf16"])
def test_dtd_and_entity_payloads_are_refused(case):
    pad = "<!--" + "x" * 10_000 + "-->" if case == "padded_prolog" else ""
    dtd = {
        "billion_laughs": f"<!DOCTYPE w:document [{LAUGHS}]>",
        "external_entity": '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "parameter_entity": '<!DOCTYPE w:document [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
        "padded_prolog": f"<!DOCTYPE w:document [{LAUGHS}]>",
        "utf16": '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
    }[case]
    text = f'<?xml version="1.0"?>{pad}{dtd}<w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;&xxe;</w:t></w:r></w:p></w:body></w:document>'
    if case == "parameter_entity":
        text = text.replace("&lol9;&xxe;", "x")
    doc = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16") \
        if case == "utf16" else text.encode()
    with bounded(seconds=5, mib=100):
        with pytest.raises(extractor.CorruptFileError) as info:
            extractor.parse(package(doc))
    assert "DTD" in info.value.reason


def test_dtd_in_a_secondary_part_is_refused():
    styles = f'<?xml version="1.0"?><!DOCTYPE s [{LAUGHS}]><w:styles xmlns:w="{W_NS}"><w:style w:styleId="&lol9;"/></w:styles>'
    with pytest.raises(extractor.CorruptFileError):
        extractor.parse(package(document_xml(p("一、总体情况")), {"word/styles.xml": styles}))


def test_deeply_nested_xml_is_refused():
    depth = 12_000
    body = "<w:sdt><w:sdtContent>" * depth + p("x") + "</w:sdtContent></w:sdt>" * depth
    with bounded(seconds=5, mib=100):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(package(document_xml(body)))
    assert "XML parser limit" in info.value.reason


def test_nested_tables_just_inside_the_xml_depth_limit_are_read():
    depth = 80  # tbl/tr/tc: 240 levels of the 256 libxml2 allows
    body = "<w:tbl><w:tr><w:tc>" * depth + p("最里面") + "</w:tc></w:tr></w:tbl>" * depth
    with bounded(seconds=5):
        report = extractor.parse(package(document_xml(body)))
    assert [t.grid[0][0].text for t in report.document.tables] == ["最里面"]


def test_too_many_xml_tags_are_refused():
    body = "<w:p/>" * (docx_reader.MAX_XML_TAGS + 10)
    with bounded(seconds=5):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(package(document_xml(body)))
    assert "tags" in info.value.reason


def test_one_huge_text_node_is_refused():
    body = "<w:p><w:r><w:t>" + "x" * (11 * MiB) + "</w:t></w:r></w:p>"
    with bounded(seconds=10, mib=400):
        with pytest.raises(extractor.ResourceLimitError):
            extractor.parse(package(document_xml(body)))


# ------------------------------------------------------------ Word numbering and styles


def test_list_numbering_with_huge_start_and_level_text_stays_small():
    numbering = (
        '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="2000000000"/>'
        f'<w:numFmt w:val="upperLetter"/><w:lvlText w:val="{"%1" * 50_000}"/></w:lvl>'
        '<w:lvl w:ilvl="99999"><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="-99999999999999999999"/></w:lvlOverride></w:num>'
    )
    body = p("条目", '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>') * 2000
    with bounded(seconds=10, mib=200):
        report = extractor.parse(docx_bytes(body, numbering=numbering))
    # at most 32 "%1" (the level text is cut to 64 characters), each at most 30 letters
    assert max(len(x.numbering) for x in report.document.paragraphs) <= 32 * 30


def test_long_style_inheritance_chain_is_resolved_once():
    n = 20_000
    styles = "".join(f'<w:style w:type="paragraph" w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>' for i in range(n))
    body = p("正文", '<w:pStyle w:val="s0"/>') * 5000
    with bounded(seconds=10):
        report = extractor.parse(docx_bytes(body, styles=styles))
    assert len(report.document.paragraphs) == 5000


def test_cyclic_style_chain_terminates():
    styles = '<w:style w:styleId="a"><w:basedOn w:val="b"/></w:style><w:style w:styleId="b"><w:basedOn w:val="a"/></w:style>'
    report = extractor.parse(docx_bytes(p("正文", '<w:pStyle w:val="a"/>'), styles=styles))
    assert report.document.paragraphs[0].text == "正文"


# ------------------------------------------------------------ Word tables


@pytest.mark.parametrize("before", ["100000000", "-5", "99999999999999999999999"])
def test_docx_grid_before_out_of_range(before):
    body = f'<w:tbl><w:tr><w:trPr><w:gridBefore w:val="{before}"/></w:trPr>{tc("a")}{tc("b")}</w:tr><w:tr>{tc("c")}</w:tr></w:tbl>'
    with bounded(seconds=5, mib=100):
        report = extractor.parse(docx_bytes(body))
    t = report.document.tables[0]
    assert t.n_cols <= MAX_TABLE_COLS and t.grid[-1][0].text == "c"


def test_docx_spans_in_the_millions_are_clipped():
    row = tc("a", '<w:gridSpan w:val="150"/>') + tc("b", '<w:hMerge w:val="restart"/>') \
        + "".join(tc("", '<w:gridSpan w:val="5000000"/><w:hMerge/>') for _ in range(500))
    body = "<w:tbl>" + f"<w:tr>{row}</w:tr>" + f"<w:tr>{tc('c')}</w:tr>" * 100 + "</w:tbl>"
    with bounded(seconds=10, mib=200):
        report = extractor.parse(docx_bytes(body))
    t = report.document.tables[0]
    assert t.n_rows == 101 and t.n_cols == MAX_TABLE_COLS
    assert t.grid[0][-1].text == "b" and t.grid[0][-1].colspan == MAX_TABLE_COLS - 150


def test_docx_rows_beyond_the_bound_are_clipped():
    first = tc("a", '<w:vMerge w:val="restart"/>') + tc("b")
    more = tc("", "<w:vMerge/>") + tc("1")
    body = f"<w:tbl><w:tr>{first}</w:tr>" + f"<w:tr>{more}</w:tr>" * 5000 + "</w:tbl>"
    with bounded(seconds=10, mib=300):
        report = extractor.parse(docx_bytes(body))
    t = report.document.tables[0]
    assert t.n_rows == MAX_TABLE_ROWS and t.grid[-1][0].text == "a" and t.grid[0][0].rowspan == MAX_TABLE_ROWS


# ------------------------------------------------------------ HTML


def test_deeply_nested_html_is_refused_not_cut_short():
    depth = 12_000
    html = "<html><body><p>某局2021年政府信息公开工作年度报告</p>" + "<div>x" * depth + "</div>" * depth + "<p>尾</p></body></html>"
    with bounded(seconds=5, mib=200):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(html.encode())
    assert "parser limit" in info.value.reason


@pytest.mark.parametrize("open_, close, depth", [("<div>", "</div>", 2000), ("<span>", "</span>", 2000),
                                                 ("<b>", "</b>", 2000), ("<table><tr><td>", "</td></tr></table>", 600)])
def test_html_nested_up_to_the_parser_limit_is_read_without_recursion(open_, close, depth):
    # just inside libxml2's 2048 levels; the reader walks the tree iteratively
    tail = "<p>" + "尾" * 3 * depth + "</p>"  # most of the text: the body search stays at <body>
    html = "<html><body><p>某局2021年政府信息公开工作年度报告</p>" + f"{open_}层" * depth + close * depth + tail + "</body></html>"
    with bounded(seconds=10, mib=300):
        report = extractor.parse(html.encode())
    assert report.meta["title"] == "某局2021年政府信息公开工作年度报告"
    doc = report.document
    assert ("".join(b.text for b in doc.paragraphs) + "".join(t.text() for t in doc.tables)).count("层") == depth


def test_heading_search_is_linear_in_deep_pages():
    # 60 chains of 2000 nested <b> with short text: a text_content() per
    # candidate element would visit 60 * 2000**2 / 2 nodes
    chain = "<b> " * 2000 + "abcdefgh" + "</b>" * 2000
    html = "<html><body>" + chain * 60 + "<h1>某局2021年政府信息公开工作年度报告</h1></body></html>"
    with bounded(seconds=15):
        report = extractor.parse(html.encode())
    assert report.document.hints.get("heading") == "某局2021年政府信息公开工作年度报告"


def test_100_mb_html_page_is_refused_before_decoding():
    data = b"<html><body>" + b"<p>x</p>" * (100 * MiB // 8)
    with bounded(seconds=5, mib=64):  # nothing allocated beyond the source itself
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert str(html_reader.MAX_HTML_BYTES) in info.value.reason


def test_large_page_under_the_bound_is_read_whole():
    # a 30 MB inline image (over libxml2's 10 MB text cap without huge_tree)
    # must not cut off what follows it
    html = (b"<html><body><p>\xe6\x9f\x90\xe5\xb1\x80</p><img src='data:image/png;base64," + b"QUJD" * (30 * MiB // 4)
            + "'><p>四、政府信息公开行政复议、行政诉讼情况</p></body></html>".encode())
    with bounded(seconds=15, mib=600):
        report = extractor.parse(html)
    assert report.document.paragraphs[-1].text == "四、政府信息公开行政复议、行政诉讼情况"


def test_too_many_html_tags_are_refused():
    data = b"<html><body>" + b"<b></b>" * (html_reader.MAX_HTML_TAGS // 2 + 10)
    with bounded(seconds=5):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "tags" in info.value.reason


def test_too_many_paragraphs_are_refused():
    data = ("<html><body><pre>" + "一、总体情况\n" * (MAX_BLOCKS + 10) + "</pre></body></html>").encode()
    with bounded(seconds=15, mib=600):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "paragraphs" in info.value.reason


def test_rowspan_and_colspan_in_the_millions_are_clipped():
    html = ('<p>某局2021年政府信息公开工作年度报告</p><table><tr><td rowspan="100000000">a</td>'
            '<td colspan="5000000">b</td><td colspan="99999999999999999999">c</td></tr>'
            '<tr><td rowspan="-3" colspan="0">d</td></tr><tr><td>e</td></tr></table>')
    with bounded(seconds=5, mib=100):
        report = extractor.parse(html.encode())
    t = report.document.tables[0]
    assert t.n_rows == 3 and t.n_cols == MAX_TABLE_COLS
    assert t.grid[2][0].text == "a" and t.grid[0][1].text == "b"


def test_table_with_all_spans_at_the_old_5000_by_200_bound_is_refused_quickly():
    row = "<tr>" + "<td rowspan=2 colspan=50>1</td>" * 4 + "</tr>"
    html = "<p>某局2021年政府信息公开工作年度报告</p><table><tr><td>本年新收</td><td>予以公开</td><td>部分公开</td><td>自然人</td></tr>" \
        + row * 5000 + "</table>"
    data = html.encode()
    assert data.count(b"<") <= html_reader.MAX_HTML_TAGS  # legal-looking: passes the tag bound
    with bounded(seconds=10, mib=400):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(data)
    assert "grid positions" in info.value.reason


def test_largest_statistics_table_under_the_bounds_is_read_in_bounded_time():
    # 1000 rows x 100 columns = the whole grid budget, all in one table the
    # locator takes for table 三 (the worst case for the cell mapping)
    cols = MAX_GRID_CELLS // MAX_TABLE_ROWS
    header = "<tr><td>项目</td>" + "".join(f"<td>商业企业{c}</td>" for c in range(cols - 1)) + "</tr>"
    body = "".join("<tr><td>予以公开</td>" + f"<td>{r}</td>" * (cols - 1) + "</tr>" for r in range(MAX_TABLE_ROWS - 2))
    html = ("<p>某局2021年政府信息公开工作年度报告</p><table><tr><td>本年新收</td><td>上年结转</td><td>予以公开</td>"
            f"<td>部分公开</td></tr>{header}{body}</table>")
    with bounded(seconds=30, mib=800):
        report = extractor.parse(html.encode())
    assert report.document.tables[0].n_rows == MAX_TABLE_ROWS


def test_many_tables_are_bounded_in_total():
    table = "<table>" + ("<tr>" + "<td>1</td>" * 50 + "</tr>") * 50 + "</table>"
    html = "<html><body>" + table * (MAX_GRID_CELLS // 2500 + 1) + "</body></html>"
    with bounded(seconds=10):
        with pytest.raises(extractor.ResourceLimitError) as info:
            extractor.parse(html.encode())
    assert "grid positions" in info.value.reason


def test_binary_garbage_named_html_is_unsupported(tmp_path):
    rnd = random.Random(7)
    garbage = bytes(rnd.getrandbits(8) for _ in range(2 * MiB))
    for i, data in enumerate([garbage, b"<" + garbage, b"<html>" + garbage, b"\xef\xbb\xbf<!DOCTYPE html>" + garbage]):
        f = tmp_path / f"page{i}.html"
        f.write_bytes(data)
        with bounded(seconds=5):
            with pytest.raises(extractor.UnsupportedFormatError):
                extractor.parse(f)


def test_markup_then_garbage_is_read_within_bounds():
    # text in the first 4 KiB, garbage after it: read as HTML, never a crash
    rnd = random.Random(8)
    head = ("<html><body><p>某局2021年政府信息公开工作年度报告</p>" + "<p>一、总体情况</p>" * 200).encode()
    data = head + bytes(rnd.getrandbits(8) for _ in range(2 * MiB))
    with bounded(seconds=10, mib=300):
        try:
            extractor.parse(data)  # a report of mojibake, or a ParseError: both are bounded outcomes
        except extractor.ParseError:
            pass


@pytest.mark.parametrize("declared", ["utf-8", "gb2312", "big5", "shift_jis", "utf-16", "utf-7", "idna", "undefined",
                                      "unicode_escape", "rot13", "base64", "x-no-such-codec"])
def test_unexpected_encoding_with_invalid_bytes(declared):
    body = "某局2021年政府信息公开工作年度报告".encode("gb18030") + b"\xff\xfe\x80\x81\xfe\x30" * 500 + "一、总体情况".encode("gb18030")
    html = b'<html><head><meta charset="' + declared.encode("latin-1") + b'"></head><body><p>' + body + b"</p></body></html>"
    with bounded(seconds=10):
        report = extractor.parse(html)
    assert report.document.paragraphs  # decoded with replacements, never an exception


@pytest.mark.parametrize("declared", ["", "utf-8", "gbk", "big5"])
@pytest.mark.parametrize("enc", ["utf-8", "gb18030"])
def test_a_page_with_one_invalid_byte_is_not_mojibake(declared, enc):
    meta = f'<meta charset="{declared}">' if declared else ""
    html = (f"<html><head>{meta}</head><body><p>某局2021年政府信息公开工作年度报告</p>"
            + "<p>一、总体情况。本机关认真贯彻落实政府信息公开条例。</p>" * 50 + "</body></html>").encode(enc)
    broken = html[: len(html) // 2] + b"\xff" + html[len(html) // 2:]  # e.g. a character cut by the CMS
    report = extractor.parse(broken)
    assert report.meta["title"] == "某局2021年政府信息公开工作年度报告"


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(enc):
    html = ("<html><body><p>某局2021年政府信息公开工作年度报告</p><p>一、总体情况</p></body></html>").encode(enc)
    report = extractor.parse(html)
    assert report.meta["title"] == "某局2021年政府信息公开工作年度报告"


def test_nul_bytes_and_control_characters_inside_html():
    html = "<html><body><p>某局2021年政府信息公开工作年度报告</p><p>一、总\x00体\x01情\x0b况</p></body></html>".encode()
    report = extractor.parse(html)
    assert report.meta["title"] == "某局2021年政府信息公开工作年度报告"


def test_recursion_error_deep_in_the_callers_stack_is_a_resource_limit():
    import sys

    from extractor.readers import read

    body = "<w:tbl><w:tr><w:tc>" * 80 + p("x") + "</w:tc></w:tr></w:tbl>" * 80  # ~160 frames of the reader
    data = docx_bytes(body)
    frame, depth = sys._getframe(), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + 120)  # as if parse() were called deep in someone's stack
    try:
        with pytest.raises(extractor.ResourceLimitError):
            read(data)
    finally:
        sys.setrecursionlimit(limit)
    assert read(data)[1].tables[0].grid[0][0].text == "x"


def test_encrypted_members_are_refused():
    data = bytearray(package(document_xml(p("一、总体情况"))))
    for sig, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local headers, central directory
        at = data.find(sig)
        while at >= 0:
            struct.pack_into("<H", data, at + flags_at, 0x1)  # "encrypted"
            at = data.find(sig, at + 4)
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(bytes(data))
    assert "encrypted" in info.value.reason


def test_sources_over_the_size_bound_are_refused_before_reading(tmp_path, monkeypatch):
    import importlib

    parse_module = importlib.import_module("extractor.parse")
    monkeypatch.setattr(parse_module, "MAX_SOURCE_BYTES", 1000)
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>x</p>" * 200)
    with pytest.raises(extractor.ResourceLimitError) as info:
        extractor.parse(big)
    assert "larger than 1000 bytes" in info.value.reason
    with open(big, "rb") as fh, pytest.raises(extractor.ResourceLimitError):
        extractor.parse(fh)
