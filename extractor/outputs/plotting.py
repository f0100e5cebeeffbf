"""Charts with Chinese labels: find an installed CJK font for matplotlib.

matplotlib's default font (DejaVu Sans) has no Chinese glyphs, so labels
such as 予以公开 come out as empty boxes ("tofu"). :func:`use_cjk_font`
looks for a CJK font that is already installed and makes matplotlib use
it; it never downloads anything. When there is none it prints how to
install one, silences matplotlib's per-glyph warnings, and the charts are
still drawn (with boxes for the Chinese characters).

``EXTRACTOR_CJK_FONT`` overrides the search: a font file (``.ttf``,
``.otf``, ``.ttc``) or an installed family name to use, or ``none`` to
use no CJK font (to see what a machine without one shows).

matplotlib is only imported when a function here is called (it comes
with the ``notebooks`` extra: ``pip install -e '.[notebooks]'``).

>>> "fonts-noto-cjk" in INSTALL_HINT
True
"""

from __future__ import annotations

import os
import warnings

#: Families tried in order: Simplified Chinese first, then any CJK font
#: (the Japanese/Korean/Traditional cuts of these also carry the common hanzi).
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans",
    "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
    "Hiragino Sans GB", "Heiti SC", "STHeiti", "Droid Sans Fallback", "AR PL UKai CN", "AR PL UMing CN",
    "Noto Serif CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP", "Noto Sans CJK KR", "Source Han Serif SC",
    "SimSun", "Arial Unicode MS",
)

INSTALL_HINT = """\
No CJK font found: Chinese labels in the charts will show as empty boxes.
Install one, then restart the kernel:
  Debian/Ubuntu:  sudo apt-get install fonts-noto-cjk      (or fonts-wqy-zenhei)
  macOS/Windows:  a Chinese font is normally installed already (PingFang SC, Microsoft YaHei, SimHei)
  elsewhere:      install "Noto Sans CJK SC" or "Source Han Sans SC" with your system's package manager,
                  or point EXTRACTOR_CJK_FONT at a .ttf/.otf/.ttc file that has Chinese glyphs.
If the font is installed but not found, matplotlib's font cache may be stale: delete the
fontlist-*.json files in matplotlib.get_cachedir() and restart the kernel."""


def installed_families() -> set[str]:
    """The font family names matplotlib knows on this machine."""
    from matplotlib import font_manager

    return {f.name for f in font_manager.fontManager.ttflist}


def find_cjk_font() -> str | None:
    """The family name of an installed CJK font (``EXTRACTOR_CJK_FONT``
    first), or None when there is none."""
    choice = os.environ.get("EXTRACTOR_CJK_FONT", "").strip()
    if choice.lower() == "none":
        return None
    if choice:
        if os.path.isfile(choice):
            from matplotlib import font_manager

            font_manager.fontManager.addfont(choice)
            return font_manager.FontProperties(fname=choice).get_name()
        if choice in installed_families():
            return choice
        warnings.warn(f"EXTRACTOR_CJK_FONT={choice!r} is neither a font file nor an installed family; searching")
    have = installed_families()
    for family in CJK_FAMILIES:
        if family in have:
            return family
    for family in sorted(have):  # any other font that says it is CJK
        if any(word in family for word in ("CJK", "Han Sans", "Han Serif", "WenQuanYi")):
            return family
    return None


def use_cjk_font(verbose: bool = True) -> str | None:
    """Make matplotlib draw Chinese labels with an installed CJK font.

    Returns the family used, or None (after printing :data:`INSTALL_HINT`
    when ``verbose``) when no CJK font is installed; the charts still draw.
    """
    import matplotlib as mpl

    family = find_cjk_font()
    if family is None:
        if verbose:
            print(INSTALL_HINT)
        # one clear message instead of a warning per missing glyph
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from (current )?font")
        warnings.filterwarnings("ignore", message=r"Matplotlib currently does not support")
        return None
    mpl.rcParams["font.family"] = "sans-serif"
    rest = [f for f in mpl.rcParams["font.sans-serif"] if f != family]
    mpl.rcParams["font.sans-serif"] = [family] + rest
    mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack U+2212
    if verbose:
        print(f"CJK font for charts: {family}")
    return family
