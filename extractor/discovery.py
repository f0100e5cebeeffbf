"""Finding the report files named by paths, folders and glob patterns."""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Iterable, Union

PathLike = Union[str, os.PathLike]

#: File endings a folder search picks up: the formats we read, and report
#: formats we cannot read yet (recorded as failures, never silently skipped).
SUFFIXES = frozenset({".docx", ".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".doc", ".wps", ".pdf", ".mht", ".mhtml"})


def discover(inputs: Iterable[PathLike] | PathLike) -> list[Path]:
    """Files named by ``inputs``: files as given, folders searched
    recursively for report-like endings (:data:`SUFFIXES`), and glob
    patterns. Sorted within each folder or pattern, duplicates dropped.

    >>> discover([]) == []
    True
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    out: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            out.append(path)
        else:
            out.extend(sorted(Path(p) for p in glob.glob(str(item), recursive=True) if Path(p).is_file()))
    return list(dict.fromkeys(out))
