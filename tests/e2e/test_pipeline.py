"""The real pipeline in a temporary copy of the repository: build, no-op, edit, bad edit."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.helpers import digest, make

pytestmark = pytest.mark.slow


def test_outputs_exist_and_hold_the_figures(built: Path) -> None:
    annual = pd.read_csv(built / "data/processed/arrivals_annual.csv").set_index("year")
    assert annual.loc[[2019, 2020, 2021], "arrivals_count"].tolist() == [1047, 229, 63]
    for fmt in ("svg", "pdf", "png"):
        assert (built / f"reports/figures/arrivals-web.{fmt}").stat().st_size > 1000
    html = (built / "reports/arrivals.html").read_text()
    assert "1,047" in html and "data:image" in html or "<svg" in html
    assert "<script src=" not in html and "https://cdn" not in html
    assert "from analysis import" not in html and "nr.md(" not in html  # code hidden


def test_built_tables_match_the_data_package(built: Path) -> None:
    from frictionless import Package

    report = Package(str(built / "data/processed/datapackage.json")).validate()
    assert report.valid, [e.message for t in report.tasks for e in t.errors][:5]
    assert len(report.tasks) == len(list((built / "data/processed").glob("*.csv")))


def test_second_run_does_nothing(built: Path) -> None:
    assert make(built, "-q", "report").returncode == 0
    result = make(built, "report")
    assert "Nothing to be done" in result.stdout
    assert "analysis" not in result.stdout  # no step ran


def test_bad_edit_fails_cleanly_and_keeps_outputs(built: Path) -> None:
    before = digest(built)
    arrivals = built / "data/raw/arrivals.csv"
    good = arrivals.read_text()
    lines = good.count("\n")
    arrivals.write_text(good + "2019,year,total,-63,rfa-2020-07-29\n")
    try:
        result = make(built, "report")
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        errors = [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]
        assert errors == [
            f'error: data/raw/arrivals.csv, line {lines + 1}, column "value": '
            '"-63" is not valid; expected a whole number of people, 0 or more, '
            "as printed (e.g. 1047)"
        ]
        assert digest(built) == before
    finally:
        arrivals.write_text(good)


def test_appended_revision_flows_through(built: Path) -> None:
    sources = built / "data/raw/sources.csv"
    arrivals = built / "data/raw/arrivals.csv"
    old_sources, old_arrivals = sources.read_text(), arrivals.read_text()
    try:
        sources.write_text(
            old_sources + "test-mou-2023-01,Test ministry,Revised table,,2023-01-10\n"
        )
        arrivals.write_text(
            old_arrivals + "2021,year,total,64,test-mou-2023-01\n"
            "2022,year,total,67,test-mou-2023-01\n"
        )
        result = make(built, "report")
        assert result.returncode == 0, result.stderr
        annual = pd.read_csv(built / "data/processed/arrivals_annual.csv").set_index("year")
        assert annual.loc[2021, "arrivals_count"] == 64
        assert annual.loc[2022, "arrivals_count"] == 67
        rev = pd.read_csv(built / "data/processed/arrivals_revisions.csv")
        assert set(rev.query("year == 2021")["value"]) == {63, 64}
        assert "67" in (built / "reports/figures/arrivals.json").read_text()
        test = pd.read_csv(built / "data/processed/model_prediction_test.csv")
        assert test.set_index("what").loc["official count", "value"] == 67
        head = json.loads((built / "data/processed/headline.json").read_text())
        assert head["latest_arrivals_count"]["value"] == 67
        assert head["latest_arrivals_count"]["source_id"] == "test-mou-2023-01"
        assert "test-mou-2023-01" not in old_sources  # the report cites the new source
        assert "Test ministry" in (built / "reports/arrivals.html").read_text()
    finally:
        sources.write_text(old_sources)
        arrivals.write_text(old_arrivals)
        assert make(built, "report").returncode == 0
