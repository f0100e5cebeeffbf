"""The command line on ordinary mistakes: one line on standard error, the
documented exit status (README "Command line"), never a traceback; check's
listing and status; --version, -v/-q and standard input."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

import extractor
from conftest import FIXTURES, REAL, ROOT
from extractor.outputs.cli import EXIT_CODES, main

NO_TABLES = ("<html><body><p>某某县统计局2021年政府信息公开工作年度报告</p><p>一、总体情况</p>"
             "<p>2021年，本局认真贯彻《条例》。</p></body></html>").encode()


def _run(argv, capsys):
    code = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def _one_line(err: str, command: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"extractor {command}: "), err
    return lines[0]


def test_show_on_ordinary_mistakes(tmp_path, capsys):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    cases = {
        str(tmp_path / "nope.docx"): (2, "no such file"),
        str(tmp_path): (2, "a folder"),
        str(tmp_path / "empty.html"): (1, "the file is empty"),
        str(tmp_path / "scan.pdf"): (1, "PDF"),
    }
    for path, (status, words) in cases.items():
        code, out, err = _run(["show", path], capsys)
        assert code == status and out == ""
        assert words in _one_line(err, "show")


def test_convert_into_a_file_or_an_unwritable_folder_exits_3(tmp_path, capsys, monkeypatch):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    target = tmp_path / "taken.txt"
    target.write_text("a file")
    code, _out, err = _run(["convert", str(src), "-o", str(target), "-q"], capsys)
    assert code == 3 and "is a file, not a folder" in _one_line(err, "convert")
    code, _out, err = _run(["convert", str(src), "-o", str(target / "sub"), "-q"], capsys)
    assert code == 3 and "cannot write to" in _one_line(err, "convert")
    assert target.read_text() == "a file"

    # a folder the user may not write to (root may write anywhere: the refusal is simulated then)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:
        from extractor.outputs import store

        def refuse(self, *a, **kw):
            raise PermissionError(13, "Permission denied", str(locked / ".parts"))

        monkeypatch.setattr(store.Store, "__init__", refuse)
    code, _out, err = _run(["convert", str(src), "-o", str(locked), "-q"], capsys)
    locked.chmod(0o700)
    assert code == 3 and "Permission denied" in _one_line(err, "convert")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e300", "-1", "five"])
def test_bad_timeout_is_a_usage_error(value, tmp_path, capsys):
    code, out, err = _run(["convert", str(FIXTURES), "-o", str(tmp_path / "o"), "--timeout", value], capsys)
    assert code == 2 and "--timeout" in err and not (tmp_path / "o").exists()


def test_bad_jobs_and_unknown_format_are_usage_errors(tmp_path, capsys):
    assert _run(["convert", str(FIXTURES), "-o", str(tmp_path / "o"), "--jobs", "0"], capsys)[0] == 2
    code, _out, err = _run(["convert", str(FIXTURES), "-o", str(tmp_path / "o"), "--format", "csv,xls"], capsys)
    assert code == 2 and "xls" in _one_line(err, "convert")


def test_version(capsys):
    code, out, _err = _run(["--version"], capsys)
    assert code == 0 and out.strip() == f"extractor {extractor.__version__}"


def test_check_lists_errors_and_warnings_and_fails_on_errors(tmp_path, capsys):
    no_tables = tmp_path / "no-tables.html"
    no_tables.write_bytes(NO_TABLES)
    code, out, _err = _run(["check", str(no_tables)], capsys)
    assert code == 1
    assert out.splitlines() == [
        f"{no_tables}\terror\ttemplate.unknown\tno statistics tables of a known template (2019 or 2021 format)"]
    # the section.missing notes are info: listed with --level info only
    code, out, _err = _run(["check", "--level", "info", str(no_tables)], capsys)
    assert code == 1 and sum("\tinfo\tsection.missing\t" in ln for ln in out.splitlines()) == 5

    code, out, _err = _run(["check", str(FIXTURES / "seed-2021-official.docx")], capsys)
    assert code == 0 and out == ""
    # the image-published tables of this fixture are errors: exit 1, whatever the level
    code, out, _err = _run(["check", "--level", "error", str(FIXTURES / "seed-2021-image-tables.html")], capsys)
    assert code == 1 and [ln.split("\t")[2] for ln in out.splitlines()] == ["table.image", "table.image"]


def test_check_a_file_that_cannot_be_parsed_fails(tmp_path, capsys):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    code, out, _err = _run(["check", str(tmp_path / "scan.pdf")], capsys)
    assert code == 1 and out.split("\t")[1:3] == ["error", "parse.failed"]
    assert _run(["check", str(tmp_path / "nothing-here")], capsys)[0] == 2


def test_real_report_without_the_2021_tables_fails_check(real_dir, capsys):
    # 平潭 2018 predates the official templates: its one table is a local layout
    path = real_dir / "pingtan" / "pingtan-zonghe-shiyanqu_2018.page.html"
    code, out, _err = _run(["check", str(path)], capsys)
    assert code == 1 and "\terror\ttemplate.unknown\t" in out


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_dash_reads_standard_input(tmp_path, capsys, monkeypatch):
    _stdin(monkeypatch, (FIXTURES / "seed-2021-official.docx").read_bytes())
    code, out, _err = _run(["show", "-"], capsys)
    assert code == 0 and "威海火炬高技术产业开发区管理委员会" in out and "source_format: docx" in out

    _stdin(monkeypatch, NO_TABLES)
    code, out, _err = _run(["check", "-"], capsys)
    assert code == 1 and out.startswith("-\terror\ttemplate.unknown\t")

    # convert: the names of the inputs, one a line
    names = f"{FIXTURES / 'seed-2021-official.docx'}\n\n{FIXTURES / 'seed-2021-cms-page.html'}\n"
    _stdin(monkeypatch, names.encode())
    code, out, _err = _run(["convert", "-", "-o", str(tmp_path / "o"), "-q", "--jobs", "1"], capsys)
    assert code == 0 and "parsed 2 (0 with errors" in out


def test_verbose_lists_skipped_files_and_quiet_silences_warnings(tmp_path, capsys):
    (tmp_path / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    (tmp_path / "notes.txt").write_text("crawl log")
    (tmp_path / "t20240117_123").write_bytes(NO_TABLES)
    code, _out, err = _run(["check", str(tmp_path)], capsys)
    assert code == 0
    assert err.splitlines() == ["extractor: skipped 2 file(s) in folders: 1 ending .txt is not a report format, "
                                "1 no file ending (-v lists them)"]
    code, _out, err = _run(["check", "-v", str(tmp_path)], capsys)
    assert f"extractor: skipped {tmp_path / 'notes.txt'}: ending .txt is not a report format" in err.splitlines()
    assert any(ln.startswith(f"extractor: skipped {tmp_path / 't20240117_123'}: no file ending") for ln in err.splitlines())
    assert "checked 1 file(s): 0 with errors" in err
    code, _out, err = _run(["check", "-q", str(tmp_path)], capsys)
    assert code == 0 and err == ""
    # --sniff takes the extension-less page, and its missing tables fail the check
    code, out, _err = _run(["check", "-q", "--sniff", str(tmp_path)], capsys)
    assert code == 1 and out.startswith(f"{tmp_path / 't20240117_123'}\terror\ttemplate.unknown")


def test_an_internal_error_is_one_line(monkeypatch, capsys):
    def broken(source):
        raise RuntimeError("boom")

    monkeypatch.setattr(extractor, "parse", broken)
    code, _out, err = _run(["show", str(FIXTURES / "seed-2021-official.docx")], capsys)
    assert code == 1 and "internal error: RuntimeError: boom" in _one_line(err, "show")


def test_fifo_given_to_show_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # opening a FIFO that no one writes to would block: the timeout catches a regression
    done = subprocess.run([sys.executable, "-m", "extractor", "show", str(fifo)], capture_output=True, text=True,
                          timeout=60, env=env)
    assert done.returncode == 2 and done.stderr.strip() == f"extractor show: {fifo}: a FIFO (named pipe), not a regular file"


def test_exit_codes_documented_in_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for code in EXIT_CODES:
        assert f"| {code} |" in readme


def test_an_output_folder_inside_the_input_is_not_searched(tmp_path, capsys, monkeypatch):
    (tmp_path / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    monkeypatch.chdir(tmp_path)
    for _run_twice in range(2):
        code, out, err = _run(["convert", ".", "-o", "out", "--format", "csv,jsonl", "--jobs", "1"], capsys)
        assert code == 0 and "skipped" not in err  # out/*.csv and out/.parts/… are not inputs
    assert "of 1 files" in out


def test_check_lists_a_fifo_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "pipe.docx")
    (tmp_path / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    done = subprocess.run([sys.executable, "-m", "extractor", "check", "-q", str(tmp_path)], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 1 and done.stdout.splitlines() == [
        f"{tmp_path / 'pipe.docx'}\terror\tparse.failed\tNotARegularFile: a FIFO (named pipe), not a regular file: not opened"]
