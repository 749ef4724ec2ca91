"""Every character printed renders: each chart in every size draws without a missing glyph,
and every character of the brief's page is in its PDF's text, set in an embedded font."""

from __future__ import annotations

import unicodedata
import warnings
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

from analysis import charts, fonts

pytestmark = pytest.mark.slow


HIDDEN = ("style", "script", "head")


class PageText(HTMLParser):
    """The text a reader sees in a report: the body without styles, scripts and the headings'
    anchor links (a pilcrow shown only on hover, never printed)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0
        self.in_body = self.open_a = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.in_body |= tag == "body"
        self.skip += tag in HIDDEN or (tag == "a" and ("class", "anchor-link") in attrs)
        self.open_a = tag == "a" and ("class", "anchor-link") in attrs

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in HIDDEN or (tag == "a" and self.open_a)
        self.open_a = False

    def handle_data(self, data: str) -> None:
        if self.in_body and not self.skip:
            self.parts.append(data)


def characters(text: str) -> set[str]:
    # NFKC: a ligature the printer set ("ﬃ") counts as its letters
    return {c for c in unicodedata.normalize("NFKC", text) if not c.isspace()}


def test_every_chart_and_size_draws_every_glyph(built: Path, tmp_path: Path) -> None:
    data = built / "data/processed"
    src = pd.read_csv(data / "sources.csv", dtype=str, keep_default_na=False)
    missing = []
    with mock.patch.dict(charts.STYLE, {"savefig.dpi": 40}):  # laid out as in the build
        for name, make_chart in charts.CHARTS.items():
            chart = make_chart(data, data)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                charts.render(chart, name, src, tmp_path, formats=("png",))
            missing += [
                f"{name}: {w.message}" for w in caught if fonts.MISSING_GLYPH in str(w.message)
            ]
    assert missing == []


def test_brief_pdf_prints_every_character_in_an_embedded_font(built: Path) -> None:
    from pypdf import PdfReader

    printed = built / "reports/brief.pdf"
    if not printed.exists():
        pytest.skip("chromium is not installed, so the brief was not printed")
    page = PageText()
    page.feed((built / "reports/brief.html").read_text(encoding="utf-8"))
    pdf = PdfReader(printed)
    text = "".join(p.extract_text() for p in pdf.pages)
    lost = sorted(characters("".join(page.parts)) - characters(text))
    assert lost == [], f"printed as empty boxes or not at all: {''.join(lost)}"
    assert len(pdf.pages) == 1
    for p in pdf.pages:
        for font in p["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] != "/Type3", font["/BaseFont"]
            descendant = (
                font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            )
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font
