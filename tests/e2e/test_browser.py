"""Every report and the gallery in a real headless browser, offline: figures decode, no error
output, no code, no request leaves the page.

Skipped where Chromium and its driver are not installed, unless NKB_REQUIRE_BROWSER is set (as
.ci/run does), which turns the skip into a failure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
PAGES = ["arrivals", "arrivals-onelevel", "border", "brief", "gallery"]


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_offline(browser, built: Path, page: str) -> None:
    browser.get((built / f"reports/{page}.html").as_uri())
    state = browser.execute_script(
        """
        const imgs = [...document.images];
        return {
          images: imgs.length,
          broken: imgs.filter(i => !i.complete || i.naturalWidth === 0)
                      .map(i => i.alt.slice(0, 60)),
          svgs: document.querySelectorAll('svg').length,
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
    assert state["code"] == 0 and state["errors"] == 0 and not state["traceback"], page
    assert state["external"] == [] and state["scripts"] == 0, page
