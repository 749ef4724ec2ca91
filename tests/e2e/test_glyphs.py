"""Every character printed renders: every character of each brief's page (English and Korean)
is in its PDF's text, set in an embedded font, on one page. (Charts: every size and language
draws without a missing glyph, tests/unit/test_chart_languages.py.)"""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


# not printed as text: styles, scripts, the head, and inline charts (their drawn words are
# outlines; their <title>, <desc> and hover texts are for screen readers and pointers)
HIDDEN = ("style", "script", "head", "svg")


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


@pytest.mark.parametrize("brief", ["brief", "brief-ko"])
def test_brief_pdf_prints_every_character_in_an_embedded_font(built: Path, brief: str) -> None:
    from pypdf import PdfReader

    printed = built / f"reports/{brief}.pdf"
    if not printed.exists():
        pytest.skip("chromium is not installed, so the brief was not printed")
    page = PageText()
    page.feed((built / f"reports/{brief}.html").read_text(encoding="utf-8"))
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
