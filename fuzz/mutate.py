"""Structure-aware mutation of report documents, for fuzzing ``extractor.parse``.

A seed is one of the fixture reports (``fixtures/*.docx``, ``*.html``),
parsed once into element trees. A mutant is the seed with a few tree
mutations (elements dropped, duplicated, moved, reordered, wrapped,
unwrapped, renamed or nested deep; attributes dropped, copied or set to
hostile values — spans in the millions, negative, non-numeric; Word
properties such as ``gridSpan``, ``vMerge``, ``gridBefore``, ``numPr``
inserted; text replaced or corrupted), then, sometimes, damage to the
serialized bytes (flipped, inserted, deleted bytes, truncation, another
encoding or declared charset) and, for .docx, to the package (members
dropped, duplicated, renamed, recompressed).

Every random decision goes through a *chooser* with ``randint(a, b)``
and ``choice(seq)``: :class:`RandomChooser` for the long deterministic run
(``fuzz/run_fuzz.py``), a Hypothesis ``data`` chooser in
``tests/test_fuzz.py``, so Hypothesis can shrink a failing mutant.
"""

from __future__ import annotations

import copy
import io
import random
import warnings
import zipfile
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
    kind: str  # "docx" or "html"
    data: bytes = field(repr=False)
    encoding: str = "utf-8"
    html: etree._Element | None = field(default=None, repr=False)
    members: dict[str, bytes] = field(default_factory=dict, repr=False)
    parts: dict[str, etree._Element] = field(default_factory=dict, repr=False)


_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
XML_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml")


def load_seed(path: Path) -> Seed:
    data = path.read_bytes()
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
    paths = sorted(FIXTURES.glob("*.docx")) + sorted(FIXTURES.glob("*.html"))
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


MUTATIONS = [_drop, _duplicate, _move, _swap, _unwrap, _wrap, _rename, _set_attr, _drop_attr, _copy_attr,
             _set_text, _corrupt_text]
DOCX_MUTATIONS = MUTATIONS + [_docx_property] * 4
HTML_MUTATIONS = MUTATIONS + [_html_span] * 4
DOCX_VOCAB = {"tags": DOCX_TAGS, "attrs": DOCX_ATTRS}
HTML_VOCAB = {"tags": HTML_TAGS, "attrs": HTML_ATTRS}
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
    if chance(ch, 20):
        data = damage_bytes(ch, data)
    return data


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def serialize_docx(ch: Chooser, seed: Seed, parts: dict[str, etree._Element]) -> bytes:
    members = dict(seed.members)
    for name, root in parts.items():
        members[name] = _xml_bytes(root)
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
    if seed.kind == "html":
        root = copy.deepcopy(seed.html)
        mutate_tree(ch, root, "html", steps)
        return serialize_html(ch, seed, root)
    parts = {name: copy.deepcopy(root) for name, root in seed.parts.items()}
    names = sorted(parts)
    for _ in range(steps):
        name = "word/document.xml" if chance(ch, 75) or len(names) == 1 else ch.choice(names)
        mutate_tree(ch, parts[name], "docx", 1)
    return serialize_docx(ch, seed, parts)
