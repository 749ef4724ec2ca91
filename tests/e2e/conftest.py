"""One real build in a temporary copy of the repository, and one headless browser (where
Chromium and its driver are installed), shared by the end-to-end tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import report
from analysis.bench import copy_project
from tests.e2e.helpers import make

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
PRISTINE = Path("build/pristine-reports")  # in the session build: its HTML reports, untouched


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tracked files (timestamps kept) sharing this checkout's environment."""
    dest = tmp_path_factory.mktemp("project")
    copy_project(dest)
    result = make(dest, "report")
    assert result.returncode == 0, result.stderr
    # the reports as first built, before any test edits the copy (see PRISTINE)
    (dest / PRISTINE).mkdir(parents=True)
    for page in (dest / "reports").glob("*.html"):
        shutil.copy2(page, dest / PRISTINE / page.name)
    return dest


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Chromium driven by selenium, offline, with the flags the PDF printer uses."""
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
    for flag in [
        *report.CHROMIUM_FLAGS,
        "--disable-quic",
        f"--user-data-dir={tmp_path_factory.mktemp('chr')}",
    ]:
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    yield driver
    driver.quit()
