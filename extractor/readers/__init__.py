"""Readers: one per input format, each returning a :class:`~extractor.model.Document`.

The format is decided from the bytes (:func:`sniff`), never from the name.
"""

from __future__ import annotations

import errno
import os
import stat

from ..errors import (CorruptFileError, EmptyFileError, LegacyDocError, ParseError, ResourceLimitError,
                      UnsupportedFormatError)
from ..model import Document

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = {
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"{\\rtf": "RTF",
    b"\x1f\x8b": "gzip archive",
    b"Rar!": "RAR archive",
    b"7z\xbc\xaf": "7z archive",
}


def sniff(data: bytes, name: str = "<bytes>") -> str:
    """Return ``"docx"``, ``"pdf"`` or ``"html"`` for ``data``, or raise a ParseError.

    A PDF is recognised by its ``%PDF-`` header anywhere in the first
    1,024 bytes (where readers accept it).

    Markup is HTML only when its first 4 KiB are text: binary bytes behind
    a ``<`` (or a ``<html`` tag) are refused (more than 5% control bytes;
    random bytes have 10.5%), except the zero bytes of UTF-16.

    >>> sniff(b"<html><body><p>hi</p></body></html>")
    'html'
    >>> sniff(b"<html>" + bytes(range(1, 9)) * 100)
    Traceback (most recent call last):
    ...
    extractor.errors.UnsupportedFormatError: <bytes>: binary data that is neither .docx, PDF nor HTML
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
    at = head.find(b"%PDF-", 0, 1024)
    if at >= 0 and b"<" not in head[:at]:
        return "pdf"  # confirmed (or refused) by the PDF reader
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise UnsupportedFormatError(name, f"a {what} file, not .docx, PDF or HTML")
    from .html import utf16_without_bom

    bom16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
    utf16 = None if bom16 else utf16_without_bom(head)
    text = _decode_head(head, utf16)
    low = text.lstrip("\ufeff\xef\xbb\xbf \t\r\n").lower()
    markup = low.startswith("<") or any(tag in low for tag in ("<html", "<body", "<!doctype html"))
    ratio = _binary_ratio(head)
    if markup and (bom16 or utf16 or ratio <= 0.05):  # random bytes have 27/256 control bytes
        return "html"
    if markup or b"\x00" in head or ratio > 0.1:
        raise UnsupportedFormatError(name, "binary data that is neither .docx, PDF nor HTML")
    raise UnsupportedFormatError(name, "plain text or markup that is not HTML; expected .docx, PDF or HTML")


def _decode_head(head: bytes, utf16: str | None = None) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    if utf16:
        return head.decode(utf16, "replace")
    return head.decode("latin-1")


#: Every byte but the control bytes below 32 other than tab, LF, VT, FF, CR.
_TEXT_BYTES = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def _binary_ratio(head: bytes) -> float:
    """The share of control bytes (not tab, line or page breaks) in ``head``."""
    bad = len(head.translate(None, _TEXT_BYTES))
    return bad / max(1, len(head))


def read(data: bytes, name: str = "<bytes>") -> tuple[str, Document]:
    """Sniff the format and run its reader: ``(format, document)``.

    The HTML reader walks its tree without recursion; the .docx reader
    recurses at most as deep as libxml2's 256 levels, so a RecursionError
    can only come from a caller already deep in its stack: it is reported
    as a :class:`ResourceLimitError`, not let through.
    """
    fmt = sniff(data, name)
    try:
        if fmt == "docx":
            from .docx import read_docx

            return fmt, read_docx(data, name)
        if fmt == "pdf":
            from .pdf import read_pdf

            return fmt, read_pdf(data, name)
        from .html import read_html

        return fmt, read_html(data, name)
    except RecursionError as exc:
        raise ResourceLimitError(name, "nested too deeply for the stack left to the reader") from exc


_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def read_file(path: str | os.PathLike, max_bytes: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``max_bytes``.

    Anything else is refused before a byte is read: a named pipe (opened
    without blocking, so a pipe with no writer cannot hang the caller), a
    device such as ``/dev/zero`` (which never ends), a directory, a socket,
    also behind a symbolic link (the opened file is what is checked). The
    size bound is applied while reading too, as a file may grow after its
    size was read, or report none (``/proc``).

    >>> read_file("/dev/zero", 100)
    Traceback (most recent call last):
    ...
    extractor.errors.ParseError: /dev/zero: a character device, not a regular file: not read
    """
    name = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise ParseError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    try:
        st = os.fstat(fd)
        mode = st.st_mode
        if stat.S_ISDIR(mode):
            raise ParseError(name, f"cannot read the file: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(mode):
            kind = next((what for test, what in _KINDS if test(mode)), "not a file")
            raise ParseError(name, f"{kind}, not a regular file: not read")
        if st.st_size > max_bytes:
            raise ResourceLimitError(name, f"file larger than {max_bytes} bytes")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        chunks, got = [], 0
        while got <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
        if got > max_bytes:
            raise ResourceLimitError(name, f"file larger than {max_bytes} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise ParseError(name, f"cannot read the file: {exc.strerror or exc}") from exc
    finally:
        os.close(fd)


__all__ = ["sniff", "read", "read_file", "CorruptFileError", "Document"]
