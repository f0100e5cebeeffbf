"""Parsing many reports: discovery, parallel workers, failures recorded.

:func:`parse_many` returns a :class:`~extractor.corpus.Corpus`; the command
line streams the same outcomes to disk (:mod:`extractor.outputs.store`). A file that
fails is recorded with its error class and message and the others go on.
Worker processes are supervised from this process (:class:`_Supervisor`):
a worker that dies is replaced and only its file is tried again (a file
that kills its worker twice is recorded as ``WorkerDied``), and a file over
the time limit has its worker stopped (``Timeout``). Results come back in
input order; paths are reported as text every output can hold
(:func:`~extractor.normalize.path_text`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Sequence

from .discovery import SUFFIXES, PathLike, Sidecars, discover, scan  # noqa: F401  (discover, SUFFIXES: re-exported)
from .normalize import path_text

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

    shown = path_text(path)
    try:
        report = parse(path)
    except ParseError as exc:
        return {"status": "failed", "path": shown, "sha256": file_sha256(path), "error": type(exc).__name__,
                "message": exc.reason}
    except Exception as exc:  # a bug must not stop the batch
        return {"status": "failed", "path": shown, "sha256": file_sha256(path), "error": type(exc).__name__,
                "message": path_text(f"internal error: {exc}")}
    return {
        "status": "ok",
        "path": shown,
        "sha256": report.meta["sha256"],
        "meta": report.meta,
        "facts": report.fact_columns(),
        "sections": [s.to_dict() for s in report.sections],
        "issues": [i.to_dict() for i in report.issues],
    }


def _died(path: str, why: str) -> Outcome:
    return {"status": "failed", "path": path_text(path), "sha256": file_sha256(path), "error": "WorkerDied",
            "message": f"the worker process parsing this file died twice ({why})"}


def _over_time(path: str, seconds: float) -> Outcome:
    return {"status": "failed", "path": path_text(path), "sha256": file_sha256(path), "error": "Timeout",
            "message": f"parsing took longer than {seconds:g} s; its worker process was stopped"}


def iter_outcomes(paths: Sequence[PathLike], *, jobs: int | None = None, client: Any = None,
                  window: int | None = None, timeout: float | None = None) -> Iterator[Outcome]:
    """Parse ``paths`` and yield one outcome per path, in input order.

    ``jobs`` worker processes (default: all cores); ``client``: a
    ``dask.distributed.Client`` to run on instead. At most ``window`` files
    are in flight, so memory does not grow with the number of files.
    ``timeout``: seconds one file may take; the worker parsing it longer is
    stopped from this process and the file recorded as a ``Timeout``
    failure (on every platform; not on a Dask cluster). With ``jobs=1`` and
    no time limit the files are parsed in this process; otherwise a worker
    that dies is replaced and its file tried once more, and a file that
    kills its worker twice is recorded as ``WorkerDied`` (see
    :class:`_Supervisor`).

    >>> list(iter_outcomes([]))
    []
    """
    items = [str(p) if not isinstance(p, bytes) else os.fsdecode(p) for p in paths]
    if client is not None:
        yield from _iter_dask(items, client, window or 1000, _work)
        return
    jobs = jobs or os.cpu_count() or 1
    limit = timeout if timeout and timeout > 0 else None
    if not items or (limit is None and (jobs <= 1 or len(items) <= 1)):
        for p in items:
            yield _work(p)
        return
    yield from _Supervisor(min(jobs, len(items)), limit).run(items, window or 8 * jobs)


# -- worker processes supervised from the parent ------------------------------------------------------

#: The worker's end of its pipe (in a worker process only).
_channel: Any = None


def _serve(conn: Any, work: Callable[[str], Outcome]) -> None:
    """A worker's loop: paths in, outcomes out, on its own pipe. It stops
    when the parent closes the pipe, sends None, or is gone."""
    import signal

    global _channel
    _channel = conn
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    parent = os.getppid()
    while True:
        try:
            while not conn.poll(2.0):
                if os.getppid() != parent:  # the parent was killed: do not linger
                    return
            item = conn.recv()
        except (EOFError, OSError):
            return
        if item is None:
            return
        conn.send((item[0], work(item[1])))


class _Worker:
    """One worker process, its pipe, and the files sent to it (in order:
    the first is being parsed, the others wait in its pipe)."""

    def __init__(self, ctx: Any, work: Callable[[str], Outcome]) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_serve, args=(child_end, work), daemon=True)
        self.proc.start()
        child_end.close()  # so that a dead worker is an end of file here, never a wait
        self.conn = parent_end
        self.held: deque[tuple[int, str]] = deque()
        self.since = 0.0  # when the first held file started (approximately)

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()


class _Supervisor:
    """Worker processes watched from the parent (the batch's own executor).

    Each worker has its own pipe, so a worker killed at any moment (out of
    memory, ``kill -9``), even half-way through writing a result, costs only
    the file it was parsing: the parent sees the end of the pipe or the
    process's exit, replaces the worker and sends the file again; a file
    that kills its worker twice is recorded as ``WorkerDied``. A file still
    being parsed ``timeout`` seconds after it started has its worker killed
    and is recorded as ``Timeout``: the clock is kept here, so the limit
    holds for code stuck in C or signals blocked, and on every platform.
    Each worker holds up to two files, so it never waits for the parent
    between files.
    """

    PREFETCH = 2

    def __init__(self, jobs: int, timeout: float | None) -> None:
        import multiprocessing

        self.ctx = multiprocessing.get_context()
        self.jobs = jobs
        self.timeout = timeout
        self.workers: list[_Worker] = []
        self.deaths: dict[int, int] = {}

    def run(self, items: list[str], window: int) -> Iterator[Outcome]:
        import time
        from multiprocessing.connection import wait

        work = _work
        queue: deque[int] = deque(range(len(items)))
        again: deque[int] = deque()  # files whose worker died: sent first
        done: dict[int, Outcome] = {}
        nxt = 0
        try:
            while nxt < len(items):
                # fill the workers, never further than `window` files ahead of the next to yield
                while len(self.workers) < self.jobs and (queue or again):
                    self.workers.append(_Worker(self.ctx, work))
                for w in self.workers:
                    while len(w.held) < self.PREFETCH and (again or (queue and queue[0] < nxt + window)):
                        i = again.popleft() if again else queue.popleft()
                        try:
                            w.conn.send((i, items[i]))
                        except OSError:  # it died before it was asked: not the file's doing
                            again.appendleft(i)
                            break
                        if not w.held:
                            w.since = time.monotonic()
                        w.held.append((i, items[i]))
                busy = [w for w in self.workers if w.held]
                wait_for = None
                if self.timeout is not None and busy:
                    wait_for = max(0.0, min(w.since for w in busy) + self.timeout - time.monotonic())
                ready = set(wait([w.conn for w in self.workers] + [w.proc.sentinel for w in self.workers], wait_for))
                now = time.monotonic()
                for w in list(self.workers):
                    gone = w.proc.sentinel in ready
                    if w.conn in ready or gone:
                        gone = self._receive(w, done, now) or gone
                    if gone:
                        self._lost(w, again, done)
                    elif self.timeout is not None and w.held and now - w.since >= self.timeout:
                        i, path = w.held.popleft()
                        done[i] = _over_time(path, self.timeout)
                        again.extendleft(reversed([j for j, _p in w.held]))
                        w.held.clear()
                        self._lost(w, again, done)
                while nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
        finally:
            self.close()

    def _receive(self, w: _Worker, done: dict[int, Outcome], now: float) -> bool:
        """Take every whole result waiting in ``w``'s pipe; True when the
        pipe ended (the worker died, possibly half-way through a result)."""
        try:
            while w.conn.poll(0):
                i, outcome = w.conn.recv()
                if not w.held or i != w.held[0][0]:
                    return True  # not what it was asked for: replace it
                w.held.popleft()
                w.since = now
                done[i] = outcome
        except (EOFError, OSError, ValueError, pickle.UnpicklingError):
            return True
        return False

    def _lost(self, w: _Worker, again: deque[int], done: dict[int, Outcome]) -> None:
        """``w`` died (or was stopped): the file it was parsing is tried
        once more, or recorded after its second death; files waiting behind
        it go back to the front of the queue."""
        w.stop()
        self.workers.remove(w)
        if not w.held:
            return
        i, path = w.held.popleft()
        code = w.proc.exitcode
        self.deaths[i] = self.deaths.get(i, 0) + 1
        waiting = [j for j, _p in w.held]
        if self.deaths[i] >= 2:
            done[i] = _died(path, f"exit code {code}" if code is not None else "killed")
        else:
            waiting.insert(0, i)
        again.extendleft(reversed(waiting))

    def close(self) -> None:
        for w in self.workers:
            try:
                if not w.held:
                    w.conn.send(None)
            except OSError:
                pass
        for w in self.workers:
            if w.held:
                w.proc.kill()
        for w in self.workers:
            w.proc.join(2)
            w.stop()
        self.workers = []


def _iter_dask(items: list[str], client: Any, window: int, work: Callable[[str], Outcome]) -> Iterator[Outcome]:
    for start in range(0, len(items), window):
        chunk = items[start:start + window]
        futures = client.map(work, chunk, pure=False)
        for path, fut in zip(chunk, futures):
            try:
                yield fut.result()
            except Exception as exc:  # a lost worker or task
                yield {"status": "failed", "path": path_text(path), "sha256": file_sha256(path),
                       "error": type(exc).__name__, "message": path_text(f"the task failed on the cluster: {exc}")}


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
    one file may take before its worker is stopped and the file recorded as
    a failure (``Timeout``); the batch moves on (default: no limit; not on
    a Dask cluster). A worker that dies is replaced and its file tried
    once more, then recorded as ``WorkerDied``. ``sniff``: also take files
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
