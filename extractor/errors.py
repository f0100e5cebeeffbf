"""Exceptions raised by :func:`extractor.parse`.

Everything that is wrong *inside* a readable report (a failed consistency
check, a missing table, a cell that is not a number) is reported as an
:class:`~extractor.issues.Issue` on the report, never raised. The classes
below are raised only when the source cannot be read as a report at all.

>>> import extractor
>>> try:
...     extractor.parse(b"")
... except extractor.EmptyFileError as exc:
...     print(type(exc).__name__)
EmptyFileError
"""

from __future__ import annotations


class ParseError(Exception):
    """Base class: the source could not be read as a report.

    ``source`` names the file (or ``"<bytes>"``) and ``reason`` says why.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class EmptyFileError(ParseError):
    """The source holds no bytes (or only whitespace)."""


class UnsupportedFormatError(ParseError):
    """The bytes are neither a .docx package, a PDF nor HTML (images, text …),
    or a PDF without a text layer (:class:`~extractor.readers.pdf.NoTextLayerError`)."""


class LegacyDocError(UnsupportedFormatError):
    """A legacy binary Word file (OLE compound document, ``.doc``).

    Convert it to .docx first, e.g. ``libreoffice --headless --convert-to docx``.
    """


class NoTextLayerError(UnsupportedFormatError):
    """A PDF without a text layer (a scan: its pages are images): OCR needed.

    The message says "no text layer: OCR needed"; no OCR is done here.
    """


class CorruptFileError(ParseError):
    """The file claims a known format but is truncated or malformed."""


class ResourceLimitError(ParseError):
    """The file exceeds a safety bound (decompressed size, member count,
    nesting depth, table size) and was not parsed."""
