"""Data is never code: a payload of HTML, script, Markdown and table syntax in every text column
of every raw table and in the YAML title is built into the reports, which a real browser then
shows as text, verbatim, with no script run and no element added; the printed brief too.

The hostile build is a second build in its own temporary copy, of the reports only (the reports
draw their own charts; the chart files and the gallery are left out to keep it short); the same
browser as test_browser.py drives it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
import yaml
from selenium.webdriver.support.ui import WebDriverWait

from analysis import paths, report
from analysis.bench import copy_project
from analysis.figures import SECTION
from analysis.schema import RAW_SCHEMAS
from tests.e2e.conftest import PRISTINE
from tests.e2e.helpers import make

pytestmark = pytest.mark.slow
SETS = ["arrivals", "arrivals-onelevel", "border", "brief", "brief-ko"]
ENGLISH_SETS = [s for s in SETS if not s.endswith("-ko")]
# free-text columns: no pattern, no enum, not a number (the validator accepts anything there)
TEXT = {
    t: [
        f["name"]
        for f in schema["fields"]
        if f["type"] == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))
    ]
    for t, schema in RAW_SCHEMAS.items()
}
# where each value is shown: the reports that must show it verbatim
SHOWN = {
    "sources.publisher": ENGLISH_SETS,  # citations, chart source lines, the brief's labels
    "sources.publisher_ko": ["brief-ko"],  # the same, in Korean
    "sources.title": SETS,  # citations
    "events.event": ["border"],  # the events table
    "figures.unit": ["border"],  # the fortifications and wider-border tables
    "figures.place": ["border"],  # the wider-border table (areas other than Hoeryong)
    "figures.as_printed": ["border"],  # the wider-border and conflicts tables
    "yaml.title": SETS,
}
MARK = "document.documentElement.dataset.xss"


def payload(tag: str) -> str:
    """Script, event handler, javascript: link, Markdown emphasis and code, a table pipe and a
    newline, tagged with the column it was put in."""
    return (
        f"{tag} <script>{MARK}='{tag}'</script><img src=x onerror=\"{MARK}='{tag}'\">"
        f"[a](javascript:alert(1)) _x_ `c` a|b\nnext"
    )


def words(text: str) -> str:
    return " ".join(text.split())


def inject(root: Path) -> None:
    """Put the payload into every free-text column of every raw table (short labels for the
    24-character chart labels) and into every shipped set's title; rows stay valid."""
    for table, columns in TEXT.items():
        path = root / f"data/raw/{table}.csv"
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        for i, row in enumerate(rows):
            for col in columns:
                if col in ("chart_label", "chart_label_ko"):
                    row[col] = row[col] and f"<b>L{i}</b>_x_|`c`"
                elif col == "place" and row[col] == SECTION:
                    continue  # the fortification figures are looked up by this place
                else:
                    row[col] = f"{row[col]} {payload(f'{table}.{col}')}".strip()
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    for name in SETS:
        path = root / f"reports/params/{name}.yaml"
        params = yaml.safe_load(path.read_text())
        params["title"] = payload("yaml.title")
        path.write_text(yaml.safe_dump(params, allow_unicode=True))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    copy_project(root)
    inject(root)
    reports = [f"{paths.STAGE}/reports/{name}.html" for name in SETS]
    reports += [f"{paths.STAGE}/reports/brief.pdf"] if report.chromium() else []
    result = make(root, *reports)
    assert result.returncode == 0, result.stderr[-2000:]
    return (
        root / paths.STAGE
    )  # the reports as built: a build of part of the outputs is not published


def test_every_text_column_is_injected() -> None:
    assert TEXT == {
        "sources": ["publisher", "title", "author", "note", "publisher_ko"],
        "arrivals": ["note", "locator"],
        "figures": ["place", "unit", "locator", "as_printed", "note"],
        "events": ["event", "locator", "note", "chart_label", "chart_label_ko", "event_ko"],
    }


PAGE_STATE = f"""
const all = [...document.querySelectorAll('*')];
return {{
  ran: {MARK} || null,
  scripts: document.scripts.length,
  handlers: all.filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  images: [...document.images].filter(i => !i.src.startsWith('data:')).length,
  links: [...document.links].map(a => a.getAttribute('href'))
           .filter(h => !/^(https?:|#)/.test(h)),
  // the page's elements; inside an inline chart, only which kinds there are (its drawn text is
  // outlines, one element per glyph, so longer data draws more of them) and its marks
  tags: all.filter(e => !e.closest('svg')).map(e => e.tagName),
  svgKinds: [...new Set(all.filter(e => e.closest('svg')).map(e => e.tagName))].sort(),
  marks: document.querySelectorAll('.nkc-mark').length,
  text: document.body.innerText,
  title: document.title,
}};
"""


def read_page(browser, page: Path) -> dict:  # noqa: ANN001
    """The page's state once the whole page has been parsed: a report of several megabytes on
    a loaded machine was once read while it still ended at a middle section."""
    browser.get(page.as_uri())
    WebDriverWait(browser, 60).until(
        lambda b: (
            b.execute_script("return document.readyState") == "complete"
            and any(
                last in b.execute_script("return document.body.innerText")
                for last in ("Software", "\uc18c\ud504\ud2b8\uc6e8\uc5b4")  # the last section
            )
        )
    )
    return browser.execute_script(PAGE_STATE)  # an open alert() would fail this call


@pytest.mark.proof  # a second full build of hostile data (about a minute): make proof
@pytest.mark.parametrize("name", SETS)
def test_report_shows_the_payload_as_text(browser, built: Path, hostile: Path, name: str) -> None:
    state = read_page(browser, hostile / f"reports/{name}.html")
    assert state["ran"] is None and state["scripts"] == 0 and state["handlers"] == 0
    assert state["images"] == 0 and state["links"] == []
    text = words(state["text"])
    for column, shown_in in SHOWN.items():
        if name in shown_in:
            assert words(payload(column)) in text, column
    assert state["title"] == words(payload("yaml.title"))
    # the same elements as the report of the shipped data (as first built): the payload added none
    clean = read_page(browser, built / PRISTINE / f"{name}.html")
    assert Counter(state["tags"]) == Counter(clean["tags"])
    assert state["svgKinds"] == clean["svgKinds"] and state["marks"] == clean["marks"]


@pytest.mark.proof
def test_printed_brief_shows_the_payload_as_text(hostile: Path) -> None:
    from pypdf import PdfReader

    if not (hostile / "reports/brief.pdf").exists():
        pytest.skip("chromium is not installed: no PDF was printed")
    text = "".join(page.extract_text() for page in PdfReader(hostile / "reports/brief.pdf").pages)
    flat = "".join(text.split())  # line breaks and spacing are the layout's
    for column in ("sources.publisher", "sources.title", "yaml.title"):
        assert "".join(payload(column).split()) in flat, column


def test_pdf_printer_runs_no_script(tmp_path: Path) -> None:
    """Even a page without the reports' script policy prints as written: no script replaces the
    text and an alert() cannot hold the printer."""
    from pypdf import PdfReader

    if not report.chromium():
        pytest.skip("chromium is not installed")
    page = tmp_path / "forged.html"
    page.write_text(
        "<p id=p>as written</p><script>document.getElementById('p').textContent='forged';"
        "alert(1)</script><img src=x onerror=\"document.body.textContent='forged'\">"
    )
    report.pdf(page, tmp_path / "out.pdf")
    text = PdfReader(tmp_path / "out.pdf").pages[0].extract_text()
    assert text.strip() == "as written"
