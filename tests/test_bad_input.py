"""Sources that cannot be read as a report raise documented ParseErrors."""

from __future__ import annotations

import io
import zipfile

import pytest

import extractor
from docgen import docx_bytes, p


def test_empty_file(tmp_path):
    f = tmp_path / "empty.docx"
    f.write_bytes(b"")
    with pytest.raises(extractor.EmptyFileError) as info:
        extractor.parse(f)
    assert "empty.docx" in str(info.value) and "empty" in info.value.reason


def test_whitespace_only_html():
    with pytest.raises(extractor.EmptyFileError):
        extractor.parse(b"   \n\t ")


def test_truncated_docx(tmp_path):
    data = docx_bytes(p("一、总体情况") * 50)
    f = tmp_path / "report.docx"
    f.write_bytes(data[: len(data) // 2])
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(f)
    assert "report.docx" in str(info.value)


def test_corrupt_member_in_zip():
    data = bytearray(docx_bytes(p("x" * 2000)))
    start = data.find(b"word/document.xml") + 40
    data[start:start + 50] = b"\x00" * 50
    with pytest.raises(extractor.ParseError):
        extractor.parse(bytes(data))


def test_zip_that_is_not_a_docx():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    with pytest.raises(extractor.UnsupportedFormatError) as info:
        extractor.parse(buf.getvalue())
    assert "word/document.xml" in info.value.reason


def test_legacy_doc_whatever_its_name(tmp_path):
    f = tmp_path / "report.docx"
    f.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(extractor.LegacyDocError) as info:
        extractor.parse(f)
    assert ".doc" in info.value.reason
    assert isinstance(info.value, extractor.UnsupportedFormatError)


def test_pdf_header_without_a_document_is_corrupt():
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert "PDF" in info.value.reason


def test_binary_garbage_named_html(tmp_path):
    f = tmp_path / "page.html"
    f.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(extractor.UnsupportedFormatError):
        extractor.parse(f)


def test_plain_text_is_unsupported():
    with pytest.raises(extractor.UnsupportedFormatError):
        extractor.parse("一、总体情况\n本年新收政府信息公开申请数量 10".encode())


def test_missing_file_is_a_parse_error(tmp_path):
    with pytest.raises(extractor.ParseError) as info:
        extractor.parse(tmp_path / "nope.docx")
    assert "nope.docx" in str(info.value)


def test_wrong_argument_type():
    with pytest.raises(TypeError):
        extractor.parse(12345)


def test_html_without_tables_gives_a_report_with_issues():
    r = extractor.parse("<p>某局2022年政府信息公开工作年度报告</p><p>一、总体情况</p>".encode())
    assert r.meta["template"] is None and r.facts.empty
    assert any(i.code == "template.unknown" and i.severity == "error" for i in r.issues)


def test_tables_as_images_are_reported():
    html = ("<p>某局2022年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>"
            "<p><img src='t3.png'></p><p>四、政府信息公开行政复议、行政诉讼情况</p><img src='t4.png'>")
    r = extractor.parse(html.encode())
    assert any(i.code == "template.unknown" for i in r.issues)
