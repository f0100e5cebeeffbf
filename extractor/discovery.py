"""Finding the report files named by paths, folders and glob patterns, and
the crawler's notes about them (sidecars).

A folder is searched recursively. A file is taken when its ending is a
report format (:data:`SUFFIXES`); with ``sniff=True`` also when it has no
ending or a server page's ending (:data:`SCRIPT_SUFFIXES`, ``.jsp``,
``.aspx``, ``.php`` …, what crawlers save pages under) and its first bytes
are a report format. Everything else is listed with the reason it was
skipped. FIFOs, sockets and device files are never opened: they are listed
as failures (``NotARegularFile``).

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "a.html").write_text("<p>x</p>"); _ = (d / "b.jsp").write_text("<p>y</p>")
>>> _ = (d / "notes.txt").write_text("z")
>>> [p.name for p in discover(d)]
['a.html']
>>> s = scan(d, sniff=True)
>>> [p.name for p in s.files], [(p.name, why) for p, why in s.skipped]
(['a.html', 'b.jsp'], [('notes.txt', 'ending .txt is not a report format')])
"""

from __future__ import annotations

import csv
import glob
import json
import logging
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from .normalize import iso_date, path_text

PathLike = Union[str, os.PathLike]

log = logging.getLogger("extractor")

#: File endings a folder search picks up: the formats we read, and report
#: formats we cannot read yet (recorded as failures, never silently skipped).
SUFFIXES = frozenset({".docx", ".html", ".htm", ".shtml", ".xhtml", ".jhtml", ".doc", ".wps", ".pdf", ".mht", ".mhtml"})

#: Endings of pages a server script produced: crawlers save HTML under them.
#: Taken (like files without an ending) only when ``sniff=True`` and their
#: first bytes are a report format.
SCRIPT_SUFFIXES = frozenset({".jsp", ".jspx", ".asp", ".aspx", ".php", ".do", ".action", ".cgi", ".shtm", ".nsf"})

#: How many bytes sniffing reads from a file.
SNIFF_BYTES = 4096

#: Largest sidecar (``<file>.json``) or manifest read, in bytes.
MAX_SIDECAR_BYTES = 1 << 20

_SPECIAL = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
            (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))


@dataclass
class Scan:
    """What a search found.

    - ``files``: the files to parse, in order;
    - ``skipped``: ``(path, reason)`` for every file of a searched folder
      that is not taken (the reason's part before a colon is its kind);
    - ``special``: ``(path, what)`` for FIFOs, sockets and devices (never opened);
    - ``missing``: inputs that name nothing.
    """

    files: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    special: list[tuple[Path, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def special_outcomes(self) -> list[dict[str, Any]]:
        """The special files as failed parse outcomes (for ``errors``)."""
        return [{"status": "failed", "path": path_text(p), "sha256": None, "error": "NotARegularFile",
                 "message": f"{what}, not a regular file: not opened"} for p, what in self.special]


def ending(path: Path) -> str:
    """A file's ending, lower case: ``""`` when it has none. A query or
    session part a crawler kept in the name is cut off, and an "ending" that
    is not letters and digits starting with a letter (``report.2021``,
    ``page.1``) is no ending.

    >>> ending(Path("a/index.JSP?id=3")), ending(Path("t20240117_123")), ending(Path("r.2021"))
    ('.jsp', '', '')
    """
    name = re.split(r"[?;#]", path.name, maxsplit=1)[0]
    suffix = Path(name).suffix.lower() if name else ""
    return suffix if re.fullmatch(r"\.[a-z][a-z0-9]{0,9}", suffix) else ""


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it is a FIFO, a socket or a device, else None.

    >>> special_kind(Path("/dev/null"))
    'a character device'
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    for test, what in _SPECIAL:
        if test(mode):
            return what
    return None


def _sniffed(path: Path) -> str | None:
    """None when ``path``'s first bytes are a report format (or cannot be
    read: the parse then says why), else the reason to skip it."""
    from .errors import EmptyFileError, LegacyDocError, ParseError
    from .readers import sniff

    try:
        with open(path, "rb") as fh:
            head = fh.read(SNIFF_BYTES)
        sniff(head, str(path))
    except (OSError, EmptyFileError, LegacyDocError):
        return None  # recorded as a failure by the parse
    except ParseError as exc:
        return f"content is not a report format: {exc.reason}"
    return None


def _folder(root: Path, sniff: bool, found: Scan, exclude: tuple[Path, ...] = ()) -> None:
    for p in sorted(root.rglob("*")):
        if exclude and any(p == x or p.is_relative_to(x) for x in exclude):
            continue
        what = special_kind(p)
        if what is not None:
            found.special.append((p, what))
            continue
        if not p.is_file():
            if p.is_symlink() and not p.exists():
                found.skipped.append((p, "a broken symbolic link"))
            continue
        end = ending(p)
        if end in SUFFIXES:
            found.files.append(p)
        elif end == ".json" and p.with_name(p.name[:-5]).is_file():
            found.skipped.append((p, f"sidecar: metadata of {p.name[:-5]}"))
        elif end and end not in SCRIPT_SUFFIXES:
            found.skipped.append((p, f"ending {end} is not a report format"))
        elif not sniff:
            kind = f"ending {end} (a server page)" if end else "no file ending"
            found.skipped.append((p, f"{kind}: --sniff (sniff=True) reads its content"))
        else:
            why = _sniffed(p)
            if why is None:
                found.files.append(p)
            else:
                found.skipped.append((p, why))


def scan(inputs: Iterable[PathLike] | PathLike, *, sniff: bool = False,
         exclude: Iterable[PathLike] = ()) -> Scan:
    """Search ``inputs``: files as given, folders recursively (see the
    module's description for what is taken), glob patterns. Sorted within
    each folder or pattern, duplicates dropped; folders in ``exclude`` (an
    output folder inside the input) are not searched. Each skipped file is
    logged (``logging`` level INFO, logger ``extractor``)."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    found = Scan()
    skip = tuple(Path(x) for x in exclude)
    for item in inputs:
        path = Path(item)
        what = special_kind(path)
        if what is not None:
            found.special.append((path, what))
        elif path.is_dir():
            _folder(path, sniff, found, tuple(_within(x, path) for x in skip))
        elif path.is_file():
            found.files.append(path)
        else:
            hits = sorted(Path(p) for p in glob.glob(str(item), recursive=True))
            if not hits:
                found.missing.append(str(item))
            for p in hits:
                what = special_kind(p)
                if what is not None:
                    found.special.append((p, what))
                elif p.is_file():
                    found.files.append(p)
    found.files = list(dict.fromkeys(found.files))
    found.special = list(dict.fromkeys(found.special))
    for p, why in found.skipped:
        log.info("skipped %s: %s", p, why)
    for p, what in found.special:
        log.warning("not opened: %s is %s", p, what)
    return found


def _within(folder: Path, root: Path) -> Path:
    """``folder`` spelled as the paths found under ``root`` are (``rglob``
    keeps ``root``'s spelling), so that a plain prefix test compares them."""
    try:
        return root / folder.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return folder


def discover(inputs: Iterable[PathLike] | PathLike, *, sniff: bool = False) -> list[Path]:
    """The files :func:`scan` takes from ``inputs`` (files as given, folders
    searched recursively for report endings, glob patterns), in order.

    >>> discover([]) == []
    True
    """
    return scan(inputs, sniff=sniff).files


# ---------------------------------------------------------------- sidecars

#: Sidecar fields (and the names crawlers give them) → ``meta`` keys.
SIDECAR_FIELDS: dict[str, tuple[str, ...]] = {
    "source_url": ("url", "source_url", "link", "原文链接", "链接", "网址"),
    "source_published": ("published", "publication_date", "date", "发布日期", "发布时间", "公开日期", "成文日期"),
    "source_title": ("title", "标题", "名称"),
    "source_agency": ("agency", "publisher", "发布机构", "公开机构", "来源"),
}
_ALIAS = {alias.lower(): key for key, aliases in SIDECAR_FIELDS.items() for alias in aliases}

def sidecar_meta(record: Mapping[str, Any]) -> dict[str, Any]:
    """The ``meta`` fields of a sidecar record: known field names (English
    or the CMS info box's Chinese ones) mapped to ``source_url``,
    ``source_published`` (ISO date), ``source_title``, ``source_agency``;
    other fields are ignored.

    >>> sidecar_meta({"url": "https://example.gov.cn/a.htm", "发布日期": "2024年1月17日", "x": 1})
    {'source_url': 'https://example.gov.cn/a.htm', 'source_published': '2024-01-17'}
    """
    out: dict[str, Any] = {}
    for name, value in record.items():
        key = _ALIAS.get(str(name).strip().lower())
        if key is None or key in out or value is None or (isinstance(value, float) and value != value):
            continue
        text = str(value).strip()
        if not text:
            continue
        out[key] = iso_date(text) if key == "source_published" else text
        if out[key] is None:
            del out[key]
    return out


class Sidecars:
    """The crawler's notes on each file, merged into its report's ``meta``.

    Two sources, the sidecar winning over the manifest: a JSON object in
    ``<file>.json`` beside the file (``report.html`` → ``report.html.json``),
    and a manifest CSV with a ``path`` column (relative to the manifest's
    folder, or absolute) and any of the sidecar fields
    (:data:`SIDECAR_FIELDS`: ``url``, ``published``, ``title``, ``agency``).

    >>> import tempfile, pathlib, json
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "r.html.json").write_text(json.dumps({"url": "https://x.gov.cn/r.htm", "标题": "某局年报"}))
    >>> Sidecars().meta(d / "r.html")
    ({'source_url': 'https://x.gov.cn/r.htm', 'source_title': '某局年报'}, None)
    """

    def __init__(self, manifest: PathLike | None = None) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        if manifest is not None:
            self._load_manifest(Path(manifest))

    def _load_manifest(self, path: Path) -> None:
        """Raises ValueError (or OSError) when the manifest cannot be used."""
        text = _read_small(path, 64 * MAX_SIDECAR_BYTES)
        reader = csv.DictReader(text.splitlines())
        if not reader.fieldnames or "path" not in [f.strip().lower() for f in reader.fieldnames]:
            raise ValueError(f"{path}: a manifest needs a 'path' column (and url, published, title, agency)")
        base = path.resolve().parent
        for row in reader:
            row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
            name = (row.pop("path", None) or "").strip()
            if name:
                self.rows[_key(base / name)] = sidecar_meta(row)

    def meta(self, path: PathLike) -> tuple[dict[str, Any], str | None]:
        """``(fields, problem)`` for ``path``: the fields to merge into its
        ``meta``, and why its ``<file>.json`` could not be used (or None)."""
        p = Path(path)
        out = dict(self.rows.get(_key(p), {}))
        side = p.with_name(p.name + ".json")
        if not side.is_file():
            return out, None
        try:
            record = json.loads(_read_small(side))
            if not isinstance(record, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            return out, f"sidecar {side.name} ignored: {exc}"
        out.update(sidecar_meta(record))
        return out, None

    def apply(self, outcome: dict[str, Any]) -> dict[str, Any]:
        """Merge the notes on ``outcome["path"]`` into a parsed outcome's
        ``meta`` (a sidecar that cannot be read becomes a warning issue)."""
        if outcome.get("status") != "ok":
            return outcome
        fields, problem = self.meta(outcome["path"])
        outcome["meta"].update(fields)
        if problem:
            from .issues import Issue

            outcome["issues"].append(Issue("warning", "sidecar.invalid", problem).to_dict())
        return outcome


def _read_small(path: Path, limit: int = MAX_SIDECAR_BYTES) -> str:
    """A small text file's content (UTF-8), ValueError when over ``limit`` bytes."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than {limit} bytes")
    return data.decode("utf-8-sig")


def _key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path.absolute())
