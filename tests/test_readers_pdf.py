"""The PDF reader: grids from ruling lines, paragraphs from lines, bad and hostile PDFs."""

from __future__ import annotations

import functools
import io
import random
import socket
import zlib

import pytest
from hypothesis import given, settings, strategies as st

import extractor
from extractor.model import Image, Paragraph, Table
from extractor.readers import sniff
from extractor.readers import pdf as pdfmod
from extractor.readers.pdf import read_pdf
from conftest import FIXTURES
from pdfgen import grid_pdf, grids_pdf, image_only_pdf, pages_pdf, raw_pdf, text_ops
from test_readers_docx import merge_layouts


def drawn(n_rows: int, n_cols: int, rects):
    """What a reader of the page can see of a merge layout: grid lines that
    no cell edge draws do not exist, so rows and columns merged everywhere
    collapse. Returns (n_rows, n_cols, rects) in the visible grid."""
    col_edges = sorted({0, n_cols} | {c for _, c, _, _ in rects} | {c + w for _, c, _, w in rects})
    row_edges = sorted({0, n_rows} | {r for r, _, _, _ in rects} | {r + h for r, _, h, _ in rects})
    ci = {c: i for i, c in enumerate(col_edges)}
    ri = {r: i for i, r in enumerate(row_edges)}
    out = [(ri[r], ci[c], ri[r + h] - ri[r], ci[c + w] - ci[c]) for r, c, h, w in rects]
    return len(row_edges) - 1, len(col_edges) - 1, out


def assert_table(table: Table, n_rows: int, n_cols: int, rects, labels) -> None:
    assert (table.n_rows, table.n_cols) == (n_rows, n_cols)
    for (r0, c0, h, w), text in zip(rects, labels):
        cell = table.grid[r0][c0]
        assert (cell.text, cell.row, cell.col, cell.rowspan, cell.colspan) == (text, r0, c0, h, w)
        for r in range(r0, r0 + h):
            for c in range(c0, c0 + w):
                assert table.grid[r][c] is cell


# ------------------------------------------------------------------ grids


@settings(max_examples=40, deadline=None)
@given(merge_layouts(), st.sampled_from(["stroke", "fill"]), st.booleans(), st.floats(0.3, 1.6),
       st.lists(st.floats(30, 90), min_size=6, max_size=6), st.lists(st.floats(16, 40), min_size=6, max_size=6))
def test_random_merge_layouts_round_trip_through_pdf(layout, style, backgrounds, line_width, widths, heights):
    """Merged cells are recovered from missing line segments, whether the
    lines are stroked or thin filled rectangles, over white text boxes and
    shading; every label lands in its cell."""
    n_rows, n_cols, rects = layout
    if len(rects) < 2:
        return  # a single frame is a box, not a table
    pdf = grid_pdf(n_rows, n_cols, rects, style=style, backgrounds=backgrounds, line_width=line_width,
                   widths=widths[:n_cols], heights=heights[:n_rows])
    doc = read_pdf(pdf)
    assert len(doc.tables) == 1
    labels = [f"r{r}c{c}" for r, c, _, _ in rects]
    assert_table(doc.tables[0], *drawn(n_rows, n_cols, rects), labels)


def test_table_without_a_bottom_border_keeps_its_last_row():
    rects = [(r, c, 1, 1) for r in range(3) for c in range(3)]
    full = read_pdf(grid_pdf(3, 3, rects)).tables[0]
    # the same grid drawn without its bottom line: the verticals still reach down
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(595, 842), invariant=1)
    xs, ys = [60, 120, 180, 240], [780, 756, 732, 708]
    for y in ys[:-1]:
        c.line(xs[0], y, xs[-1], y)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    c.setFont("Helvetica", 9)
    for r in range(3):
        for col in range(3):
            c.drawString(xs[col] + 20, ys[r] - 15, f"r{r}c{col}")
    c.showPage()
    c.save()
    table = read_pdf(out.getvalue()).tables[0]
    assert [[x.text for x in row] for row in table.grid] == [[x.text for x in row] for row in full.grid]
    assert table.n_rows == 3


def _split_table(first_label_below: str, label_col: int) -> list:
    """表三's （四） rows broken after their first item: a group label in
    column 0 cut by the break (its text flows on), item labels in column 1,
    numbers in column 2; the continuation repeats no header."""
    labels_a = {(0, 0): "（三）不予公开", (0, 1): "8.属于行政查询事项", (0, 2): "105",
                (1, 0): "（四）无", (1, 1): "1.本机关不掌握相关政府信息", (1, 2): "746"}
    labels_b = {(0, 0): "法提供", (0, 1): first_label_below, (0, 2): "11",
                (1, 1): "3.补正后申请内容仍不明确", (1, 2): "1",
                (2, 0): "（五）不予处理", (2, 1): "1.信访举报投诉类申请", (2, 2): "56"}
    if label_col == 1:  # the cut piece is an item label with its own numbers: no join
        labels_b[(0, 0)] = ""
    widths = [80.0, 170.0, 50.0]
    page_a = dict(n_rows=2, n_cols=3, rects=[(r, c, 1, 1) for r in range(2) for c in range(3)], widths=widths,
                  top=700.0, label=lambda r: labels_a[(r[0], r[1])])
    rects_b = [(0, 0, 2, 1), (0, 1, 1, 1), (0, 2, 1, 1), (1, 1, 1, 1), (1, 2, 1, 1),
               (2, 0, 1, 1), (2, 1, 1, 1), (2, 2, 1, 1)]
    page_b = dict(n_rows=3, n_cols=3, rects=rects_b, widths=widths, top=72.0,
                  label=lambda r: labels_b.get((r[0], r[1]), ""))
    return [page_a, page_b]


def test_cut_label_is_joined_across_the_page_break():
    """A merged group label whose text flows over a page break (``（四）无`` /
    ``法提供`` in 淮安市 2024) is one label, in the cell above the break."""
    doc = read_pdf(grids_pdf(_split_table("2.没有现成信息需要另行制作", 0)))
    a, b = doc.tables
    assert [c.text for c in a.row_cells(1)] == ["（四）无法提供", "1.本机关不掌握相关政府信息", "746"]
    assert [c.text for c in b.row_cells(0)] == ["", "2.没有现成信息需要另行制作", "11"]


def test_item_label_at_the_top_of_a_page_is_not_joined():
    """An item label with its own numbers starts a row of its own (洪泽区
    2023: ``2.没有现成…`` above the break, ``3.补正后…`` below it)."""
    doc = read_pdf(grids_pdf(_split_table("2.没有现成信息需要另行制作", 1)))
    a, b = doc.tables
    assert [c.text for c in a.row_cells(1)] == ["（四）无", "1.本机关不掌握相关政府信息", "746"]
    assert b.row_cells(0)[1].text == "2.没有现成信息需要另行制作"


def test_char_centre_decides_the_cell():
    """A character belongs to the cell its centre falls in, even when its
    box overlaps the ruling line (tight columns)."""
    ops = b"0.5 w 100 700 m 300 700 l S 100 680 m 300 680 l S 100 660 m 300 660 l S " \
          b"100 700 m 100 660 l S 200 700 m 200 660 l S 300 700 m 300 660 l S\n"
    # "12345" starts 2 pt left of the middle line; the centre of its "1"
    # (5 pt wide) is right of it, so the whole number is in the right cell
    ops += text_ops(198, 685, "12345", 9) + text_ops(110, 685, "a", 9)
    ops += text_ops(110, 665, "b", 9) + text_ops(210, 665, "6", 9)
    doc = read_pdf(raw_pdf([ops]))
    assert [[c.text for c in row] for row in doc.tables[0].grid] == [["a", "12345"], ["b", "6"]]


# ------------------------------------------------------------------ text


def test_paragraphs_are_rebuilt_from_lines_and_pages():
    """An A4 text block from x = 90 to 498 (34 characters of 12 pt): a
    title on two centred lines, a heading, a paragraph of three lines, one
    broken across the page (its last full line at the bottom of page 1,
    its end at the top of page 2), a running header and page numbers."""
    body = "政府信息公开工作年度报告正文内容" * 5  # 80 characters: 32 + 34 + 14
    full = "第二段开头的一行文字写满整行并且继续向下一页延伸"  # 24 characters
    L, W = 90, 34
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from pdfgen import register_cjk_font

    register_cjk_font()

    def centred(text: str) -> float:  # centred on the text block (x = 294)
        return 294 - stringWidth(text, "STSong-Light", 18) / 2

    page1 = [(centred("某某县人民政府"), 80, "某某县人民政府", 18), (centred("2023年度报告"), 104, "2023年度报告", 18),
             (L + 24, 150, "一、总体情况", 12),
             (L + 24, 170, body[:32], 12), (L, 190, body[32:66], 12), (L, 210, body[66:], 12),
             (L + 24, 230, full + "内容" * 4, 12), (L, 250, "正文继续到页底下一页接着写" * 2 + "最后八个字符在此", 12)]
    page2 = [(L, 80, "完。", 12), (L + 24, 100, "二、主动公开政府信息情况", 12)]
    assert len(page1[6][2]) == W - 2 and len(page1[7][2]) == W
    doc = read_pdf(pages_pdf([page1, page2], header="某某县人民政府信息公开年报"))
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert texts == ["某某县人民政府2023年度报告", "一、总体情况", body,
                     page1[6][2] + page1[7][2] + "完。", "二、主动公开政府信息情况"]


def test_two_line_title_is_one_title():
    report = extractor.parse(FIXTURES / "seed-2021-reportlab.pdf")
    assert report.document.paragraphs[0].text == "威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告"


# ------------------------------------------------------------------ formats and bad PDFs


def test_sniff_routes_pdf_to_the_pdf_reader():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"\r\n  junk %PDF-1.4\n...") == "pdf"  # header within the first 1,024 bytes
    with pytest.raises(extractor.UnsupportedFormatError):
        sniff(b"<p>%PDF-1.4</p>" + bytes(range(1, 9)) * 200)


def test_scan_without_a_text_layer_needs_ocr():
    with pytest.raises(extractor.NoTextLayerError) as info:
        extractor.parse(image_only_pdf(3))
    assert "no text layer: OCR needed" in info.value.reason
    assert isinstance(info.value, extractor.UnsupportedFormatError)


def test_pdf_without_any_text_or_picture():
    with pytest.raises(extractor.NoTextLayerError):
        extractor.parse(raw_pdf([b"0.5 w 10 10 m 100 100 l S\n"]))


def test_image_only_page_in_a_text_pdf_is_a_picture():
    report = extractor.parse(FIXTURES / "seed-2021-rotated-image.pdf")
    assert any(isinstance(b, Image) for b in report.document.blocks)
    assert "table.image" in {i.code for i in report.issues}


def test_password_protected_pdf():
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    c.drawString(100, 700, "hello")
    c.showPage()
    c.save()
    with pytest.raises(extractor.CorruptFileError) as info:
        extractor.parse(buf.getvalue())
    assert "password" in info.value.reason


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_pdf(cut):
    data = (FIXTURES / "seed-2021-reportlab.pdf").read_bytes()
    with pytest.raises(extractor.CorruptFileError):
        extractor.parse(data[: int(len(data) * cut)])


def test_corrupt_pdf():
    rnd = random.Random(7)
    with pytest.raises(extractor.CorruptFileError):
        extractor.parse(b"%PDF-1.4\n" + bytes(rnd.randrange(256) for _ in range(5000)))


@functools.lru_cache(maxsize=None)
def _bomb(wbits: int) -> bytes:
    comp = zlib.compressobj(1, wbits=wbits)
    chunk = b" " * (1 << 20)
    return b"".join(comp.compress(chunk) for _ in range(300)) + comp.flush()


@pytest.mark.parametrize("encoding", ["zlib", "raw deflate", "ascii85"])
def test_flate_bomb_is_refused_before_pdfium_inflates_it(encoding):
    """300 MiB of spaces compressed to 1.4 MB, in the second page's content
    stream (after an ordinary one), as zlib data, as raw deflate data, or
    ASCII85-encoded."""
    import base64

    bomb = _bomb(-15 if encoding == "raw deflate" else 15)
    assert len(bomb) < 2_000_000
    filters = "/FlateDecode"
    if encoding == "ascii85":
        bomb, filters = base64.a85encode(bomb) + b"~>", "[/ASCII85Decode /FlateDecode]"
    pdf = raw_pdf([text_ops(100, 700, "page one"), bomb], compress=False)
    pdf = pdf.replace(b"<< /Length %d >>" % len(bomb), b"<< /Filter %s /Length %d >>" % (filters.encode(), len(bomb)))
    with pytest.raises(extractor.ResourceLimitError) as info:
        extractor.parse(pdf)
    assert "inflating" in info.value.reason


def test_page_and_object_bounds(monkeypatch):
    pages = [text_ops(100, 700, f"page {i}") for i in range(3)]
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 2)
    with pytest.raises(extractor.ResourceLimitError):
        extractor.parse(raw_pdf(pages))
    monkeypatch.setattr(pdfmod, "MAX_PAGES", 10)
    monkeypatch.setattr(pdfmod, "MAX_PAGE_OBJECTS", 50)
    lines = b"".join(b"%d 100 m %d 200 l S\n" % (x, x) for x in range(60))
    with pytest.raises(extractor.ResourceLimitError):
        extractor.parse(raw_pdf([lines + text_ops(100, 700, "x")]))


def test_javascript_actions_and_embedded_files_are_not_acted_on(monkeypatch, tmp_path):
    """Open actions (JavaScript, launch, URI), form actions and embedded
    files are data PDFium never runs without a form environment: the
    text is read, nothing is fetched or written."""
    def no_network(*a, **k):
        raise AssertionError("network access while parsing")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.chdir(tmp_path)
    js = b"<< /S /JavaScript /JS (app.launchURL\\('http://example.invalid/x'\\); this.exportDataObject\\({cName: 'a.txt', nLaunch: 2}\\);) >>"
    launch = b"<< /S /Launch /F (evil.exe) >>"
    uri = b"<< /S /URI /URI (http://example.invalid/) >>"
    embedded = b"<< /Type /EmbeddedFile /Length 5 >>\nstream\nhello\nendstream"
    filespec = b"<< /Type /Filespec /F (a.txt) /EF << /F 10 0 R >> >>"
    submit = b"<< /S /SubmitForm /F << /FS /URL /F (http://example.invalid/submit) >> >>"
    # objects 6.. : 6 js, 7 launch, 8 uri, 9 submit, 10 embedded, 11 filespec
    pdf = raw_pdf([text_ops(100, 700, "Report text") + b"0.5 w 10 10 m 20 20 l S\n"],
                  catalog_extra="/OpenAction 6 0 R /AA << /WC 7 0 R /WS 8 0 R /DS 9 0 R >> "
                                "/Names << /EmbeddedFiles << /Names [(a.txt) 11 0 R] >> "
                                "/JavaScript << /Names [(x) 6 0 R] >> >> /AcroForm << /Fields [] >>",
                  extra_objects=[js, launch, uri, submit, embedded, filespec])
    doc = read_pdf(pdf)
    assert [p.text for p in doc.paragraphs] == ["Report text"]
    assert list(tmp_path.iterdir()) == []


def test_reader_is_exact_on_the_fixture_pdfs_twice():
    """Reading is deterministic (the same document twice)."""
    data = (FIXTURES / "seed-2021-reportlab.pdf").read_bytes()
    a, b = read_pdf(data), read_pdf(data)
    assert [x.text if isinstance(x, Paragraph) else type(x).__name__ for x in a.blocks] == \
        [x.text if isinstance(x, Paragraph) else type(x).__name__ for x in b.blocks]
    assert [[c.text for c in t.cells()] for t in a.tables] == [[c.text for c in t.cells()] for t in b.tables]


_HAN = "政府信息公开工作年度报告主动申请处理复议诉讼情况问题改进其他事项本年度新收结转办理"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 120), st.integers(0, 10**6)), min_size=1, max_size=14),
       st.integers(18, 34))
def test_random_paragraphs_are_rebuilt_across_lines_and_pages(paras, lines_per_page):
    """Paragraphs of any length, wrapped at the margin with a two-character
    indent, broken across pages at any line, with page numbers: the reader
    gives back exactly the paragraphs."""
    texts = []
    paras = [(100, 1)] + paras  # one paragraph of three lines shows the margins, as any report has
    for k, (n, seed) in enumerate(paras):
        rnd = random.Random(f"{seed}:{k}")  # no two identical lines at one place (PDFium takes them for a faked bold)
        # no line of a lone character: with a CJK font neither embedded nor
        # installed PDFium measures it zero wide and leaves it out (README, PDF)
        if n == 1 or (n > 32 and (n - 32) % 34 == 1):
            n += 1
        chars = [rnd.choice(_HAN) for _ in range(n)]
        if n > 1:
            chars[-1] = "。"
        texts.append("".join(chars))
    size, left, per_line = 12.0, 90.0, 34  # an A4 text block: 90 to 498 pt
    lines = []
    for text in texts:
        first, rest = text[: per_line - 2], text[per_line - 2:]
        lines.append((left + 2 * size, first))
        lines.extend((left, rest[i:i + per_line]) for i in range(0, len(rest), per_line))
    pages = [[(x, 80 + 20 * (k % lines_per_page), t, size) for k, (x, t) in enumerate(lines)
              if k // lines_per_page == p] for p in range((len(lines) - 1) // lines_per_page + 1)]
    doc = read_pdf(pages_pdf(pages))
    assert [b.text for b in doc.paragraphs] == texts


def test_pdf_files_are_found_and_converted_in_a_batch(tmp_path):
    from extractor.batch import discover

    (tmp_path / "sub").mkdir()
    for name in ("seed-2021-reportlab.pdf", "seed-2021-rotated-image.pdf"):
        (tmp_path / "sub" / name).write_bytes((FIXTURES / name).read_bytes())
    (tmp_path / "scan.PDF").write_bytes(image_only_pdf(1))
    assert sorted(p.name for p in discover([tmp_path])) == ["scan.PDF", "seed-2021-reportlab.pdf",
                                                            "seed-2021-rotated-image.pdf"]
    corpus = extractor.parse_many([tmp_path], jobs=1)
    assert len(corpus.reports) == 2 and set(corpus.reports.template) == {"2021"}
    assert list(corpus.errors.error) == ["NoTextLayerError"]
