"""The command line: convert never stops on a bad file; show and check print."""

from __future__ import annotations

import shutil

import pandas as pd

from conftest import FIXTURES
from extractor.outputs.cli import main


def test_convert_writes_tables_and_lists_bad_files(tmp_path, capsys):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "seed-2021-official.docx", src / "a.docx")
    shutil.copy(FIXTURES / "seed-2021-cms-page.html", src / "sub" / "b.html")
    (src / "sub" / "broken.docx").write_bytes(b"PK\x03\x04garbage")
    (src / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (src / "notes.md").write_text("not a report")
    out = tmp_path / "out"
    assert main(["convert", str(src), "-o", str(out), "--quiet"]) == 0
    reports = pd.read_csv(out / "reports.csv", encoding="utf-8-sig")
    errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig")
    facts = pd.read_csv(out / "facts.csv", encoding="utf-8-sig")
    assert len(reports) == 2 and set(reports.template.astype(str)) == {"2021"}
    assert sorted(errors.error) == ["CorruptFileError", "LegacyDocError"]
    assert len(facts) == 400 and set(facts.year) == {2021}
    assert (out / "reports.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    text = capsys.readouterr().out
    assert "parsed 2 (0 with errors" in text and "failed 2" in text


def test_convert_with_nothing_to_parse_fails(tmp_path):
    (tmp_path / "x.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert main(["convert", str(tmp_path), "-o", str(tmp_path / "out"), "--quiet"]) == 1


def test_show_prints_metadata_tables_and_issues(capsys):
    assert main(["show", str(FIXTURES / "seed-2021-broken.docx")]) == 0
    text = capsys.readouterr().out
    assert "威海火炬高技术产业开发区管理委员会" in text and "三、收到和处理政府信息公开申请情况" in text
    assert "applications.balance" in text


def test_check_prints_one_line_per_issue(capsys):
    main(["check", str(FIXTURES / "seed-2021-broken.docx"), str(FIXTURES / "seed-2021-official.docx")])
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and all("seed-2021-broken.docx" in ln for ln in lines)
    assert any("review_litigation.total" in ln for ln in lines)
