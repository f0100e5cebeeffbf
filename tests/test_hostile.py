"""Hostile and broken inputs: each is refused with the right ParseError or
read into a report, within bounded time and memory (README "Robustness").

Every input is generated here; none is committed. Time bounds are loose
(a slow CI machine must pass); memory is checked as the growth of the
process's peak RSS, or with tracemalloc where the cost is Python objects.
"""

from __future__ import annotations

import io
import math
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
from docgen import CONTENT_TYPES, NUMBERING, RELS, W_NS, attribute_tag, docx_bytes, p, scripts_page, style_chain, tc
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


def test_millions_of_attributes_in_a_part_are_refused_before_parsing():
    # 2.7 million attributes in a 31 MB part took 7.7 s and 750 MiB to build; 1.2 million here
    attrs = " ".join(f'a{i}="1"' for i in range(400_000))
    data = package(document_xml(f'<w:p {attrs}><w:r><w:t>x</w:t></w:r></w:p>' * 3))
    with bounded(seconds=3, mib=100), pytest.raises(extractor.ResourceLimitError) as info:
        extractor.parse(data)
    assert "attributes" in info.value.reason


def test_attributes_in_a_part_are_bounded(monkeypatch):
    monkeypatch.setattr(docx_reader, "MAX_XML_ATTRIBUTES", 1000)
    one = p("一、总体情况")
    base = document_xml(one).count("=")
    attrs = " ".join(f'a{i}="1"' for i in range(1000 - base))
    assert extractor.parse(package(document_xml(f"<w:p {attrs}/>" + one))).document.paragraphs[0].text == "一、总体情况"
    attrs = " ".join(f'a{i}="1"' for i in range(10_000))  # ten times the bound
    with pytest.raises(extractor.ResourceLimitError):
        extractor.parse(package(document_xml(f"<w:p {attrs}/>" + one)))


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


# ------------------------------------------------------------ linear time (fuzz and review findings)


def best_time(fn, repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` calls (CPU time: other processes on
    the machine slow the wall clock, not this)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def assert_linear(cost, n: int, factor: int = 8, margin: float = 3.0) -> None:
    """``cost(factor * n)`` is within ``margin`` times ``factor`` times
    ``cost(n)`` (best of three each): linear growth passes with room on a
    busy machine; quadratic growth (``factor²``, here 64) does not."""
    small = best_time(lambda: cost(n))
    large = best_time(lambda: cost(factor * n))
    assert large < margin * factor * max(small, 5e-3), (
        f"{factor}× the input took {large / max(small, 1e-9):.0f}× the time ({small:.3f} s → {large:.3f} s)")


@pytest.mark.parametrize("style", ["plain", "valueless", "quoted_gt", "slashes", "adjacent"])
def test_one_tag_with_tens_of_thousands_of_attributes_is_refused_at_once(style):
    # the finding: one tag of 40,000 attributes (350 KB) took 14 s inside libxml2
    page = f"<html><body><p>一、总体情况</p>{attribute_tag(40_000, style)}正文</p></body></html>".encode()
    with bounded(seconds=3), pytest.raises(extractor.ResourceLimitError) as info:
        extractor.parse(page)
    assert "attributes" in info.value.reason
    with pytest.raises(extractor.ResourceLimitError):  # ten times the bound
        html_reader.read_html(f"<p>x</p>{attribute_tag(10 * html_reader.MAX_TAG_ATTRIBUTES, style)}y".encode())


def test_attributes_up_to_the_bound_are_read_and_text_that_looks_like_them_is_not_counted():
    k = html_reader.MAX_TAG_ATTRIBUTES
    doc = html_reader.read_html(f"<body>{attribute_tag(k, tag='div')}一、总体情况</div></body>".encode())
    assert doc.paragraphs[0].text == "一、总体情况"
    # attributes in comments, scripts and text are no element's attributes
    flood = attribute_tag(20_000)
    page = (f"<body><!-- {flood} --><script>var s = '{flood}';</script><p>正文</p>"
            f"<textarea>{flood}</textarea><p>{flood.replace('<', '&lt;')}</p></body>")
    doc = html_reader.read_html(page.encode())
    assert doc.paragraphs[0].text == "正文"


def test_attributes_over_the_whole_page_are_bounded(monkeypatch):
    monkeypatch.setattr(html_reader, "MAX_HTML_ATTRIBUTES", 1000)
    tag = attribute_tag(100)
    html_reader.read_html(("<body>" + (tag + "x</p>") * 10 + "</body>").encode())  # 1,000: at the bound
    with pytest.raises(extractor.ResourceLimitError) as info:
        html_reader.read_html(("<body>" + (tag + "x</p>") * 100 + "</body>").encode())  # ten times
    assert "10000 attributes" in info.value.reason


def test_pages_of_attributes_at_the_bound_are_read_in_linear_time():
    tag = attribute_tag(html_reader.MAX_TAG_ATTRIBUTES)

    def cost(n: int):
        html_reader.read_html(("<body>" + (tag + "x</p>") * n + "</body>").encode())

    assert_linear(cost, 50)


def test_thousands_of_scripts_between_text_are_dropped_in_linear_time():
    # the finding: removing them one by one re-joined the growing text each time (1.2 MB: 10 s)
    page = scripts_page(4000)
    assert len(page) > 1.2 * MiB
    with bounded(seconds=5):
        doc = html_reader.read_html(page)
    assert doc.paragraphs[0].text == "一、总体情况" + "正文" * 50 * 4000
    assert_linear(lambda n: html_reader.read_html(scripts_page(n)), 1000)


def hidden_spans_page(n: int) -> bytes:
    return ("<html><body><p>一、总体情况" + ('<span style="display:none">隐藏</span>' + "正文" * 50) * n
            + "</p></body></html>").encode()


def test_thousands_of_hidden_elements_between_text_are_dropped_in_linear_time():
    # dropped one by one, 8,000 of them took 33 s (each drop re-joined the growing text)
    with bounded(seconds=5):
        doc = html_reader.read_html(hidden_spans_page(8000))
    assert doc.paragraphs[0].text == "一、总体情况" + "正文" * 50 * 8000
    assert_linear(lambda n: html_reader.read_html(hidden_spans_page(n)), 1000)


def test_dropping_skipped_elements_keeps_the_text_as_drop_tree_does():
    import lxml.html

    rnd = random.Random(7)
    tags = ["p", "b", "span", "script", "style", "noscript", "div", "template"]
    for _ in range(200):
        parts = []
        for _ in range(rnd.randint(1, 30)):
            t = rnd.choice(tags)
            parts.append(rnd.choice(["", "文", " x ", "\n"]) + f"<{t}>{rnd.choice(['', 'in', '内'])}")
            if rnd.random() < 0.6:
                parts.append(f"</{t}>")
        page = "<html><body>" + "".join(parts) + "tail</body></html>"
        ours, theirs = lxml.html.document_fromstring(page), lxml.html.document_fromstring(page)
        html_reader._drop_elements(html_reader._skipped(ours))
        for el in list(theirs.iter(*html_reader._SKIP)):
            if el.getparent() is not None:
                el.drop_tree()
        assert lxml.html.tostring(ours, encoding="unicode") == lxml.html.tostring(theirs, encoding="unicode"), page


def test_a_chain_of_thousands_of_styles_with_a_numbering_part_is_resolved_in_linear_time():
    # the finding: every style's chain walked again (8,000 styles: 6 s)
    styled = p("x", '<w:pStyle w:val="s0"/>')
    table = f'<w:tbl><w:tr>{tc("a")}{tc("b")}</w:tr><w:tr>{tc("1")}<w:tc>{styled}</w:tc></w:tr></w:tbl>'
    data = docx_bytes(table, styles=style_chain(8000), numbering=NUMBERING)
    with bounded(seconds=3):
        report = extractor.parse(data)
    # s0 inherits the numbering of the chain's last style, 8,000 steps up
    assert report.document.tables[0].grid[1][1].text == "1.x"
    assert_linear(lambda n: extractor.parse(docx_bytes(table, styles=style_chain(n), numbering=NUMBERING)), 1000)


def naive_resolve(styles: dict, sid):
    """The basedOn chain walked from ``sid`` (the definition)."""
    out = docx_reader._Style()
    seen = set()
    while sid and sid not in seen and sid in styles:
        seen.add(sid)
        s = styles[sid]
        out.num_id = out.num_id if out.num_id is not None else s.num_id
        out.ilvl = out.ilvl if out.ilvl is not None else s.ilvl
        out.outline = out.outline if out.outline is not None else s.outline
        out.bold = out.bold or s.bold
        sid = s.based_on
    return out


def test_a_statistics_label_cell_of_megabytes_is_cut_and_read_in_bounded_time():
    # found by fuzzing: 50,000 copies of a <span> in one label cell (3.2 million
    # characters), normalized again for every use of the label: 63 s
    from conftest import FIXTURES
    from extractor.parse import build_report
    from extractor.readers import read
    from extractor.readers.limits import MAX_CELL_CHARS

    page = (FIXTURES / "seed-2021-cms-page.html").read_text(encoding="utf-8")
    label = '<p style="text-align:left">（五）不予处理</p>'  # a label of table 三 over five rows
    assert page.count(label) == 1
    flood = "<span>一、总体情况正文</span>" * 60_000  # 1 million characters
    fmt, doc = read(page.replace(label, label + flood).encode())
    # recognition, a few milliseconds on the page, took 2 s of CPU time with the whole cell
    assert best_time(lambda: build_report(doc, fmt=fmt, sha256="0" * 64), repeat=1) < 0.5
    report = build_report(doc, fmt=fmt, sha256="0" * 64)
    cell = next(c for t in report.document.tables for row in t.grid for c in row if c and c.text.startswith("（五）"))
    assert len(cell.text) == MAX_CELL_CHARS + 1 and cell.text.endswith("…")
    # the label still names its rows: every value is read as from the page without the flood
    plain = extractor.parse(page.encode()).facts
    cols = ["table", "row", "column", "value", "raw"]
    assert len(plain) == 200 and report.facts[cols].equals(plain[cols])


def test_styles_resolved_once_each_equal_their_chain_walked():
    rnd = random.Random(3)
    for _ in range(100):
        n = rnd.randint(1, 40)
        xml = []
        for i in range(n):
            # based on an earlier style (acyclic), a missing one or none
            base = rnd.choice([None, "missing"] + [f"s{j}" for j in range(i)])
            props = ""
            if rnd.random() < 0.3:
                props += f'<w:pPr><w:numPr><w:ilvl w:val="{rnd.randint(0, 3)}"/><w:numId w:val="{rnd.randint(1, 3)}"/></w:numPr>' + (
                    f'<w:outlineLvl w:val="{rnd.randint(0, 4)}"/>' if rnd.random() < 0.5 else "") + "</w:pPr>"
            if rnd.random() < 0.3:
                props += "<w:rPr><w:b/></w:rPr>"
            xml.append(f'<w:style w:type="paragraph" w:styleId="s{i}">'
                       + (f'<w:basedOn w:val="{base}"/>' if base else "") + props + "</w:style>")
        root = docx_reader.etree.fromstring(f'<w:styles xmlns:w="{W_NS}">{"".join(xml)}</w:styles>'.encode())
        styles = docx_reader._Styles(root)
        order = [f"s{i}" for i in range(n)]
        rnd.shuffle(order)  # resolved in any order, memoized along the way
        for sid in order:
            got, want = styles.resolve(sid), naive_resolve(styles.styles, sid)
            assert (got.num_id, got.ilvl, got.outline, got.bold) == (want.num_id, want.ilvl, want.outline, want.bold)


# ------------------------------------------------------------ files that are not regular files


def _parse_in_thread(path, seconds: float = 10):
    """``parse(path)`` in a thread: (finished, exception)."""
    import threading

    box = {}

    def run():
        try:
            extractor.parse(path)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["exc"] = exc

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    return not t.is_alive(), box.get("exc"), t


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path):
    import os

    fifo = tmp_path / "report.html"
    os.mkfifo(fifo)
    finished, exc, thread = _parse_in_thread(fifo)
    if not finished:  # let the blocked reader go before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        thread.join(5)
    assert finished, "parse() blocked on a named pipe"
    assert isinstance(exc, extractor.ParseError) and "named pipe" in exc.reason


@pytest.mark.skipif(not __import__("os").path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_link_to_an_endless_device_is_refused_before_reading(tmp_path):
    link = tmp_path / "report.docx"
    link.symlink_to("/dev/zero")
    with bounded(seconds=5, mib=50):
        finished, exc, _ = _parse_in_thread(link)
    assert finished
    assert isinstance(exc, extractor.ParseError) and "character device" in exc.reason


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(extractor.ParseError) as info:
        extractor.parse(tmp_path)
    assert "Is a directory" in info.value.reason


@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/maps"), reason="needs /proc")
def test_the_size_bound_holds_while_reading_a_file_that_reports_no_size():
    from extractor.readers import read_file

    # /proc files are regular files of size 0 whose content is made when read
    assert __import__("os").stat("/proc/self/maps").st_size == 0
    with pytest.raises(extractor.ResourceLimitError):
        read_file("/proc/self/maps", 100)
    assert read_file("/proc/self/maps", 10 * MiB).count(b"\n") > 5


# ------------------------------------------------------------ implausible numbers and spreadsheet formulas


SEED_TITLE = "威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告"


def hostile_seed_page(value: str = "9" * 400, title: str = '=HYPERLINK("http://example.invalid/","{t}")') -> bytes:
    """The 2021 seed page with its 行政许可 decisions cell (27960) replaced by
    ``value`` and its title by ``title``."""
    from conftest import FIXTURES

    page = (FIXTURES / "seed-2021-cms-page.html").read_text(encoding="utf-8")
    assert page.count(">27960<") == 1 and page.count(SEED_TITLE) == 3
    escaped = title.format(t=SEED_TITLE).replace('"', "&quot;")
    return page.replace(">27960<", f">{value}<").replace(SEED_TITLE, escaped).encode()


@pytest.mark.parametrize("value", ["9" * 400, "9" * 309, "123456789012345678", "1,000,000,000,000,000", "10000000000000"],
                         ids=["400 digits", "309 digits (float infinity)", "an ID number", "a quadrillion", "ten times the bound"])
def test_a_value_beyond_any_count_is_nan_with_an_issue_and_its_raw_text(value):
    report = extractor.parse(hostile_seed_page(value))
    fact = report.facts.set_index(["table", "row", "column"]).loc[("active_disclosure", "licensing", "decisions")]
    assert math.isnan(fact["value"]) and fact["raw"] == value
    issue = [i for i in report.issues if i.code == "value.implausible"]
    assert len(issue) == 1 and issue[0].cells == ("active_disclosure/licensing/decisions",)
    # the other cells of the table are read as before
    assert report.facts.set_index(["table", "row", "column"]).loc[("active_disclosure", "punishment", "decisions"), "value"] == 795


def test_a_trillion_is_still_a_value():
    report = extractor.parse(hostile_seed_page("1000000000000"))
    facts = report.facts.set_index(["table", "row", "column"])
    assert facts.loc[("active_disclosure", "licensing", "decisions"), "value"] == 1e12
    assert not [i for i in report.issues if i.code == "value.implausible"]


def test_exports_of_hostile_text_and_numbers_are_text_and_finite(tmp_path, monkeypatch):
    import json
    import tempfile

    import openpyxl
    import pandas as pd

    from extractor.outputs.cli import main

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "hostile.html").write_bytes(hostile_seed_page())
    (src / "plain.html").write_bytes(hostile_seed_page("-3", title="{t}"))
    made = []

    def no_temp_files(*args, **kwargs):  # the workbook's parts stay in memory
        made.append((args, kwargs))
        raise AssertionError("a temporary file outside the output folder")

    for fn in ("mkstemp", "mkdtemp", "TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile"):
        monkeypatch.setattr(tempfile, fn, no_temp_files)
    assert main(["convert", str(src), "-o", str(out), "--format", "csv,xlsx,dta,jsonl,parquet", "--quiet",
                 "--jobs", "1"]) == 0
    assert not made
    title = '=HYPERLINK("http://example.invalid/","' + SEED_TITLE + '")'
    # Excel: the title is a text cell, not a formula
    sheet = openpyxl.load_workbook(out / "reports.xlsx")["reports"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("title")] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in cells) == sorted([title, SEED_TITLE]) and {c.data_type for c in cells} == {"s"}
    # CSV: a formula-like field starts with ', plain numbers are left as they are
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    assert set(reports.title) == {"'" + title, SEED_TITLE}
    facts = pd.read_csv(out / "facts.csv", encoding="utf-8-sig", dtype={"raw": str})
    assert set(facts[facts.row == "licensing"].raw) == {"9" * 400, "-3"}
    # Parquet keeps the text exactly
    assert set(pd.read_parquet(out / "reports.parquet").title) == {title, SEED_TITLE}
    # JSON lines: strict JSON (no Infinity, no NaN)
    for line in (out / "reports.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line, parse_constant=lambda c: pytest.fail(f"{c} in reports.jsonl"))
    # Stata: written, the implausible value missing
    dta = pd.read_stata(out / "dta" / "facts.dta")
    cell = dta[(dta.row == "licensing") & (dta.column == "decisions")]
    assert len(cell) == 2 and cell.value.isna().sum() == 1


def test_stata_and_json_exports_carry_no_infinity():
    import pandas as pd

    from extractor.outputs.export import report_records, stata_frame

    df = pd.DataFrame({"report_id": ["a", "a"], "value": [float("inf"), 1.0]})
    assert stata_frame(df).value.isna().tolist() == [True, False]
    meta = pd.DataFrame({"report_id": ["a"], "n": [float("-inf")]})
    (rec,) = report_records(meta, df, df.iloc[:0], df.iloc[:0])
    assert rec["meta"]["n"] is None and [f["value"] for f in rec["facts"]] == [None, 1.0]


@pytest.mark.parametrize("text, escaped", [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"), ("-3", "-3"), ("+2", "+2"), ("-1.5", "-1.5"), ("1,234", "1,234"), ("-", "-"), ("--", "--"),
    ("一、=1", "一、=1"), ("", ""), (" =1", " =1"),
])
def test_csv_fields_a_spreadsheet_would_run_get_a_quote(text, escaped):
    import pandas as pd

    from extractor.outputs.export import csv_safe

    df = pd.DataFrame({"text": [text, None], "n": [1, 2]})
    out = csv_safe(df)
    assert out.text[0] == escaped and pd.isna(out.text[1]) and out.n.tolist() == [1, 2]
    assert df.text[0] == text  # the frame given is not changed


# ------------------------------------------------------------ ambiguous packages


def test_two_members_of_one_name_are_refused():
    members = [("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS),
               ("word/document.xml", document_xml(p("一、总体情况"))), ("word/document.xml", document_xml(p("伪造")))]
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate it writes
        data = zip_of(members)
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(data)
    assert "ambiguous" in info.value.reason and "word/document.xml" in info.value.reason


def test_member_names_told_apart_only_by_case_are_refused():
    data = package(document_xml(p("一、总体情况")), {"Word/Document.xml": document_xml(p("伪造"))})
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(data)
    assert "ambiguous" in info.value.reason


def test_a_member_name_with_a_nul_byte_is_refused():
    data = package(document_xml(p("一、总体情况")), {"word/document.xmlAxx": document_xml(p("伪造"))})
    # the second member renamed "word/document.xml\0xx" in both headers (zipfile cannot write a NUL)
    assert data.count(b"word/document.xmlAxx") == 2
    data = data.replace(b"word/document.xmlAxx", b"word/document.xml\x00xx")
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(data)
    assert "NUL" in info.value.reason
