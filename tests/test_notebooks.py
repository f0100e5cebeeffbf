"""The analysis notebooks run top to bottom (nbclient, kernel python3, cwd notebooks/),
with and without a CJK font; the committed notebooks carry no big outputs.

Needs the ``notebooks`` extra (matplotlib, nbclient, nbformat, ipykernel),
which .ci/run installs; skipped where it is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_one_report.ipynb", "02_compare_years_and_agencies.ipynb"]


def run(name: str):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError naming the cell when one fails
    return nb


def outputs(nb, kind: str) -> list:
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if kind == "stdout" and o.get("output_type") == "stream" and o.get("name") == "stdout":
                out.append(o["text"])
            elif kind in o.get("data", {}):
                out.append(o["data"][kind])
    return out


def test_the_notebooks_are_there():
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebook_is_small(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    assert (NOTEBOOKS / name).stat().st_size < 60_000
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_one_report_notebook_runs():
    nb = run("01_one_report.ipynb")
    text = "".join(outputs(nb, "stdout"))
    assert "document table 1, grid row 3, grid column 3: '10'" in text
    html = "".join(outputs(nb, "text/html"))
    assert 'class="extractor-report"' in html and 'ex-fail' in html  # the broken copy is highlighted


def test_compare_notebook_runs_with_a_cjk_font_where_one_is_installed(monkeypatch):
    monkeypatch.delenv("EXTRACTOR_CJK_FONT", raising=False)
    from extractor.outputs.plotting import find_cjk_font

    nb = run("02_compare_years_and_agencies.ipynb")
    text = "".join(outputs(nb, "stdout"))
    font = find_cjk_font()
    assert (f"CJK font for charts: {font}" if font else "No CJK font found") in text
    assert "reports with errors: [('平潭综合实验区', 2020)]" in text
    assert len(outputs(nb, "image/png")) == 5  # one chart per question
    assert 'class="extractor-corpus"' in "".join(outputs(nb, "text/html"))


def test_compare_notebook_runs_without_a_cjk_font(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CJK_FONT", "none")
    nb = run("02_compare_years_and_agencies.ipynb")
    text = "".join(outputs(nb, "stdout"))
    assert "No CJK font found" in text and "apt-get install fonts-noto-cjk" in text
    assert len(outputs(nb, "image/png")) == 5
    stderr = [o for c in nb.cells for o in c.get("outputs", []) if o.get("name") == "stderr"]
    assert not any("Glyph" in o["text"] for o in stderr)  # one message, not a warning per glyph
