"""Writing small .docx and HTML documents for tests (independent of the reader)."""

from __future__ import annotations

import io
import zipfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)


def docx_bytes(body_xml: str, *, numbering: str | None = None, styles: str | None = None) -> bytes:
    """A minimal .docx whose body is ``body_xml`` (WordprocessingML, prefix w)."""
    doc = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", doc)
        if numbering:
            z.writestr("word/numbering.xml", f'<w:numbering xmlns:w="{W_NS}">{numbering}</w:numbering>')
        if styles:
            z.writestr("word/styles.xml", f'<w:styles xmlns:w="{W_NS}">{styles}</w:styles>')
    return buf.getvalue()


def p(text: str, ppr: str = "") -> str:
    return f'<w:p>{ppr and "<w:pPr>" + ppr + "</w:pPr>"}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(text: str, tcpr: str = "") -> str:
    return f'<w:tc>{tcpr and "<w:tcPr>" + tcpr + "</w:tcPr>"}{p(text)}</w:tc>'


# ------------------------------------------------------------ merge layouts

Rect = tuple[int, int, int, int]  # row, col, rowspan, colspan


def layout_docx_table(n_rows: int, n_cols: int, rects: list[Rect], label=lambda r: f"r{r[0]}c{r[1]}") -> str:
    """A w:tbl for a merge layout, written with gridSpan and vMerge."""
    cover: dict[tuple[int, int], Rect] = {}
    for rect in rects:
        r0, c0, h, w = rect
        for r in range(r0, r0 + h):
            for c in range(c0, c0 + w):
                cover[(r, c)] = rect
    grid = "".join('<w:gridCol w:w="500"/>' for _ in range(n_cols))
    rows = []
    for r in range(n_rows):
        cells = []
        for c in range(n_cols):
            rect = cover[(r, c)]
            r0, c0, h, w = rect
            if c != c0:
                continue
            pr = f'<w:gridSpan w:val="{w}"/>' if w > 1 else ""
            if h > 1:
                pr += '<w:vMerge w:val="restart"/>' if r == r0 else "<w:vMerge/>"
            cells.append(tc(label(rect) if r == r0 else "", pr))
        rows.append("<w:tr>" + "".join(cells) + "</w:tr>")
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def layout_html_table(n_rows: int, n_cols: int, rects: list[Rect], label=lambda r: f"r{r[0]}c{r[1]}") -> str:
    """A <table> for a merge layout, written with rowspan and colspan."""
    rows = []
    for r in range(n_rows):
        cells = []
        for rect in sorted(x for x in rects if x[0] == r):
            _r0, _c0, h, w = rect
            attrs = (f' rowspan="{h}"' if h > 1 else "") + (f' colspan="{w}"' if w > 1 else "")
            cells.append(f"<td{attrs}>{label(rect)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>" + "".join(rows) + "</table>"


# ------------------------------------------------------------ hostile floods (tests/test_hostile.py, benchmarks/bench_hostile.py)


def attribute_tag(n: int, style: str = "plain", tag: str = "p") -> str:
    """One start tag with ``n`` distinct attributes in one of the spellings
    an HTML tokenizer accepts."""
    if style == "plain":
        attrs = " ".join(f"a{i}=1" for i in range(n))
    elif style == "valueless":
        attrs = " ".join(f"a{i}" for i in range(n))
    elif style == "quoted_gt":  # '>' and '<' inside quoted values do not end the tag
        attrs = " ".join(f'a{i}=">" b{i}=\'<p x>\'' for i in range(n // 2))
    elif style == "slashes":  # '/' separates attributes too
        attrs = "/".join(f"a{i}" for i in range(n))
    else:  # no separator after a quoted value
        attrs = "".join(f'a{i}="v"' for i in range(n))
    return f"<{tag} {attrs}>"


def scripts_page(n: int, tail: str = "正文" * 50) -> bytes:
    """A page of one paragraph: ``n`` scripts, each followed by ``tail``."""
    return ("<html><body><p>一、总体情况" + ("<script>var x = 1;</script>" + tail) * n + "</p></body></html>").encode()


#: One decimal list (numId 1), labels "1.", "2." …
NUMBERING = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
             '<w:lvlText w:val="%1."/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


def style_chain(n: int) -> str:
    """Paragraph styles s0 … s{n}, each based on the next; s{n} numbered
    with list 1 of :data:`NUMBERING`."""
    return "".join(f'<w:style w:type="paragraph" w:styleId="s{i}"><w:basedOn w:val="s{i + 1}"/></w:style>'
                   for i in range(n)) + (f'<w:style w:type="paragraph" w:styleId="s{n}"><w:pPr><w:numPr>'
                                         '<w:numId w:val="1"/></w:numPr></w:pPr></w:style>')
