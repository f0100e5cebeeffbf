"""Structure-aware mutation of report documents, for fuzzing ``extractor.parse``.

A seed is one of the fixture reports (``fixtures/*.docx``, ``*.html``,
``*.pdf``), parsed once into element trees (a PDF: into its objects, with
the content streams inflated). A mutant is the seed with a few tree
mutations (elements dropped, duplicated, moved, reordered, wrapped,
unwrapped, renamed or nested deep; attributes dropped, copied or set to
hostile values — spans in the millions, negative, non-numeric; Word
properties such as ``gridSpan``, ``vMerge``, ``gridBefore``, ``numPr``
inserted; text replaced or corrupted; floods of up to 50,000 attributes
on one element, of elements (scripts, deleted runs, copies) between text,
and chains of styles each based on the next), then, sometimes, damage to the
serialized bytes (flipped, inserted, deleted bytes, truncation, another
encoding or declared charset) and, for .docx, to the package (members
dropped, duplicated, renamed, recompressed). A PDF mutant has its content
streams edited (operators dropped, duplicated, swapped; numbers, strings
and colours set to hostile values; drawings, deep nesting and huge
transforms inserted), its page dictionaries damaged (``/Rotate``,
``/MediaBox``, ``/Contents``, ``/Count``), objects dropped or duplicated,
streams given wrong lengths or a compressed bomb, and is written with a
correct cross-reference table or a broken one.

Every random decision goes through a *chooser* with ``randint(a, b)``
and ``choice(seq)``: :class:`RandomChooser` for the long deterministic run
(``fuzz/run_fuzz.py``), a Hypothesis ``data`` chooser in
``tests/test_fuzz.py``, so Hypothesis can shrink a failing mutant.
"""

from __future__ import annotations

import base64
import copy
import io
import random
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

import lxml.html
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


class Chooser(Protocol):
    def randint(self, a: int, b: int) -> int: ...

    def choice(self, seq: Sequence): ...


class RandomChooser:
    """Decisions from a seeded :class:`random.Random` (deterministic)."""

    def __init__(self, seed: int | str) -> None:
        self.rnd = random.Random(seed)

    def randint(self, a: int, b: int) -> int:
        return self.rnd.randint(a, b)

    def choice(self, seq: Sequence):
        return seq[self.rnd.randrange(len(seq))]


def chance(ch: Chooser, percent: int) -> bool:
    return ch.randint(1, 100) <= percent


# ------------------------------------------------------------------ vocabularies

NUMBERS = [
    "0", "1", "2", "3", "-1", "-5", "10", "63", "64", "199", "200", "201", "999", "1000", "1001", "5000",
    "32767", "65535", "100000000", "2147483648", "99999999999999999999", "", " ", "abc", "1.5", "+2", " 3",
    "\u0663", "1e3", "0x1f", "NaN", "restart", "continue", "true", "false", "off",
]
TEXTS = [
    "", " ", "0", "12", "1,234", "-3", "２２（其中修订16件）", "/", "—", "无", "1.5万元", "251000元", "+2",
    "1e308", "9" * 400, "本年新收", "上年结转", "自然人", "商业企业", "法人或其他组织", "总计", "予以公开",
    "（三）不予公开", "1.属于国家秘密", "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "（一）主动公开。一是", "第二十条第（一）项",
    "某局2021年政府信息公开工作年度报告", "二〇二二年", "2019年1月1日", "行政复议", "结果维持", "\u202e", "\ufeff",
    "\u3000", "\xa0", "\r\n", "\t", "<&>", "一" * 3000, "x" * 20000, "年度报告\n年度报告",
]
DOCX_TAGS = [W + t for t in (
    "p r t tbl tr tc tcPr trPr pPr rPr sdt sdtContent customXml ins del moveTo moveFrom hyperlink smartTag "
    "fldSimple br tab drawing pict gridSpan vMerge hMerge gridBefore gridAfter numPr ilvl numId pStyle "
    "outlineLvl b body instrText delText noBreakHyphen cr").split()] + [MC + "AlternateContent", MC + "Fallback"]
DOCX_ATTRS = [W + a for a in "val type styleId ilvl numId abstractNumId default".split()]
HTML_TAGS = (
    "p div span b strong table tbody thead tfoot tr td th br img h1 h2 h3 li ul font center section article "
    "pre a script style iframe noscript body html title meta caption").split()
HTML_ATTRS = ["rowspan", "colspan", "charset", "content", "http-equiv", "src", "name", "class"]
ENCODINGS = ["utf-8", "gb18030", "gbk", "big5", "shift_jis", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "utf-8-sig"]
CHARSETS = ["utf-8", "gbk", "gb2312", "big5", "utf-16", "utf-7", "idna", "undefined", "latin1", "x-bogus", "unicode_escape"]


# ------------------------------------------------------------------ seeds


@dataclass
class Seed:
    """A fixture, parsed once; :func:`mutate` works on copies."""

    name: str
    kind: str  # "docx", "html" or "pdf"
    data: bytes = field(repr=False)
    encoding: str = "utf-8"
    html: etree._Element | None = field(default=None, repr=False)
    members: dict[str, bytes] = field(default_factory=dict, repr=False)
    parts: dict[str, etree._Element] = field(default_factory=dict, repr=False)
    objects: list[tuple[int, bytes, bytes | None]] = field(default_factory=list, repr=False)  # pdf: (num, dict, stream)


_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
XML_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml")


def load_seed(path: Path) -> Seed:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return Seed(path.name, "pdf", data, objects=pdf_objects(data))
    if path.suffix == ".docx":
        seed = Seed(path.name, "docx", data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                seed.members[info.filename] = z.read(info)
        for part in XML_PARTS:
            if part in seed.members:
                seed.parts[part] = etree.fromstring(seed.members[part], _XML)
        return seed
    from extractor.readers.html import decode_html  # the seed's encoding, as the library reads it

    text, enc = decode_html(data)
    seed = Seed(path.name, "html", data, encoding=enc)
    seed.html = lxml.html.document_fromstring(text)
    return seed


def load_seeds(kind: str | None = None) -> list[Seed]:
    paths = sorted(FIXTURES.glob("*.docx")) + sorted(FIXTURES.glob("*.html")) + sorted(FIXTURES.glob("*.pdf"))
    return [load_seed(p) for p in paths if kind is None or p.suffix == "." + kind]


# ------------------------------------------------------------------ tree mutations


def _elements(root: etree._Element) -> list[etree._Element]:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _pick(ch: Chooser, root: etree._Element, tags: Sequence[str] | None = None) -> etree._Element | None:
    els = _elements(root)
    if tags:
        wanted = [e for e in els if e.tag in tags]
        if wanted and chance(ch, 80):
            els = wanted
    return ch.choice(els) if els else None


def _ancestors(el: etree._Element) -> set:
    out = set()
    while el is not None:
        out.add(el)
        el = el.getparent()
    return out


def _safe(fn, *args) -> None:
    """lxml refuses some values (control characters in XML text, bad names): skip them."""
    try:
        fn(*args)
    except (ValueError, TypeError):
        pass


def _drop(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None:
        return
    if chance(ch, 50):
        parent.remove(el)  # the tail goes too
    else:
        tail = el.tail
        prev = el.getprevious()
        parent.remove(el)
        if tail:
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def _duplicate(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None:
        return
    n = 1 if chance(ch, 80) else ch.choice([2, 5, 50, 300])
    i = parent.index(el)
    for _ in range(n):
        parent.insert(i + 1, copy.deepcopy(el))


def _move(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None:
        return
    target = _pick(ch, root)
    if target is None or target in _ancestors(el) or el in _ancestors(target):
        return
    parent.remove(el)
    target.insert(ch.randint(0, len(target)), el)


def _swap(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None or len(parent) < 2:
        return
    i, j = parent.index(el), ch.randint(0, len(parent) - 1)
    if i == j:
        return
    other = parent[j]
    a, b = min(i, j), max(i, j)
    first, second = (el, other) if i < j else (other, el)
    parent.remove(second)
    parent.insert(a, second)
    parent.remove(first)
    parent.insert(b, first)


def _unwrap(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None:
        return
    i = parent.index(el)
    kids = list(el)
    for k, kid in enumerate(kids):
        parent.insert(i + k, kid)
    parent.remove(el)


def _wrap(ch, root, el, vocab):
    parent = el.getparent()
    if parent is None:
        return
    depth = 1 if chance(ch, 85) else ch.choice([3, 50, 250, 3000])
    tag = ch.choice(vocab["tags"])
    outer = inner = etree.Element(tag)
    for _ in range(depth - 1):
        inner = etree.SubElement(inner, tag if chance(ch, 70) else ch.choice(vocab["tags"]))
    parent.replace(el, outer)
    inner.append(el)


def _rename(ch, root, el, vocab):
    if el is root:
        return
    el.tag = ch.choice(vocab["tags"])


def _set_attr(ch, root, el, vocab):
    name = ch.choice(vocab["attrs"])
    _safe(el.set, name, ch.choice(NUMBERS) if chance(ch, 80) else ch.choice(TEXTS)[:200])


def _drop_attr(ch, root, el, vocab):
    if el.attrib:
        del el.attrib[ch.choice(sorted(el.attrib))]


def _copy_attr(ch, root, el, vocab):
    other = _pick(ch, root)
    if other is not None and other.attrib:
        name = ch.choice(sorted(other.attrib))
        _safe(el.set, name, other.get(name))


def _set_text(ch, root, el, vocab):
    value = ch.choice(TEXTS)
    if chance(ch, 70):
        _safe(setattr, el, "text", value)
    else:
        _safe(setattr, el, "tail", value)


def _corrupt_text(ch, root, el, vocab):
    text = el.text or ""
    if not text:
        return
    i = ch.randint(0, len(text))
    op = ch.randint(0, 3)
    if op == 0:
        text = text[:i] + text[i + ch.randint(1, 5):]
    elif op == 1:
        text = text[:i] + ch.choice(TEXTS)[:50] + text[i:]
    elif op == 2:
        text = text * ch.choice([2, 3, 100])
    else:
        text = text[:i]
    _safe(setattr, el, "text", text)


def _docx_property(ch, root, el, vocab):
    """Insert a Word property with a hostile value where it belongs."""
    targets = [W + "tc", W + "tr", W + "p", W + "r"]
    picked = _pick(ch, root, targets)
    el = picked if picked is not None else el
    val = ch.choice(NUMBERS)
    if el.tag == W + "tc":
        pr = el.find(W + "tcPr")
        if pr is None:
            pr = etree.Element(W + "tcPr")
            el.insert(0, pr)
        prop = etree.SubElement(pr, ch.choice([W + "gridSpan", W + "vMerge", W + "hMerge"]))
    elif el.tag == W + "tr":
        pr = el.find(W + "trPr")
        if pr is None:
            pr = etree.Element(W + "trPr")
            el.insert(0, pr)
        prop = etree.SubElement(pr, ch.choice([W + "gridBefore", W + "gridAfter"]))
    elif el.tag == W + "p":
        pr = el.find(W + "pPr")
        if pr is None:
            pr = etree.Element(W + "pPr")
            el.insert(0, pr)
        kind = ch.randint(0, 2)
        if kind == 0:
            num = etree.SubElement(pr, W + "numPr")
            etree.SubElement(num, W + "ilvl").set(W + "val", ch.choice(NUMBERS))
            prop = etree.SubElement(num, W + "numId")
        else:
            prop = etree.SubElement(pr, W + ("pStyle" if kind == 1 else "outlineLvl"))
    else:
        pr = el.find(W + "rPr")
        if pr is None:
            pr = etree.Element(W + "rPr")
            el.insert(0, pr)
        prop = etree.SubElement(pr, W + "b")
    if chance(ch, 85):
        prop.set(W + "val", val)


def _html_span(ch, root, el, vocab):
    """Give a table cell a hostile rowspan/colspan."""
    picked = _pick(ch, root, ["td", "th"])
    el = picked if picked is not None else el
    el.set(ch.choice(["rowspan", "colspan"]), ch.choice(NUMBERS))


#: Sizes of the floods below: from what a real page might hold to what
#: broke a reader (a tag of 40,000 attributes, thousands of scripts, a
#: chain of 8,000 styles) and past it.
FLOOD_SIZES = [10, 100, 300, 1000, 5000, 20000, 50000]


#: An attribute standing for a flood of attributes, expanded in the
#: serialized bytes (lxml sets attributes one by one in quadratic time).
FLOOD_MARK = "fuzz-attribute-flood"
_FLOOD_RE = re.compile(FLOOD_MARK.encode() + rb'="(\d+):(\d)"')


def _attribute_flood(ch, root, el, vocab):
    """Give one element thousands of distinct attributes (libxml2 builds an
    element's attributes in time quadratic in their number)."""
    el.set(FLOOD_MARK, f"{ch.choice(FLOOD_SIZES)}:{ch.randint(0, 3)}")


def expand_floods(data: bytes, xml: bool = False) -> bytes:
    """Each flood mark in serialized markup replaced by its attributes:
    ``a0="1" a1="1" …``, valueless, with ``>`` in quoted values, or
    separated by ``/`` (HTML tokenizers accept them all; in ``xml``, only
    the well-formed spellings)."""

    def attrs(m: re.Match) -> bytes:
        n, style = int(m.group(1)), int(m.group(2))
        if xml:
            style &= 2  # quoted values only
        if style == 0:
            return b" ".join(b'a%d="1"' % i for i in range(n))
        if style == 1:
            return b" ".join(b"a%d" % i for i in range(n))
        if style == 2:
            return b" ".join(b'a%d="&gt;"' % i for i in range(n))
        return b"/".join(b"a%d" % i for i in range(n))

    return _FLOOD_RE.sub(attrs, data) if FLOOD_MARK.encode() in data else data


def _element_flood(ch, root, el, vocab):
    """Put thousands of elements, each followed by text, after ``el``:
    copies of it, empty elements, or elements a reader drops (scripts,
    deleted runs) whose tails it must join in linear time."""
    parent = el.getparent()
    if parent is None:
        return
    n = ch.choice(FLOOD_SIZES)
    kind = ch.randint(0, 2)
    tag = ch.choice(vocab["dropped"] if kind == 0 else vocab["tags"])
    tail = ch.choice(["", "正文", "一、总体情况" * 10, " x "])
    i = parent.index(el) + 1
    new = []
    for _ in range(n):
        if kind == 1 and n <= 5000 and sum(1 for _ in el.iter()) < 10:
            e = copy.deepcopy(el)
        else:
            e = etree.Element(tag)
            _safe(setattr, e, "text", ch.choice(["", "var x = 1;", "12"]))
        _safe(setattr, e, "tail", tail)
        new.append(e)
    parent[i:i] = new


def style_chain(ch: Chooser, parts: dict[str, etree._Element]) -> None:
    """Append a chain of thousands of styles, each based on the next, the
    last one numbered, and give some paragraphs the first (a reader that
    walks each style's chain again is quadratic)."""
    styles = parts.get("word/styles.xml")
    if styles is None:
        return
    n = ch.choice(FLOOD_SIZES)
    cyclic = chance(ch, 20)
    prefix = f"chain{ch.randint(0, 99)}_"
    for i in range(n):
        st = etree.SubElement(styles, W + "style")
        st.set(W + "type", "paragraph")
        st.set(W + "styleId", f"{prefix}{i}")
        base = f"{prefix}{0 if cyclic and i == n - 1 else i + 1}"
        if i < n - 1 or cyclic:
            etree.SubElement(st, W + "basedOn").set(W + "val", base)
        else:
            num = etree.SubElement(etree.SubElement(st, W + "pPr"), W + "numPr")
            etree.SubElement(num, W + "ilvl").set(W + "val", "0")
            etree.SubElement(num, W + "numId").set(W + "val", ch.choice(["1", "2", "3"]))
    doc = parts.get("word/document.xml")
    if doc is None:
        return
    paras = [e for e in doc.iter(W + "p")]
    for _ in range(min(len(paras), ch.choice([1, 10, 1000]))):
        p = ch.choice(paras)
        ppr = p.find(W + "pPr")
        if ppr is None:
            ppr = etree.Element(W + "pPr")
            p.insert(0, ppr)
        ps = ppr.find(W + "pStyle")
        if ps is None:
            ps = etree.Element(W + "pStyle")
            ppr.insert(0, ps)
        ps.set(W + "val", f"{prefix}{ch.randint(0, n - 1)}")


MUTATIONS = [_drop, _duplicate, _move, _swap, _unwrap, _wrap, _rename, _set_attr, _drop_attr, _copy_attr,
             _set_text, _corrupt_text]
FLOODS = [_attribute_flood, _element_flood]
DOCX_MUTATIONS = MUTATIONS + [_docx_property] * 4 + FLOODS
HTML_MUTATIONS = MUTATIONS + [_html_span] * 4 + FLOODS
DOCX_VOCAB = {"tags": DOCX_TAGS, "attrs": DOCX_ATTRS, "dropped": [W + t for t in ("del", "instrText", "rPr", "pPr")]}
HTML_VOCAB = {"tags": HTML_TAGS, "attrs": HTML_ATTRS, "dropped": ["script", "style", "noscript", "template", "iframe"]}
INTERESTING_DOCX = [W + t for t in ("tbl", "tr", "tc", "p", "r", "t", "sdt", "tcPr", "gridSpan", "vMerge", "numPr",
                                    "style", "lvl", "num", "abstractNum", "basedOn", "start", "lvlText", "numFmt")]
INTERESTING_HTML = ["table", "tr", "td", "th", "tbody", "thead", "p", "div", "h1", "h2", "meta", "title", "img", "br"]


def mutate_tree(ch: Chooser, root: etree._Element, kind: str, steps: int) -> None:
    ops = DOCX_MUTATIONS if kind == "docx" else HTML_MUTATIONS
    vocab = DOCX_VOCAB if kind == "docx" else HTML_VOCAB
    interesting = INTERESTING_DOCX if kind == "docx" else INTERESTING_HTML
    for _ in range(steps):
        el = _pick(ch, root, interesting)
        if el is None:
            return
        ch.choice(ops)(ch, root, el, vocab)


# ------------------------------------------------------------------ byte and package damage


def damage_bytes(ch: Chooser, data: bytes) -> bytes:
    for _ in range(ch.randint(1, 3)):
        if not data:
            return data
        i = ch.randint(0, len(data) - 1)
        op = ch.randint(0, 4)
        if op == 0:  # flip bytes
            buf = bytearray(data)
            for _ in range(ch.randint(1, 10)):
                buf[ch.randint(0, len(buf) - 1)] = ch.randint(0, 255)
            data = bytes(buf)
        elif op == 1:  # insert bytes
            data = data[:i] + bytes(ch.randint(0, 255) for _ in range(ch.randint(1, 16))) + data[i:]
        elif op == 2:  # delete a chunk
            data = data[:i] + data[i + ch.randint(1, 4096):]
        elif op == 3:  # truncate
            data = data[:i]
        else:  # duplicate a chunk
            j = min(len(data), i + ch.randint(1, 4096))
            data = data[:j] + data[i:j] + data[j:]
    return data


def serialize_html(ch: Chooser, seed: Seed, root: etree._Element) -> bytes:
    text = lxml.html.tostring(root, encoding="unicode")
    if chance(ch, 20):
        meta = f'<meta charset="{ch.choice(CHARSETS)}">'
        text = meta + text if chance(ch, 50) else text.replace("<head>", "<head>" + meta, 1)
    enc = ch.choice(ENCODINGS) if chance(ch, 20) else seed.encoding
    data = text.encode(enc, "replace")
    if FLOOD_MARK in text and not enc.startswith("utf-16"):  # the mark is ASCII
        data = expand_floods(data)
    if chance(ch, 20):
        data = damage_bytes(ch, data)
    return data


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def serialize_docx(ch: Chooser, seed: Seed, parts: dict[str, etree._Element]) -> bytes:
    members = dict(seed.members)
    for name, root in parts.items():
        members[name] = expand_floods(_xml_bytes(root), xml=True)
    if chance(ch, 10):  # malformed XML in one part
        name = ch.choice(sorted(parts))
        members[name] = damage_bytes(ch, members[name])
    entries = list(members.items())
    method = zipfile.ZIP_DEFLATED
    if chance(ch, 15):
        op = ch.randint(0, 5)
        if op == 0:  # drop a member
            entries.pop(ch.randint(0, len(entries) - 1))
        elif op == 1:  # the same name twice
            entries.append(ch.choice(entries))
        elif op == 2:  # the main part elsewhere (found through _rels/.rels, or not at all)
            entries = [("word/main.xml" if n == "word/document.xml" else n, d) for n, d in entries]
        elif op == 3:  # an unsafe name
            entries.append((ch.choice(["../evil.xml", "/abs.xml", "word/../../x", "C:/x.xml"]), b"x"))
        elif op == 4:
            method = ch.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
        else:  # many members
            entries += [(f"customXml/item{i}.xml", b"") for i in range(ch.choice([10, 100, 5001]))]
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names
        with zipfile.ZipFile(buf, "w", method) as z:
            for name, data in entries:
                z.writestr(name, data)
    data = buf.getvalue()
    if chance(ch, 8):
        data = damage_bytes(ch, data)
    return data


def mutate(seed: Seed, ch: Chooser, max_steps: int = 8) -> bytes:
    """A mutant of ``seed``: tree mutations, then (sometimes) byte damage."""
    steps = ch.randint(1, max_steps)
    if seed.kind == "pdf":
        return mutate_pdf(seed, ch, steps)
    if seed.kind == "html":
        root = copy.deepcopy(seed.html)
        mutate_tree(ch, root, "html", steps)
        return serialize_html(ch, seed, root)
    parts = {name: copy.deepcopy(root) for name, root in seed.parts.items()}
    names = sorted(parts)
    for _ in range(steps):
        name = "word/document.xml" if chance(ch, 75) or len(names) == 1 else ch.choice(names)
        mutate_tree(ch, parts[name], "docx", 1)
    if chance(ch, 5):
        style_chain(ch, parts)
    return serialize_docx(ch, seed, parts)


# ------------------------------------------------------------------ PDF

_OBJ = re.compile(rb"(\d+)\s+0\s+obj\b(.*?)\bendobj", re.S)
_STREAM = re.compile(rb"^(.*?)stream\r?\n(.*?)\r?\n?endstream\s*$", re.S)
_FILTER = re.compile(rb"/Filter\s*(?:\[[^\]]*\]|/\w+)")


def pdf_objects(data: bytes) -> list[tuple[int, bytes, bytes | None]]:
    """The objects of a PDF without object streams: (number, dictionary,
    stream data inflated or None)."""
    out = []
    for m in _OBJ.finditer(data):
        body = m.group(2)
        sm = _STREAM.match(body)
        if not sm:
            out.append((int(m.group(1)), body.strip(), None))
            continue
        head, stream = sm.group(1), sm.group(2)
        filters = _FILTER.search(head)
        names = re.findall(rb"/(\w+)", filters.group(0))[1:] if filters else []
        if names and set(names) <= {b"ASCII85Decode", b"FlateDecode"}:  # decoded, so mutations see operators
            try:
                for name in names:
                    if name == b"ASCII85Decode":
                        stream = base64.a85decode(stream.strip().removesuffix(b"~>"))
                    else:
                        stream = zlib.decompress(stream)
                head = _FILTER.sub(b"", head)
            except (ValueError, zlib.error):
                stream = sm.group(2)
        out.append((int(m.group(1)), head.strip(), stream))
    return out


PDF_NUMBERS = [b"0", b"-1", b"1", b"0.0001", b"-0", b"1e9", b"-1e9", b"99999999999999999999", b"1e400", b"nan",
               b"3.4e38", b"-32768", b"65535", b"2147483648", b".", b"--1", b"12.5.3"]
PDF_SNIPPETS = [
    b"q 0 0 0 RG 5 w 0 0 m 600 800 l S Q",
    b"q 1 1 1 rg 0 0 595 842 re f Q",
    b"q 0 0 0 rg 50 400 500 0.5 re f 50 380 500 0.5 re f 300 300 0.5 200 re f Q",
    b"q 0.5 w 50 400 m 550 400 l 550 100 l 50 100 l h S 300 400 m 300 100 l S Q",
    b"BT /F1 1000 Tf 0 0 Td (x) Tj ET",
    b"BT /F1 9 Tf 100 100 Td 3 Tr (hidden) Tj ET",
    b"BT /F1 9 Tf 0 1 -1 0 300 300 Tm (turned) Tj ET",
    b"1e9 0 0 1e9 0 0 cm",
    b"0 0 0 0 0 0 cm",
    b"q " * 3000 + b"Q " * 3000,
    b"q " * 200,
    b"/Im1 Do",
    b"BI /W 1 /H 1 /BPC 8 /CS /G ID \x00 EI",
    b"0 0 m " + b"1 1 l " * 20000 + b"S",
    b"10 10 m 20 20 30 30 40 40 c S",
    b"[1 2] 0 d 0.1 w 50 500 m 550 500 l S",
]
PDF_DICT_EDITS = [
    (rb"/Rotate\s+-?\d+", [b"/Rotate 90", b"/Rotate 180", b"/Rotate 270", b"/Rotate -90", b"/Rotate 45",
                           b"/Rotate 99999999999"]),
    (rb"/MediaBox\s*\[[^\]]*\]", [b"/MediaBox [0 0 0 0]", b"/MediaBox [0 0 1e9 1e9]", b"/MediaBox [595 842 0 0]",
                                   b"/MediaBox [0 0 842 595]", b"/MediaBox [-1e9 -1e9 1e9 1e9]", b"/MediaBox []",
                                   b"/MediaBox [a b c d]"]),
    (rb"/Contents\s+\d+\s+0\s+R", [b"", b"/Contents 99999 0 R", b"/Contents [1 0 R 1 0 R]", b"/Contents 2 0 R"]),
    (rb"/Count\s+\d+", [b"/Count 0", b"/Count 99999999", b"/Count -1"]),
    (rb"/Length\s+\d+", [b"/Length 0", b"/Length 999999999", b"/Length -5"]),
    (rb"/Kids\s*\[[^\]]*\]", [b"/Kids []", b"/Kids [2 0 R]", b"/Kids [1 0 R 1 0 R]"]),
    (rb"/Encoding\s*/\w+", [b"/Encoding /Identity-H", b"/Encoding /Bogus", b""]),
]
_BOMB: list[bytes] = []


def _bomb() -> bytes:
    """A Flate stream of 300 MiB of spaces (built once)."""
    if not _BOMB:
        comp = zlib.compressobj(9)
        chunk = b" " * (1 << 20)
        _BOMB.append(b"".join(comp.compress(chunk) for _ in range(300)) + comp.flush())
    return _BOMB[0]


def _mutate_content(ch: Chooser, stream: bytes) -> bytes:
    lines = stream.split(b"\n")
    if not lines:
        return stream
    op = ch.randint(0, 6)
    i = ch.randint(0, len(lines) - 1)
    if op == 0:  # drop operators
        del lines[i:i + ch.randint(1, 20)]
    elif op == 1:  # duplicate
        lines[i:i] = lines[i:i + ch.randint(1, 20)]
    elif op == 2:  # swap
        j = ch.randint(0, len(lines) - 1)
        lines[i], lines[j] = lines[j], lines[i]
    elif op == 3:  # a number set to a hostile value
        nums = list(re.finditer(rb"-?\d+(?:\.\d+)?", lines[i]))
        if nums:
            m = ch.choice(nums)
            lines[i] = lines[i][:m.start()] + ch.choice(PDF_NUMBERS) + lines[i][m.end():]
    elif op == 4:  # a string replaced
        lines[i] = re.sub(rb"\((?:[^()\\]|\\.)*\)|<[0-9A-Fa-f]*>", ch.choice(
            [b"()", b"(\\)", b"<>", b"<0>", b"<" + b"4E00" * 500 + b">", b"(" + b"9" * 400 + b")", b"<FFFE>"]),
            lines[i], count=1)
    elif op == 5:  # a drawing, text or state change inserted
        lines.insert(i, ch.choice(PDF_SNIPPETS))
    else:  # colours: black lines white, white boxes black
        lines[i] = lines[i].replace(b" rg", ch.choice([b" rg", b" RG"])).replace(b"1 1 1", b"0 0 0")
    return b"\n".join(lines)


def mutate_pdf(seed: Seed, ch: Chooser, steps: int) -> bytes:
    objects = [list(o) for o in seed.objects]
    for _ in range(steps):
        k = ch.randint(0, len(objects) - 1)
        num, head, stream = objects[k]
        op = ch.randint(0, 9)
        if op <= 4 and stream is not None and b"/Subtype" not in head:  # a content stream (not a font or image)
            objects[k][2] = _mutate_content(ch, stream)
        elif op <= 6:  # a dictionary edit
            pattern, values = ch.choice(PDF_DICT_EDITS)
            objects[k][1] = re.sub(pattern, ch.choice(values), head, count=1)
        elif op == 7:  # an object dropped or duplicated under another number
            if chance(ch, 50) and len(objects) > 1:
                objects.pop(k)
            else:
                objects.append([max(o[0] for o in objects) + 1, head, stream])
        elif op == 8 and stream is not None:  # stream data damaged or replaced by a compressed bomb
            objects[k][2] = _bomb() if chance(ch, 10) else damage_bytes(ch, stream)
        else:  # a dictionary replaced by hostile text
            objects[k][1] = ch.choice([b"<<>>", b"<< /Type /Page >>", b"[" * 5000, b"<<" * 3000,
                                       b"<< /Type /Pages /Kids [1 0 R] /Count 1 >>", b"null"])
    data = serialize_pdf(ch, objects)
    if chance(ch, 10):
        data = damage_bytes(ch, data)
    return data


def serialize_pdf(ch: Chooser, objects) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    compress = chance(ch, 70)
    for num, head, stream in objects:
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n" % num)
        if stream is None:
            out.write(head + b"\nendobj\n")
            continue
        is_bomb = bool(_BOMB) and stream is _BOMB[0]
        data = stream if is_bomb or not compress else zlib.compress(stream)
        head = re.sub(rb"/Length\s+\d+", b"/Length %d" % len(data), head) if b"/Length" in head \
            else head.rstrip(b">") + b" /Length %d >>" % len(data)
        if (compress or is_bomb) and b"/Filter" not in head:
            head = head.replace(b"<<", b"<< /Filter /FlateDecode", 1)
        out.write(head + b"\nstream\n" + data + b"\nendstream\nendobj\n")
    if chance(ch, 85):  # a correct cross-reference table, else PDFium has to rebuild it
        xref = out.tell()
        size = max(offsets) + 1
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        for n in range(1, size):
            out.write(b"%010d 00000 n \n" % offsets[n] if n in offsets else b"0000000000 65535 f \n")
        root = next((n for n, h, _ in objects if b"/Catalog" in h), 1)
        out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref))
    return out.getvalue()
