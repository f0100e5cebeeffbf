"""extractor: China's government information-disclosure annual reports
(政府信息公开工作年度报告) as data.

>>> import extractor
>>> report = extractor.parse(b"<p>x</p>")       # a path, bytes or a binary file
>>> sorted(report.meta)[:3]
['agency', 'agency_source', 'publication_date']

Names other than ``parse`` are imported lazily, on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import (
    CorruptFileError,
    EmptyFileError,
    LegacyDocError,
    NoTextLayerError,
    ParseError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from .issues import Issue
from .parse import parse  # eager: the submodule of the same name must not shadow the function

if TYPE_CHECKING:  # pragma: no cover
    from .batch import parse_many
    from .discovery import discover
    from .corpus import Corpus
    from .report import Report
    from .recognition.sections import Section
    from .recognition.templates import SCHEMA_VERSION, TEMPLATES
    from .variables import codebook, read_csv, read_parquet
    from .divisions import locate

__version__ = "0.1.0"

_LAZY = {
    "parse_many": ("batch", "parse_many"),
    "discover": ("discovery", "discover"),
    "Report": ("report", "Report"),
    "Corpus": ("corpus", "Corpus"),
    "Section": ("recognition.sections", "Section"),
    "TEMPLATES": ("recognition.templates", "TEMPLATES"),
    "SCHEMA_VERSION": ("recognition.templates", "SCHEMA_VERSION"),
    "codebook": ("variables", "codebook"),
    "read_csv": ("variables", "read_csv"),
    "read_parquet": ("variables", "read_parquet"),
    "locate": ("divisions", "locate"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(f".{module}", __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'extractor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "parse",
    "parse_many",
    "discover",
    "Report",
    "Corpus",
    "Section",
    "Issue",
    "ParseError",
    "EmptyFileError",
    "UnsupportedFormatError",
    "LegacyDocError",
    "NoTextLayerError",
    "CorruptFileError",
    "ResourceLimitError",
    "TEMPLATES",
    "SCHEMA_VERSION",
    "codebook",
    "read_csv",
    "read_parquet",
    "locate",
]
