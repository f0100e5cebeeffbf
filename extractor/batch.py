"""Parsing many reports: discovery, parallel workers, failures recorded.

:func:`parse_many` returns a :class:`~extractor.corpus.Corpus`; the command
line streams the same outcomes to disk (:mod:`extractor.outputs.store`). A file that
fails is recorded with its error class and message and the others go on; a
worker process that dies is replaced and the files it held are retried one
at a time, so the one that kills it is recorded and nothing else is lost.
Results come back in input order.
"""

from __future__ import annotations

import hashlib
import os
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .discovery import SUFFIXES, PathLike, Sidecars, discover, scan  # noqa: F401  (discover, SUFFIXES: re-exported)

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus

Outcome = dict  # see _work()


def file_sha256(path: PathLike) -> str | None:
    """sha256 of a file's bytes, or None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    return h.hexdigest()


def _work(path: str) -> Outcome:
    """Parse one file into a small picklable outcome (no document model)."""
    from .errors import ParseError
    from .parse import parse

    try:
        report = parse(path)
    except ParseError as exc:
        return {"status": "failed", "path": path, "sha256": file_sha256(path), "error": type(exc).__name__,
                "message": exc.reason}
    except Exception as exc:  # a bug must not stop the batch
        return {"status": "failed", "path": path, "sha256": file_sha256(path), "error": type(exc).__name__,
                "message": f"internal error: {exc}"}
    return {
        "status": "ok",
        "path": path,
        "sha256": report.meta["sha256"],
        "meta": report.meta,
        "facts": report.fact_columns(),
        "sections": [s.to_dict() for s in report.sections],
        "issues": [i.to_dict() for i in report.issues],
    }


class _OverTime(BaseException):
    """Raised by the alarm of :func:`_work_within` (not an Exception, so
    that nothing in the parser catches it)."""


def _work_within(path: str, seconds: float) -> Outcome:
    """:func:`_work`, stopped after ``seconds`` and recorded as a
    ``Timeout`` failure. The alarm (SIGALRM) can only be set in a process's
    main thread, as in the batch's worker processes and the command line;
    elsewhere (Dask's worker threads) the file runs without a limit. A long
    call into lxml is interrupted when it returns."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return _work(path)

    def over(signum, frame):
        raise _OverTime()

    previous = signal.signal(signal.SIGALRM, over)
    outcome: Outcome | None = None
    try:
        try:
            signal.setitimer(signal.ITIMER_REAL, seconds)
            outcome = _work(path)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _OverTime:
        if outcome is None:  # not when the alarm rang just after the parse had finished
            outcome = {"status": "failed", "path": path, "sha256": file_sha256(path), "error": "Timeout",
                       "message": f"parsing took longer than {seconds:g} s"}
    finally:
        signal.signal(signal.SIGALRM, previous)
    return outcome


def _worker(timeout: float | None) -> Callable[[str], Outcome]:
    """The function a worker runs on each path."""
    if timeout is None or timeout <= 0:
        return _work
    from functools import partial

    return partial(_work_within, seconds=timeout)


def _died(path: str, why: str) -> Outcome:
    return {"status": "failed", "path": path, "sha256": file_sha256(path), "error": "WorkerDied",
            "message": f"the worker process parsing this file died ({why})"}


def iter_outcomes(paths: Sequence[PathLike], *, jobs: int | None = None, client: Any = None,
                  window: int | None = None, timeout: float | None = None) -> Iterator[Outcome]:
    """Parse ``paths`` and yield one outcome per path, in input order.

    ``jobs`` worker processes (default: all cores; 1 parses in this
    process); ``client``: a ``dask.distributed.Client`` to run on instead.
    At most ``window`` files are in flight, so memory does not grow with
    the number of files. ``timeout``: seconds one file may take before it
    is recorded as a ``Timeout`` failure (see :func:`_work_within`).
    """
    items = [str(p) for p in paths]
    work = _worker(timeout)
    if client is not None:
        yield from _iter_dask(items, client, window or 1000, work)
        return
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(items) <= 1:
        for p in items:
            yield work(p)
        return
    yield from _iter_pool(items, jobs, window or 8 * jobs, work)


def _iter_pool(items: list[str], jobs: int, window: int, work: Callable[[str], Outcome]) -> Iterator[Outcome]:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    todo = deque(items)
    retry: deque[str] = deque()  # files in flight when a worker died: one at a time
    pool = ProcessPoolExecutor(max_workers=jobs)
    pending: deque[tuple[str, Any]] = deque()
    try:
        while todo or pending or retry:
            while retry and not pending:
                path = retry.popleft()
                single = ProcessPoolExecutor(max_workers=1)
                try:
                    yield single.submit(work, path).result()
                except BrokenProcessPool as exc:
                    yield _died(path, str(exc) or "killed")
                finally:
                    single.shutdown(wait=True, cancel_futures=True)
            while todo and len(pending) < window:
                path = todo.popleft()
                pending.append((path, pool.submit(work, path)))
            if not pending:
                continue
            path, fut = pending[0]
            try:
                outcome = fut.result()
            except BrokenProcessPool:
                # every file in flight is suspect: retry them in isolation
                retry.extend(p for p, _f in pending)
                pending.clear()
                pool.shutdown(wait=False, cancel_futures=True)
                pool = ProcessPoolExecutor(max_workers=jobs)
                continue
            pending.popleft()
            yield outcome
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _iter_dask(items: list[str], client: Any, window: int, work: Callable[[str], Outcome]) -> Iterator[Outcome]:
    for start in range(0, len(items), window):
        chunk = items[start:start + window]
        futures = client.map(work, chunk, pure=False)
        for path, fut in zip(chunk, futures):
            try:
                yield fut.result()
            except Exception as exc:  # a lost worker or task
                yield {"status": "failed", "path": path, "sha256": file_sha256(path), "error": type(exc).__name__,
                       "message": f"the task failed on the cluster: {exc}"}


def parse_many(sources: Iterable[PathLike] | PathLike, *, jobs: int | None = None, client: Any = None,
               progress: bool = False, agency_map: Any = None,
               on_outcome: Callable[[Outcome], None] | None = None, timeout: float | None = None,
               sniff: bool = False, manifest: PathLike | None = None) -> "Corpus":
    """Parse every report named by ``sources`` into a :class:`~extractor.corpus.Corpus`.

    ``sources`` are paths, folders (searched recursively) or glob patterns.
    Work runs in ``jobs`` processes (default: all cores), or on a Dask
    cluster when ``client`` is a ``dask.distributed.Client``; results are in
    a stable order. A file that cannot be parsed is recorded in
    ``corpus.errors`` (path, error class, message) and the rest go on.
    ``agency_map`` (a dict or a two-column DataFrame ``agency → canonical``)
    overrides how agencies are matched across years. ``timeout``: seconds
    one file may take before it is recorded as a failure (``Timeout``) and
    the batch moves on (default: no limit). ``sniff``: also take files
    without an ending or with a server page's ending when their content is
    a report format (:mod:`extractor.discovery`). Each report's ``meta``
    gets the fields of its sidecar (``<file>.json``) or its row of the
    ``manifest`` CSV (:class:`~extractor.discovery.Sidecars`); FIFOs, sockets
    and devices are listed in ``errors``, never opened.

    >>> import extractor
    >>> corpus = extractor.parse_many([], jobs=1)
    >>> len(corpus.reports), len(corpus.errors)
    (0, 0)
    """
    from .corpus import CorpusBuilder

    found = scan(sources, sniff=sniff)
    paths = found.files
    sidecars = Sidecars(manifest)
    builder = CorpusBuilder()
    for outcome in found.special_outcomes():
        builder.add(outcome)
    outcomes: Iterable[Outcome] = iter_outcomes(paths, jobs=jobs, client=client, timeout=timeout)
    if progress:
        from tqdm.auto import tqdm

        outcomes = tqdm(outcomes, total=len(paths), unit="file")
    for outcome in outcomes:
        sidecars.apply(outcome)
        builder.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return builder.build(agency_map=agency_map)
