"""Data is never code: values reach the report as text, verbatim, through narrate's helpers."""

from __future__ import annotations

import csv
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from nbconvert.filters.markdown import markdown2html

from analysis import narrate as nr
from analysis import raw

PAYLOADS = [
    "<script>document.title='x'</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1)) <javascript:alert(2)> https://evil.example www.evil.example",
    "_x_ *y* **z** `code` ~~s~~ \\_ &amp; &#60;b&#62; $a$",
    "a | b\n| --- |\nc",
    "# heading\n- item\n1. item\n    indented\n> quote\n\n---",
    "Ministry of Unification (북한) — ‘quoted’ “twice”",
]


class Page(HTMLParser):
    """The tags and the text of an HTML fragment."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.chunks: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    @property
    def parts(self) -> list[str]:
        """Each text node, whitespace runs read as one space (as a browser shows them)."""
        return [words(c) for c in self.chunks if c.strip()]


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_value_is_verbatim_text_in_markdown(payload: str) -> None:
    page = Page(markdown2html(f"# Title {nr.esc(payload)}\n\nAs of **{nr.esc(payload)}**."))
    assert page.tags == ["h1", "a", "p", "strong"]  # the heading's anchor; the prose's bold
    assert page.parts == [words(f"Title {payload}"), "¶", "As of", words(payload), "."]
    assert not [a for a in page.attrs if a[0].startswith("on") or a[0] == "src"]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_table_cells_are_escaped_and_stay_in_their_cell(payload: str) -> None:
    rows = [{"event": payload, "n": "1047"}, {"event": "plain", "n": ""}]
    page = Page(nr.table(rows, {"event": "Event", "n": "N"}, {"n": 0}).data)
    assert page.tags.count("td") == 4 and page.tags.count("tr") == 3
    assert set(page.tags) == {"div", "table", "thead", "tbody", "tr", "th", "td"}
    assert page.parts == ["Event", "N", words(payload), "1,047", "plain"]


def test_sources_link_only_the_url_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    payload, url = PAYLOADS[1] + PAYLOADS[2], 'https://example.org/a?x=1&y="2"'
    rows = [
        {"source_id": "b", "publisher": "B", "published": "2023", "url": ""},
        {"source_id": "a", "publisher": payload, "published": "2024", "url": url},
    ]
    for r in rows:  # as analysis.raw.sources writes it
        r["citation"] = f"{r['publisher']}, “{payload}”, {r['published']}." + (
            f" {r['url']}" if r["url"] else ""
        )
    table = tmp_path / nr.paths.processed("sources")  # where a build writes it (the stage)
    table.parent.mkdir(parents=True)
    with open(table, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.chdir(tmp_path)
    cited = nr.sources({"arrivals": {"a", "b"}}, {"arrivals": "Arrival counts"})
    assert cited.as_of == "2024" and cited.count == 2
    page = Page(cited.listing.data)
    assert page.tags == ["ol", "li", "a", "li"]
    assert page.attrs == [("class", "nk-sources"), ("href", url)]
    # no internal id; the address shown by its site's name
    assert page.parts == [
        words(f"{payload}, “{payload}”, 2024."),
        "example.org",
        words(f"B, “{payload}”, 2023."),
    ]
    # the summary names the primary source first, then the publications, as text
    summary = Page(cited.summary.data)
    assert summary.tags == ["ul", "li", "strong"]
    text = " ".join(summary.parts)
    assert text.startswith("Arrival counts : the Ministry of Unification") and payload in text


def test_reprints_are_grouped_under_whose_text_they_carry() -> None:
    assert nr.originator("Yonhap via Hankyung") == "Yonhap"
    assert nr.originator("IANS (citing Yonhap) via Daijiworld") == "Yonhap"
    assert nr.originator("reporter.am (republication of Radio Free Asia)") == "Radio Free Asia"
    assert nr.originator("UPI (copy on oddonion.com)") == "UPI"
    assert nr.originator("NK News") == "NK News"
    rows = [{"publisher": p} for p in ("Yonhap", "Yonhap via Hankyung", "Yonhap via NK Chosun")]
    assert nr.reprints(rows, "Yonhap") == " (3: 2 reprints)"
    assert nr.reprints(rows[1:], "Yonhap") == " (2 reprints)"
    assert nr.reprints(rows[:1], "Yonhap") == ""


def test_korean_names_of_reprints_name_the_same_originator() -> None:
    """The Korean names in data/raw/sources.csv (publisher_ko) say who carried whose text as
    the English ones do, so the Korean brief groups its sources as the English one does:
    each English originator is one Korean originator."""
    assert nr.originator("연합뉴스(한국경제 게재)") == "연합뉴스"
    assert nr.originator("IANS(연합뉴스 인용, Daijiworld 게재)") == "연합뉴스"
    assert nr.originator("reporter.am(자유아시아방송 전재)") == "자유아시아방송"
    assert nr.originator("UPI통신(oddonion.com 사본)") == "UPI통신"
    assert nr.originator("자유아시아방송(RFA)") == "자유아시아방송(RFA)"
    sources = raw.sources()
    korean: dict[str, set[str]] = {}
    for english, ko in zip(sources["publisher"], sources["publisher_ko"], strict=True):
        korean.setdefault(nr.originator(english), set()).add(nr.originator(ko))
    assert {k: v for k, v in korean.items() if len(v) != 1} == {}


def test_numbers_have_no_negative_zero_and_a_typographic_minus() -> None:
    assert nr.n(-0.001, 2) == "0.00" and nr.n(-0.4) == "0"
    assert nr.n(-1234.5, 1) == "\u22121,234.5"
    assert nr.p_value(4.9e-05) == "p < 0.001" and nr.p_value(0.0312) == "p = 0.03"
    assert nr.span([2020, 2021, 2024]) == "2020\u20132024" and nr.span([2023]) == "2023"


def test_a_change_on_a_year_with_no_arrivals_is_an_empty_cell() -> None:
    # model_changes.csv leaves change_pct empty after a zero year (found by the future test)
    assert nr.pct("", signed=True) == "" and nr.pct(None) == ""
    assert nr.pct("-87.4", signed=True) == "\u221287%" and nr.pct(12.0, signed=True) == "+12%"


def test_chart_is_inline_with_its_caption_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = {
        "caption": PAYLOADS[0],
        "source_line": "Source: " + PAYLOADS[1],
        "alt_text": "a<b",
        "sizes_cm": {"web": [16.0, 9.0]},
    }
    (tmp_path / "c.json").write_text(json.dumps(meta))
    svg = (
        '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1pt" height="1pt"/>'
    )
    (tmp_path / "c-web.svg").write_text(svg)
    page = Page(nr.chart(tmp_path, "c").data)
    assert page.tags == ["figure", "svg", "figcaption"]
    # the caption as text; the source line is drawn in the chart, not repeated below it
    assert page.parts == [PAYLOADS[0]]


@pytest.mark.parametrize("size", ["web", "single"])
def test_chart_with_its_phone_layout_holds_both_and_the_rules_that_pick_one(
    tmp_path: Path, size: str
) -> None:
    """A report shows the phone layout in a narrow column instead of shrinking the other
    (and on screen instead of a print size): both inline, each with its own ids."""
    meta = {"caption": "c", "alt_text": "a", "sizes_cm": {size: [16.0, 9.0], "phone": [9.9, 12.4]}}
    (tmp_path / "c.json").write_text(json.dumps(meta))
    for s in (size, "phone"):
        (tmp_path / f"c-{s}.svg").write_text(
            f'<svg xmlns="http://www.w3.org/2000/svg" width="1pt" height="1pt">'
            f'<g id="text_1"><title>{s}</title></g></svg>'
        )
    markup = nr.figure_row(tmp_path, ["c"], size).data
    page = Page(markup)
    assert page.tags == ["div", "figure", "style", "div", "svg", "g", "title"] + [
        "div",
        "svg",
        "g",
        "title",
    ]
    classes = [v for k, v in page.attrs if k == "class"]
    assert classes[2:] == [f"nk-layout-{size}", "nk-layout-phone"]
    ids = [v for k, v in page.attrs if k == "id"]
    assert ids == [f"c-{size}-text_1", "c-phone-text_1"]
    assert "@container nk-chart (max-width:560px)" in markup
    assert "max-width:560px" in markup  # the phone layout grows with a phone's column


def test_table_digits_may_follow_the_row() -> None:
    """A count and a length in one column: "5", not "5.0"; "7.4" km."""
    rows = [{"v": "5.0", "unit": "structures"}, {"v": "7.4", "unit": "km"}, {"v": "", "unit": "m"}]
    page = Page(nr.table(rows, {"v": "Value"}, {"v": lambda r: 1 if r["unit"] == "km" else 0}).data)
    assert page.parts == ["Value", "5", "7.4"]
