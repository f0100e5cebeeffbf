"""HTML reader: saved CMS pages, Word-exported HTML, article extracts.

Decodes the bytes (BOM, ``<meta charset>``, ``http-equiv``, else detection),
parses with lxml's forgiving HTML parser (no network, no entities fetched),
finds the report body inside the page chrome, and emits paragraphs, tables
(grids from ``rowspan``/``colspan``) and images in reading order.

Safety: the source size and tag count are bounded before parsing; a page
over a parser limit (nesting deeper than 2048) is refused rather than
silently cut short; every walk over the tree is iterative and linear, so
depth costs neither recursion nor quadratic time (README "Robustness").

>>> doc = read_html("<p>一、总体情况</p><table><tr><td rowspan='2'>a</td><td>1</td></tr>"
...                 "<tr><td>2</td></tr></table>".encode())
>>> [type(b).__name__ for b in doc.blocks]
['Paragraph', 'Table']
>>> doc.tables[0].grid[1][0].text
'a'
"""

from __future__ import annotations

import codecs
import re
from typing import Iterable

from lxml import etree

from ..errors import CorruptFileError, ResourceLimitError
from ..model import MAX_TABLE_ROWS, Document, Image, Paragraph, Table, place_rows
from ..normalize import fold_ws
from .limits import Budget, clip_cell

#: Largest HTML source read, in bytes.
MAX_HTML_BYTES = 32 * 1024 * 1024
#: Most tags (counted as ``<`` bytes) in an HTML source.
MAX_HTML_TAGS = 250_000
#: Most attributes on one element, and in the whole page (libxml2 builds
#: an element's attributes in time quadratic in their number).
MAX_TAG_ATTRIBUTES = 256
MAX_HTML_ATTRIBUTES = 500_000

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_SKIP = frozenset(["script", "style", "noscript", "template", "iframe", "head", "object", "embed", "select", "button", "textarea", "svg", "math"])
_BLOCK = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main header footer nav aside "
    "blockquote center pre form fieldset address figure figcaption hr table tr td th tbody thead tfoot caption body html".split()
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BOLD = frozenset(["b", "strong"])

# What an element is to the walks below, told by its lowercased tag: a
# heading (its level, 1-6), another block (a table part, a table), a part
# of the page never read, a line break, a picture, bold, else inline.
_K_INLINE = 0
_K_BLOCK, _K_CELL, _K_ROW, _K_GROUP, _K_TABLE = 7, 8, 9, 10, 11  # blocks: 1 <= kind <= _K_TABLE
_K_SKIP, _K_BR, _K_IMG, _K_BOLD, _K_OTHER = 12, 13, 14, 15, 16  # _K_OTHER: a comment or PI


def _tag_kind(name: str) -> int:
    if name in _SKIP:
        return _K_SKIP
    if name in _HEADINGS:
        return _HEADINGS[name]
    if name in _BLOCK:
        return {"td": _K_CELL, "th": _K_CELL, "tr": _K_ROW, "thead": _K_GROUP, "tbody": _K_GROUP,
                "tfoot": _K_GROUP, "table": _K_TABLE}.get(name, _K_BLOCK)
    if name == "br":
        return _K_BR
    if name == "img":
        return _K_IMG
    return _K_BOLD if name in _BOLD else _K_INLINE


class _Kinds(dict):
    """``_KIND[el.tag]``: the kind of ``el`` (``tag.lower()`` classified
    once per distinct tag, not once per element; a bounded memo, as a page
    may invent any number of tags)."""

    def __missing__(self, tag: object) -> int:
        kind = _tag_kind(tag.lower()) if isinstance(tag, str) else _K_OTHER
        if len(self) < 4096:
            self[tag] = kind
        return kind


_KIND = _Kinds()
#: the text of a subtree (what lxml.html's ``text_content()`` does)
_STRING = etree.XPath("string()", smart_strings=False)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: ``(text, encoding)``.

    Order: byte-order mark; UTF-16 without one (told by its zero bytes);
    strict UTF-8, then UTF-8 with a few invalid sequences (one per hundred
    non-ASCII characters at most: a truncated character must not turn the
    page into mojibake; GBK text is never that close to UTF-8); a declared
    charset that decodes cleanly; strict GB18030; the declared charset and
    GB18030 with as few invalid sequences; statistical detection; GB18030
    with replacement. GB2312 and GBK are read as their superset GB18030. A
    declared UTF-16/32 on a page whose declaration is readable as ASCII is
    ignored (as browsers do), and so are declarations of codecs that are
    not page encodings (UTF-7, IDNA …).

    >>> decode_html('<p>年度报告</p>'.encode('utf-16-le'))
    ('<p>年度报告</p>', 'utf-16-le')
    >>> decode_html(b'<meta charset="undefined"><p>x</p>')[1]
    'utf-8'
    """
    for bom, bom_enc in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(bom_enc, "replace"), bom_enc
    enc16 = utf16_without_bom(data[:4096])
    if enc16:
        return data.decode(enc16, "replace"), enc16
    m = _META_CHARSET.search(data[:8192])
    declared = _canonical(m.group(1).decode("ascii", "ignore")) if m else None
    if declared in _NOT_PAGE_ENCODINGS:
        declared = None
    for enc, strict in (("utf-8", True), ("utf-8", False), (declared, True), ("gb18030", True),
                        (declared, False), ("gb18030", False)):
        if enc:
            text = _decode(data, enc, strict)
            if text is not None:
                return text, enc
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:262144]).best()
        if best is not None and best.encoding:
            enc = _canonical(best.encoding) or best.encoding
            if enc not in _NOT_PAGE_ENCODINGS:
                return data.decode(enc, "replace"), enc
    except Exception:  # detection is best effort
        pass
    return data.decode("gb18030", "replace"), "gb18030"


def _decode(data: bytes, enc: str, strict: bool) -> str | None:
    """``data`` decoded, or ``None``: if ``strict``, when any byte sequence
    is invalid; else when more than one in a hundred non-ASCII characters
    is an invalid sequence (or none is valid)."""
    try:
        if strict:
            return data.decode(enc)
        text = data.decode(enc, "replace")
    except (UnicodeError, LookupError):
        return None
    bad = text.count("\ufffd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - bad
    return text if valid > 0 and bad * 100 <= valid else None


#: Codecs never taken from a declaration or a guess: not ASCII-compatible
#: page encodings (UTF-16/32 need a BOM or zero bytes), or not encodings of
#: text at all.
_NOT_PAGE_ENCODINGS = frozenset(
    "utf-7 utf-16 utf-16-le utf-16-be utf-32 utf-32-le utf-32-be idna punycode undefined "
    "unicode-escape raw-unicode-escape".split()
)


def utf16_without_bom(head: bytes) -> str | None:
    """``"utf-16-le"``/``"utf-16-be"`` when ``head`` has the zero bytes of
    UTF-16 markup (ASCII tags) in every other position and far fewer in
    the others, else ``None``."""
    head = head[: len(head) - len(head) % 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd >= 0.1 * half and even < odd / 2:
        return "utf-16-le"
    if even >= 0.1 * half and odd < even / 2:
        return "utf-16-be"
    return None


def _canonical(name: str) -> str | None:
    try:
        info = codecs.lookup(name.strip().lower())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    enc = info.name
    if enc in ("gb2312", "gbk", "euc_cn", "cp936", "hz"):
        return "gb18030"
    return enc


def read_html(data: bytes, name: str = "<bytes>") -> Document:
    """Read HTML bytes into a :class:`Document`."""
    if len(data) > MAX_HTML_BYTES:
        raise ResourceLimitError(name, f"HTML larger than {MAX_HTML_BYTES} bytes")
    tags = data.count(b"<")
    if tags > MAX_HTML_TAGS:
        raise ResourceLimitError(name, f"HTML with {tags} tags (limit {MAX_HTML_TAGS})")
    text, _enc = decode_html(data)
    text = _XML_DECL.sub("", text).replace("\x00", "")
    # huge_tree lifts libxml2's 10 MB cap on one text or attribute (an inline
    # base64 image) that would otherwise cut the page short without an error;
    # the source is already bounded above.
    # lxml's plain HTML parser: lxml.html's would look up a Python class for
    # every element touched. It keeps no comments or processing
    # instructions, so every node of the tree is an element.
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True, recover=True, huge_tree=True
    )
    source = text.encode("utf-8", "replace")
    _check_attributes(source, name)
    try:
        root = etree.fromstring(source, parser)
        if root is None:  # as lxml.html.document_fromstring
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError, etree.LxmlError) as exc:
        raise CorruptFileError(name, f"unreadable HTML ({exc})") from exc
    for err in parser.error_log:
        if err.type == _ERR_RESOURCE_LIMIT:
            raise ResourceLimitError(name, f"HTML over a parser limit at line {err.line}: {err.message.strip()}")
    hints: dict[str, str] = {}
    title = root.find(".//title")
    if title is not None and title.text:
        hints["title"] = fold_ws(title.text)
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in ("articletitle", "title", "og:title") and meta.get("content"):
            hints.setdefault("article_title", fold_ws(meta.get("content")))
        elif key in ("pubdate", "publishdate", "firstpublishedtime") and meta.get("content"):
            hints.setdefault("published", fold_ws(meta.get("content")))
        elif key in ("contentsource", "source") and meta.get("content"):
            hints.setdefault("source", fold_ws(meta.get("content")))
    css = [el.text for el in root.iter("style") if el.text]  # the page's style sheets, read before they go
    _drop_elements(_skipped(root))
    # only a page whose source has one of the words can hide anything
    may_hide = any(w in text for w in _HIDING_WORDS)
    length, heading, hidden = _measure(root, may_hide, may_hide and "hidden" in text)
    if heading:
        hints["heading"] = heading
    hidden_cols, dropped_from = _drop_hidden(root, hidden, css, length)
    body = _find_body(root, length)
    if dropped_from:  # one walk, not a climb to the body from each (n × depth)
        inside = set(body.iter())
        n_hidden = sum(1 for parent in dropped_from if parent in inside)
    else:
        n_hidden = 0
    if n_hidden:
        hints["hidden"] = str(n_hidden)
    emitter = _Emitter(Budget(name))
    emitter.hidden_cols = hidden_cols
    emitter.walk(body)
    emitter.flush()
    return Document(emitter.blocks, hints)


_ERR_RESOURCE_LIMIT = 114  # libxml2 XML_ERR_RESOURCE_LIMIT


class _AttributeCount:
    """A parser target counting attributes: the most on one element and
    the total (lxml calls ``start`` for each start tag; nothing is built)."""

    __slots__ = ("most", "total")

    def __init__(self) -> None:
        self.most = self.total = 0

    def start(self, tag: str, attrib: dict) -> None:
        n = len(attrib)
        if n:
            self.total += n
            if n > self.most:
                self.most = n

    def close(self) -> "_AttributeCount":
        return self


def _check_attributes(source: bytes, name: str) -> None:
    """Refuse a page with an element of more than :data:`MAX_TAG_ATTRIBUTES`
    attributes or more than :data:`MAX_HTML_ATTRIBUTES` in all, before its
    tree is built (that takes time quadratic in one element's attributes:
    one tag of 40,000 attributes, 350 KB, takes seconds inside libxml2,
    where no time limit can stop it).

    Counted by libxml2's own tokenizer, which is linear, with a target
    that builds nothing, so what is counted is exactly what the tree
    parse would build, whatever quoting or comments surround it.
    """
    parser = etree.HTMLParser(target=_AttributeCount(), encoding="utf-8", no_network=True, recover=True,
                              huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        count = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError, etree.LxmlError):
        return  # the tree parse reports it
    if count.most > MAX_TAG_ATTRIBUTES:
        raise ResourceLimitError(name, f"an HTML element with {count.most} attributes (limit {MAX_TAG_ATTRIBUTES})")
    if count.total > MAX_HTML_ATTRIBUTES:
        raise ResourceLimitError(name, f"HTML with {count.total} attributes (limit {MAX_HTML_ATTRIBUTES})")
# what lxml refuses to set as text, though its HTML parser produces it from
# raw control bytes and character references such as &#1; or &#xffff;
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _skipped(root: etree._Element) -> list[etree._Element]:
    """The outermost elements never read (:data:`_SKIP`: scripts, styles,
    the head …), in one walk that does not enter them."""
    out = []
    walker = etree.iterwalk(root, events=("start",))
    for _event, el in walker:
        if el is not root and _KIND[el.tag] == _K_SKIP:
            out.append(el)
            walker.skip_subtree()
    return out


def _drop_elements(elements: Iterable[etree._Element]) -> None:
    """Remove each of ``elements`` with its subtree, keeping its tail text,
    as ``drop_tree()`` on each in turn would.

    Linear however many there are: each parent's text runs are joined once,
    where dropping elements one by one copies a growing text for each
    (thousands of ``<script>`` or hidden ``<span>`` between text:
    quadratic)."""
    by_parent: dict[etree._Element, set[etree._Element]] = {}
    for el in elements:
        parent = el.getparent()
        if parent is not None:
            by_parent.setdefault(parent, set()).add(el)
    for parent, dropped in by_parent.items():
        node, attr = parent, "text"  # where the next kept text run goes
        run = [parent.text or ""]
        for child in list(parent):
            if child in dropped:
                if child.tail:
                    run.append(child.tail)
                parent.remove(child)
                continue
            if len(run) > 1:
                _set_text(node, attr, "".join(run))
            node, attr, run = child, "tail", [child.tail or ""]
        if len(run) > 1:
            _set_text(node, attr, "".join(run))


def _set_text(node: etree._Element, attr: str, text: str) -> None:
    """Set ``node.text`` or ``.tail``; characters lxml will not set (that
    its HTML parser produces from control bytes and references such as
    ``&#1;``) become spaces."""
    try:
        setattr(node, attr, text or None)
    except ValueError:
        setattr(node, attr, _NOT_XML_TEXT.sub(" ", text))


# ---------------------------------------------------------------- hidden content

_HIDDEN_DECL = re.compile(r"(?:^|[;{\s])(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!\s*important\s*)?(?:;|$|\})", re.I)
_CSS_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_SIMPLE_SELECTOR = re.compile(r"^([a-z][a-z0-9]*)?(?:\.([\w-]+)|#([\w-]+))?$", re.I)
_CLASSED = etree.XPath("//*[@class or @id]")
#: at most this many characters of page style sheets are read for rules
_MAX_CSS = 200_000


#: a page whose source has none of these pieces of ``none``, ``None``,
#: ``hidden``, ``Hidden``, ``visibility`` (upper case too) hides nothing
#: (``visibility:collapse`` is found by its property: ``border-collapse``
#: is everywhere)
_HIDING_WORDS = ("one", "idden", "NONE", "IDDEN", "isibility", "ISIBILITY")


def _hides(style: str) -> bool:
    """Does an inline ``style`` hide its element?"""
    low = style.lower()
    return ("none" in low or "hidden" in low or "collapse" in low) and _HIDDEN_DECL.search(low) is not None


def _hidden_rules(sheets: list[str]) -> tuple[set[str], set[str], set[str]]:
    """(tags, classes, ids) that the page's style sheets hide with a simple
    selector (``.x``, ``#y``, ``p.x``: the tag is then ignored)."""
    tags: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    budget = _MAX_CSS
    for css in sheets:
        if budget <= 0:
            break
        css = _CSS_COMMENT.sub("", css[:budget])
        budget -= len(css)
        for m in _CSS_RULE.finditer(css):
            if not _HIDDEN_DECL.search("{" + m.group(2) + "}"):
                continue
            for sel in m.group(1).split(","):
                sm = _SIMPLE_SELECTOR.match(sel.strip())
                if not sm or not sel.strip():
                    continue
                if sm.group(2):
                    classes.add(sm.group(2))
                elif sm.group(3):
                    ids.add(sm.group(3))
                elif sm.group(1) and sm.group(1).lower() not in ("html", "body"):
                    tags.add(sm.group(1).lower())
    return tags, classes, ids


def _drop_hidden(root: etree._Element, styled: list[etree._Element], sheets: list[str],
                 length: dict[etree._Element, int]) -> tuple[dict[etree._Element, set[int]], list[etree._Element]]:
    """Remove what a reader of the page does not see: ``styled`` (the
    elements an inline style or the ``hidden`` attribute hides, from
    :func:`_measure`) and what the page's style ``sheets`` hide. Return the hidden ``<col>`` columns of each table and where text
    was removed from (the parent of each element removed that held text).

    ``<html>`` and ``<body>`` are never removed (a page revealed by its
    scripts), nor an element holding most of the page's text."""
    hidden = list(styled)
    if sheets and any("none" in css or "hidden" in css or "collapse" in css for css in map(str.lower, sheets)):
        tags, classes, ids = _hidden_rules(sheets)
        if classes or ids:
            for el in _CLASSED(root):
                if el.get("id") in ids or (classes and not classes.isdisjoint((el.get("class") or "").split())):
                    hidden.append(el)
        if tags:
            hidden.extend(root.iter(*tags))
    cols: dict[etree._Element, set[int]] = {}
    dropped_from: list[etree._Element] = []
    if not hidden:
        return cols, dropped_from
    page = length.get(root, 0)
    gone = []
    for el in hidden:
        tag = el.tag
        if not isinstance(tag, str) or el.getparent() is None or tag in ("html", "body"):
            continue
        if tag in ("col", "colgroup"):
            _hide_columns(el, cols)
            continue
        if length.get(el, 0) > 0.5 * page:
            continue
        gone.append(el)
        if (el.text or "").strip() or len(el) > 0:  # held text
            dropped_from.append(el.getparent())
    _drop_elements(gone)
    return cols, dropped_from


def _hide_columns(el: etree._Element, cols: dict[etree._Element, set[int]]) -> None:
    """Mark the grid columns a hidden ``<col>`` or ``<colgroup>`` covers."""
    group = el if el.tag == "colgroup" else el.getparent()
    table = group.getparent() if group is not None and group.tag == "colgroup" else group
    if table is None or table.tag != "table":
        return
    start = 0
    for g in table:
        if g.tag not in ("col", "colgroup"):
            continue
        members = [c for c in g if c.tag == "col"] if g.tag == "colgroup" else [g]
        if g.tag == "colgroup" and not members:
            members = [g]
        for c in members:
            width = min(_span(c.get("span")), 1000) or 1
            if c is el or g is el:
                cols.setdefault(table, set()).update(range(start, start + width))
            start += width


_HEADING_SET = frozenset(("h1", "h2", "h3", "strong", "b", "div", "p", "td"))
_SHORT = 100  # longer whitespace-folded texts cannot be a heading (≤ 80)
_WS_RUN = re.compile(r"[^\S\n]+")  # as in normalize.fold_ws
_NL_RUN = re.compile(r"\s*\n\s*")


def _collapse(text: str) -> str:
    """:func:`fold_ws` without the final strip: each whitespace run becomes
    one space or one newline, so pieces folded apart fold the same joined."""
    text = text.replace("\u00a0", " ").replace("\u3000", " ").replace("\r", "\n")
    return _NL_RUN.sub("\n", _WS_RUN.sub(" ", text))


def _measure(root: etree._Element, styles: bool = True,
             hidden_attr: bool = True) -> tuple[dict[etree._Element, int], str | None, list[etree._Element]]:
    """One walk over the tree (lxml's ``iterwalk``: no recursion, linear
    however deep): ``(length, heading, hidden)``; ``hidden``: the elements
    whose inline style hides them (looked at when ``styles``) or that have
    a ``hidden`` attribute (when ``hidden_attr``), for :func:`_drop_hidden`.

    ``length`` maps every element to the non-whitespace length of its text
    (without its tail), an ``<a>``'s own text not counted (link text is page
    chrome), for :func:`_find_body`: a counter of the text passed, read at
    each element's start and end.

    ``heading`` is the first ``h1``-``h3``/``strong``/``b``/``div``/``p``/
    ``td`` whose text is a short one-line report title, in document order.
    Each element's text is built once from its children's (and only while
    short), so this is linear however deep the tree is, where calling
    ``text_content()`` on every candidate would be quadratic."""
    length: dict[etree._Element, int] = {}
    candidates: dict[etree._Element, str | None] = {}  # in document order
    starts: list[int] = []  # the counter at each open element's start
    # the text pieces of each open element while its text is short, else None
    pieces: list[list[str] | None] = []
    styled: list[etree._Element] = []
    hides: dict[str, bool] = {}  # style -> does it hide (pages repeat their styles)
    n = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            starts.append(n)
            style = el.get("style") if styles else None
            if style is not None:
                hit = hides.get(style)
                if hit is None:
                    hit = _hides(style)
                    if len(hides) < 4096:  # bounded: a page may invent any number of styles
                        hides[style] = hit
                if hit:
                    styled.append(el)
                elif hidden_attr and el.get("hidden") is not None:
                    styled.append(el)
            elif hidden_attr and el.get("hidden") is not None:
                styled.append(el)
            text = el.text
            if text:
                pieces.append([text])
                if el.tag != "a":
                    n += _count(text)
            else:
                pieces.append([])
            if el.tag in _HEADING_SET:
                candidates[el] = None
            continue
        size = n - starts.pop()
        length[el] = size
        parts = pieces.pop()
        text = None
        # more than _SHORT non-whitespace characters cannot fold short
        if parts is not None and size <= _SHORT:
            text = "".join(parts)
            # kept raw while short, folded only when long: the fold of the
            # joined pieces is the same either way; a long text whose start
            # already folds long is not folded whole
            if len(text) > _SHORT:
                if len(text) > 4 * _SHORT and len(_collapse(text[: 4 * _SHORT])) > _SHORT + 1:
                    text = None
                else:
                    text = _collapse(text)
                    if len(text) > _SHORT:
                        text = None
        if el.tag in _HEADING_SET:
            candidates[el] = text
        tail = el.tail
        if pieces:
            parent = pieces[-1]
            if parent is not None:
                if text is None:
                    pieces[-1] = None
                else:
                    parent.append(text)
                    if tail:
                        parent.append(tail)
        if tail:
            n += _count(tail)
    for text in candidates.values():
        if text is None:
            continue
        text = fold_ws(text)
        if 6 <= len(text) <= 80 and ("年度报告" in text or "工作报告" in text) and "\n" not in text:
            return length, text, styled
    return length, None, styled


# ---------------------------------------------------------------- body finding

_CONTAINER_TAGS = frozenset("div article section main td th tr tbody thead table center form font span body".split())
_TABLE_PARTS = frozenset("td th tr tbody thead table".split())
_STAT_WORDS = ("本年新收", "行政复议", "第二十条", "申请人情况", "政府信息公开")


def _find_body(root: etree._Element, length: dict[etree._Element, int]) -> etree._Element:
    """The element holding the report: descend from <body> while one child
    holds most of the page's non-link text (``length``, from
    :func:`_measure`); then widen to include the statistics tables if they
    sit outside."""
    body = root.find("body")
    if body is None:
        body = root
    node = body
    total = length.get(body, 0)
    while True:
        kids = [ch for ch in node if _descendable(ch)]
        best = max(kids, key=lambda k: length.get(k, 0), default=None)
        if best is None or length.get(best, 0) < 0.6 * max(1, length.get(node, 0)):
            break
        if length.get(best, 0) < 0.2 * total:
            break
        node = best
    tables = [t for t in body.iter("table") if t.find(".//table") is None and any(w in _STRING(t) for w in _STAT_WORDS[:4])]
    for t in tables:
        node = _common_ancestor(node, t)
    return node


def _descendable(el: etree._Element) -> bool:
    """May the body search step into ``el``? Containers with block
    children; table parts only when they hold a nested (layout) table."""
    if not isinstance(el.tag, str) or el.tag not in _CONTAINER_TAGS:
        return False
    if el.tag in _TABLE_PARTS:
        return el.find(".//table") is not None
    return any(isinstance(g.tag, str) and g.tag in _BLOCK for g in el)


def _count(text: str | None) -> int:
    """The number of non-whitespace characters (``str.split()`` splits at
    exactly the characters a regular expression's ``\\s`` matches)."""
    if not text:
        return 0
    return len("".join(text.split()))


def _common_ancestor(a: etree._Element, b: etree._Element) -> etree._Element:
    ancestors = set()
    x = a
    while x is not None:
        ancestors.add(x)
        x = x.getparent()
    y = b
    while y is not None and y not in ancestors:
        y = y.getparent()
    return y if y is not None else a


# ---------------------------------------------------------------- emitting blocks


# what the content of an element open in the emitter's walk is: text, or
# the rows, row groups and cells of a layout table (where nothing else is
# read)
_M_TEXT, _M_TABLE, _M_GROUP, _M_ROW = range(4)
_SKIPPED = (_M_ROW, False, False)  # the frame of an element whose subtree is skipped


class _Emitter:
    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget("<bytes>")
        self.blocks: list = []
        self.buf: list[str] = []
        self.bold_buf: list[str] = []  # the pieces of buf that are bold
        self.level: int | None = None
        self.image = False
        self.n_tables = 0
        #: table element -> its hidden grid columns (from _drop_hidden)
        self.hidden_cols: dict[etree._Element, set[int]] = {}

    def flush(self) -> None:
        buf = self.buf
        text = fold_ws("".join(buf)) if buf else ""
        if text:
            # bold when at least 80% of the non-whitespace characters are;
            # counted only for a paragraph partly bold
            bold_buf = self.bold_buf
            if not bold_buf:
                bold = False
            elif len(bold_buf) == len(buf):
                bold = True
            else:
                chars = _count("".join(buf))
                bold = chars > 0 and _count("".join(bold_buf)) >= 0.8 * chars
            for line in text.split("\n"):
                self.budget.block()
                self.blocks.append(Paragraph(line, level=self.level, bold=bold, has_image=self.image))
        elif self.image:
            self.budget.block()
            self.blocks.append(Image())
        self.buf = []
        self.bold_buf = []
        self.level = None
        self.image = False

    def walk(self, root: etree._Element, bold: bool = False) -> None:
        """Emit the blocks of ``root`` in reading order, on lxml's
        ``iterwalk``, so nesting depth costs no recursion.

        Each open element has a frame: the mode of its content, whether its
        text is bold, whether it ends a paragraph. Text is read in
        :data:`_M_TEXT` content; a layout table (one holding a table) is
        read as the contents of its own cells in order, each a paragraph."""
        walker = etree.iterwalk(root, events=("start", "end"))
        frames: list[tuple[int, bool, bool]] = []
        for event, el in walker:
            if event == "end":
                if frames.pop()[2]:
                    self.flush()
                if frames:
                    mode, inner, _ = frames[-1]
                    tail = el.tail
                    if tail and mode == _M_TEXT:
                        self.buf.append(tail)
                        if inner:
                            self.bold_buf.append(tail)
                continue
            mode, inner, _ = frames[-1] if frames else (_M_TEXT, bold, False)
            kind = _KIND[el.tag]
            if mode != _M_TEXT:  # in a layout table: only its own rows and cells
                if kind == _K_ROW and mode != _M_ROW:
                    frames.append((_M_ROW, inner, False))
                elif kind == _K_GROUP and mode == _M_TABLE:
                    frames.append((_M_GROUP, inner, False))
                elif kind == _K_CELL and mode == _M_ROW:
                    frames.append((_M_TEXT, inner, True))
                    self._text(el.text, inner)
                else:
                    frames.append(_SKIPPED)
                    walker.skip_subtree()
                continue
            if kind <= _K_BLOCK:
                if kind:  # a block other than a table part
                    self.flush()
                    if kind < _K_BLOCK:
                        self.level = kind
                    frames.append((_M_TEXT, inner, True))
                else:
                    frames.append((_M_TEXT, inner, False))
            elif kind == _K_BOLD:
                inner = True
                frames.append((_M_TEXT, True, False))
            elif kind == _K_TABLE:
                self.flush()
                if el.find(".//table") is not None:  # a layout table
                    frames.append((_M_TABLE, inner, False))
                else:
                    table = _read_table(el, self.n_tables, self.hidden_cols.get(el))
                    self.budget.table(table.n_rows, table.n_cols)
                    self.blocks.append(table)
                    self.n_tables += 1
                    frames.append(_SKIPPED)
                    walker.skip_subtree()
                continue
            elif kind <= _K_GROUP:  # td, th, tr, a row group: blocks
                self.flush()
                frames.append((_M_TEXT, inner, True))
            else:
                if kind == _K_BR:
                    self.flush()
                elif kind == _K_IMG:
                    self.image = True
                frames.append(_SKIPPED)  # nor are the children of <br>, <img> read
                walker.skip_subtree()
                continue
            self._text(el.text, inner)

    def _text(self, text: str | None, bold: bool) -> None:
        if not text:
            return
        self.buf.append(text)
        if bold:
            self.bold_buf.append(text)


def _grouped_rows(table: etree._Element) -> list[tuple[etree._Element, int]]:
    """``(tr, group)`` for the table's own rows (in thead/tbody/tfoot or
    direct), not nested ones; rows directly under the table form one group
    between row-group elements."""
    rows = []
    group = 0
    for child in table:
        kind = _KIND[child.tag]
        if kind == _K_ROW:
            rows.append((child, group))
        elif kind == _K_GROUP:
            group += 1
            for tr in child:
                if _KIND[tr.tag] == _K_ROW:
                    rows.append((tr, group))
            group += 1
    return rows


_SPAN = re.compile(r"\s*(\d+)")


def _span(value: str | None) -> int:
    if value is None:
        return 1
    m = _SPAN.match(value)
    if not m:
        return 1
    return int(m.group(1)[:7])


def _read_table(el: etree._Element, index: int, hidden_cols: set[int] | None = None) -> Table:
    rows: list[list[tuple[str, int, int, bool]]] = []
    groups = []
    for tr, group in _grouped_rows(el):
        if len(rows) >= MAX_TABLE_ROWS:  # place_rows keeps no more
            break
        groups.append(group)
        row = []
        for td in tr:
            if _KIND[td.tag] != _K_CELL:
                continue
            text, image = _cell_text(td)
            text = clip_cell(text)
            rowspan = td.get("rowspan")
            colspan = td.get("colspan")
            row.append((text, 1 if rowspan is None else _span(rowspan),
                        1 if colspan is None else _span(colspan) or 1, image))
        rows.append(row)
    ends = [0] * len(groups)
    end = len(groups)
    for r in range(len(groups) - 1, -1, -1):
        if r + 1 < len(groups) and groups[r + 1] != groups[r]:
            end = r + 1
        ends[r] = end
    table = place_rows(rows, index, ends)
    return _without_columns(table, hidden_cols) if hidden_cols else table


def _without_columns(table: Table, hidden: set[int]) -> Table:
    """``table`` with the grid columns ``hidden`` removed (a cell spanning
    some of them narrows; one inside them goes)."""
    shift = [0] * (table.n_cols + 1)
    for c in range(table.n_cols):
        shift[c + 1] = shift[c] + (c in hidden)
    cells = []
    for cell in table.cells():
        first, last = cell.col, cell.col + cell.colspan - 1
        width = cell.colspan - (shift[last + 1] - shift[first])
        if width <= 0:
            continue
        cell.col = first - shift[first]
        cell.colspan = width
        cells.append(cell)
    return Table.from_cells(cells, table.index)


def _cell_text(td: etree._Element) -> tuple[str, bool]:
    """The cell's text, block elements on lines of their own."""
    # the usual cell: text, or elements without children (<p>, <br>, <span>)
    parts = [td.text or ""]
    image = False
    for ch in td:
        if len(ch):
            return _nested_cell_text(td)
        kind = _KIND[ch.tag]
        if kind <= _K_TABLE:
            if kind:
                parts.extend(("\n", ch.text or "", "\n"))
            elif ch.text:
                parts.append(ch.text)
        elif kind == _K_BR:
            parts.append("\n")
        elif kind == _K_IMG:
            image = True
        elif kind == _K_BOLD and ch.text:
            parts.append(ch.text)
        if ch.tail:
            parts.append(ch.tail)
    return fold_ws("".join(parts)), image


def _nested_cell_text(td: etree._Element) -> tuple[str, bool]:
    """:func:`_cell_text` of any cell, walked on an explicit stack (strings
    to emit and elements to open)."""
    parts: list[str] = []
    image = False
    stack: list = [td]
    while stack:
        e = stack.pop()
        if e.__class__ is str:
            parts.append(e)
            continue
        if e.text:
            parts.append(e.text)
        steps: list = []
        for ch in e:
            kind = _KIND[ch.tag]
            if kind <= _K_TABLE:
                if kind:
                    steps.extend(("\n", ch, "\n"))
                else:
                    steps.append(ch)
            elif kind == _K_BR:
                steps.append("\n")
            elif kind == _K_IMG:
                image = True
            elif kind == _K_BOLD:
                steps.append(ch)
            if ch.tail:
                steps.append(ch.tail)
        stack.extend(reversed(steps))
    return fold_ws("".join(parts)), image
