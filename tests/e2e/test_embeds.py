"""Every bar and point of every chart in words (value, year, source; no internal codes), and
embeds that work where they are pasted: a snippet alone in an empty folder, opened offline,
shows its chart and its values on hover and on keyboard focus."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

from analysis import charts, raw  # noqa: E402
from tests.e2e.helpers import open_page  # noqa: E402

pytestmark = pytest.mark.slow
NAMES = list(charts.CHARTS)


def drawn_marks(ax: plt.Axes) -> tuple[set, set, set]:
    """What a reader sees on the axes: vertical bars (their x), horizontal bars (their y) and
    points (x, y), in data coordinates (error bars' caps are not points)."""
    columns, rows, points = set(), set(), set()
    caps = set()
    for c in ax.containers:
        if isinstance(c, ErrorbarContainer):
            caps |= {id(line) for line in c.lines[1]}
        elif isinstance(c, BarContainer):
            for p in c.patches:
                if c.orientation == "vertical":
                    columns.add(round(p.get_x() + p.get_width() / 2, 4))
                else:
                    rows.add(round(p.get_y() + p.get_height() / 2, 4))
    for line in ax.lines:
        if line.get_marker() in (None, "None", "", " ") or id(line) in caps:
            continue
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True):
            points.add((round(float(x), 4), round(float(y), 4)))
    return columns, rows, points


@pytest.fixture(scope="module")
def built_charts(built: Path) -> dict[str, charts.Chart]:
    data = built / "data/processed"
    src = raw.sources()
    return {name: charts.build(name, data, data, src) for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_every_bar_and_point_has_a_mark_and_every_mark_a_bar_or_point(
    built_charts: dict[str, charts.Chart], name: str
) -> None:
    chart = built_charts[name]
    ms = chart.marks
    assert ms, name
    fig = charts.figure(chart, raw.sources(), "web")  # every panel, as drawn on screen
    for panel, ax in enumerate(fig.axes):
        columns, rows, points = drawn_marks(ax)
        mine = [m for m in ms if m.panel == panel]
        at_x = {round(float(m.x), 4) for m in mine if m.kind == "column"}
        at_y = {round(float(m.y), 4) for m in mine if m.kind == "row"}
        at_xy = {(round(float(m.x), 4), round(float(m.y), 4)) for m in mine if m.kind == "point"}
        assert columns <= at_x, f"{name}: bars without a mark at {sorted(columns - at_x)}"
        assert rows <= at_y, f"{name}: bars without a mark at {sorted(rows - at_y)}"
        bare = {p for p in points if p[0] not in at_x and p not in at_xy}
        assert not bare, f"{name}: points without a mark: {sorted(bare)}"
        drawn_x = columns | {x for x, _ in points}
        assert at_x <= drawn_x, f"{name}: marks on nothing drawn at x {sorted(at_x - drawn_x)}"
        assert at_y <= rows and at_xy <= points, name
    plt.close(fig)


@pytest.mark.parametrize("name", NAMES)
def test_marks_say_value_year_and_source_in_words(
    built_charts: dict[str, charts.Chart], name: str
) -> None:
    src = raw.sources()
    ids = set(src["source_id"])
    for m in built_charts[name].marks:
        # the project's own words: without the publishers' names (English or Korean), data
        own = m.text
        for publisher in sorted({*src["publisher"], *src["publisher_ko"]}, key=len, reverse=True):
            own = own.replace(publisher, "")
        assert re.search(r"\d", m.text), m.text  # a value
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", own), m.text  # a column or flag code
        assert not ids & set(re.findall(r"[\w-]+", m.text)), m.text  # a source id
        assert not re.search(r"\b(nan|None|NaN|<NA>|True|False)\b", own), m.text
        if name not in ("break_scan",):  # a model's profile has no source but the model
            assert "Source" in m.text or "no published count" in m.text, m.text


def test_revised_years_list_every_other_value_published(
    built: Path, built_charts: dict[str, charts.Chart]
) -> None:
    """The arrivals bars carry the revisions: every other value published for the year."""
    rev = pd.read_csv(built / "data/processed/arrivals_revisions.csv")
    rev = rev[(rev["period"] == "year") & (rev["measure"] == "total")]
    annual = pd.read_csv(built / "data/processed/arrivals_annual.csv").dropna(
        subset=["arrivals_count"]
    )
    texts = {int(m.x): m.text for m in built_charts["arrivals"].marks}
    for r in annual.itertuples():
        text = texts[int(r.year)]
        assert text.startswith(f"{r.year}: {int(r.arrivals_count):,} arrivals. Source: ")
        others = rev[(rev["year"] == r.year) & (rev["status"] != "selected")]["value"]
        assert ("Also published" in text) == (len(others) > 0)
        for v in others:
            assert f"{int(v):,} (" in text


def tip_state(browser) -> dict:
    return browser.execute_script(
        """
        const el = document.activeElement;
        const shown = [...document.querySelectorAll('.nkc-tip')]
          .filter(t => getComputedStyle(t).display !== 'none');
        // the chart shown (an embed holds a narrow one for phones, not displayed on wider pages)
        const svg = [...document.querySelectorAll('svg')]
          .find(s => s.getBoundingClientRect().width > 0);
        const box = svg.getBoundingClientRect();
        return {
          focused: el && el.getAttribute('aria-label'),
          shown: shown.map(t => t.textContent.trim()),
          tipBoxes: shown.map(t => {
            const r = t.querySelector('.nkc-box').getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom, r.width, r.height];
          }),
          fontPx: shown.map(t => parseFloat(getComputedStyle(t.querySelector('.nkc-box')).fontSize)
                               * t.querySelector('.nkc-box').getBoundingClientRect().width
                               / t.querySelector('.nkc-box').offsetWidth),
          svg: [box.left, box.top, box.right, box.bottom, box.width, box.height],
          drawnPx: svg.viewBox.baseVal.width * 4 / 3,
          // the page's content width: the body's box less its padding and margins
          roomPx: document.documentElement.clientWidth
                  - ['marginLeft', 'marginRight', 'paddingLeft', 'paddingRight']
                    .reduce((a, k) => a + parseFloat(getComputedStyle(document.body)[k]), 0),
          charts: document.querySelectorAll('figure.nk-chart svg').length,
          name: svg.getAttribute('aria-labelledby') &&
                document.getElementById(svg.getAttribute('aria-labelledby')).textContent,
          external: performance.getEntriesByType('resource').map(r => r.name),
          images: document.images.length,
        };
        """
    )


# at phone width too in make proof (the phone layouts are also measured by the charts' tests)
@pytest.mark.parametrize("width", [1280, pytest.param(390, marks=pytest.mark.proof)])
def test_pasted_embed_shows_its_chart_and_values_offline(
    browser, built: Path, tmp_path: Path, width: int
) -> None:
    """Each embed alone in an empty folder: the chart fills its container (up to its drawn
    width), loads nothing, and every mark's value shows on hover and on Tab, readable."""
    browser.set_window_size(width, 900)
    try:
        for name in NAMES:
            page = tmp_path / f"{name}.html"
            shutil.copy(built / f"reports/figures/{name}-embed.html", page)
            open_page(browser, page)
            # the layout shown at this width (the embed holds the web and the phone layouts)
            ms = [
                m for m in browser.find_elements(By.CSS_SELECTOR, ".nkc-mark") if m.is_displayed()
            ]
            assert ms, name
            state = tip_state(browser)
            assert state["external"] == [] and state["images"] == 0, name
            assert 300 < state["svg"][4] <= 605.5 and state["svg"][5] > 150, (name, state)
            # an embed that holds a layout for narrow columns (a phone) shows the one that fits:
            # never shrunk below its drawn size but where the page is narrower (a tall chart
            # brings a scroll bar, which takes 15 px of a 390 px window here; phones overlay it)
            if state["charts"] > 1:
                room = min(state["drawnPx"], state["roomPx"])
                assert state["svg"][4] >= 0.98 * room, (name, state["svg"], state["roomPx"], width)
            assert state["name"], name  # the chart's title, for a screen reader
            assert state["shown"] == [], name  # no tooltip until asked
            # keyboard: the first Tab reaches the first mark; its tooltip shows its words
            ActionChains(browser).send_keys(Keys.TAB).perform()
            state = tip_state(browser)
            first = ms[0].get_attribute("aria-label")
            assert state["focused"] == first and state["shown"] == [first], name
            # pointer: hovering the last mark shows its tooltip, inside the chart, readable
            ActionChains(browser).move_to_element(
                ms[-1].find_element(By.CSS_SELECTOR, ".nkc-hit")
            ).perform()
            state = tip_state(browser)
            assert ms[-1].get_attribute("aria-label") in state["shown"], name
            for (left, _, right, *_), px in zip(state["tipBoxes"], state["fontPx"], strict=True):
                svg = state["svg"]
                assert svg[0] - 1 <= left and right <= svg[2] + 1, (name, state)
                assert px >= 10.5, (name, px)  # the tooltip's type, as shown on screen
    finally:
        browser.set_window_size(1280, 900)


@pytest.mark.parametrize("page", ["arrivals", "brief", "gallery"])
def test_charts_in_reports_and_gallery_show_values_on_hover(browser, built: Path, page: str):
    """Inlined by the reports' HTML export (which rewrites the markup) and by the gallery, the
    marks keep their tooltips."""
    open_page(browser, built / f"reports/{page}.html")
    mark = browser.find_elements(By.CSS_SELECTOR, ".nkc-mark")[3]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    ActionChains(browser).move_to_element(mark.find_element(By.CSS_SELECTOR, ".nkc-hit")).perform()
    state = tip_state(browser)
    assert state["shown"] == [mark.get_attribute("aria-label")], page
