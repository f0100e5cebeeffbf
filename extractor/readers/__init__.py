"""Readers: one per input format, each returning a :class:`~extractor.model.Document`.

The format is decided from the bytes (:func:`sniff`), never from the name.
"""

from __future__ import annotations

from ..errors import CorruptFileError, EmptyFileError, LegacyDocError, UnsupportedFormatError
from ..model import Document

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = {
    b"%PDF": "PDF",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"{\\rtf": "RTF",
    b"\x1f\x8b": "gzip archive",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7z archive",
}


def sniff(data: bytes, name: str = "<bytes>") -> str:
    """Return ``"docx"`` or ``"html"`` for ``data``, or raise a ParseError.

    >>> sniff(b"<html><body><p>hi</p></body></html>")
    'html'
    """
    head = data[:4096]
    if not head.strip():
        raise EmptyFileError(name, "the file is empty")
    if head.startswith(_OLE):
        raise LegacyDocError(
            name, "a legacy binary Word file (.doc, OLE compound document); convert it to .docx"
        )
    if head.startswith(b"PK"):
        return "docx"  # confirmed (or refused) by the docx reader
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise UnsupportedFormatError(name, f"a {what} file, not .docx or HTML")
    text = _decode_head(head)
    low = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    if low.startswith("<") or any(tag in low for tag in ("<html", "<body", "<!doctype html")):
        return "html"
    if b"\x00" in head or _binary_ratio(head) > 0.1:
        raise UnsupportedFormatError(name, "binary data that is neither .docx nor HTML")
    raise UnsupportedFormatError(name, "plain text or markup that is not HTML; expected .docx or HTML")


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    return head.decode("latin-1")


def _binary_ratio(head: bytes) -> float:
    bad = sum(1 for b in head if b < 9 or 13 < b < 32)
    return bad / max(1, len(head))


def read(data: bytes, name: str = "<bytes>") -> tuple[str, Document]:
    """Sniff the format and run its reader: ``(format, document)``."""
    fmt = sniff(data, name)
    if fmt == "docx":
        from .docx import read_docx

        return fmt, read_docx(data, name)
    from .html import read_html

    return fmt, read_html(data, name)


__all__ = ["sniff", "read", "CorruptFileError", "Document"]
