"""Every character a chart prints has a glyph in the project's fonts: matplotlib's warning
"Glyph N (...) missing from font(s) ..." counts as a failure."""

from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt

from analysis import charts, fonts, style

# what the Korean charts print: Hangul in a bold title and in labels, a count with its counter
# word, a year, a typographic minus sign and an en dash (house style)
KOREAN = "북한이탈주민 입국 1,047명, 2019년 \u221238 (2020\u20132024년)"


def missing_glyphs(fig: plt.Figure, fmt: str) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format=fmt)
    return [str(w.message) for w in caught if fonts.MISSING_GLYPH in str(w.message)]


def figure_with(text: str) -> plt.Figure:
    fig = plt.figure(figsize=(4, 2))
    fig.suptitle(text, fontweight="bold")
    fig.text(0.05, 0.5, text)
    return fig


def test_house_style_prints_korean_and_typographic_signs() -> None:
    for language in ("en", "ko"):
        rc = style.RC | {"font.family": fonts.family(language)}
        with plt.rc_context(rc):
            fig = figure_with(KOREAN)
            for fmt in ("png", "svg", "pdf"):
                assert missing_glyphs(fig, fmt) == [], (language, fmt)
            plt.close(fig)


def test_the_check_sees_a_missing_glyph() -> None:
    with plt.rc_context(style.RC | {"font.family": ["DejaVu Sans"]}):
        fig = figure_with(KOREAN)
        assert missing_glyphs(fig, "png")
        plt.close(fig)


def test_pdf_embeds_truetype_subsets_of_both_families() -> None:
    with plt.rc_context(style.RC):
        fig = figure_with("Arrivals 입국 1,047")
        out = io.BytesIO()
        fig.savefig(out, format="pdf", metadata=charts.METADATA["pdf"])
        plt.close(fig)
    pdf = out.getvalue()
    assert b"+NanumGothic" in pdf and b"+DejaVuSans" in pdf  # subset prefixes: ABCDEF+Name
    assert b"/FontFile2" in pdf and b"/Type3" not in pdf


def test_a_pdf_font_subset_is_made_once_and_the_bytes_are_unchanged(monkeypatch) -> None:
    """The memo (fonts.memoize_pdf_subsets) changes no byte of a PDF, and a second PDF asking
    for the same glyphs makes no subset of its own."""
    from matplotlib.backends import _backend_pdf_ps as pdf_ps

    memo = pdf_ps.get_glyphs_subset
    assert memo.memoized, "style.py registers the fonts, which installs the memo"
    made: list[str] = []
    direct_subset = memo.original

    def counted(fontfile, glyphs):  # noqa: ANN001, ANN202
        made.append(str(fontfile))
        return direct_subset(fontfile, glyphs)

    with plt.rc_context(style.RC | {"font.family": fonts.family("ko")}):
        fig = figure_with(KOREAN)
        monkeypatch.setattr(pdf_ps, "get_glyphs_subset", direct_subset)
        direct = io.BytesIO()
        fig.savefig(direct, format="pdf", metadata=charts.METADATA["pdf"])
        monkeypatch.setattr(pdf_ps, "get_glyphs_subset", memo)
        monkeypatch.setattr(fonts, "_SUBSETS", {})
        monkeypatch.setattr(memo, "original", counted)
        saved = []
        for _ in range(2):
            saved.append(io.BytesIO())
            fig.savefig(saved[-1], format="pdf", metadata=charts.METADATA["pdf"])
        plt.close(fig)
    assert saved[0].getvalue() == direct.getvalue() == saved[1].getvalue()
    assert made and len(made) == len(fonts._SUBSETS), "the second PDF made subsets again"

    # other glyphs are other subsets: made anew, and the bytes a direct save gives
    with plt.rc_context(style.RC | {"font.family": fonts.family("ko")}):
        fig = figure_with("입국 2,431~5,482명")
        first = len(made)
        other = io.BytesIO()
        fig.savefig(other, format="pdf", metadata=charts.METADATA["pdf"])
        assert len(made) > first, "a PDF with other glyphs took another PDF's subsets"
        monkeypatch.setattr(pdf_ps, "get_glyphs_subset", direct_subset)
        again = io.BytesIO()
        fig.savefig(again, format="pdf", metadata=charts.METADATA["pdf"])
        plt.close(fig)
    assert other.getvalue() == again.getvalue()


def test_fontconfig_names_only_the_project_fonts(tmp_path) -> None:
    conf = fonts.fontconfig_file(tmp_path).read_text()
    assert f"<dir>{fonts.nanum_dir().resolve()}</dir>" in conf
    assert conf.count("<dir>") == 2 and "<include" not in conf  # no system fonts
    assert (fonts.nanum_dir() / "NanumGothic.ttf").is_file()


def test_the_font_licence_notice_names_the_files_the_build_embeds() -> None:
    """NanumGothic is under the SIL Open Font License 1.1, whose copyright notice and text
    must accompany the font: LICENSES/ keeps them, naming the package version and the files
    the build reads. Upgrading the font package without reviewing the notice fails here."""
    from importlib import metadata
    from pathlib import Path

    notice = (Path(__file__).parents[2] / "LICENSES" / "NanumGothic-OFL-1.1.txt").read_text(
        encoding="utf-8"
    )
    version = metadata.version(fonts.NANUM_PACKAGE.replace("_", "-"))
    assert f"koreanize-matplotlib {version}" in notice
    assert all(name in notice for name in fonts.NANUM_FILES)
    assert "SIL OPEN FONT LICENSE" in notice and "Version 1.1 - 26 February 2007" in notice
    assert "Reserved Font Name" in notice
