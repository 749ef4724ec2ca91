"""The real pipeline in a temporary copy of the repository: build, no-op, edit, bad edit."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from tests.corpus import CORPUS, BadEdit
from tests.e2e.helpers import digest, make

pytestmark = pytest.mark.slow


def test_outputs_exist_and_hold_the_figures(built: Path) -> None:
    annual = pd.read_csv(built / "data/processed/arrivals_annual.csv").set_index("year")
    assert annual.loc[[2019, 2020, 2021], "arrivals_count"].tolist() == [1047, 229, 63]
    for name in (
        "arrivals-web.svg",
        "arrivals-web.png",
        "arrivals-single.pdf",
        "arrivals-phone.svg",
    ):
        assert (built / "reports/figures" / name).stat().st_size > 1000
    html = (built / "reports/arrivals.html").read_text()
    assert "1,047" in html and "data:image" in html or "<svg" in html
    assert "<script src=" not in html and "https://cdn" not in html
    assert "from analysis import" not in html and "nr.md(" not in html  # code hidden


def test_built_tables_match_the_data_package(built: Path) -> None:
    from frictionless import Package

    report = Package(str(built / "data/processed/datapackage.json")).validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    assert len(report.tasks) == len(list((built / "data/processed").glob("*.csv")))


def test_outputs_name_no_stage_path(built: Path) -> None:
    # outputs are built in build/stage and published; what they say is where a reader finds them
    for root in ("data/processed", "reports"):
        for path in (built / root).rglob("*"):
            if path.is_file():
                assert b"build/stage" not in path.read_bytes(), path


def test_second_run_does_nothing(built: Path) -> None:
    assert make(built, "-q", "report").returncode == 0
    result = make(built, "report")
    assert "Nothing to be done" in result.stdout
    assert "analysis" not in result.stdout  # no step ran


def test_bad_edit_fails_cleanly_and_keeps_outputs(built: Path) -> None:
    before = digest(built)
    arrivals = built / "data/raw/arrivals.csv"
    good = arrivals.read_text()
    stamp = arrivals.stat()
    lines = good.count("\n")
    arrivals.write_text(good + "2019,year,total,-63,rfa-2020-07-29\n")
    try:
        result = make(built, "report")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert errors == [
            f'error: data/raw/arrivals.csv, line {lines + 1}, column "value": '
            '"-63" is not valid; expected a whole number of people from 0 to 1000000, '
            "as printed (e.g. 1047)"
        ]
        assert digest(built) == before
    finally:
        arrivals.write_text(good)
        # the build never got past validation: with its old time the copy is up to date again
        os.utime(arrivals, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_every_bad_input_stops_make_and_keeps_outputs(built: Path, case: BadEdit) -> None:
    """The whole corpus through `make report`: non-zero exit, one-line errors, no traceback,
    every previous output byte-for-byte unchanged."""
    before = digest(built)
    raw = built / "data/raw"
    saved = {p: (p.read_bytes(), p.stat()) for p in raw.glob("*.csv")}
    try:
        location = case.apply(raw)
        result = make(built, "report")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert errors and all(ln.startswith("error: data/raw/") for ln in errors), errors
        assert any(ln.startswith(f"error: {location}") for ln in errors), errors
        assert digest(built) == before
    finally:
        for path, (data, stat) in saved.items():
            path.write_bytes(data)
            os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_step_that_breaks_says_so_in_one_line(built: Path) -> None:
    """Not an input error: a bug in a step. Make stops with one line naming the step and the
    log that holds the traceback; the outputs stay."""
    before = digest(built)
    script = built / "analysis/figures.py"
    good, stat = script.read_text(), script.stat()
    script.write_text(
        good.replace("def main() -> None:\n", 'def main() -> None:\n    {}["planted"]\n', 1)
    )
    try:
        result = make(built, "report")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        lines = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert len(lines) == 1 and "figures" in lines[0] and "KeyError" in lines[0], lines
        log = lines[0].rsplit("the traceback is in ", 1)[1].rstrip(")")
        assert "Traceback" in (built / log).read_text()
        assert digest(built) == before
    finally:
        script.write_text(good)
        os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns))
