"""The charts of every report and gallery readable where the page is read: the type of every
chart, as the browser draws it, is at least 11 CSS px on a 390 px phone and on a 1280 px screen
(a web chart shrunk into a phone's column drew its labels at ~7 px; the brief's print-size
charts drew theirs at 9.3 px on any screen)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import open_page
from tests.e2e.test_documents import REPORTS, pages

pytestmark = pytest.mark.slow
READABLE_PX = 11  # the smallest text read on a phone without zooming (analysis/style.py)
PROOF_GALLERY = pytest.param("gallery-ko", marks=pytest.mark.proof)

# Every text of a chart is drawn as outlines (svg.fonttype "path"): one group per text, whose
# transform scales glyphs of 100 units to the em (matplotlib's textpath.FONT_SCALE) to the
# text's size in points. The scale on screen of that group is the text's size in CSS px.
TYPE_PX = """
return [...document.querySelectorAll('figure.nk-chart')].map(fig => {
  const shown = [...fig.querySelectorAll('svg')].filter(s => s.getClientRects().length > 0
      && s.getBoundingClientRect().width > 0 && !s.closest('.nkc-tip'));
  return shown.map(s => {
    const px = [...s.querySelectorAll('g[id*="text_"] g[transform*="scale"]')].map(g => {
      const m = g.getScreenCTM();
      return 100 * Math.sqrt(Math.abs(m.a * m.d - m.b * m.c));
    });
    return {name: s.getAttribute('aria-labelledby'), texts: px.length,
            minPx: Math.min(...px), widthPx: s.getBoundingClientRect().width};
  });
});
"""


@pytest.fixture
def window(browser):
    yield browser
    browser.set_window_size(1280, 900)


# one page load measured at both widths (the layouts follow the column as the window changes);
# a second set of a template and the Korean gallery lay out like the first: in make proof
@pytest.mark.parametrize("page", pages([*REPORTS, "gallery"]) + [PROOF_GALLERY])
def test_chart_type_is_readable_on_a_phone_and_a_screen(window, built: Path, page: str) -> None:
    window.set_window_size(390, 900)
    open_page(window, built / f"reports/{page}.html")
    for width in (390, 1280):
        window.set_window_size(width, 900)
        figures = window.execute_script(TYPE_PX)
        assert figures, page
        for shown in figures:
            assert len(shown) == 1, (page, width, shown)  # one layout of each chart at a time
            chart = shown[0]
            assert chart["texts"] > 5, (page, chart)
            assert chart["minPx"] >= READABLE_PX, (page, width, chart)
