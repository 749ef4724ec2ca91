"""The reports of a real build: another parameter set moves the numbers, a failing cell gives
one clear line and leaves nothing half-written, and a rebuild is byte-identical."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.e2e.helpers import make

pytestmark = pytest.mark.slow
SETS = ["arrivals", "arrivals-onelevel", "border", "brief"]


def headline(built: Path, name: str) -> dict:
    return json.loads((built / "reports/notebooks" / name / "headline.json").read_text())


def test_every_parameter_set_has_html_and_notebook(built: Path) -> None:
    for name in SETS:
        assert (built / f"reports/{name}.html").stat().st_size > 10_000
        assert (built / f"reports/notebooks/{name}.ipynb").exists()


def test_another_parameter_set_moves_the_estimates(built: Path) -> None:
    default, alt = headline(built, "arrivals"), headline(built, "arrivals-onelevel")
    assert default["parameters"]["reopening_year"] == 2023
    assert alt["parameters"]["reopening_year"] == 0 and "reopening_rate_ratio" not in alt
    latest = default["latest_year"]["value"]  # whatever year the shipped data end in
    for head in (default, alt):
        assert head["missing_arrivals"]["years"] == list(range(2020, latest + 1))
    assert alt["missing_arrivals"]["value"] != default["missing_arrivals"]["value"]
    html = (built / "reports/arrivals-onelevel.html").read_text()
    assert f"{alt['missing_arrivals']['value']:,.0f}" in html
    assert f"{default['missing_arrivals']['value']:,.0f}" not in html
    text = re.sub(r"data:[^\"]+", "", html)  # the charts' SVGs are data URIs
    assert not re.search(r"\bnan\b", text, re.IGNORECASE) and "January 2019" not in text


def test_the_reports_print_every_claim_as_worded_by_its_test(built: Path) -> None:
    """What the notebooks display (not only what their cells compute): every comparison of
    the technical report, and the brief's shortfall with its horizon warning."""
    from analysis import wording

    def shown(name: str) -> str:
        text = (built / f"reports/{name}.html").read_text()
        text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())

    for name in ("arrivals", "arrivals-onelevel"):
        page = shown(name)
        for claim in wording.claims(headline(built, name)):
            assert claim.text in page, (name, claim.text)
        assert "Placebo closures in" in page
    assert wording.counterfactual_text(headline(built, "brief")) in shown("brief")


def test_custom_yaml_from_anywhere_builds_with_one_command(built: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("template: brief\ntitle: My own brief\nconfidence_level: 0.9\n")
    try:
        result = make(built, "custom", f"PARAMS={mine}")
        assert result.returncode == 0, result.stderr
        html = (built / "reports/mine.html").read_text()
        assert "My own brief" in html and "90%" in html
        assert headline(built, "mine")["parameters"]["confidence_level"] == 0.9
        usage = make(built, "custom")  # no PARAMS: a usage line, not a traceback
        assert usage.returncode != 0 and "make custom PARAMS=" in usage.stderr
    finally:
        for root in (built, built / "build/stage"):
            for path in (root / "reports/mine.html", root / "reports/notebooks/mine.ipynb"):
                path.unlink(missing_ok=True)
            shutil.rmtree(root / "reports/notebooks/mine", ignore_errors=True)


def test_failing_cell_names_report_and_cell_and_writes_nothing(built: Path) -> None:
    template = built / "reports/templates/broken.py"
    params = built / "reports/params/broken.yaml"
    text = (built / "reports/templates/brief.py").read_text()
    template.write_text(text.replace("nr.versions_line(", "1 / 0 or nr.versions_line("))
    params.write_text("template: broken\n")
    try:
        result = make(built, "build/stage/reports/broken.html")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1
        assert "report broken" in errors[0] and "cell" in errors[0]
        assert "ZeroDivisionError" in errors[0]
        for root in (built, built / "build/stage"):
            assert not (root / "reports/broken.html").exists()
            assert not (root / "reports/notebooks/broken.ipynb").exists()
    finally:
        template.unlink()
        params.unlink()
        (built / "build/templates/broken.ipynb").unlink(missing_ok=True)


def test_bad_parameter_is_refused_before_a_kernel_starts(built: Path) -> None:
    params = built / "reports/params/badparam.yaml"
    params.write_text("template: arrivals\nfamily: gaussian\nconfidence_level: high\n")
    try:
        result = make(built, "build/stage/reports/badparam.html")
        assert result.returncode != 0
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert errors and all("reports/params/badparam.yaml" in e for e in errors)
        assert any("confidence_level" in e for e in errors)
        assert not (built / "build/stage/reports/badparam.html").exists()
    finally:
        params.unlink()


@pytest.mark.proof  # every report built again: make proof
def test_rebuild_is_byte_identical(built: Path) -> None:
    # two of the four sets (`make proof` rebuilds everything in a second folder)
    outputs = [f"reports/{n}{ext}" for n in ("arrivals", "brief") for ext in (".html",)]
    outputs += [f"reports/notebooks/{n}.ipynb" for n in ("arrivals", "brief")]
    if (built / "reports/brief.pdf").exists():
        outputs.append("reports/brief.pdf")
    before = {o: (built / o).read_bytes() for o in outputs}
    for o in outputs:  # built again in the stage, and published
        (built / o).unlink()
        (built / "build/stage" / o).unlink()
    assert make(built, "report").returncode == 0
    for o in outputs:
        assert (built / o).read_bytes() == before[o], o
