"""The contact sheet: every chart at print size and every report at phone width on one page,
the same bytes from the same build, and every picture in it decodes."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.e2e.helpers import open_page

pytestmark = pytest.mark.slow


def test_contact_sheet_shows_every_chart_at_print_size_and_every_report_at_phone_width(
    built: Path,
) -> None:
    page = (built / "reports/contact-sheet.html").read_text()
    man = json.loads((built / "reports/figures/manifest.json").read_text())
    for c in man["charts"]:
        for size, (w_cm, _) in c["sizes_cm"].items():
            assert f'src="figures/{c["name"]}-{size}.svg" style="width:{w_cm:g}cm;' in page
            # the Korean charts too: a reviewer sees every translation as drawn
            assert f'src="figures/{c["name"]}-ko-{size}.svg"' in page
    frames = re.findall(r'<iframe src="([^"]+)" width="(\d+)"', page)
    reports = sorted(p.stem for p in (built / "reports/params").glob("*.yaml"))
    assert frames == [(f"{name}.html", "390") for name in [*reports, "gallery", "gallery-ko"]]
    assert all((built / "reports" / src).exists() for src, _ in frames)
    assert "<script" not in page


def test_contact_sheet_is_the_same_bytes_when_built_again(built: Path, tmp_path: Path) -> None:
    before = (built / "reports/contact-sheet.html").read_bytes()
    stage = built / "build/stage/reports/contact-sheet.html"
    made = stage.stat()  # put back after: the build that the other tests share stays up to date
    stage.unlink()
    sets = sorted(p.stem for p in (built / "reports/params").glob("*.yaml"))
    subprocess.run(
        [".venv/bin/python", "-m", "analysis.contact", *sets],
        cwd=built,
        check=True,
        env={"NKB_RUNNER": "inline", "PATH": "/usr/bin:/bin"},
    )
    os.utime(stage, ns=(made.st_atime_ns, made.st_mtime_ns))
    assert stage.read_bytes() == before


def test_contact_sheet_pictures_decode(browser, built: Path) -> None:
    open_page(browser, built / "reports/contact-sheet.html")
    state = browser.execute_script(
        "const imgs = [...document.images];"
        "return {n: imgs.length, broken: imgs.filter(i => !i.complete || !i.naturalWidth)"
        ".map(i => i.src), frames: document.querySelectorAll('iframe').length};"
    )
    assert state["n"] > 0 and state["broken"] == [] and state["frames"] >= 6


def test_contact_sheet_does_not_scroll_sideways_on_a_phone(browser, built: Path) -> None:
    """On a 390 px phone the page keeps to the screen's width: a chart wider than the screen
    (it is shown at print size) scrolls inside its own box."""
    browser.set_window_size(390, 900)
    try:
        open_page(browser, built / "reports/contact-sheet.html")
        wider = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    finally:
        browser.set_window_size(1280, 900)
    assert wider <= 0, f"the page is {wider} px wider than a 390 px phone's screen"
