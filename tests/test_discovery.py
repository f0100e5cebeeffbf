"""Crawl folders: discovery by content (--sniff), what was skipped and why,
FIFOs/sockets/devices listed and never opened, crawler sidecars and
manifests merged into meta, the date under the signature."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import extractor
from conftest import FIXTURES, ROOT
from extractor.discovery import Sidecars, ending, scan
from extractor.recognition.meta import find_publication_date

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def crawl(root):
    """A crawler's folder: pages saved under server endings and none, with the noise around them."""
    root.mkdir(exist_ok=True)
    html = (FIXTURES / "seed-2021-cms-page.html").read_bytes()
    (root / "a.html").write_bytes(html)
    (root / "content.jsp").write_bytes(html + b"<!-- 1 -->")
    (root / "index.aspx?id=7").write_bytes(html + b"<!-- 2 -->")
    (root / "t20220131_4567").write_bytes(html + b"<!-- 3 -->")
    (root / "art.2021").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    (root / "logo").write_bytes(PNG)
    (root / "scan").write_bytes(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    (root / "notes.txt").write_text("crawl log")
    (root / "a.html.json").write_text(json.dumps({"url": "https://www.example.gov.cn/a.htm"}))
    return root


def test_without_sniff_only_report_endings_are_taken_and_the_rest_is_listed(tmp_path):
    found = scan(crawl(tmp_path / "c"))
    assert [p.name for p in found.files] == ["a.html"]
    reasons = {p.name: why for p, why in found.skipped}
    assert reasons["content.jsp"] == "ending .jsp (a server page): --sniff (sniff=True) reads its content"
    assert reasons["index.aspx?id=7"].startswith("ending .aspx (a server page)")
    for name in ("t20220131_4567", "art.2021", "logo", "scan"):
        assert reasons[name] == "no file ending: --sniff (sniff=True) reads its content"
    assert reasons["notes.txt"] == "ending .txt is not a report format"
    assert reasons["a.html.json"] == "sidecar: metadata of a.html"
    assert len(found.files) + len(found.skipped) == 9


def test_sniff_takes_pages_by_content_and_says_why_it_skips(tmp_path):
    found = scan(crawl(tmp_path / "c"), sniff=True)
    assert sorted(p.name for p in found.files) == ["a.html", "art.2021", "content.jsp", "index.aspx?id=7",
                                                   "scan", "t20220131_4567"]
    reasons = {p.name: why for p, why in found.skipped}
    assert reasons["logo"] == "content is not a report format: a PNG image file, not .docx, PDF or HTML"
    assert set(reasons) == {"logo", "notes.txt", "a.html.json"}
    corpus = extractor.parse_many([tmp_path / "c"], jobs=1, sniff=True)
    assert len(corpus.reports) == 5 and set(corpus.reports.agency) == {"威海火炬高技术产业开发区管理委员会"}
    assert corpus.errors.error.tolist() == ["CorruptFileError"]  # the PDF: a header and no document


@given(st.from_regex(r"[a-z0-9_]{1,12}", fullmatch=True), st.sampled_from(["", ".htm", ".JSP", ".aspx", ".docx"]),
       st.from_regex(r"[?;#][a-z0-9=&_]{0,20}", fullmatch=True))
def test_ending_ignores_the_query_a_crawler_kept(stem, suffix, query):
    from pathlib import Path

    assert ending(Path(stem + suffix + query)) == ending(Path(stem + suffix)) == suffix.lower()


def test_fifos_and_sockets_are_listed_as_errors_never_opened(tmp_path):
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    os.mkfifo(src / "sub" / "pipe.html")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(src / "report.sock"))
    try:
        found = scan([src, src / "sub" / "pipe.html"], sniff=True)
        assert found.special == [(src / "report.sock", "a socket"), (src / "sub" / "pipe.html", "a FIFO (named pipe)")]
        corpus = extractor.parse_many([src], jobs=1)
        assert len(corpus.reports) == 1
        assert sorted(zip(corpus.errors.path, corpus.errors.error)) == [
            (str(src / "report.sock"), "NotARegularFile"), (str(src / "sub" / "pipe.html"), "NotARegularFile")]
        # the command line too (in a child process: a FIFO opened by mistake would block it)
        out = tmp_path / "out"
        done = subprocess.run([sys.executable, "-m", "extractor", "convert", str(src), "-o", str(out), "-q", "--jobs", "1"],
                              capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode == 0, done.stderr
        errors = pd.read_csv(out / "errors.csv", encoding="utf-8-sig")
        assert sorted(errors.error) == ["NotARegularFile", "NotARegularFile"]
        assert errors.message.str.endswith("not a regular file: not opened").all()
        assert "failed 2" in done.stdout
    finally:
        sock.close()


def test_sidecar_and_manifest_fields_are_merged_into_meta(tmp_path):
    src = tmp_path / "crawl"
    (src / "2024").mkdir(parents=True)
    html = (FIXTURES / "seed-2021-cms-page.html").read_bytes()
    (src / "2024" / "a.html").write_bytes(html)
    (src / "2024" / "b.html").write_bytes(html + b"<!-- b -->")
    (src / "2024" / "c.html").write_bytes(html + b"<!-- c -->")
    (src / "2024" / "a.html.json").write_text(json.dumps(
        {"url": "https://www.example.gov.cn/t20220120_1.htm", "标题": "某局2021年年报", "发布机构": "某局",
         "发布日期": "2022年1月20日", "crawler": "ignored"}, ensure_ascii=False), encoding="utf-8")
    (src / "2024" / "c.html.json").write_text("{not json", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("path,url,published\n"
                        "crawl/2024/a.html,https://manifest.example/a,2022-01-01\n"
                        "crawl/2024/b.html,https://manifest.example/b,2022/1/31 10:00\n", encoding="utf-8")
    corpus = extractor.parse_many([src], jobs=1, manifest=manifest)
    rep = corpus.reports.set_index(corpus.reports.source_path.str.rsplit("/", n=1).str[-1])
    # the sidecar wins over the manifest row of the same file
    assert rep.loc["a.html", ["source_url", "source_published", "source_title", "source_agency"]].tolist() == [
        "https://www.example.gov.cn/t20220120_1.htm", "2022-01-20", "某局2021年年报", "某局"]
    assert rep.loc["b.html", ["source_url", "source_published"]].tolist() == ["https://manifest.example/b", "2022-01-31"]
    assert pd.isna(rep.loc["c.html", "source_url"])  # a missing text is <NA> (string dtype)
    bad = corpus.issues[corpus.issues.code == "sidecar.invalid"]
    assert len(bad) == 1 and bad.message.iloc[0].startswith("sidecar c.html.json ignored:")
    assert "crawler" not in corpus.reports.columns


def test_convert_and_show_carry_the_sidecar(tmp_path, capsys):
    from extractor.outputs.cli import main

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.docx").write_bytes((FIXTURES / "seed-2021-official.docx").read_bytes())
    (src / "a.docx.json").write_text(json.dumps({"url": "https://www.example.gov.cn/a.docx", "published": "2022-01-28"}))
    assert main(["convert", str(src), "-o", str(tmp_path / "o"), "-q", "--jobs", "1"]) == 0
    reports = pd.read_csv(tmp_path / "o" / "reports.csv", encoding="utf-8-sig")
    assert reports[["source_url", "source_published"]].values.tolist() == [["https://www.example.gov.cn/a.docx", "2022-01-28"]]
    capsys.readouterr()
    assert main(["show", str(src / "a.docx")]) == 0
    assert "source_url: https://www.example.gov.cn/a.docx" in capsys.readouterr().out


def test_a_manifest_without_a_path_column_is_a_usage_error(tmp_path, capsys):
    from extractor.outputs.cli import main

    (tmp_path / "m.csv").write_text("url,published\nhttps://x,2022-01-01\n")
    assert main(["convert", str(FIXTURES), "-o", str(tmp_path / "o"), "--manifest", str(tmp_path / "m.csv")]) == 2
    assert "a manifest needs a 'path' column" in capsys.readouterr().err


def test_oversized_sidecar_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "a.html").write_bytes(b"<p>x</p>")
    (tmp_path / "a.html.json").write_text(json.dumps({"url": "u", "pad": "x" * (1 << 20)}))
    fields, problem = Sidecars().meta(tmp_path / "a.html")
    assert fields == {} and problem == "sidecar a.html.json ignored: larger than 1048576 bytes"


def test_publication_date_under_the_signature(real_dir):
    # 沭阳县发改局 2023: the page ends "沭阳县发展和改革局 / 2024年1月17日"
    r = extractor.parse(real_dir / "shuyang-xian-fagaiju_2023.page.html")
    assert r.meta["publication_date"] == "2024-01-17"
    # 平潭 2024 ends with section 六 and no signature; its 2024年1月1日 … 12月31日 is the reporting period
    assert extractor.parse(real_dir / "pingtan-zonghe-shiyanqu_2024.html").meta["publication_date"] is None


def test_publication_date_forms():
    assert find_publication_date(["……", "某某县人民政府办公室", "二〇二三年一月三十一日"]) == "2023-01-31"
    assert find_publication_date(["某局", "2023 年 2 月 8 日", "— 7 —"]) == "2023-02-08"
    assert find_publication_date(["某局", "2023年2月30日"]) is None
    assert find_publication_date(["2023年1月5日"] + ["正文。"] * 12) is None  # not near the end: not the signature


def test_a_pages_own_publication_date_unless_a_sidecar_says_otherwise(real_dir, tmp_path):
    # the archived 平潭 2024 page carries <meta name="PubDate" content="2025-03-10 15:35">
    # (its address, t20250310_97791.htm, has the same date)
    page = real_dir / "pingtan" / "pingtan-zonghe-shiyanqu_2024.page.html"
    assert extractor.parse(page).meta["source_published"] == "2025-03-10"
    copy = tmp_path / "page.html"
    copy.write_bytes(page.read_bytes())
    (tmp_path / "page.html.json").write_text(json.dumps({"发布日期": "2025年3月11日"}), encoding="utf-8")
    corpus = extractor.parse_many([tmp_path], jobs=1)
    assert corpus.reports.source_published.tolist() == ["2025-03-11"]
