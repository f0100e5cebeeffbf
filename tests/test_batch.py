"""parse_many: discovery, parallel order, failures recorded, Dask parity."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import extractor
from conftest import FIXTURES
from extractor.batch import discover, iter_outcomes


@pytest.fixture()
def folder(tmp_path):
    src = tmp_path / "in"
    (src / "a" / "b").mkdir(parents=True)
    shutil.copy(FIXTURES / "seed-2021-official.docx", src / "a" / "one.docx")
    shutil.copy(FIXTURES / "synthetic-2019-hubei.docx", src / "a" / "b" / "two.docx")
    shutil.copy(FIXTURES / "seed-2021-cms-page.html", src / "three.html")
    (src / "a" / "bad.docx").write_bytes(b"PK\x03\x04 not really")
    (src / "scan.pdf").write_bytes(b"%PDF-1.4 scanned")
    (src / "readme.txt").write_text("ignored: not a report-like ending")
    return src


def test_discover_recursive_and_globs(folder):
    found = discover([folder])
    assert [p.name for p in found] == ["two.docx", "bad.docx", "one.docx", "scan.pdf", "three.html"]
    assert discover([str(folder / "a" / "*.docx")]) == [folder / "a" / "bad.docx", folder / "a" / "one.docx"]
    assert discover([folder / "three.html"]) == [folder / "three.html"]


@pytest.mark.parametrize("jobs", [1, 2])
def test_parse_many_records_failures_and_keeps_order(folder, jobs):
    corpus = extractor.parse_many(folder, jobs=jobs)
    assert list(corpus.reports.source_path.map(lambda p: p.rsplit("/", 1)[-1])) == ["two.docx", "one.docx", "three.html"]
    assert corpus.errors.set_index(corpus.errors.path.map(lambda p: p.rsplit("/", 1)[-1])).error.to_dict() == {
        "bad.docx": "CorruptFileError", "scan.pdf": "CorruptFileError"}
    assert set(corpus.facts.report_id) == set(corpus.reports.report_id)
    assert list(corpus.reports.template) == ["2019", "2021", "2021"] and list(corpus.reports.year) == [2020, 2021, 2021]
    assert (corpus.reports.n_error == 0).all()


def test_parallel_and_sequential_results_are_identical(folder):
    a = extractor.parse_many(folder, jobs=1)
    b = extractor.parse_many(folder, jobs=2)
    for name in ("reports", "facts", "sections", "issues", "errors"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name))


def dying_work(path):
    """A worker body that kills its process on one file."""
    import os

    from extractor.batch import _real_work

    if path.endswith("two.docx"):
        os._exit(1)
    return _real_work(path)


def test_a_worker_that_dies_is_recorded_and_the_rest_go_on(folder, monkeypatch):
    import extractor.batch as batch

    monkeypatch.setattr(batch, "_real_work", batch._work, raising=False)
    monkeypatch.setattr(batch, "_work", dying_work)
    paths = discover([folder])
    outcomes = list(iter_outcomes(paths, jobs=2))
    assert [o["path"] for o in outcomes] == [str(p) for p in paths]
    by_name = {o["path"].rsplit("/", 1)[-1]: o for o in outcomes}
    assert by_name["two.docx"]["error"] == "WorkerDied"
    assert by_name["one.docx"]["status"] == "ok" and by_name["three.html"]["status"] == "ok"


def test_dask_cluster_gives_the_same_tables(folder):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        remote = extractor.parse_many(folder, client=client)
    local = extractor.parse_many(folder, jobs=1)
    for name in ("reports", "facts", "sections", "issues", "errors"):
        pd.testing.assert_frame_equal(getattr(remote, name), getattr(local, name))


def test_an_unexpected_exception_is_recorded_and_the_rest_go_on(folder, monkeypatch):
    import importlib

    parse_module = importlib.import_module("extractor.parse")
    real_read = parse_module.read

    def buggy_read(data, name):
        if name.endswith("one.docx"):
            raise KeyError("a bug")
        return real_read(data, name)

    monkeypatch.setattr(parse_module, "read", buggy_read)
    outcomes = {o["path"].rsplit("/", 1)[-1]: o for o in iter_outcomes(discover([folder]), jobs=1)}
    assert outcomes["one.docx"]["error"] == "KeyError"
    assert outcomes["one.docx"]["message"].startswith("internal error")
    assert outcomes["two.docx"]["status"] == "ok" and outcomes["three.html"]["status"] == "ok"


def slow_work(path):
    """The batch's worker body, stuck on one file where no alarm can reach
    it (signals blocked, as in a long call into C)."""
    import signal
    import time

    from extractor.batch import _real_work

    if path.endswith("two.docx"):
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM, signal.SIGINT, signal.SIGTERM})
        time.sleep(60)
    return _real_work(path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_file_over_the_time_limit_is_recorded_and_the_rest_go_on(folder, monkeypatch, jobs):
    import time

    import extractor.batch as batch

    monkeypatch.setattr(batch, "_real_work", batch._work, raising=False)
    monkeypatch.setattr(batch, "_work", slow_work)
    start = time.perf_counter()
    outcomes = {o["path"].rsplit("/", 1)[-1]: o for o in iter_outcomes(discover([folder]), jobs=jobs, timeout=1.0)}
    assert time.perf_counter() - start < 30
    assert outcomes["two.docx"]["error"] == "Timeout" and "longer than 1 s" in outcomes["two.docx"]["message"]
    assert len(outcomes) == 5
    assert outcomes["one.docx"]["status"] == "ok" and outcomes["three.html"]["status"] == "ok"
    assert outcomes["bad.docx"]["error"] == "CorruptFileError"


def run_within(seconds: float, fn):
    """``fn()`` in a thread; its result, or a failure if it is still
    running after ``seconds`` (a batch must never hang)."""
    import threading

    box: dict = {}

    def target():
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"the batch was still running after {seconds} s"
    if "error" in box:
        raise box["error"]
    return box["value"]


def half_written_work(path):
    """A worker body that writes the first bytes of a long result into its
    pipe and dies: always on one.docx, the first time only on three.html
    (a marker file beside it remembers)."""
    import os
    import struct
    from pathlib import Path

    import extractor.batch as batch

    marker = Path(path + ".died")
    if path.endswith("one.docx") or (path.endswith("three.html") and not marker.exists()):
        marker.touch()
        os.write(batch._channel.fileno(), struct.pack("!i", 1 << 20) + b"\x80\x05 half a result")
        os._exit(9)
    return batch._real_work(path)


def test_a_worker_killed_half_way_through_its_result_costs_one_retry(folder, monkeypatch):
    import extractor.batch as batch

    monkeypatch.setattr(batch, "_real_work", batch._work, raising=False)
    monkeypatch.setattr(batch, "_work", half_written_work)
    paths = discover([folder])
    outcomes = run_within(60, lambda: list(iter_outcomes(paths, jobs=2)))
    assert [o["path"] for o in outcomes] == [str(p) for p in paths]
    by_name = {o["path"].rsplit("/", 1)[-1]: o for o in outcomes}
    assert by_name["one.docx"]["error"] == "WorkerDied" and "died twice" in by_name["one.docx"]["message"]
    assert by_name["three.html"]["status"] == "ok"  # died once, parsed on its second try
    assert by_name["two.docx"]["status"] == "ok" and by_name["bad.docx"]["error"] == "CorruptFileError"


def many_files(root, n: int):
    """``n`` files: copies of the fixtures made unique, one in ten corrupt."""
    import io
    import zipfile

    src = [FIXTURES / "seed-2021-official.docx", FIXTURES / "synthetic-2019-hubei.docx",
           FIXTURES / "seed-2021-cms-page.html"]
    root.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if i % 10 == 3:
            (root / f"{i:04d}-bad.docx").write_bytes(b"PK\x03\x04 broken " + str(i).encode())
            continue
        s = src[i % len(src)]
        data = s.read_bytes()
        if s.suffix == ".docx":
            buf = io.BytesIO(data)
            with zipfile.ZipFile(buf, "a") as z:
                z.comment = f"copy {i}".encode()
            data = buf.getvalue()
        else:
            data += f"<!-- copy {i} -->".encode()
        (root / f"{i:04d}{s.suffix}").write_bytes(data)
    return discover([root])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_workers_killed_at_random_moments_never_stop_the_batch(tmp_path, worker_killer, seed):
    from extractor.batch import file_sha256

    paths = many_files(tmp_path / "in", 150)
    with worker_killer(seed) as killer:
        outcomes = run_within(120, lambda: list(iter_outcomes(paths, jobs=2, timeout=60)))
    assert killer.kills > 0
    # every file ends as its report, its own failure, or WorkerDied: nothing lost, nothing raised
    assert [o["path"] for o in outcomes] == [str(p) for p in paths]
    for p, o in zip(paths, outcomes):
        if o["status"] == "ok":
            assert "-bad" not in p.name and o["sha256"] == file_sha256(p) and o["meta"]["source_path"] == str(p)
        elif o["error"] != "WorkerDied":
            assert "-bad" in p.name and o["error"] == "CorruptFileError", o
    died = sum(o.get("error") == "WorkerDied" for o in outcomes)
    assert died <= killer.kills // 2  # a file is given up only after two deaths


def test_paths_that_are_not_utf8_are_kept_as_escaped_text(tmp_path):
    import os

    root = os.fsencode(tmp_path)
    try:
        gbk = root + "/年报".encode("gbk")
        os.mkdir(gbk)
        good = gbk + "/2021年报.docx".encode("gbk")
        bad = gbk + "/损坏.docx".encode("gbk")
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take names that are not UTF-8")
    with open(good, "wb") as fh:
        fh.write((FIXTURES / "seed-2021-official.docx").read_bytes())
    with open(bad, "wb") as fh:
        fh.write(b"PK\x03\x04 not really")
    # 年报 in GBK is C4 EA B1 A8; 损坏 is CB F0 BB B5
    shown = str(tmp_path) + "/\\xc4\\xea\\xb1\\xa8"
    for jobs in (1, 2):
        corpus = extractor.parse_many(os.fsdecode(gbk), jobs=jobs)
        assert list(corpus.reports.source_path) == [shown + "/2021\\xc4\\xea\\xb1\\xa8.docx"]
        assert list(corpus.errors.path) == [shown + "/\\xcb\\xf0\\xbb\\xb5.docx"]
        assert corpus.reports.agency.iloc[0] == "威海火炬高技术产业开发区管理委员会"
