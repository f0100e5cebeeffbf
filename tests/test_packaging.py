"""The distribution: the source distribution and the wheel build offline
from a copy of the tree, and carry what they must (the sdist: the tests and
their fixtures; the wheel: the package, py.typed, the command, the metadata)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser

import pytest

import extractor
from conftest import ROOT

DIST = "xxgk-extractor"
_IGNORE = shutil.ignore_patterns(".git", "__pycache__", "*.pyc", "build", "dist", "*.egg-info", ".hypothesis",
                                 ".pytest_cache", ".benchmarks", "out", "crashes", ".ipynb_checkpoints")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    pytest.importorskip("setuptools", minversion="77")
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=_IGNORE)
    code = ("from setuptools import build_meta as b; "
            "s = b.build_sdist('../out'); w = b.build_wheel('../out'); print('BUILT', s, w)")
    done = subprocess.run([sys.executable, "-c", code], cwd=src, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    sdist_name, wheel_name = [ln for ln in done.stdout.splitlines() if ln.startswith("BUILT ")][-1].split()[1:]
    return tmp / "out" / sdist_name, tmp / "out" / wheel_name


def test_wheel_holds_the_package_the_command_and_the_metadata(built):
    _sdist, wheel = built
    assert wheel.name == f"xxgk_extractor-{extractor.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = f"xxgk_extractor-{extractor.__version__}.dist-info"
        meta = Parser().parsestr(z.read(f"{info}/METADATA").decode())
        entry = z.read(f"{info}/entry_points.txt").decode()
    assert {"extractor/py.typed", "extractor/recognition/templates.py", "extractor/readers/docx.py",
            "extractor/outputs/cli.py", "extractor/discovery.py", f"{info}/licenses/LICENSE"} <= names
    assert not any(n.startswith(("tests/", "fixtures/")) for n in names)
    assert meta["Name"] == DIST and meta["Version"] == extractor.__version__
    assert meta["License-Expression"] == "MIT" and meta["Requires-Python"] == ">=3.10"
    assert {f"Programming Language :: Python :: 3.{v}" for v in (10, 11, 12, 13)} <= set(meta.get_all("Classifier"))
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert meta["Author"] == "the extractor authors" and meta["Keywords"]
    assert "extractor = extractor.outputs.cli:main" in entry


def test_sdist_carries_the_tests_and_their_fixtures(built):
    sdist, _wheel = built
    top = f"xxgk_extractor-{extractor.__version__}"
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"LICENSE", "README.md", "CHANGELOG.md", "CITATION.cff", "pyproject.toml", "extractor/py.typed",
            "tests/conftest.py", "tests/test_cli.py", "fixtures/seed-2021-official.docx",
            "notebooks/01_one_report.ipynb", "fuzz/mutate.py", ".ci/run"} <= names
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)
    assert sdist.name == f"{top}.tar.gz"


def test_the_documented_files_exist_and_agree():
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License") and "the extractor authors" in license_text
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert f"version: {extractor.__version__}" in cff and "license: MIT" in cff
    assert "## [Unreleased]" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
