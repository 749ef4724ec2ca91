"""Every report and the gallery in a real headless browser, offline: figures decode, no error
output, no code, no request leaves the page.

Skipped where Chromium and its driver are not installed, unless NKB_REQUIRE_BROWSER is set (as
.ci/run does), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import report

pytestmark = pytest.mark.slow
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
PAGES = ["arrivals", "arrivals-break2019", "border", "brief", "gallery"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    if not (CHROMIUM and DRIVER):
        why = (
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)"
        )
        if os.environ.get("NKB_REQUIRE_BROWSER"):
            pytest.fail(why + "; NKB_REQUIRE_BROWSER is set")
        pytest.skip(why)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    flags = [f for f in report.CHROMIUM_FLAGS if f != "--no-pdf-header-footer"]
    for flag in [*flags, "--disable-quic", f"--user-data-dir={tmp_path_factory.mktemp('chr')}"]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()


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
