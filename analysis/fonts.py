"""The project's fonts: DejaVu Sans and a Korean-capable family, NanumGothic, for the charts
(matplotlib) and for printing reports (Chromium), from files the locked environment installs.

NanumGothic (Regular and Bold; SIL Open Font License 1.1, which allows embedding in documents)
comes from the PyPI package koreanize-matplotlib, pinned in uv.lock, so `uv sync` puts the same
bytes on every machine, CI included; nothing is installed with apt. The package is never
imported: importing it changes matplotlib's global settings (and imports distutils, which
Python 3.12 removed); its font files are read where it is installed. DejaVu Sans is the copy
matplotlib ships. Charts and PDFs embed subsets of both (TrueType, no Type 3). The package ships
no licence text for its fonts: NanumGothic's copyright notice and licence are kept in
LICENSES/NanumGothic-OFL-1.1.txt (tests/unit/test_fonts.py checks it names these files).
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import logging
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any

NANUM_PACKAGE = "koreanize_matplotlib"
NANUM = "NanumGothic"
LATIN = "DejaVu Sans"
# file: the weight matplotlib should know it by. NanumGothicBold.ttf declares weight 600 in its
# OS/2 table although it is the family's Bold; registered as bold (700), titles asking for
# bold find it instead of a warning and a guess.
NANUM_FILES = {"NanumGothic.ttf": 400, "NanumGothicBold.ttf": 700}
# font.family per language: the first family sets the text, the next fills in what it lacks
# (matplotlib falls back glyph by glyph). Korean text is set in NanumGothic throughout, Latin
# letters and digits included, as Korean newspapers set theirs; NanumGothic lacks a few signs
# (the minus sign U+2212) that DejaVu Sans supplies.
FAMILIES = {"en": [LATIN, NANUM], "ko": [NANUM, LATIN]}
MISSING_GLYPH = "missing from font"  # matplotlib's warning, e.g. "Glyph 48513 (...) missing..."


def nanum_dir() -> Path:
    """The folder holding the NanumGothic files (found without importing their package)."""
    spec = importlib.util.find_spec(NANUM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            f"the font package {NANUM_PACKAGE} is not installed; run `make .venv/.synced`"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


def matplotlib_font_dir() -> Path:
    """matplotlib's own TrueType fonts (DejaVu Sans, Serif and Mono among them)."""
    spec = importlib.util.find_spec("matplotlib")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"


def family(language: str) -> list[str]:
    """matplotlib's font.family for a language ("en" or "ko")."""
    return FAMILIES[language]


_registered = False


def register() -> None:
    """Make NanumGothic known to matplotlib in this process (once; a few milliseconds)."""
    global _registered
    if _registered:
        return
    import dataclasses

    from matplotlib import font_manager, ft2font

    for name, weight in NANUM_FILES.items():
        path = nanum_dir() / name
        prop = font_manager.ttfFontProperty(ft2font.FT2Font(str(path)))
        font_manager.fontManager.ttflist.append(dataclasses.replace(prop, weight=weight))
    # NanumGothic carries VTT hinting sources (TSI* tables) that fontTools' subsetter drops with
    # a warning for every PDF; dropping them is right (hinting sources are not hinting)
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    memoize_pdf_subsets()
    _registered = True


# (font file, face, glyphs) -> (the subset font's bytes, glyph index map)
_SUBSETS: dict[tuple[str, int, frozenset], tuple[bytes, dict]] = {}


def memoize_pdf_subsets() -> None:
    """Subset each font for a glyph set once per process, not once per PDF.

    matplotlib embeds a subset of every font a PDF uses, and builds it from the whole font
    file with fontTools each time: 0.1-0.25 s a subset for NanumGothic's 17,000 glyphs, about a
    quarter of a chart's time. A chart's single- and double-column PDFs in one language ask
    for the same glyphs, so the second costs nothing. Every subset, the first included, is
    handed on as a font read back from its bytes, so a PDF's bytes do not depend on what was
    drawn before it in the process (tests/unit/test_fonts.py).
    """
    from matplotlib.backends import _backend_pdf_ps as pdf_ps

    original = pdf_ps.get_glyphs_subset
    if getattr(original, "memoized", False):
        return

    @contextlib.contextmanager
    def get_glyphs_subset(fontfile: Any, glyphs: Any) -> Iterator[Any]:
        key = (str(fontfile), getattr(fontfile, "face_index", 0), frozenset(glyphs))
        if key not in _SUBSETS:
            with wrapped.original(fontfile, set(key[2])) as made:  # type: ignore[attr-defined]
                data = pdf_ps.font_as_file(made.font).getvalue()
                _SUBSETS[key] = (data, dict(made.glyph_index_map))
        data, index_map = _SUBSETS[key]
        from fontTools.ttLib import TTFont

        with TTFont(BytesIO(data), recalcTimestamp=False, recalcBBoxes=False) as font:
            yield pdf_ps.SubsetResults(font, dict(index_map))

    wrapped: Callable = get_glyphs_subset
    wrapped.memoized = True  # type: ignore[attr-defined]
    wrapped.original = original  # type: ignore[attr-defined]
    pdf_ps.get_glyphs_subset = wrapped


def fontconfig_file(folder: Path) -> Path:
    """A fontconfig file naming only the project's fonts, for Chromium to print with.

    With it, the fonts in a printed report are the locked environment's on every machine:
    DejaVu for Latin text, NanumGothic for Korean (and for any glyph DejaVu lacks), whatever
    the system has installed. It names this machine's paths, so it is written under build/.
    """
    esc = html.escape
    dirs = [matplotlib_font_dir(), nanum_dir()]
    fallback = "".join(f"<string>{esc(f)}</string>" for f in (LATIN, NANUM))
    aliases = "".join(
        f"<alias><family>{generic}</family><prefer><string>{esc(first)}</string>"
        f"<string>{NANUM}</string></prefer></alias>\n"
        for generic, first in (
            ("sans-serif", LATIN),
            ("serif", "DejaVu Serif"),
            ("monospace", "DejaVu Sans Mono"),
        )
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        "<fontconfig>\n"
        + "".join(f"<dir>{esc(str(d.resolve()))}</dir>\n" for d in dirs)
        + f"<cachedir>{esc(str((folder / 'cache').resolve()))}</cachedir>\n"
        + aliases
        # any other family a page names (system-ui, Helvetica, ...) ends in the same two
        + '<match target="pattern"><edit name="family" mode="append_last">'
        + fallback
        + "</edit></match>\n</fontconfig>\n"
    )
    target = folder / "fonts.conf"
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        from analysis.io import atomic_open

        with atomic_open(target) as fh:
            fh.write(text)
    return target
