"""Every report and the gallery in a real headless browser, offline: figures decode, charts are
named for a screen reader and their marks reachable by keyboard, no error output, no code, no
request leaves the page.

Skipped where Chromium and its driver are not installed, unless NKB_REQUIRE_BROWSER is set (as
.ci/run does), which turns the skip into a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.helpers import open_page

pytestmark = pytest.mark.slow
PAGES = ["arrivals", "arrivals-onelevel", "border", "brief", "gallery"]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(browser, built: Path, page: str) -> None:
    open_page(browser, built / f"reports/{page}.html")
    state = browser.execute_script(
        """
        const imgs = [...document.images];
        return {
          images: imgs.length,
          broken: imgs.filter(i => !i.complete || i.naturalWidth === 0)
                      .map(i => i.alt.slice(0, 60)),
          svgs: document.querySelectorAll('svg').length,
          // a chart's text is outlines: its name and description come from <title>, <desc>
          unnamed: [...document.querySelectorAll('figure.nk-chart svg')].filter(s => {
            const ref = id => document.getElementById(s.getAttribute(id) || '');
            return !(ref('aria-labelledby') || {}).textContent
                || !(ref('aria-describedby') || {}).textContent;
          }).length,
          charts: document.querySelectorAll('figure.nk-chart svg').length,
          marks: [...document.querySelectorAll('.nkc-mark')].map(m => [
            m.tabIndex, (m.getAttribute('aria-label') || '').length]),
          // tab stops: the chart marks and the tables' scroll boxes, nothing a key cannot use
          stops: [...document.querySelectorAll('[tabindex]')]
            .filter(e => e.tabIndex >= 0 && !e.matches('.nkc-mark, .nk-table'))
            .map(e => e.className.baseVal ?? e.className),
          unlabelled: imgs.filter(i => !i.alt || i.alt.startsWith('No description'))
                        .map(i => i.src.slice(0, 40)),
          code: document.querySelectorAll('.jp-CodeCell .jp-InputArea, .jp-InputPrompt').length,
          errors: document.querySelectorAll(
            '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output.error'
          ).length,
          traceback: document.body.innerText.includes('Traceback'),
          external: performance.getEntriesByType('resource').map(r => r.name)
                      .filter(n => !n.startsWith('data:') && !n.startsWith('file:')),
          scripts: document.scripts.length,
        };
        """
    )
    assert state["images"] + state["svgs"] > 0, page
    assert state["broken"] == [], page
    assert state["unlabelled"] == [], page  # every chart carries its alt text
    assert state["charts"] > 0 and state["unnamed"] == 0, page
    # every bar and point is reachable by keyboard and named (the brief prints; it has them too)
    assert state["marks"] and all(t == 0 and n > 5 for t, n in state["marks"]), page
    assert state["stops"] == [], page
    assert state["code"] == 0 and state["errors"] == 0 and not state["traceback"], page
    assert state["external"] == [] and state["scripts"] == 0, page
