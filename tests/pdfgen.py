"""Writing small PDFs for tests (independent of the reader).

``raw_pdf`` writes the file structure by hand (objects, cross-reference
table, trailer) around content streams, with the standard Helvetica font,
so tests can add what no PDF library writes on request (a JavaScript open
action, an embedded file, a compressed stream of any size). ``grid_pdf``
and ``text_pdf`` draw with reportlab.
"""

from __future__ import annotations

import io
import zlib


def raw_pdf(pages: list[bytes], *, catalog_extra: str = "", extra_objects: list[bytes] | None = None,
            compress: bool = True, page_extra: str = "") -> bytes:
    """A PDF of A4 pages with the given content streams (font /F1 = Helvetica).

    Objects: 1 catalog, 2 page tree, 3 font, then page and content pairs,
    then ``extra_objects`` (numbered after them, referable from
    ``catalog_extra`` by number).
    """
    extra_objects = extra_objects or []
    n_pages = len(pages)
    first_extra = 4 + 2 * n_pages
    objs: list[bytes] = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra} >>".encode(),
        ("<< /Type /Pages /Count %d /Kids [%s] >>" % (
            n_pages, " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages)))).encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    for i, content in enumerate(pages):
        objs.append((f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                     f"/Contents {5 + 2 * i} 0 R {page_extra} >>").encode())
        data = zlib.compress(content) if compress else content
        filt = b"/Filter /FlateDecode " if compress else b""
        objs.append(b"<< " + filt + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    assert len(objs) + 1 == first_extra
    objs.extend(extra_objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % k + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref))
    return out.getvalue()


def text_ops(x: float, y: float, text: str, size: float = 10) -> bytes:
    """Content-stream operators drawing ``text`` at (x, y) in Helvetica."""
    esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 {size} Tf {x} {y} Td ({esc}) Tj ET\n".encode("latin-1")


# ------------------------------------------------------------------ reportlab

def _canvas(buf):
    from reportlab.pdfgen import canvas

    return canvas.Canvas(buf, pagesize=(595, 842), invariant=1)


def grid_pdf(n_rows: int, n_cols: int, rects, *, widths=None, heights=None, style: str = "stroke",
             line_width: float = 0.7, backgrounds: bool = False, label=lambda r: f"r{r[0]}c{r[1]}") -> bytes:
    """One table: every cell of ``rects`` (row, col, rowspan, colspan) framed
    and labelled in its middle.

    ``style``: ``"stroke"`` (each cell's four edges stroked) or ``"fill"``
    (each edge a thin black filled rectangle). ``backgrounds`` adds a white
    filled rectangle behind every label and a shaded first row, which are
    not lines.
    """
    return grids_pdf([dict(n_rows=n_rows, n_cols=n_cols, rects=rects, widths=widths, heights=heights,
                           label=label)], style=style, line_width=line_width, backgrounds=backgrounds)


def grids_pdf(pages: list[dict], *, style: str = "stroke", line_width: float = 0.7, backgrounds: bool = False) -> bytes:
    """One table a page; each page a dict of ``n_rows``, ``n_cols``,
    ``rects``, optional ``widths``, ``heights``, ``label`` and ``top`` (the
    table's top edge, from the page's top)."""
    buf = io.BytesIO()
    c = _canvas(buf)
    for spec in pages:
        _draw_grid(c, spec, style, line_width, backgrounds)
        c.showPage()
    c.save()
    return buf.getvalue()


def _draw_grid(c, spec: dict, style: str, line_width: float, backgrounds: bool) -> None:
    n_rows, n_cols, rects = spec["n_rows"], spec["n_cols"], spec["rects"]
    widths = spec.get("widths") or [60.0] * n_cols
    heights = spec.get("heights") or [24.0] * n_rows
    label = spec.get("label") or (lambda r: f"r{r[0]}c{r[1]}")
    xs = [60.0]
    for w in widths:
        xs.append(xs[-1] + w)
    ys = [842.0 - spec.get("top", 62.0)]  # PDF space, top row first
    for h in heights:
        ys.append(ys[-1] - h)
    if backgrounds:
        c.setFillColorRGB(0.78, 0.85, 0.95)
        c.rect(xs[0], ys[1], xs[-1] - xs[0], ys[0] - ys[1], stroke=0, fill=1)
    for r0, c0, h, w in rects:
        x0, x1, y_top, y_bot = xs[c0], xs[c0 + w], ys[r0], ys[r0 + h]
        text = label((r0, c0, h, w))
        font = "STSong-Light" if any(ord(ch) > 0x2e80 for ch in text) else "Helvetica"
        if font == "STSong-Light":
            register_cjk_font()
        tw = c.stringWidth(text, font, 9)
        tx, ty = (x0 + x1 - tw) / 2, (y_top + y_bot) / 2 - 3
        if backgrounds:
            c.setFillColorRGB(1, 1, 1)
            c.rect(tx - 2, ty - 3, tw + 4, 12, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
        c.setFont(font, 9)
        c.drawString(tx, ty, text)
        edges = [(x0, y_top, x1, y_top), (x1, y_top, x1, y_bot), (x0, y_bot, x1, y_bot), (x0, y_top, x0, y_bot)]
        for ax, ay, bx, by in edges:
            if style == "stroke":
                c.setLineWidth(line_width)
                c.line(ax, ay, bx, by)
            else:
                c.setFillColorRGB(0, 0, 0)
                hw = line_width / 2
                c.rect(min(ax, bx) - hw, min(ay, by) - hw, abs(bx - ax) + 2 * hw, abs(by - ay) + 2 * hw,
                       stroke=0, fill=1)


def register_cjk_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))


def pages_pdf(pages: list[list[tuple[float, float, str, float]]], *, footer: str | None = "- {n} -",
              header: str | None = None) -> bytes:
    """Pages of text lines ``(x, y_from_top, text, size)`` in STSong-Light,
    with a page number and a running header if given."""
    register_cjk_font()
    buf = io.BytesIO()
    c = _canvas(buf)
    for n, lines in enumerate(pages, start=1):
        if header:
            c.setFont("STSong-Light", 9)
            c.drawString(72, 842 - 40, header)
        for x, y, text, size in lines:
            c.setFont("STSong-Light", size)
            c.drawString(x, 842 - y - size * 0.88, text)
        if footer:
            c.setFont("STSong-Light", 10)
            c.drawCentredString(297.5, 40, footer.format(n=n))
        c.showPage()
    c.save()
    return buf.getvalue()


def image_only_pdf(n_pages: int = 2) -> bytes:
    """Pages holding one picture each and no text (a scan)."""
    from reportlab.lib.utils import ImageReader

    buf = io.BytesIO()
    c = _canvas(buf)
    img = ImageReader(io.BytesIO(_JPEG))
    for _ in range(n_pages):
        c.drawImage(img, 50, 50, width=495, height=742)
        c.showPage()
    c.save()
    return buf.getvalue()


def _jpeg() -> bytes:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "fixtures"))
    from make_pdf_fixtures import JPEG

    return JPEG


_JPEG = _jpeg()
