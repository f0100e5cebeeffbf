"""Word (.docx) reader, walking the package XML with lxml.

Handles ``gridSpan``, ``vMerge`` restart/continue, legacy ``hMerge``,
``gridBefore``/``gridAfter``, nested (layout) tables, content controls
(``w:sdt``) at block, row, cell and run level, tracked changes (insertions
kept, deletions dropped), line breaks, field results, and automatic
numbering (``w:numPr`` on the paragraph or its style) rendered as the text
a reader sees, and text boxes (``w:txbxContent``, one branch of an
``mc:AlternateContent``) read after the paragraph that anchors them.
What a reader never sees is not read: hidden text (``w:vanish`` on a run)
and hidden table rows (``w:trPr/w:hidden``).

Safety: the zip's central directory is checked before it is parsed
(member count, directory size), member names must be relative paths
naming each part once (no two members with one name, told apart by case
or cut short by a NUL byte: which one a reader takes is arbitrary), the
parts read must be stored or deflated and declare a bounded size before a
byte is inflated; XML with a DTD or entity declaration is refused, and is
parsed without entities, network access or huge-tree mode, with bounds on
its tags and attributes. See README "Robustness".

>>> import io, zipfile
>>> buf = io.BytesIO()
>>> with zipfile.ZipFile(buf, "w") as z:
...     z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
...                'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>'
...                '</w:body></w:document>')
>>> read_docx(buf.getvalue()).paragraphs[0].text
'一、总体情况'
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

from lxml import etree

from ..errors import CorruptFileError, ResourceLimitError, UnsupportedFormatError
from ..model import MAX_TABLE_COLS, MAX_TABLE_ROWS, Cell, Document, Image, Paragraph, Table
from ..normalize import fold_ws
from .limits import Budget, clip_cell

#: Bounds on what a .docx may make us decompress and parse.
MAX_MEMBERS = 5000
MAX_DIRECTORY_BYTES = 2 * 1024 * 1024
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
#: Most tags (counted as ``<`` bytes) in one XML part.
MAX_XML_TAGS = 500_000
#: Most attributes in one XML part, counted as ``=`` bytes (each attribute
#: has one): 2.7 million attributes in a 31 MB part took 7.7 s and 750 MiB.
MAX_XML_ATTRIBUTES = 1_000_000
#: Word's own bounds on list numbering: levels 0-8, start values up to 32767.
MAX_LIST_START = 32767
MAX_LEVEL_TEXT = 64

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _q(tag: str) -> str:
    return _W + tag


T_P, T_TBL, T_TR, T_TC, T_R, T_T = map(_q, ("p", "tbl", "tr", "tc", "r", "t"))
T_SDT, T_SDTCONTENT, T_CUSTOMXML = _q("sdt"), _q("sdtContent"), _q("customXml")
T_PPR, T_RPR, T_TCPR, T_TRPR = _q("pPr"), _q("rPr"), _q("tcPr"), _q("trPr")
VAL = _q("val")
T_INS, T_MOVETO, T_TABS, T_TAB, T_BR, T_CR, T_NBH = map(_q, ("ins", "moveTo", "tabs", "tab", "br", "cr", "noBreakHyphen"))
T_PSTYLE, T_NUMPR, T_NUMID, T_ILVL, T_OUTLINE, T_B = map(_q, ("pStyle", "numPr", "numId", "ilvl", "outlineLvl", "b"))
T_GRIDBEFORE, T_GRIDSPAN, T_VMERGE, T_HMERGE, T_TYPE = map(_q, ("gridBefore", "gridSpan", "vMerge", "hMerge", "type"))
T_VANISH, T_HIDDEN, T_TXBX = _q("vanish"), _q("hidden"), _q("txbxContent")
#: What rows and cells may be wrapped in (a w:sdt through its w:sdtContent).
_ROW_WRAPPERS = frozenset((T_SDT, T_CUSTOMXML, T_INS, T_MOVETO))
#: What paragraphs and blocks may be wrapped in.
_WRAPPERS = _ROW_WRAPPERS | {T_SDTCONTENT}
_SKIP_TEXT = frozenset(map(_q, ("del", "moveFrom", "pPr", "rPr", "instrText", "delText", "delInstrText", "drawing", "pict", "object", "tcPr", "trPr", "tblPr", "fldData", "footnoteReference", "endnoteReference"))) | {MC + "AlternateContent"}
_IMAGE = frozenset(map(_q, ("drawing", "pict", "object")))
#: The elements a paragraph's text is read through (any other is skipped).
_CONTAINERS = frozenset(map(_q, ("r", "hyperlink", "smartTag", "ins", "moveTo", "sdt", "sdtContent", "customXml", "fldSimple", "dir", "bdo")))
#: Text-like elements and what they read as (w:br and w:cr: a line break
#: unless a page break).
_TEXT_LIKE = (T_T, T_BR, T_CR, T_TAB, T_NBH)
_TEXT_TAGS = frozenset(_TEXT_LIKE)
#: What _BodyReader._rows_plain looks at in a table.
_PLAIN_TAGS = _TEXT_LIKE + (T_P, T_TC, T_TR, T_GRIDBEFORE, T_GRIDSPAN, T_VMERGE, T_HMERGE)
#: Elements that make a cell more than its runs' text (images, text boxes):
#: a table holding none is read by the fast path, ``_BodyReader._rows_plain``.
#: Hidden text and hidden rows are read that way too.
_NOT_PLAIN = tuple(map(_q, ("drawing", "pict", "object", "vanish", "hidden"))) + (MC + "AlternateContent",)


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        huge_tree=False, remove_comments=True, remove_pis=True,
    )


_EOCD, _EOCD64, _EOCD64_LOCATOR = b"PK\x05\x06", b"PK\x06\x06", b"PK\x06\x07"
_DTD_MARKS = tuple(mark.encode(enc) for mark in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be"))
_ERR_RESOURCE_LIMIT = 114  # libxml2 XML_ERR_RESOURCE_LIMIT


def _directory(data: bytes) -> tuple[int, int] | None:
    """``(members, central directory bytes)`` as the end record declares
    them, found the way :mod:`zipfile` finds it; ``None`` if there is none
    (zipfile then reports the damage)."""
    start = len(data) - 22
    if start < 0:
        return None
    if not (data[start:start + 4] == _EOCD and data[-2:] == b"\x00\x00"):
        start = data.rfind(_EOCD, max(0, len(data) - 22 - 65535))
        if start < 0 or len(data) - start < 22:
            return None
    members, size = struct.unpack_from("<HI", data, start + 10)
    loc = start - 20
    if loc >= 56 and data[loc:loc + 4] == _EOCD64_LOCATOR and data[loc - 56:loc - 52] == _EOCD64:
        members, size = struct.unpack_from("<QQ", data, loc - 56 + 32)
    return members, size


def _unsafe_name(name: str) -> bool:
    """An absolute member name or one with a ``..`` segment (OPC part names
    are relative and never climb)."""
    n = name.replace("\\", "/")
    return n.startswith("/") or re.match(r"[A-Za-z]:", n) is not None or ".." in n.split("/")


class _Package:
    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        declared = _directory(data)
        if declared is not None:
            members, size = declared
            if members > MAX_MEMBERS:
                raise ResourceLimitError(name, f"the package declares {members} members (limit {MAX_MEMBERS})")
            if size > MAX_DIRECTORY_BYTES:
                raise ResourceLimitError(
                    name, f"the package's central directory has {size} bytes (limit {MAX_DIRECTORY_BYTES})")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error, NotImplementedError) as exc:
            # NotImplementedError: an entry needing a newer zip version than zipfile knows
            raise CorruptFileError(name, f"not a readable .docx (zip) package: {exc}") from exc
        if len(infos) > MAX_MEMBERS:
            raise ResourceLimitError(name, f"the package has {len(infos)} members (limit {MAX_MEMBERS})")
        seen: dict[str, str] = {}
        for info in infos:
            if "\x00" in info.orig_filename:  # zipfile cuts the name at the NUL: it would pass for another
                raise CorruptFileError(name, f"member name {info.orig_filename!r} holds a NUL byte")
            if _unsafe_name(info.filename):
                raise CorruptFileError(name, f"unsafe member name {info.filename!r} (absolute or climbing with '..')")
            # part names are compared without regard to case (OPC, ECMA-376 part 2)
            key = info.filename.replace("\\", "/").casefold()
            if key in seen:
                raise CorruptFileError(
                    name, f"ambiguous package: members {seen[key]!r} and {info.filename!r} have the same part name")
            seen[key] = info.filename
        self.infos = {i.filename: i for i in infos}
        self.names = set(self.infos)
        self.total = 0

    def read(self, part: str) -> bytes | None:
        info = self.infos.get(part)
        if info is None:
            return None
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise CorruptFileError(
                self.name, f"{part} uses zip compression method {info.compress_type}; a .docx uses only stored or deflate")
        if info.file_size > MAX_PART_BYTES:
            raise ResourceLimitError(
                self.name, f"{part} declares {info.file_size} bytes decompressed (limit {MAX_PART_BYTES})")
        if self.total + info.file_size > MAX_TOTAL_BYTES:
            raise ResourceLimitError(self.name, f"the package decompresses to more than {MAX_TOTAL_BYTES} bytes")
        try:
            # zipfile stops inflating at the declared size; reading in pieces
            # keeps the inflated bytes in hand near that size, too
            with self.zip.open(info) as fh:
                chunks, got = [], 0
                while got <= MAX_PART_BYTES:
                    chunk = fh.read(min(1 << 20, MAX_PART_BYTES + 1 - got))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    got += len(chunk)
                data = b"".join(chunks)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError, struct.error) as exc:
            raise CorruptFileError(self.name, f"damaged package member {part}: {exc}") from exc
        except RuntimeError as exc:  # encrypted member
            raise CorruptFileError(self.name, f"cannot read {part}: {exc}") from exc
        if len(data) > MAX_PART_BYTES:
            raise ResourceLimitError(self.name, f"{part} decompresses to more than {MAX_PART_BYTES} bytes")
        self.total += len(data)
        if self.total > MAX_TOTAL_BYTES:
            raise ResourceLimitError(self.name, f"the package decompresses to more than {MAX_TOTAL_BYTES} bytes")
        return data

    def xml(self, part: str) -> etree._Element | None:
        data = self.read(part)
        if data is None:
            return None
        if any(mark in data for mark in _DTD_MARKS):
            raise CorruptFileError(self.name, f"{part} declares a DTD or entities, which Word never writes")
        tags = data.count(b"<")
        if tags > MAX_XML_TAGS:
            raise ResourceLimitError(self.name, f"{part} has {tags} tags (limit {MAX_XML_TAGS})")
        equals = data.count(b"=")
        if equals > MAX_XML_ATTRIBUTES:
            raise ResourceLimitError(
                self.name, f"{part} has up to {equals} attributes ('=' signs; limit {MAX_XML_ATTRIBUTES})")
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            if exc.code == _ERR_RESOURCE_LIMIT or "depth" in str(exc).lower():
                raise ResourceLimitError(self.name, f"{part} is over an XML parser limit: {exc}") from exc
            raise CorruptFileError(self.name, f"{part} is not well-formed XML: {exc}") from exc
        except (ValueError, etree.LxmlError) as exc:
            raise CorruptFileError(self.name, f"{part} is not readable XML: {exc}") from exc
        docinfo = root.getroottree().docinfo
        if docinfo.internalDTD is not None or docinfo.doctype:
            raise CorruptFileError(self.name, f"{part} declares a DTD or entities, which Word never writes")
        return root


def read_docx(data: bytes, name: str = "<bytes>") -> Document:
    """Read .docx bytes into a :class:`Document`."""
    pkg = _Package(data, name)
    main = _main_part(pkg)
    root = pkg.xml(main)
    if root is None:
        raise UnsupportedFormatError(name, "a zip archive without word/document.xml (not a .docx)")
    base = main.rsplit("/", 1)[0]
    styles = _Styles(pkg.xml(f"{base}/styles.xml"))
    numbering = _Numbering(pkg.xml(f"{base}/numbering.xml"))
    body = root.find(_q("body"))
    hints = _core_hints(pkg)
    reader = _BodyReader(styles, numbering, Budget(name))
    if body is not None:
        reader.blocks_of(body)
    return Document(reader.blocks, hints)


def _main_part(pkg: _Package) -> str:
    if "word/document.xml" in pkg.names:
        return "word/document.xml"
    rels = pkg.xml("_rels/.rels")
    if rels is not None:
        for rel in rels:
            if (rel.get("Type") or "").endswith("/officeDocument"):
                target = (rel.get("Target") or "").lstrip("/")
                if target in pkg.names:
                    return target
    raise UnsupportedFormatError(pkg.name, "a zip archive without word/document.xml (not a .docx)")


def _core_hints(pkg: _Package) -> dict[str, str]:
    hints: dict[str, str] = {}
    try:
        core = pkg.xml("docProps/core.xml")
    except (CorruptFileError, ResourceLimitError):
        return hints
    if core is None:
        return hints
    for el in core:
        local = etree.QName(el).localname
        if local in ("title", "created", "creator") and el.text and el.text.strip():
            hints[local] = el.text.strip()
    return hints


# ---------------------------------------------------------------- styles and numbering


def _on(el: etree._Element | None) -> bool:
    return el is not None and el.get(VAL, "true").lower() not in ("0", "false", "off")


@dataclass
class _Style:
    based_on: str | None = None
    num_id: str | None = None
    ilvl: int | None = None
    outline: int | None = None
    bold: bool = False
    name: str = ""


class _Styles:
    def __init__(self, root: etree._Element | None) -> None:
        self.styles: dict[str, _Style] = {}
        self.default_para: str | None = None
        self._resolved: dict[str | None, _Style] = {}
        self._numbered: tuple[frozenset[str], bool] | None = None
        if root is None:
            return
        for st in root.iter(_q("style")):
            sid = st.get(_q("styleId"))
            if not sid:
                continue
            s = _Style()
            name = st.find(_q("name"))
            s.name = (name.get(VAL) if name is not None else "") or ""
            b = st.find(_q("basedOn"))
            s.based_on = b.get(VAL) if b is not None else None
            ppr = st.find(T_PPR)
            if ppr is not None:
                num = ppr.find(_q("numPr"))
                if num is not None:
                    nid, lvl = num.find(_q("numId")), num.find(_q("ilvl"))
                    s.num_id = nid.get(VAL) if nid is not None else None
                    s.ilvl = _int(lvl.get(VAL)) if lvl is not None else None
                ol = ppr.find(_q("outlineLvl"))
                if ol is not None:
                    s.outline = _int(ol.get(VAL))
            rpr = st.find(T_RPR)
            if rpr is not None:
                s.bold = _on(rpr.find(_q("b")))
            m = re.match(r"(?i)^(?:heading|标题)\s*(\d)$", s.name.strip())
            if m and s.outline is None:
                s.outline = int(m.group(1)) - 1
            self.styles[sid] = s
            if st.get(_q("type")) == "paragraph" and st.get(_q("default")) in ("1", "true"):
                self.default_para = sid

    def numbered(self) -> tuple[frozenset[str], bool]:
        """The style ids whose paragraphs are list-numbered (through their
        basedOn chain), and whether the default paragraph style is."""
        if self._numbered is None:
            ids = frozenset(sid for sid in self.styles if self.resolve(sid).num_id is not None)
            self._numbered = (ids, self.resolve(self.default_para).num_id is not None)
        return self._numbered

    def resolve(self, sid: str | None) -> _Style:
        """Merge a style with its basedOn chain.

        Each style is resolved once, from its own properties and its
        (already resolved) base: resolving every style of a chain of n
        styles costs n steps, not n²/2. A chain that comes back on itself
        stops at the first repeated style (Word never writes one).
        """
        out = self._resolved.get(sid)
        if out is not None:
            return out
        chain: list[str] = []  # sid, its base, … up to a resolved style, an unknown one or a repeat
        on_chain: set[str] = set()
        base: _Style | None = None
        s = sid
        while s and s not in on_chain and s in self.styles:
            base = self._resolved.get(s)
            if base is not None:
                break
            chain.append(s)
            on_chain.add(s)
            s = self.styles[s].based_on
        for s in reversed(chain):
            base = self._resolved[s] = _merge_style(self.styles[s], base)
        out = base if base is not None else _Style()  # no such style: nothing inherited
        self._resolved[sid] = out
        return out


def _merge_style(s: _Style, base: _Style | None) -> _Style:
    """``s`` with what it leaves unset taken from its resolved ``base``."""
    if base is None:
        return _Style(num_id=s.num_id, ilvl=s.ilvl, outline=s.outline, bold=s.bold)
    return _Style(
        num_id=s.num_id if s.num_id is not None else base.num_id,
        ilvl=s.ilvl if s.ilvl is not None else base.ilvl,
        outline=s.outline if s.outline is not None else base.outline,
        bold=s.bold or base.bold,
    )


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False


class _Numbering:
    def __init__(self, root: etree._Element | None) -> None:
        self.abstract: dict[str, dict[int, _Level]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        if root is None:
            return
        for an in root.iter(_q("abstractNum")):
            levels: dict[int, _Level] = {}
            for lvl in an.iter(_q("lvl")):
                ilvl = _level(lvl.get(_q("ilvl")))
                if ilvl is None:
                    continue
                lv = _Level()
                st, fmt, txt = lvl.find(_q("start")), lvl.find(_q("numFmt")), lvl.find(_q("lvlText"))
                if st is not None:
                    lv.start = _start(st.get(VAL))
                if fmt is not None:
                    lv.fmt = fmt.get(VAL) or "decimal"
                if txt is not None:
                    lv.text = (txt.get(VAL) or "")[:MAX_LEVEL_TEXT]
                lv.legal = _on(lvl.find(_q("isLgl")))
                levels[ilvl] = lv
            self.abstract[an.get(_q("abstractNumId")) or ""] = levels
        for num in root.iter(_q("num")):
            aid = num.find(_q("abstractNumId"))
            overrides: dict[int, int] = {}
            for ov in num.iter(_q("lvlOverride")):
                so = ov.find(_q("startOverride"))
                level = _level(ov.get(_q("ilvl")) or "0")
                if so is not None and level is not None:
                    overrides[level] = _start(so.get(VAL))
            self.nums[num.get(_q("numId")) or ""] = (aid.get(VAL) if aid is not None else "", overrides)

    def render(self, num_id: str, ilvl: int) -> str:
        """Advance the list ``num_id`` at level ``ilvl`` and return its label."""
        if num_id not in self.nums or num_id == "0" or not 0 <= ilvl <= 8:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.abstract.get(aid, {})
        lv = levels.get(ilvl)
        if lv is None:
            return ""
        counters = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, lv.start)
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvk = levels.get(k, _Level())
            value = counters.get(k, overrides.get(k, lvk.start))
            fmt = "decimal" if lv.legal and k < ilvl else lvk.fmt
            return format_number(value, fmt)

        if lv.fmt in ("bullet", "none"):
            return ""
        return re.sub(r"%(\d)", sub, lv.text)


_CN = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(n: int, digits: str = _CN, ten: str = "十") -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return digits[n]
    if n < 20:
        return ten + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + ten + (digits[n % 10] if n % 10 else "")
    return str(n)


def format_number(n: int, fmt: str) -> str:
    """Render a list counter in a Word ``numFmt``.

    >>> format_number(3, "chineseCounting"), format_number(12, "chineseCountingThousand")
    ('三', '十二')
    >>> format_number(2, "decimalEnclosedCircle"), format_number(4, "upperRoman")
    ('②', 'IV')
    """
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting", "koreanCounting"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified",):
        return _chinese(n, _CN_LEGAL, "拾")
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_CN[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return "甲乙丙丁戊己庚辛壬癸"[n - 1]
    if fmt == "ideographZodiac" and 1 <= n <= 12:
        return "子丑寅卯辰巳午未申酉戌亥"[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("decimalEnclosedParen",) and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and 1 <= n <= 780:
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= n < 4000:
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out += sym
            n -= value
    return out


def _int(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _level(v: str | None) -> int | None:
    """A list level: Word has levels 0-8; anything else is no level."""
    n = _int(v)
    return n if n is not None and 0 <= n <= 8 else None


def _start(v: str | None) -> int:
    """A list start value, clamped to Word's 0-32767."""
    return max(0, min(_int(v) or 0, MAX_LIST_START))


# ---------------------------------------------------------------- body


@dataclass
class _Text:
    parts: list[str] = field(default_factory=list)
    chars: int = 0
    bold: int = 0
    image: bool = False


class _BodyReader:
    def __init__(self, styles: _Styles, numbering: _Numbering, budget: Budget | None = None) -> None:
        self.styles = styles
        self.numbering = numbering
        self.budget = budget or Budget("<bytes>")
        self.blocks: list = []
        self.n_tables = 0

    def blocks_of(self, parent: etree._Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == T_P:
                self.paragraph(el)
            elif tag == T_TBL:
                self.table(el)
            elif tag in _WRAPPERS:
                self.blocks_of(el.find(T_SDTCONTENT) if tag == T_SDT and el.find(T_SDTCONTENT) is not None else el)
            elif tag == MC + "AlternateContent":
                choice = el.find(MC + "Fallback")
                if choice is not None:
                    self.blocks_of(choice)

    # -- paragraphs
    def paragraph(self, p: etree._Element) -> None:
        numbering, level, style_bold = self._para_props(p)
        t = _Text()
        _collect(p, t, style_bold)
        text = fold_ws("".join(t.parts))
        boxes = _text_boxes(p) if t.image else ()  # a text box is a drawing or a VML shape
        if not text:
            if t.image and not boxes:
                self.budget.block()
                self.blocks.append(Image())
        else:
            bold = t.chars > 0 and t.bold >= 0.8 * t.chars
            self.budget.block()
            self.blocks.append(Paragraph(text, numbering=numbering, level=level, bold=bold,
                                         has_image=t.image and not boxes))
        for box in boxes:
            self.blocks_of(box)

    def _para_props(self, p: etree._Element) -> tuple[str, int | None, bool]:
        ppr = p.find(T_PPR)
        sid = None
        num_id = ilvl = outline = None
        if ppr is not None:
            ps = ppr.find(T_PSTYLE)
            sid = ps.get(VAL) if ps is not None else None
            num = ppr.find(T_NUMPR)
            if num is not None:
                nid, lvl = num.find(T_NUMID), num.find(T_ILVL)
                num_id = nid.get(VAL) if nid is not None else None
                ilvl = _int(lvl.get(VAL)) if lvl is not None else None
            ol = ppr.find(T_OUTLINE)
            if ol is not None:
                outline = _int(ol.get(VAL))
        style = self.styles.resolve(sid or self.styles.default_para)
        if num_id is None:
            num_id = style.num_id
        if ilvl is None:
            ilvl = style.ilvl if style.ilvl is not None else 0
        if outline is None:
            outline = style.outline
        label = self.numbering.render(num_id, ilvl) if num_id else ""
        level = outline + 1 if outline is not None and 0 <= outline < 9 else None
        return label, level, style.bold

    # -- tables
    def table(self, tbl: etree._Element) -> None:
        nested = tbl.iter(T_TBL)
        next(nested)  # tbl itself
        if next(nested, None) is not None:
            rows = list(_children(tbl, T_TR))
            if any(tc.find(".//" + T_TBL) is not None for tr in rows for tc in _children(tr, T_TC)):
                # a layout table: read what its cells hold, in order
                for tr in rows:
                    for tc in _children(tr, T_TC):
                        self.blocks_of(tc)
                return
        records = self._rows_plain(tbl) if next(tbl.iter(*_NOT_PLAIN), None) is None else None
        if records is None:
            records = self._rows(tbl)
        cells: list[Cell] = []
        open_v: dict[int, Cell] = {}
        for r, (before, row) in enumerate(records):
            col = before
            prev: Cell | None = None
            for span, vmerge, hmerge, tc, paras in row:
                if col >= MAX_TABLE_COLS:
                    break
                if hmerge == "continue" and prev is not None:
                    prev.colspan += span
                    col += span
                    continue
                above = open_v.get(col)
                if vmerge == "continue" and above is not None and above.colspan == span and above.last_row == r - 1:
                    above.rowspan += 1
                    prev = above
                    col += span
                    continue
                text, image = self._cell_text(tc) if paras is None else (self._plain_text(paras), False)
                text = clip_cell(text)
                cell = Cell(text, r, col, 1, span, image)
                cells.append(cell)
                for c in range(col, col + span):
                    open_v.pop(c, None)
                if vmerge is not None:
                    open_v[col] = cell
                prev = cell
                col += span
        table = Table.from_cells(cells, self.n_tables)
        self.budget.table(table.n_rows, table.n_cols)
        self.blocks.append(table)
        self.n_tables += 1

    # A table is read in two steps: its rows as records ``(grid columns
    # before the first cell, [(gridSpan, vMerge, hMerge, tc, paragraphs)])``,
    # then the records placed on the grid (merges resolved) by table().

    def _rows(self, tbl: etree._Element) -> list[tuple[int, list[tuple]]]:
        """The row records of any table, element by element (``paragraphs``
        None: the cell's text is read by _cell_text)."""
        records = []
        for r, tr in enumerate(_children(tbl, T_TR)):
            if r >= MAX_TABLE_ROWS:  # the grid keeps no more (model.Table.from_cells)
                break
            before = 0
            trpr = tr.find(T_TRPR)
            if trpr is not None:
                if _on(trpr.find(T_HIDDEN)):
                    continue  # a hidden row: not printed, not shown
                before = _grid_before(trpr.find(T_GRIDBEFORE))
            row = []
            for tc in _children(tr, T_TC):
                span, vmerge, hmerge = 1, None, None
                tcpr = tc.find(T_TCPR)
                if tcpr is not None:
                    span = _grid_span(tcpr.find(T_GRIDSPAN))
                    vmerge = _merge(tcpr.find(T_VMERGE))
                    hmerge = _merge(tcpr.find(T_HMERGE))
                row.append((span, vmerge, hmerge, tc, None))
            records.append((before, row))
        return records

    def _rows_plain(self, tbl: etree._Element) -> list[tuple[int, list[tuple]]] | None:
        """The row records of a table holding none of ``_NOT_PLAIN``, in one
        pass of lxml's iterator over the elements that matter (rows, cells,
        spans, paragraphs, text), the cells' text collected on the way.

        The result is what :meth:`_rows` and :meth:`_cell_text` would give;
        an element where those would not look (a row inside a content
        control, text outside the run containers, a repeated span property
        …) returns ``None`` and the element-by-element reading decides.
        """
        records: list[tuple[int, list[tuple]]] = []
        tr = tc = p = tcpr = trpr = None
        row: list = []
        cell: list = []
        paras: list = []
        parts: list[str] = []
        before = None
        if self.numbering.nums:
            tags: tuple[str, ...] = _PLAIN_TAGS + (T_NUMPR, T_PSTYLE)
            styled, all_numbered = self.styles.numbered()
        else:  # no list can be numbered
            tags, styled, all_numbered = _PLAIN_TAGS, frozenset(), False
        for el in tbl.iter(tags):
            tag = el.tag
            if tag in _TEXT_TAGS:
                parent = el.getparent()
                if tag == T_TAB and parent.tag == T_TABS:  # a tab stop (w:pPr/w:tabs), not a tab
                    continue
                if p is None:
                    return None
                while parent is not p:
                    if parent.tag not in _CONTAINERS:
                        return None
                    parent = parent.getparent()
                if tag == T_T:
                    if el.text:
                        parts.append(el.text)
                elif tag == T_TAB:
                    parts.append(" ")
                elif tag == T_NBH:
                    parts.append("-")
                elif el.get(T_TYPE) != "page":
                    parts.append("\n")
            elif tag == T_P:
                if tc is None:
                    return None
                parent = el.getparent()
                while parent is not tc:  # the paragraphs _iter_paragraphs finds
                    if parent.tag not in _WRAPPERS:
                        return None
                    parent = parent.getparent()
                p, parts = el, []
                # [paragraph, its text parts, whether its numbering must be rendered]
                paras.append([p, parts, all_numbered])
            elif tag == T_TC:
                if tr is None or not _reached(el, tr):
                    return None
                tc, p, tcpr, paras = el, None, None, []
                cell = [1, None, None, tc, paras, 0]  # ..., which of the three were set
                row.append(cell)
            elif tag == T_TR:
                if not _reached(el, tbl):
                    return None
                if len(records) >= MAX_TABLE_ROWS:
                    break
                tr, tc, p, trpr, before, row = el, None, None, None, None, []
                records.append((0, row))
            elif tag == T_NUMPR or tag == T_PSTYLE:
                if p is not None and (tag == T_NUMPR or el.get(VAL) in styled):
                    paras[-1][2] = True
            elif tag == T_GRIDBEFORE:
                parent = el.getparent()
                if tr is None or before is not None or parent.getparent() is not tr or parent.tag != T_TRPR:
                    return None
                if trpr is None:
                    trpr = next(tr.iterchildren(T_TRPR))
                if parent is not trpr:
                    return None
                before = _grid_before(el)
                records[-1] = (before, row)
            else:  # gridSpan, vMerge, hMerge
                parent = el.getparent()
                if tc is None or parent.getparent() is not tc or parent.tag != T_TCPR:
                    return None
                if tcpr is None:
                    tcpr = next(tc.iterchildren(T_TCPR))
                k = 0 if tag == T_GRIDSPAN else 1 if tag == T_VMERGE else 2
                if parent is not tcpr or cell[5] & (1 << k):  # only the first counts
                    return None
                cell[5] |= 1 << k
                cell[k] = _grid_span(el) if k == 0 else _merge(el)
        return [(before, [tuple(c[:5]) for c in row]) for before, row in records]

    def _plain_text(self, paras: list) -> str:
        """The text of a cell read by :meth:`_rows_plain` (list numbering
        rendered now, in reading order, as _cell_text does)."""
        lines = []
        for p, parts, labelled in paras:
            text = "".join(parts)
            lines.append(self._para_props(p)[0] + text if labelled else text)
        return fold_ws("\n".join(lines))

    def _cell_text(self, tc: etree._Element) -> tuple[str, bool]:
        lines: list[str] = []
        image = False
        for p in _iter_paragraphs(tc):
            numbering, _level, style_bold = self._para_props(p)
            t = _Text()
            _collect(p, t, style_bold)
            image = image or t.image
            lines.append(numbering + "".join(t.parts))
        return fold_ws("\n".join(lines)), image


def _text_boxes(p: etree._Element) -> list[etree._Element]:
    """The text boxes anchored in paragraph ``p``, outermost only; of an
    ``mc:AlternateContent`` the Choice when it holds the box, else the
    Fallback (Word writes the same box in both)."""
    out = []
    for box in p.iter(T_TXBX):
        anc = box.getparent()
        while anc is not None and anc is not p:
            tag = anc.tag
            if tag == T_TXBX:
                break
            if tag == MC + "Fallback":
                choice = anc.getparent().find(MC + "Choice")
                if choice is not None and next(choice.iter(T_TXBX), None) is not None:
                    break
            anc = anc.getparent()
        else:
            out.append(box)
    return out


def _reached(el: etree._Element, top: etree._Element) -> bool:
    """Is ``el`` among the children :func:`_children` finds under ``top``
    (directly, or through content controls, custom XML, insertions)?"""
    parent = el.getparent()
    while parent is not top:
        tag = parent.tag
        if tag == T_SDTCONTENT:  # the first w:sdtContent of a w:sdt
            sdt = parent.getparent()
            if sdt.tag != T_SDT or next(sdt.iterchildren(T_SDTCONTENT)) is not parent:
                return False
            parent = sdt.getparent()
        elif tag in _ROW_WRAPPERS and tag != T_SDT:
            parent = parent.getparent()
        else:
            return False
    return True


def _grid_before(el: etree._Element | None) -> int:
    return 0 if el is None else max(0, min(_int(el.get(VAL)) or 0, MAX_TABLE_COLS))


def _grid_span(el: etree._Element | None) -> int:
    return 1 if el is None else max(1, min(_int(el.get(VAL)) or 1, 200))


def _merge(el: etree._Element | None) -> str | None:
    return None if el is None else el.get(VAL, "continue")


def _children(parent: etree._Element, tag: str):
    """Direct children with ``tag``, looking through sdt/customXml wrappers."""
    for el in parent:
        if el.tag == tag:
            yield el
        elif el.tag in _ROW_WRAPPERS:
            inner = el.find(T_SDTCONTENT) if el.tag == T_SDT else el
            if inner is not None:
                yield from _children(inner, tag)


def _iter_paragraphs(parent: etree._Element):
    for el in parent:
        if el.tag == T_P:
            yield el
        elif el.tag in _WRAPPERS:
            yield from _iter_paragraphs(el)


def _collect(el: etree._Element, out: _Text, bold: bool) -> None:
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str):
            continue
        if tag == T_T:
            if ch.text:
                out.parts.append(ch.text)
                n = len(ch.text.strip())
                out.chars += n
                if bold:
                    out.bold += n
        elif tag == T_R:
            rpr = ch.find(T_RPR)
            b = bold
            if rpr is not None:
                if _on(rpr.find(T_VANISH)):
                    continue  # hidden text
                bel = rpr.find(T_B)
                if bel is not None:
                    b = _on(bel)
            _collect(ch, out, b)
        elif tag in _IMAGE:
            out.image = True
        elif tag == MC + "AlternateContent":
            if ch.find(".//" + _q("drawing")) is not None or ch.find(".//" + _q("pict")) is not None:
                out.image = True
        elif tag in _SKIP_TEXT:
            continue
        elif tag == T_BR or tag == T_CR:
            if ch.get(T_TYPE) != "page":
                out.parts.append("\n")
        elif tag == T_TAB:
            out.parts.append(" ")
        elif tag == T_NBH:
            out.parts.append("-")
        elif tag in _CONTAINERS:
            _collect(ch, out, bold)
