"""Charts as accessible SVG, inlined into pages: named marks, escaped text, ids that stay unique
and resolve when several charts share a page."""

from __future__ import annotations

import io
import re
from xml.etree import ElementTree

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis import embed, marks  # noqa: E402
from analysis.style import RC  # noqa: E402
from tests.unit.test_narrate import PAYLOADS, Page, words  # noqa: E402

NS = {"svg": "http://www.w3.org/2000/svg"}


def drawn(texts: list[str]) -> tuple[str, list[marks.Mark]]:
    """A small bar chart as SVG (text as outlines, clip paths) with one mark per bar."""
    with plt.rc_context(RC):
        fig = plt.figure(figsize=(4, 3))
        ax = fig.add_subplot()
        ax.bar([2019, 2020, 2021], [1047, 229, 63])
        ax.set_title("Arrivals")
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
        at = [(2019, 1047), (2020, 229), (2021, 63)]
        ms = [marks.Mark(t, x, y) for t, (x, y) in zip(texts, at, strict=True)]
        placed = marks.place(fig, ax, ms)
        plt.close(fig)
    return embed.annotate(out.getvalue(), "Title", "Alt", embed.overlay(placed, 288, 216)), ms


def test_every_mark_is_focusable_named_and_escaped() -> None:
    svg, ms = drawn(PAYLOADS[:3])
    root = ElementTree.fromstring(svg)
    assert root.find("svg:title", NS).text == "Title" and root.find("svg:desc", NS).text == "Alt"
    assert root.get("aria-labelledby") == "title" and root.get("aria-describedby") == "desc"
    groups = root.findall(".//svg:g[@class='nkc-mark']", NS)
    assert [g.get("aria-label") for g in groups] == PAYLOADS[:3]
    assert all(g.get("tabindex") == "0" and g.get("role") == "img" for g in groups)
    # the tooltip shows the same words, as text: no element comes from the data
    tips = ["".join(g.find(".//svg:foreignObject", NS).itertext()) for g in groups]
    assert [words(t) for t in tips] == [words(p) for p in PAYLOADS[:3]]
    assert not root.findall(".//{*}script") and not root.findall(".//{*}img")


def test_columns_span_the_plot_and_sit_on_their_bars() -> None:
    svg, _ = drawn(["a", "b", "c"])
    root = ElementTree.fromstring(svg)
    hits = [g.find("svg:rect", NS) for g in root.findall(".//svg:g[@class='nkc-mark']", NS)]
    xs = [float(h.get("x")) for h in hits]
    widths = [float(h.get("width")) for h in hits]
    assert xs == sorted(xs) and all(w > 10 for w in widths)
    # neighbours touch: the column of one bar ends where the next begins
    assert xs[1] == pytest.approx(xs[0] + widths[0], abs=0.05)
    assert len({h.get("y") for h in hits}) == 1 and len({h.get("height") for h in hits}) == 1


def test_inline_prefixes_every_id_and_every_reference_resolves() -> None:
    svg, _ = drawn(["a", "b", "c"])
    page = embed.inline(svg, "one", 400) + embed.inline(svg, "two", 400)
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # two charts on one page share no id
    refs = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', page)
    refs += [(r, "") for r in re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', page)]
    assert refs and all((a or b) in ids for a, b in refs)
    assert "<?xml" not in page and "<metadata" not in page and "<!DOCTYPE" not in page
    assert "xmlns" not in page  # the HTML parser puts SVG and its foreign HTML in place
    head = re.search(r"<svg\b[^>]*>", page).group(0)
    assert 'width="' not in head and "width:100%" in head and "max-width:400px" in head


def test_figure_caption_is_text() -> None:
    html = embed.figure("<svg></svg>", "c", PAYLOADS[0], 605)
    page = Page(html)
    assert page.tags == ["figure", "svg", "figcaption"]
    assert page.parts == [PAYLOADS[0]]
