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
    """The batch's worker body, stuck on one file."""
    import time

    from extractor.batch import _real_work

    if path.endswith("two.docx"):
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
    assert outcomes["one.docx"]["status"] == "ok" and outcomes["three.html"]["status"] == "ok"
    assert outcomes["bad.docx"]["error"] == "CorruptFileError"
