"""extractor: China's government information-disclosure annual reports
(政府信息公开工作年度报告) as data.

>>> import extractor
>>> report = extractor.parse(b"<p>x</p>")       # a path, bytes or a binary file
>>> sorted(report.meta)[:3]
['agency', 'report_id', 'schema_version']
"""

from __future__ import annotations

from .errors import (
    CorruptFileError,
    EmptyFileError,
    LegacyDocError,
    ParseError,
    ResourceLimitError,
    UnsupportedFormatError,
)
from .issues import Issue
from .parse import parse
from .report import Report
from .sections import Section
from .templates import SCHEMA_VERSION, TEMPLATES

__version__ = "0.1.0"

__all__ = [
    "parse",
    "Report",
    "Section",
    "Issue",
    "ParseError",
    "EmptyFileError",
    "UnsupportedFormatError",
    "LegacyDocError",
    "CorruptFileError",
    "ResourceLimitError",
    "TEMPLATES",
    "SCHEMA_VERSION",
]
