"""Shared test helpers: locating the real corpus and comparing expected outputs."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
EXPECTED_REAL = Path(__file__).resolve().parent / "expected" / "real"


def shared_dir() -> Path:
    """``../shared`` beside the checkout (CI places it there), or $EXTRACTOR_SHARED."""
    env = os.environ.get("EXTRACTOR_SHARED")
    if env:
        return Path(env)
    return ROOT.parent / "shared"


REAL = shared_dir() / "corpus" / "real"


def load_expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def compare(report, expected: dict) -> list[str]:
    """Differences between a parsed report and an expected-output dict."""
    problems: list[str] = []
    for key, want in expected.get("meta", {}).items():
        got = report.meta.get(key)
        if got != want:
            problems.append(f"meta.{key}: got {got!r}, want {want!r}")
    facts = report.facts
    got_cells = {(t, r, c): (v, raw) for t, r, c, v, raw in
                 zip(facts["table"], facts["row"], facts["column"], facts["value"], facts["raw"])}
    for table, rows in (expected.get("tables") or {}).items():
        if rows is None:
            continue
        for row, cols in rows.items():
            for col, want in cols.items():
                got = got_cells.get((table, row, col))
                if got is None:
                    problems.append(f"{table}/{row}/{col}: no fact row")
                    continue
                v = got[0]
                if want is None:
                    if not (isinstance(v, float) and math.isnan(v)):
                        problems.append(f"{table}/{row}/{col}: got {v!r} ({got[1]!r}), want NaN")
                elif isinstance(v, float) and math.isnan(v) or abs(v - want) > 1e-9 * max(1, abs(want)):
                    problems.append(f"{table}/{row}/{col}: got {v!r} ({got[1]!r}), want {want!r}")
    for key, want in (expected.get("raw") or {}).items():
        table, row, col = key.split("/")
        got = got_cells.get((table, row, col))
        if got is None or got[1] != want:
            problems.append(f"raw {key}: got {got[1] if got else None!r}, want {want!r}")
    if "section_keys" in expected and report.section_keys != expected["section_keys"]:
        problems.append(f"section_keys: got {report.section_keys}, want {expected['section_keys']}")
    codes = {i.code for i in report.issues}
    for code in expected.get("issue_codes", []):
        if code not in codes:
            problems.append(f"issue {code} missing (issues: {sorted(codes)})")
    for code in expected.get("no_issue_codes", []):
        if code in codes:
            problems.append(f"unexpected issue {code}: {[i.message for i in report.issues if i.code == code]}")
    return problems


@pytest.fixture(scope="session")
def real_dir() -> Path:
    if not REAL.is_dir():
        pytest.skip(f"real corpus not found at {REAL}")
    return REAL


class WorkerKiller:
    """Kills this process's worker processes with SIGKILL at random moments
    (every 10 to ``gap`` ms, from a thread), as an out-of-memory killer
    would. ``kills`` counts the processes it killed."""

    def __init__(self, seed: int, gap: float = 0.15) -> None:
        import random
        import threading

        self.rng = random.Random(seed)
        self.gap = gap
        self.kills = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import signal

        psutil = pytest.importorskip("psutil")
        me = psutil.Process()
        while not self._stop.wait(self.rng.uniform(0.01, self.gap)):
            workers = [c for c in me.children() if c.is_running()]
            if workers:
                try:
                    os.kill(self.rng.choice(workers).pid, signal.SIGKILL)
                    self.kills += 1
                except ProcessLookupError:
                    pass

    def __enter__(self) -> "WorkerKiller":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture()
def worker_killer():
    """A :class:`WorkerKiller` factory (POSIX: it sends SIGKILL)."""
    if os.name != "posix":
        pytest.skip("sends SIGKILL")
    pytest.importorskip("psutil")
    return WorkerKiller
