"""`extractor convert` on a generated batch: every good report in every
format, every bad file and every fault of the run (files deleted,
unreadable or half-written during the run, worker processes dying) listed
with its reason, reruns complete the rest, skip and merge; interrupts and a
full disk lose nothing."""

from __future__ import annotations

import errno
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES
from extractor.outputs.cli import main

GOOD = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".docx", ".html"))
BAD = {
    "corrupt.docx": b"PK\x03\x04" + b"\x00" * 64,
    "legacy.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512,
    "scan.pdf": b"%PDF-1.5\n%\xe2\xe3\n",  # a header and nothing else: CorruptFileError
    "notes.html": b"plain notes, not a page\n",
    "empty.html": b"",
}


def _unique(data: bytes, suffix: str, n: int) -> bytes:
    """The same document with bytes made unique (a zip comment / an HTML comment)."""
    if suffix == ".docx":
        buf = io.BytesIO(data)
        with zipfile.ZipFile(buf, "a") as z:
            z.comment = f"copy {n}".encode()
        return buf.getvalue()
    return data + f"\n<!-- copy {n} -->".encode()


def make_batch(root: Path, n: int, start: int = 0) -> tuple[int, int]:
    """``n`` files: fixtures in every layout, and one bad file in sixteen."""
    good = bad = 0
    for i in range(start, start + n):
        folder = root / f"d{i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 16 == 5:
            name, data = list(BAD.items())[(i // 16) % len(BAD)]
            (folder / f"{i:05d}-{name}").write_bytes(data + str(i).encode() if data else b" \n" * i)
            bad += 1
        else:
            src = GOOD[i % len(GOOD)]
            (folder / f"{i:05d}{src.suffix}").write_bytes(_unique(src.read_bytes(), src.suffix, i))
            good += 1
    return good, bad


def _csv(out: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig")


#: Files whose worker process dies (os._exit) while parsing them.
DIE_ON: set[str] = set()


def dying_work(path):
    """The batch's worker body, killing its process on the files in DIE_ON
    (set before the pool forks its workers)."""
    import os

    import extractor.batch as batch

    if path in DIE_ON:
        os._exit(1)
    return batch._real_work(path)


def test_thousand_file_batch_with_faults_every_format_rerun_and_merge(tmp_path, monkeypatch, capsys):
    import extractor.batch as batch
    from extractor.batch import discover, file_sha256

    src, out = tmp_path / "in", tmp_path / "out"
    good, bad = make_batch(src, 1000)
    assert bad / 1000 >= 0.05
    order = discover([src])
    goods = [p for p in order if "-" not in p.name]  # bad files are named NNNNN-kind.ext
    # faults on good files late in the run (the pool holds 16 files in flight)
    late = goods[-120:]
    deleted, made_dirs, truncated = late[0:3], late[10:12], [p for p in late[20:60] if p.suffix == ".docx"][:2]
    dying = [late[70], late[90]]
    originals = {p: p.read_bytes() for p in deleted + made_dirs + truncated}
    faults = {**{p: ("ParseError", "No such file") for p in deleted},
              **{p: ("ParseError", "Is a directory") for p in made_dirs},
              **{p: ("CorruptFileError", "") for p in truncated},
              **{p: ("WorkerDied", "died") for p in dying}}

    real_iter = batch.iter_outcomes

    def with_faults(paths, **kw):
        for k, outcome in enumerate(real_iter(paths, **kw)):
            if k == 0:  # the run has started: files go missing, unreadable, half-written
                for p in deleted:
                    p.unlink()
                for p in made_dirs:
                    p.unlink()
                    p.mkdir()
                for p in truncated:
                    p.write_bytes(originals[p][: len(originals[p]) // 2])
            yield outcome

    DIE_ON.clear()
    DIE_ON.update(str(p) for p in dying)
    monkeypatch.setattr(batch, "_real_work", batch._work, raising=False)
    monkeypatch.setattr(batch, "_work", dying_work)
    monkeypatch.setattr(batch, "iter_outcomes", with_faults)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "2", "--quiet",
                 "--format", "parquet,csv,xlsx,dta,jsonl"]) == 0
    reports, errors = _csv(out, "reports"), _csv(out, "errors")
    # every good file is converted, every fault and every bad file listed with its reason
    assert len(reports) == good - len(faults) and reports.report_id.is_unique
    expected_good = {file_sha256(p) for p in goods if p not in faults}
    assert set(reports.sha256) == expected_good
    assert len(errors) == bad + len(faults) and errors.message.notna().all()
    by_path = errors.set_index("path")
    for p, (error, words) in faults.items():
        assert by_path.loc[str(p), "error"] == error and words in by_path.loc[str(p), "message"], p
    assert set(errors.error) == {"CorruptFileError", "LegacyDocError", "UnsupportedFormatError", "EmptyFileError",
                                 "ParseError", "WorkerDied"}
    assert set(pd.read_parquet(out / "facts.parquet").report_id) == set(reports.report_id)
    assert len(pd.read_stata(out / "dta" / "reports.dta")) == len(reports)
    assert sum(1 for _ in open(out / "reports.jsonl", encoding="utf-8")) == len(reports)
    assert len(pd.read_excel(out / "reports.xlsx", sheet_name="reports")) == len(reports)
    first = capsys.readouterr().out
    assert f"parsed {len(reports)}" in first and f"failed {bad + len(faults)}" in first
    assert "unsupported formats: .doc" in first

    # the files come back, workers stop dying: a rerun parses exactly the
    # faulted files, and the faults leave errors.csv
    for p, data in originals.items():
        if p.is_dir():
            p.rmdir()
        p.write_bytes(data)
    monkeypatch.setattr(batch, "_work", batch._real_work)
    monkeypatch.setattr(batch, "iter_outcomes", real_iter)
    assert main(["convert", str(src), "-o", str(out), "--quiet"]) == 0
    assert f"parsed {len(faults)}" in capsys.readouterr().out
    rerun, errors = _csv(out, "reports"), _csv(out, "errors")
    assert len(rerun) == good and rerun.report_id.is_unique
    assert set(rerun.sha256) == {file_sha256(p) for p in goods}
    assert len(errors) == bad and not set(errors.path) & {str(p) for p in faults}

    # a rerun with nothing new parses nothing and leaves the tables as they were
    assert main(["convert", str(src), "-o", str(out), "--quiet"]) == 0
    assert "parsed 0" in capsys.readouterr().out
    pd.testing.assert_frame_equal(_csv(out, "reports"), rerun)

    # new files are merged in
    g2, b2 = make_batch(src, 40, start=1000)
    assert main(["convert", str(src), "-o", str(out), "--quiet"]) == 0
    assert f"parsed {g2}" in capsys.readouterr().out
    merged = _csv(out, "reports")
    assert len(merged) == good + g2 and merged.report_id.is_unique
    assert len(_csv(out, "errors")) == bad + b2


def test_interrupted_run_keeps_results_and_a_rerun_completes(tmp_path, monkeypatch, capsys):
    import extractor.batch as batch

    src, out = tmp_path / "in", tmp_path / "out"
    good, bad = make_batch(src, 60)
    real = batch.iter_outcomes

    def interrupted(paths, **kw):
        for k, outcome in enumerate(real(paths, **kw)):
            if k == 25:
                raise KeyboardInterrupt
            yield outcome

    monkeypatch.setattr(batch, "iter_outcomes", interrupted)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1", "--quiet"]) == 130
    assert "interrupted" in capsys.readouterr().out
    partial = _csv(out, "reports")
    assert 0 < len(partial) <= 25
    monkeypatch.setattr(batch, "iter_outcomes", real)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1", "--quiet"]) == 0
    final = _csv(out, "reports")
    assert len(final) == good and final.report_id.is_unique
    assert set(partial.report_id) <= set(final.report_id)


def test_full_disk_stops_cleanly_and_a_rerun_completes(tmp_path, monkeypatch, capsys):
    from extractor.outputs.store import Store

    src, out = tmp_path / "in", tmp_path / "out"
    good, _bad = make_batch(src, 40)
    real_flush = Store.flush
    calls = {"n": 0}

    def flaky(self):
        calls["n"] += 1
        if calls["n"] == 2 and self.buffered:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_flush(self)

    monkeypatch.setattr(Store, "flush", flaky)
    monkeypatch.setattr(Store, "__init__", _small_parts(Store.__init__))
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1", "--quiet"]) == 3
    assert "No space left" in capsys.readouterr().err
    monkeypatch.setattr(Store, "flush", real_flush)
    assert main(["convert", str(src), "-o", str(out), "--jobs", "1", "--quiet"]) == 0
    final = _csv(out, "reports")
    assert len(final) == good and final.report_id.is_unique


def _small_parts(init):
    def wrapped(self, *a, **kw):
        kw["part_size"] = 10
        init(self, *a, **kw)
    return wrapped


def test_usage_errors(tmp_path, capsys):
    assert main(["convert", str(tmp_path / "nothing-here"), "-o", str(tmp_path / "o")]) == 2
    assert main(["convert", str(FIXTURES), "-o", str(tmp_path / "o"), "--format", "docx"]) == 2
    assert main(["convert", str(FIXTURES)]) == 2  # no -o: argparse's message, status 2


def test_convert_on_a_dask_scheduler_matches_the_local_run(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    src = tmp_path / "in"
    make_batch(src, 24)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        assert main(["convert", str(src), "-o", str(tmp_path / "remote"), "--quiet",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert main(["convert", str(src), "-o", str(tmp_path / "local"), "--quiet", "--jobs", "1"]) == 0
    for name in ("reports", "facts", "issues", "errors"):
        pd.testing.assert_frame_equal(_csv(tmp_path / "remote", name), _csv(tmp_path / "local", name))


def test_force_parses_everything_again(tmp_path, capsys):
    src, out = tmp_path / "in", tmp_path / "out"
    good, bad = make_batch(src, 20)
    assert main(["convert", str(src), "-o", str(out), "--quiet", "--jobs", "1"]) == 0
    capsys.readouterr()
    assert main(["convert", str(src), "-o", str(out), "--quiet", "--jobs", "1", "--force"]) == 0
    assert f"parsed {good}" in capsys.readouterr().out
    assert len(_csv(out, "reports")) == good and len(_csv(out, "errors")) == bad


def test_copies_of_the_same_content_are_parsed_once(tmp_path, capsys):
    src = tmp_path / "in"
    (src / "a").mkdir(parents=True)
    data = (FIXTURES / "seed-2021-official.docx").read_bytes()
    for name in ("a/report.docx", "copy.docx", "a/copy (2).docx"):
        (src / name).write_bytes(data)
    assert main(["convert", str(src), "-o", str(tmp_path / "out"), "--quiet", "--jobs", "1"]) == 0
    assert "parsed 1 " in capsys.readouterr().out
    assert len(_csv(tmp_path / "out", "reports")) == 1


def test_convert_over_400_reports_with_workers_killed_at_random_finishes(tmp_path, worker_killer, capsys):
    """The scale at which a killed worker used to hang `convert` for good."""
    from extractor.batch import discover, file_sha256

    src, out = tmp_path / "in", tmp_path / "out"
    good, bad = make_batch(src, 400)
    files = discover([src])
    with worker_killer(seed=400, gap=0.5) as killer:
        assert main(["convert", str(src), "-o", str(out), "--jobs", "2", "--quiet"]) == 0
    assert killer.kills > 0
    reports, errors = _csv(out, "reports"), _csv(out, "errors")
    died = errors[errors.error == "WorkerDied"]
    # every file is a report, its own failure, or WorkerDied
    assert len(reports) + len(errors) == len(files) and len(errors) - len(died) == bad
    assert set(reports.sha256) | {file_sha256(p) for p in files if str(p) in set(errors.path)} == \
        {file_sha256(p) for p in files}
    assert len(died) <= killer.kills // 2
    capsys.readouterr()
    # a rerun without the killer completes the batch
    assert main(["convert", str(src), "-o", str(out), "--jobs", "2", "--quiet"]) == 0
    assert len(_csv(out, "reports")) == good and len(_csv(out, "errors")) == bad


def test_names_that_are_not_utf8_reach_every_format(tmp_path, capsys):
    import os

    src = os.fsencode(tmp_path / "in")
    try:
        os.mkdir(src)
        folder = src + b"/" + "威海".encode("gbk")  # CD FE BA A3
        os.mkdir(folder)
    except OSError:
        pytest.skip("this file system does not take names that are not UTF-8")
    for name, fixture in (("报告.docx", "seed-2021-official.docx"), ("网页.html", "seed-2021-cms-page.html")):
        with open(folder + b"/" + name.encode("gbk"), "wb") as fh:
            fh.write(_unique((FIXTURES / fixture).read_bytes(), Path(fixture).suffix, 1))
    with open(folder + b"/" + "坏.docx".encode("gbk"), "wb") as fh:
        fh.write(BAD["corrupt.docx"])
    out = tmp_path / "out"
    assert main(["convert", os.fsdecode(src), "-o", str(out), "--quiet", "--jobs", "2",
                 "--format", "parquet,csv,xlsx,dta,jsonl"]) == 0
    base = str(tmp_path / "in") + "/\\xcd\\xfe\\xba\\xa3/"
    # 报告 = B1 A8 B8 E6, 网页 = CD F8 D2 B3, 坏 = BB B5 in GBK
    names = {base + "\\xb1\\xa8\\xb8\\xe6.docx", base + "\\xcd\\xf8\\xd2\\xb3.html"}
    assert set(_csv(out, "reports").source_path) == names
    assert list(_csv(out, "errors").path) == [base + "\\xbb\\xb5.docx"]
    assert set(pd.read_parquet(out / "reports.parquet").source_path) == names
    assert list(pd.read_parquet(out / "errors.parquet").path) == [base + "\\xbb\\xb5.docx"]
    assert set(pd.read_stata(out / "dta" / "reports.dta").source_path) == names
    assert set(pd.read_excel(out / "reports.xlsx", sheet_name="reports").source_path) == names
    import json

    assert {json.loads(line)["meta"]["source_path"] for line in open(out / "reports.jsonl", encoding="utf-8")} == names
    assert "parsed 2" in capsys.readouterr().out
    # a rerun recognises the files it already has
    assert main(["convert", os.fsdecode(src), "-o", str(out), "--quiet"]) == 0
    assert "parsed 0" in capsys.readouterr().out
    # `check` prints the same text
    assert main(["check", os.fsdecode(src)]) == 1  # the corrupt file
    assert base + "\\xbb\\xb5.docx\terror\tparse.failed\t" in capsys.readouterr().out
