"""The reports read as edited documents, measured in a real browser: lines of at most ~75
characters, nothing cut off on a phone (wide tables scroll in their own box), no internal codes
or machine notation in what a reader sees, the primary source named first; the brief is one A4
page with its charts at their drawn width, and stacked on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from tests.e2e.helpers import LINE_LENGTHS, open_page

pytestmark = pytest.mark.slow
REPORTS = sorted(p.stem for p in Path("reports/params").glob("*.yaml"))
# a second set of a template lays out like the first: its pages are measured in make proof
SECOND = {"arrivals-onelevel"}


def pages(names: list[str]) -> list:
    return [pytest.param(n, marks=pytest.mark.proof) if n in SECOND else n for n in names]


MAX_LINE_CHARS = 75
A4_CONTENT_PX = round((210 - 2 * 12) / 25.4 * 96)  # the brief's page less its side margins
SINGLE_COLUMN_MM = 8.8 * 10


@pytest.fixture
def window(browser):
    yield browser
    browser.set_window_size(1280, 900)
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("page", pages([*REPORTS, "gallery"]))
def test_lines_are_short_and_nothing_is_cut_off(window, built: Path, page: str, width: int):
    window.set_window_size(width, 900)
    open_page(window, built / f"reports/{page}.html")
    state = window.execute_script(LINE_LENGTHS)
    assert state["max"] <= MAX_LINE_CHARS, (page, width, state["longest"])
    assert state["scrollWidth"] <= 0, (page, width)  # the page never scrolls sideways
    # a table wider than the page scrolls inside its own box, which the keyboard can reach
    tables = window.execute_script(
        "return [...document.querySelectorAll('table')].map(t => "
        "[t.parentElement.className, t.parentElement.tabIndex, "
        " getComputedStyle(t.parentElement).overflowX])"
    )
    assert all(t == ["nk-table", 0, "auto"] for t in tables), (page, tables)


def words_a_reader_should_not_see(text: str, built: Path) -> list[str]:
    """Internal codes and machine notation in a page's text (publishers' names and titles,
    which are data shown verbatim, are taken out first)."""
    src = pd.read_csv(built / "data/processed/sources.csv", keep_default_na=False)
    names = [*src["publisher"], *src["publisher_ko"], *src["title"]]
    for value in sorted(names, key=len, reverse=True):
        text = text.replace(value, "")
    found = [i for i in src["source_id"] if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", text)]
    found += re.findall(r"\b[a-z]+_[a-z_]+\b", text)  # column names, flag and term codes
    found += re.findall(r"\d\.?\d*e[-+]\d+", text)  # scientific notation
    found += re.findall(r"(?<![\w.])-0\.0+\b|\u22120\.0+\b", text)  # a negative zero
    found += re.findall(r"\b(?:nan|NaN|None|True|False)\b", text)
    return found


@pytest.mark.parametrize("page", pages(REPORTS))
def test_no_internal_codes_and_the_primary_source_first(browser, built: Path, page: str):
    open_page(browser, built / f"reports/{page}.html")
    text = browser.execute_script("return document.querySelector('main').innerText")
    assert words_a_reader_should_not_see(text, built) == [], page
    summary = browser.find_element(By.CSS_SELECTOR, ".nk-sources-summary").text
    korean = page.endswith("-ko")
    group, primary = (
        ("입국 인원 집계", "통일부")
        if korean
        else ("Arrival counts", "the Ministry of Unification")
    )
    first = next(line for line in summary.splitlines() if line.startswith(group))
    assert primary in first, first
    # the full list cites each publication once, by publisher and title, never by its id
    listed = browser.find_elements(By.CSS_SELECTOR, ".nk-sources li")
    assert listed and len({li.text for li in listed}) == len(listed)


def test_brief_prints_on_one_a4_page(built: Path) -> None:
    from pypdf import PdfReader

    pdf = built / "reports/brief.pdf"
    if not pdf.exists():
        pytest.skip("chromium is not installed: no PDF was printed")
    pages = PdfReader(pdf).pages
    assert len(pages) == 1
    box = pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)


def test_brief_charts_print_at_full_column_width_and_stack_on_a_phone(window, built: Path):
    brief = built / "reports/brief.html"
    # as printed: the A4 page's width, print styles
    window.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": A4_CONTENT_PX, "height": 1100, "deviceScaleFactor": 1, "mobile": False},
    )
    window.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    open_page(window, brief)
    boxes = window.execute_script(
        "return [...document.querySelectorAll('figure.nk-chart svg')]"
        ".filter(s => s.getClientRects().length > 0).map(s => {"
        "const r = s.getBoundingClientRect(); return [r.left, r.top, r.width, r.height];})"
    )
    assert len(boxes) == 3
    for _, _, width_px, _ in boxes:
        assert width_px / 96 * 25.4 == pytest.approx(SINGLE_COLUMN_MM, abs=0.5)
    window.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    window.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    # on a phone: one chart under the other, each within the screen, after the key numbers
    window.set_window_size(390, 900)
    open_page(window, brief)
    state = window.execute_script(
        """
        const charts = [...document.querySelectorAll('figure.nk-chart svg')]
          .filter(s => s.getClientRects().length > 0).map(s => s.getBoundingClientRect());
        const lede = document.querySelector('main .nk-dek');
        return {charts: charts.map(r => [r.left, r.right, r.top, r.bottom]),
                lede: lede.getBoundingClientRect().top, width: window.innerWidth};
        """
    )
    charts = state["charts"]
    assert len(charts) == 3
    assert all(left >= 0 and right <= state["width"] for left, right, _, _ in charts)
    assert all(a[3] <= b[2] for a, b in zip(charts, charts[1:], strict=False))  # stacked
    assert state["lede"] < charts[0][2]  # the story comes first
