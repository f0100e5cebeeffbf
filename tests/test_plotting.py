"""The CJK font lookup for charts: an installed font is used, none gives a clear message."""

from __future__ import annotations

import pytest

mpl = pytest.importorskip("matplotlib")

from extractor.outputs import plotting  # noqa: E402


@pytest.fixture(autouse=True)
def _restore_rc():
    with mpl.rc_context():
        yield


def test_uses_an_installed_cjk_family(monkeypatch, capsys):
    monkeypatch.delenv("EXTRACTOR_CJK_FONT", raising=False)
    monkeypatch.setattr(plotting, "installed_families", lambda: {"DejaVu Sans", "WenQuanYi Zen Hei", "Noto Sans CJK JP"})
    assert plotting.use_cjk_font() == "WenQuanYi Zen Hei"
    assert mpl.rcParams["font.sans-serif"][0] == "WenQuanYi Zen Hei" and not mpl.rcParams["axes.unicode_minus"]
    assert "CJK font for charts: WenQuanYi Zen Hei" in capsys.readouterr().out


def test_prefers_simplified_chinese(monkeypatch):
    monkeypatch.delenv("EXTRACTOR_CJK_FONT", raising=False)
    monkeypatch.setattr(plotting, "installed_families", lambda: {"Noto Sans CJK JP", "Noto Sans CJK SC"})
    assert plotting.find_cjk_font() == "Noto Sans CJK SC"


def test_no_cjk_font_prints_how_to_install_one(monkeypatch, capsys):
    monkeypatch.delenv("EXTRACTOR_CJK_FONT", raising=False)
    monkeypatch.setattr(plotting, "installed_families", lambda: {"DejaVu Sans", "Liberation Serif"})
    before = list(mpl.rcParams["font.sans-serif"])
    assert plotting.use_cjk_font() is None
    out = capsys.readouterr().out
    assert "No CJK font found" in out and "apt-get install fonts-noto-cjk" in out
    assert list(mpl.rcParams["font.sans-serif"]) == before


def test_environment_override(monkeypatch):
    monkeypatch.setenv("EXTRACTOR_CJK_FONT", "none")
    assert plotting.find_cjk_font() is None
    monkeypatch.setenv("EXTRACTOR_CJK_FONT", "DejaVu Sans")
    assert plotting.find_cjk_font() == "DejaVu Sans"


def test_a_chart_with_chinese_labels_renders(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.delenv("EXTRACTOR_CJK_FONT", raising=False)
    family = plotting.use_cjk_font(verbose=False)
    fig, ax = plt.subplots()
    ax.bar(["予以公开", "不予公开"], [3, 1])
    ax.set_title("办理结果")
    fig.savefig(tmp_path / "c.png")
    plt.close(fig)
    assert (tmp_path / "c.png").stat().st_size > 1000
    if family:
        from matplotlib import font_manager

        path = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        assert path
