"""The PDF reader: characters and ruling lines into a :class:`Document`.

Reports exported from Word or WPS (and other producers) keep a text layer
and draw their tables with ruling lines. PDFium (``pypdfium2``) gives every
character with its box and every path with its segments; from these:

- **Tables** are the connected groups of horizontal and vertical ruling
  lines (stroked segments, or thin filled rectangles that are not white).
  The distinct line positions give the grid; a cell is a union of grid
  squares not separated by a drawn segment, so merged cells come from
  missing segments. Filled frames and shading (a white box behind every
  line of text, a coloured header band) are not lines. The outer box is
  the extent of the lines, so a table whose bottom border is missing at a
  page break keeps its last row. A character belongs to the cell its
  centre falls in (the centre of its font box, not of its tight glyph box,
  which for ``一`` or ``。`` sits far from the middle of the line).
- A table cut by a page break stays two tables, one a page: the recogniser
  joins the pieces as segments of one table (as for Word tables split by
  hand). A label cut by the break (``（四）无`` / ``法提供``) is joined
  into the cell above the break.
- **Paragraphs** are rebuilt from lines: a line starts a paragraph when it
  is indented, when the line before it ended short of the right margin,
  when the font size changes, or after a wider gap; a paragraph continues
  across a page break. Centred lines of the same size (a title printed on
  two lines) are one paragraph. Page numbers (``- 3 -``, ``第 3 页``) and
  lines repeated at the top or bottom of most pages are dropped.
- A page with images and no text becomes an :class:`~extractor.model.Image`
  block; a file without any text layer raises
  :class:`~extractor.errors.NoTextLayerError`
  (a scan: OCR needed).

Nothing is fetched; no JavaScript, form action or embedded file is looked
at (PDFium runs none without a form environment, which is never created).
Bounds: :data:`MAX_PAGES`, :data:`MAX_PAGE_OBJECTS`, :data:`MAX_CHARS` and
:data:`MAX_INFLATED` on the Flate streams, checked before PDFium reads them.

>>> from extractor.readers.pdf import _join_text
>>> _join_text("政府信息", "公开"), _join_text("open", "data")
('政府信息公开', 'open data')
"""

from __future__ import annotations

import base64
import ctypes
import re
import threading
import zlib
from bisect import bisect_right
from dataclasses import dataclass, field

from ..errors import CorruptFileError, NoTextLayerError, ResourceLimitError
from ..model import Cell, Document, Image, Paragraph, Table
from ..normalize import fold_ws
from .limits import Budget

#: Most pages read from one file.
MAX_PAGES = 2_000
#: Most page objects (text runs, paths, images) on one page.
MAX_PAGE_OBJECTS = 200_000
#: Most characters in one file.
MAX_CHARS = 2_000_000
#: Most bytes the file's Flate streams may inflate to, in all.
MAX_INFLATED = 256 * 1024 * 1024

_LOCK = threading.Lock()  # PDFium is not thread-safe


# ---------------------------------------------------------------- low level

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_ZLIB_HEADS = frozenset(b"\x08\x18\x28\x38\x48\x58\x68\x78")


def check_inflated_size(data: bytes, name: str, limit: int = MAX_INFLATED) -> int:
    """Inflate every Flate-compressed stream of ``data`` in bounded steps and
    return the total size; raise :class:`ResourceLimitError` over ``limit``.

    PDFium inflates a stream whole when it needs it; this bounds what it can
    be made to allocate before it sees the file. A stream is inflated when
    it starts with a zlib header or its dictionary names ``/FlateDecode``
    (as raw deflate data then), after undoing an ASCII85 or hex encoding
    its dictionary names.

    >>> import zlib
    >>> pdf = b"%PDF-1.4 1 0 obj <</Filter/FlateDecode>> stream\\n" + zlib.compress(b"x" * 1000) + b"\\nendstream"
    >>> check_inflated_size(pdf, "x.pdf")
    1000
    >>> check_inflated_size(pdf, "x.pdf", limit=100)
    Traceback (most recent call last):
    ...
    extractor.errors.ResourceLimitError: x.pdf: compressed streams inflating to more than 100 bytes
    """
    total = 0
    pos = 0
    while True:
        m = _STREAM.search(data, pos)
        if not m:
            return total
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        pos = end + 9
        head = data[max(0, m.start() - 1024):m.start()]
        head = head[head.rfind(b"obj") + 1:]
        chunk: bytes | memoryview = memoryview(data)[start:end]
        try:
            if b"/ASCII85Decode" in head or b"/A85" in head:
                raw = bytes(chunk).strip()
                chunk = base64.a85decode(raw[2:] if raw.startswith(b"<~") else raw, adobe=False,
                                         ignorechars=b" \t\n\r\x0c~>")
            elif b"/ASCIIHexDecode" in head or b"/AHx" in head:
                hexed = re.sub(rb"[^0-9A-Fa-f]", b"", bytes(chunk).split(b">")[0])
                chunk = bytes.fromhex(hexed.decode() + ("0" if len(hexed) % 2 else ""))
        except ValueError:
            continue
        if not chunk:
            continue
        if chunk[0] in _ZLIB_HEADS:
            inflater = zlib.decompressobj()
        elif b"/FlateDecode" in head or b"/Fl" in head:
            inflater = zlib.decompressobj(-15)
        else:
            continue
        try:
            while chunk:
                out = inflater.decompress(chunk, 1 << 20)
                total += len(out)
                if total > limit:
                    raise ResourceLimitError(name, f"compressed streams inflating to more than {limit} bytes")
                chunk = inflater.unconsumed_tail
                if inflater.eof:
                    break
        except zlib.error:
            continue


@dataclass
class _Page:
    width: float
    height: float
    chars: list[tuple] = field(default_factory=list)  # (ch, x0, y0, x1, y1, size, bold)
    hlines: list[tuple[float, float, float]] = field(default_factory=list)  # (y, x0, x1)
    vlines: list[tuple[float, float, float]] = field(default_factory=list)  # (x, y0, y1)
    images: int = 0


def _open(data: bytes, name: str):
    import pypdfium2  # noqa: F401  (initialises the library)
    import pypdfium2.raw as pdfium

    buf = ctypes.create_string_buffer(data, len(data))
    doc = pdfium.FPDF_LoadMemDocument64(buf, len(data), None)
    if not doc:
        err = pdfium.FPDF_GetLastError()
        if err == pdfium.FPDF_ERR_PASSWORD:
            raise CorruptFileError(name, "the PDF is password-protected (encrypted); it cannot be read")
        if err == pdfium.FPDF_ERR_SECURITY:
            raise CorruptFileError(name, "the PDF uses an unsupported security handler")
        raise CorruptFileError(name, "a truncated or damaged PDF (no readable document structure)")
    return pdfium, doc, buf


def _meta(pdfium, doc, key: bytes) -> str:
    """A document information entry (``Title``, ``CreationDate``), or ""."""
    size = pdfium.FPDF_GetMetaText(doc, key, None, 0)
    if size <= 2 or size > 4096:
        return ""
    buf = ctypes.create_string_buffer(size)
    pdfium.FPDF_GetMetaText(doc, key, buf, size)
    return fold_ws(buf.raw[: size - 2].decode("utf-16-le", "replace"))


_PDF_DATE = re.compile(r"^D:(\d{4})(\d\d)?(\d\d)?(\d\d)?(\d\d)?(\d\d)?(Z|[+-]\d\d'?\d\d'?)?")


def _iso_date(value: str) -> str:
    """A PDF date (``D:20250225100250+08'00'``) as ISO 8601, as the docx
    reader gives ``created``; other text is kept as it is.

    >>> _iso_date("D:20250225100250+08'00'"), _iso_date("D:2024"), _iso_date("yesterday")
    ('2025-02-25T10:02:50+08:00', '2024-01-01T00:00:00', 'yesterday')
    """
    m = _PDF_DATE.match(value)
    if not m:
        return value
    y, mo, d, h, mi, sec, tz = m.groups()
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{sec or '00'}"
    if tz:
        out += "Z" if tz == "Z" else tz[:3] + ":" + tz.replace("'", "")[3:5]
    return out


def _read_pages(data: bytes, name: str, hints: dict[str, str] | None = None) -> list[_Page]:
    check_inflated_size(data, name)
    with _LOCK:
        pdfium, doc, buf = _open(data, name)
        try:
            if hints is not None:
                for key, entry in (("title", b"Title"), ("creator", b"Author"), ("created", b"CreationDate")):
                    value = _meta(pdfium, doc, entry)
                    if value:
                        hints[key] = _iso_date(value) if key == "created" else value
            n = pdfium.FPDF_GetPageCount(doc)
            if n <= 0:
                raise CorruptFileError(name, "a PDF without pages")
            if n > MAX_PAGES:
                raise ResourceLimitError(name, f"a PDF of {n} pages (limit {MAX_PAGES})")
            pages = []
            chars = 0
            for i in range(n):
                page = _read_page(pdfium, doc, i, name)
                chars += len(page.chars)
                if chars > MAX_CHARS:
                    raise ResourceLimitError(name, f"more than {MAX_CHARS} characters")
                pages.append(page)
            return pages
        finally:
            pdfium.FPDF_CloseDocument(doc)
            del buf


def _read_page(pdfium, doc, index: int, name: str) -> _Page:
    page = pdfium.FPDF_LoadPage(doc, index)
    if not page:
        raise CorruptFileError(name, f"page {index + 1} of the PDF cannot be read")
    try:
        # the page box in user space (FPDF_GetPageBoundingBox is already turned)
        bl, bb, br, bt = (ctypes.c_float() for _ in range(4))
        if not (pdfium.FPDFPage_GetCropBox(page, bl, bb, br, bt) or pdfium.FPDFPage_GetMediaBox(page, bl, bb, br, bt)):
            bl.value, bb.value = 0.0, 0.0
            br.value, bt.value = pdfium.FPDF_GetPageWidthF(page), pdfium.FPDF_GetPageHeightF(page)
        x0, y0 = min(bl.value, br.value), min(bb.value, bt.value)
        x1, y1 = max(bl.value, br.value), max(bb.value, bt.value)
        if not (x1 - x0 > 1 and y1 - y0 > 1):
            raise CorruptFileError(name, f"page {index + 1} has an empty page box")
        # A page turned by /Rotate is read in its own, unturned coordinates:
        # text set upright on the page as stored reads in order (PDFium's
        # character list loses lines of text set turned to match /Rotate).
        def to(x, y): return x - x0, y1 - y
        size = (x1 - x0, y1 - y0)
        out = _Page(*size)
        n_obj = pdfium.FPDFPage_CountObjects(page)
        if n_obj > MAX_PAGE_OBJECTS:
            raise ResourceLimitError(name, f"page {index + 1} holds {n_obj} objects (limit {MAX_PAGE_OBJECTS})")
        budget = [MAX_PAGE_OBJECTS]
        for k in range(n_obj):
            _read_object(pdfium, pdfium.FPDFPage_GetObject(page, k), None, to, out, budget, name)
        _read_chars(pdfium, page, to, out)
        return out
    finally:
        pdfium.FPDF_ClosePage(page)


def _compose(m, parent):
    """The matrix ``m`` followed by ``parent`` (both as 6-tuples)."""
    if parent is None:
        return m
    a, b, c, d, e, f = m
    A, B, C, D, E, F = parent
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _read_object(pdfium, obj, parent, to, out: _Page, budget: list[int], name: str, depth: int = 0) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise ResourceLimitError(name, f"a page holds more than {MAX_PAGE_OBJECTS} objects")
    kind = pdfium.FPDFPageObj_GetType(obj)
    if kind == pdfium.FPDF_PAGEOBJ_IMAGE:
        out.images += 1
        return
    if kind == pdfium.FPDF_PAGEOBJ_FORM:
        if depth >= 8:
            return
        mat = pdfium.FS_MATRIX()
        pdfium.FPDFPageObj_GetMatrix(obj, mat)
        m = _compose((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), parent)
        for k in range(pdfium.FPDFFormObj_CountObjects(obj)):
            _read_object(pdfium, pdfium.FPDFFormObj_GetObject(obj, k), m, to, out, budget, name, depth + 1)
        return
    if kind != pdfium.FPDF_PAGEOBJ_PATH:
        return
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    pdfium.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    stroked = bool(stroke.value)
    if stroked:
        pdfium.FPDFPageObj_GetStrokeColor(obj, r, g, b, a)
        stroked = a.value > 0 and min(r.value, g.value, b.value) < 230
        width = ctypes.c_float()
        pdfium.FPDFPageObj_GetStrokeWidth(obj, width)
        stroked = stroked and width.value <= 4
    filled = fill_mode.value != 0
    if filled:
        pdfium.FPDFPageObj_GetFillColor(obj, r, g, b, a)
        filled = a.value > 0 and min(r.value, g.value, b.value) < 230
    if not (stroked or filled):
        return
    mat = pdfium.FS_MATRIX()
    pdfium.FPDFPageObj_GetMatrix(obj, mat)
    m = _compose((mat.a, mat.b, mat.c, mat.d, mat.e, mat.f), parent)
    n = pdfium.FPDFPath_CountSegments(obj)
    if n > 10_000:
        return  # drawings, not rulings
    budget[0] -= n // 8
    fx, fy = ctypes.c_float(), ctypes.c_float()
    subpaths: list[list[tuple[float, float]]] = []
    cur: list[tuple[float, float]] = []
    for s in range(n):
        seg = pdfium.FPDFPath_GetPathSegment(obj, s)
        pdfium.FPDFPathSegment_GetPoint(seg, fx, fy)
        x, y = fx.value, fy.value
        pt = to(m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
        t = pdfium.FPDFPathSegment_GetType(seg)
        if t == pdfium.FPDF_SEGMENT_MOVETO:
            if cur:
                subpaths.append(cur)
            cur = [pt]
        elif t == pdfium.FPDF_SEGMENT_LINETO:
            cur.append(pt)
        else:  # curves: not a ruling line
            cur.append(pt)
            cur.append((float("nan"), float("nan")))
        if pdfium.FPDFPathSegment_GetClose(seg) and cur:
            cur.append(cur[0])
    if cur:
        subpaths.append(cur)
    for pts in subpaths:
        if stroked:
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                if abs(ay - by) < 0.5 and abs(ax - bx) >= 1:
                    out.hlines.append(((ay + by) / 2, min(ax, bx), max(ax, bx)))
                elif abs(ax - bx) < 0.5 and abs(ay - by) >= 1:
                    out.vlines.append(((ax + bx) / 2, min(ay, by), max(ay, by)))
        elif len(pts) >= 3:  # a thin filled rectangle is a line
            xs = [p[0] for p in pts]
            ys = [p[1] for p in pts]
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            if h <= 2 and w >= 3 * max(h, 0.5):
                out.hlines.append(((max(ys) + min(ys)) / 2, min(xs), max(xs)))
            elif w <= 2 and h >= 3 * max(w, 0.5):
                out.vlines.append(((max(xs) + min(xs)) / 2, min(ys), max(ys)))


def _read_chars(pdfium, page, to, out: _Page) -> None:
    tp = pdfium.FPDFText_LoadPage(page)
    if not tp:
        return
    try:
        n = pdfium.FPDFText_CountChars(tp)
        if n <= 0:
            return
        if n > MAX_CHARS:
            n = MAX_CHARS + 1
        rect = pdfium.FS_RECTF()
        left, right, bottom, top = (ctypes.c_double() for _ in range(4))
        tight = pdfium.FPDFText_GetCharBox
        chars = out.chars
        get_uni = pdfium.FPDFText_GetUnicode
        is_gen = pdfium.FPDFText_IsGenerated
        loose = pdfium.FPDFText_GetLooseCharBox
        weight = pdfium.FPDFText_GetFontWeight
        for i in range(n):
            u = get_uni(tp, i)
            if u <= 32 and u != 32 or u == 0xFFFE or u == 0xFFFF:
                continue
            if is_gen(tp, i) == 1:
                continue
            if not loose(tp, i, rect):
                continue
            rl, rt, rr, rb = rect.left, rect.top, rect.right, rect.bottom
            if tight(tp, i, left, right, bottom, top) and \
                    rr - rl > 5 * (right.value - left.value) + 4 and rt - rb > 5 * (top.value - bottom.value) + 4:
                # a scaled glyph (a label stacked one character a line) can
                # get a font box many times its size: keep the glyph's box
                rl, rt, rr, rb = left.value, top.value, right.value, bottom.value
            ax, ay = to(rl, rt)
            bx, by = to(rr, rb)
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            y0, y1 = (ay, by) if ay <= by else (by, ay)
            if x1 - x0 <= 0 and y1 - y0 <= 0:
                continue
            try:
                ch = chr(u)
            except (ValueError, OverflowError):
                continue
            if 0xD800 <= u <= 0xDFFF:
                continue
            chars.append((ch, x0, y0, x1, y1, y1 - y0, weight(tp, i) >= 600))
    finally:
        pdfium.FPDFText_ClosePage(tp)


# ---------------------------------------------------------------- tables

_TOL = 2.0  # points: lines this close are one line


def _cluster(values: list[float], tol: float = _TOL) -> list[float]:
    out: list[float] = []
    group: list[float] = []
    for v in sorted(values):
        if group and v - group[-1] > tol:
            out.append(sum(group) / len(group))
            group = []
        group.append(v)
    if group:
        out.append(sum(group) / len(group))
    return out


def _merge_segments(segs: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear segments that touch or overlap."""
    out: list[list[float]] = []
    for pos, a, b in sorted(segs):
        for s in reversed(out[-8:]):
            if abs(s[0] - pos) <= 0.8 and a <= s[2] + _TOL and b >= s[1] - _TOL:
                s[1], s[2] = min(s[1], a), max(s[2], b)
                break
        else:
            out.append([pos, a, b])
    return [tuple(s) for s in out]  # type: ignore[misc]


@dataclass
class _Grid:
    top: float
    bottom: float
    left: float
    right: float
    xs: list[float]
    ys: list[float]
    cells: list[tuple[int, int, int, int]]  # row, col, rowspan, colspan


def _find_grids(page: _Page) -> list[_Grid]:
    hs = _merge_segments(page.hlines)
    vs = _merge_segments(page.vlines)
    if not hs or not vs:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, hx0, hx1) in enumerate(hs):
        for j, (x, vy0, vy1) in enumerate(vs):
            if hx0 - _TOL <= x <= hx1 + _TOL and vy0 - _TOL <= y <= vy1 + _TOL:
                a, b = find(i), find(len(hs) + j)
                if a != b:
                    parent[a] = b
    groups: dict[int, tuple[list, list]] = {}
    for i, h in enumerate(hs):
        groups.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        groups.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    grids = []
    for gh, gv in groups.values():
        if not gh or not gv or len(gh) + len(gv) < 4:
            continue
        left = min(min(h[1] for h in gh), min(v[0] for v in gv))
        right = max(max(h[2] for h in gh), max(v[0] for v in gv))
        top = min(min(h[0] for h in gh), min(v[1] for v in gv))
        bottom = max(max(h[0] for h in gh), max(v[2] for v in gv))
        xs = _cluster([v[0] for v in gv] + [left, right])
        ys = _cluster([h[0] for h in gh] + [top, bottom])
        if len(xs) < 2 or len(ys) < 2 or (len(xs) - 1) * (len(ys) - 1) > 100_000:
            continue
        grids.append(_grid_cells(top, bottom, left, right, xs, ys, gh, gv))
    return [g for g in grids if len(g.cells) >= 2]


def _covered(segs: list[tuple[float, float, float]], pos: float, a: float, b: float) -> bool:
    """Whether a segment at ``pos`` covers the middle of ``a``–``b``."""
    mid = (a + b) / 2
    return any(abs(p - pos) <= _TOL and s0 - _TOL <= mid <= s1 + _TOL and
               (s1 - s0 >= (b - a) * 0.5 or (s0 <= a + _TOL and s1 >= b - _TOL))
               for p, s0, s1 in segs)


def _grid_cells(top, bottom, left, right, xs, ys, gh, gv) -> _Grid:
    n_r, n_c = len(ys) - 1, len(xs) - 1
    parent = list(range(n_r * n_c))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_r):
        for c in range(n_c):
            if c + 1 < n_c and not _covered(gv, xs[c + 1], ys[r], ys[r + 1]):
                a, b = find(r * n_c + c), find(r * n_c + c + 1)
                parent[a] = b
            if r + 1 < n_r and not _covered(gh, ys[r + 1], xs[c], xs[c + 1]):
                a, b = find(r * n_c + c), find((r + 1) * n_c + c)
                parent[a] = b
    boxes: dict[int, list[int]] = {}
    for r in range(n_r):
        for c in range(n_c):
            k = find(r * n_c + c)
            bx = boxes.get(k)
            if bx is None:
                boxes[k] = [r, c, r, c]
            else:
                bx[0], bx[1] = min(bx[0], r), min(bx[1], c)
                bx[2], bx[3] = max(bx[2], r), max(bx[3], c)
    cells = sorted((r0, c0, r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in boxes.values())
    return _Grid(top, bottom, left, right, xs, ys, cells)


# ---------------------------------------------------------------- text

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def _join_text(a: str, b: str) -> str:
    """Join two wrapped lines: nothing between CJK text, a space between words."""
    if not a or not b:
        return a + b
    if _CJK.match(a[-1]) or _CJK.match(b[0]) or a[-1] in " -/" or b[0] in " ":
        return a + b
    return a + " " + b


@dataclass
class _Line:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float
    bold: bool
    em: bool = True  # size measured on CJK characters (one em each)


def _lines(chars: list[tuple]) -> list[_Line]:
    """Group characters into lines (by the vertical centre of their font box),
    each left to right, with a space where a gap is wider than half a character."""
    if not chars:
        return []
    order = sorted(chars, key=lambda c: (c[2] + c[4]) / 2)
    rows: list[list[tuple]] = []
    cur: list[tuple] = []
    cy = 0.0
    for ch in order:
        mid = (ch[2] + ch[4]) / 2
        h = max(ch[4] - ch[2], 1.0)
        if cur and abs(mid - cy) > h * 0.45:
            rows.append(cur)
            cur = []
        if not cur:
            cy = mid
        cur.append(ch)
    if cur:
        rows.append(cur)
    out = []
    for row in rows:
        row.sort(key=lambda c: c[1])
        parts: list[str] = []
        prev = None
        for ch in row:
            if prev is not None:
                gap = ch[1] - prev[3]
                size = max(min(ch[5], prev[5]), 1.0)
                if gap > size * 0.5 and parts[-1] != " " and ch[0] != " ":
                    parts.append(" ")
            parts.append(ch[0])
            prev = ch
        text = fold_ws("".join(parts))
        if not text:
            continue
        size = _size(row)
        bold = sum(1 for c in row if c[6]) * 2 > len(row)
        out.append(_Line(text, min(c[1] for c in row), min(c[2] for c in row),
                         max(c[3] for c in row), max(c[4] for c in row), size, bold,
                         any("\u3400" <= c[0] <= "\u9fff" for c in row)))
    return out


def _size(row: list[tuple]) -> float:
    """The font size of a line: the advance of its CJK characters (one em),
    else the height of its characters' font boxes."""
    cjk = sorted(c[3] - c[1] for c in row if "\u3400" <= c[0] <= "\u9fff")
    if cjk:
        return cjk[len(cjk) // 2]
    sizes = sorted(c[5] for c in row if c[0] != " ")
    return sizes[len(sizes) // 2] * 0.9 if sizes else row[0][5]


def _cell_text(chars: list[tuple]) -> str:
    text = ""
    for line in _lines(chars):
        text = _join_text(text, line.text)
    return text


_PAGE_NUMBER = re.compile(r"^[-—–－‐―~·•\s]*(?:第\s*)?\d{1,4}\s*(?:页)?(?:\s*[/／]\s*\d{1,4}|\s*(?:共|/)\s*\d+\s*页)?[-—–－‐―~·•\s]*$")


def _is_page_number(text: str) -> bool:
    """``- 3 -``, ``— 3 —``, ``第 3 页``, ``3/12``, ``3``.

    >>> [_is_page_number(t) for t in ("- 3 -", "— 12 —", "第3页", "3 / 5", "2024年")]
    [True, True, True, True, False]
    """
    return bool(_PAGE_NUMBER.match(text))


# ---------------------------------------------------------------- the reader

@dataclass
class _Item:
    """A line of running text or a table, on one page."""

    page: int
    top: float
    line: _Line | None = None
    table: Table | None = None
    grid: _Grid | None = None
    chars: list[list[list[tuple]]] | None = None
    image: bool = False


def read_pdf(data: bytes, name: str = "<bytes>") -> Document:
    """Read PDF bytes into a :class:`Document` (see the module docstring).

    >>> from pathlib import Path
    >>> doc = read_pdf((Path(__file__).parents[2] / "fixtures" / "seed-2021-reportlab.pdf").read_bytes())
    >>> doc.paragraphs[0].text
    '威海火炬高技术产业开发区管理委员会2021年政府信息公开工作年度报告'
    >>> [(t.n_rows, t.n_cols) for t in doc.tables][-1], doc.tables[-1].grid[3][0].text
    ((4, 15), '1')
    """
    hints: dict[str, str] = {}
    pages = _read_pages(data, name, hints)
    if not any(p.chars for p in pages):
        images = sum(p.images for p in pages)
        if images:
            raise NoTextLayerError(
                name, f"no text layer: OCR needed ({len(pages)} page(s) of images, no characters)")
        raise NoTextLayerError(name, "no text layer: the PDF holds no characters (OCR needed if it is printed matter)")
    budget = Budget(name)
    items: list[_Item] = []
    for p, page in enumerate(pages):
        items.extend(_page_items(p, page))
    _drop_running(items, pages)
    with_text = {it.page for it in items}
    pictures = [p for p, page in enumerate(pages) if page.images and p not in with_text]
    if pictures:  # a page of pictures only (page numbers aside): a table or page pasted as an image
        items.extend(_Item(p, 0.0, image=True) for p in pictures)
        items.sort(key=lambda it: it.page)  # stable: each page keeps its order
    blocks = _blocks(items, pages, budget)
    return Document(blocks, hints)


def _page_items(p: int, page: _Page) -> list[_Item]:
    grids = _find_grids(page)
    items: list[_Item] = []
    free: list[tuple] = []
    per_grid: list[list[list[list[tuple]]]] = [
        [[[] for _ in range(len(g.xs) - 1)] for _ in range(len(g.ys) - 1)] for g in grids]
    for ch in page.chars:
        cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
        for g, slots in zip(grids, per_grid):
            if g.left <= cx <= g.right and g.top <= cy <= g.bottom:
                r = min(max(bisect_right(g.ys, cy) - 1, 0), len(g.ys) - 2)
                c = min(max(bisect_right(g.xs, cx) - 1, 0), len(g.xs) - 2)
                slots[r][c].append(ch)
                break
        else:
            free.append(ch)
    for g, slots in zip(grids, per_grid):
        items.append(_Item(p, g.top, grid=g, chars=slots))
    for line in _lines(free):
        items.append(_Item(p, line.y0, line=line))
    items.sort(key=lambda it: it.top)
    return items


def _drop_running(items: list[_Item], pages: list[_Page]) -> None:
    """Drop page numbers and lines repeated at the top or bottom of pages."""
    zone: dict[str, set[int]] = {}
    marks: list[tuple[_Line, int, str]] = []  # (line, id of its item, key)
    for it in items:
        if it.line is None:
            continue
        h = pages[it.page].height
        if it.line.y0 < h * 0.1 or it.line.y1 > h * 0.9:
            key = re.sub(r"\d+", "#", it.line.text.replace(" ", ""))
            zone.setdefault(key, set()).add(it.page)
            marks.append((it.line, id(it), key))
    need = max(2, (len(pages) + 1) // 2)
    drop = set()
    for line, ident, key in marks:
        if _is_page_number(line.text) or (len(zone[key]) >= need and len(pages) >= 2):
            drop.add(ident)
    if drop:
        items[:] = [it for it in items if id(it) not in drop]


def _margins(items: list[_Item], pages: list[_Page]) -> dict[tuple[int, int], tuple[float, float]]:
    """The left and right margins of the running text, per page size."""
    by_size: dict[tuple[int, int], list[_Line]] = {}
    for it in items:
        if it.line is not None:
            pg = pages[it.page]
            by_size.setdefault((round(pg.width), round(pg.height)), []).append(it.line)
    out = {}
    for key, lines in by_size.items():
        lefts = _cluster([ln.x0 for ln in lines], 1.5)
        counts = [sum(1 for ln in lines if abs(ln.x0 - v) <= 1.5) for v in lefts]
        left = next((v for v, n in zip(lefts, counts) if n >= 2), lefts[0])
        rights = _cluster([ln.x1 for ln in lines], 1.5)
        counts = [sum(1 for ln in lines if abs(ln.x1 - v) <= 1.5) for v in rights]
        most = max(counts)  # justified lines end at the margin; a few punctuation marks hang past it
        right = max(v for v, n in zip(rights, counts) if n >= max(2, most // 5)) if most >= 2 else rights[-1]
        if most < 2 or right - left < key[0] / 2:
            # no two lines end at the same place: too few full lines to show the margin; assume
            # margins about even (the left one may be an indent, so the right one is not less)
            right = max(right, key[0] - left)
        out[key] = (left, right)
    if len(out) > 1:  # pages of another size (landscape): the side margins of the main pages
        main = max(by_size, key=lambda k: len(by_size[k]))
        left, right = out[main]
        for key, lines in by_size.items():
            if key != main:
                out[key] = (left, key[0] - (main[0] - right))
    return out


def _blocks(items: list[_Item], pages: list[_Page], budget: Budget) -> list:
    margins = _margins(items, pages)
    blocks: list = []
    para: list[_Line] = []
    para_page = -1
    gaps = sorted(b.line.y0 - a.line.y0 for a, b in zip(items, items[1:])
                  if a.line is not None and b.line is not None and a.page == b.page and b.line.y0 > a.line.y0)
    pitch = gaps[len(gaps) // 3] if gaps else 20.0  # the usual line pitch (lower third)

    def flush() -> None:
        nonlocal para
        if para:
            text = ""
            for ln in para:
                text = _join_text(text, ln.text)
            budget.block()
            blocks.append(Paragraph(text, bold=all(ln.bold for ln in para)))
            para = []

    prev_grid: tuple[_Item, Table] | None = None
    for it in items:
        if it.image:
            flush()
            budget.block()
            blocks.append(Image("page without a text layer"))
            continue
        if it.grid is not None:
            flush()
            table = _table(it, len([b for b in blocks if isinstance(b, Table)]), budget)
            if prev_grid is not None and prev_grid[0].page == it.page - 1 and blocks and blocks[-1] is prev_grid[1]:
                _join_cut_labels(prev_grid, (it, table))
            blocks.append(table)
            prev_grid = (it, table)
            continue
        ln = it.line
        assert ln is not None
        pg = pages[it.page]
        left, right = margins[(round(pg.width), round(pg.height))]
        if para:
            last = para[-1]
            em = max(min(last.size, ln.size), 1.0)
            same_page = para_page == it.page
            centred = _centred(ln, left, right, em) and _centred(last, left, right, em)
            new = (
                (ln.em and last.em and abs(ln.size - last.size) > max(1.0, em * 0.1))
                or (not centred and (ln.x0 > left + em * 0.9 or last.x1 < right - em * 1.5))
                or (centred and len(para) >= 3)
                or (same_page and ln.y0 - last.y0 > max(pitch * 1.6, em * 2.2))
            )
            if new:
                flush()
        para.append(ln)
        para_page = it.page
    flush()
    return blocks


def _centred(ln: _Line, left: float, right: float, em: float) -> bool:
    lg, rg = ln.x0 - left, right - ln.x1
    # wider than a two-character indent on both sides, and even (a centred
    # title's gaps agree within a few points)
    return lg > em * 2.5 and rg > em * 2.5 and abs(lg - rg) < max(3.0, em * 0.25)


def _table(it: _Item, index: int, budget: Budget) -> Table:
    g = it.grid
    slots = it.chars
    assert g is not None and slots is not None
    cells = []
    for r, c, rs, cs in g.cells:
        chars = [ch for rr in range(r, r + rs) for cc in range(c, c + cs) for ch in slots[rr][cc]]
        cells.append(Cell(_cell_text(chars), r, c, rs, cs))
    table = Table.from_cells(cells, index)
    budget.table(table.n_rows, table.n_cols)
    it.table = table
    return table


def _join_cut_labels(before: tuple[_Item, Table], after: tuple[_Item, Table]) -> None:
    """Join a label cut by a page break into the cell above the break.

    Word and WPS flow the text of a merged cell across the break: the cell
    on the first page ends with the text's first lines and the cell at the
    top of the next page continues it. A pair of cells is joined when the
    two pieces line up (same column edges), both are text, and the lower
    piece is on the continuation's first row while the upper piece's text
    reaches the bottom of its cell (no room left for another line).
    """
    (ia, ta), (ib, tb) = before, after
    ga, gb = ia.grid, ib.grid
    if ga is None or gb is None or tb.n_rows == 0 or ta.n_rows == 0:
        return
    for cell in tb.row_cells(0):
        if not cell.text:
            continue
        bx0, bx1 = gb.xs[cell.col], gb.xs[cell.col + cell.colspan]
        for up in ta.row_cells(ta.n_rows - 1):
            ax0, ax1 = ga.xs[up.col], ga.xs[up.col + up.colspan]
            if abs(ax0 - bx0) > _TOL or abs(ax1 - bx1) > _TOL or not up.text:
                continue
            if _is_number(up.text) or _is_number(cell.text):
                continue
            if _fills_to_bottom(ia, ga, up) and _label_right(ta, up) and _label_right(tb, cell):
                up.text = _join_text(up.text, cell.text)
                cell.text = ""
            break


def _label_right(table: Table, cell: Cell) -> bool:
    """Whether the row of ``cell`` has another text cell right of it (the
    cell is a group label, not the label of the row's numbers)."""
    for right in table.row_cells(cell.row):
        if right.col > cell.last_col:
            return bool(right.text) and not _is_number(right.text)
    return False


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,，%\s-]+", text))


def _fills_to_bottom(it: _Item, g: _Grid, cell: Cell) -> bool:
    slots = it.chars
    assert slots is not None
    chars = [ch for r in range(cell.row, cell.row + cell.rowspan)
             for c in range(cell.col, cell.col + cell.colspan) for ch in slots[r][c]]
    if not chars:
        return False
    lines = _lines(chars)
    bottom = g.ys[cell.row + cell.rowspan]
    top = g.ys[cell.row]
    last = lines[-1]
    room = bottom - last.y1
    above = lines[0].y0 - top
    return room < (last.y1 - last.y0) * 1.2 and room <= above + 1.0


__all__ = ["read_pdf", "NoTextLayerError", "MAX_PAGES", "MAX_PAGE_OBJECTS", "MAX_CHARS", "MAX_INFLATED"]
