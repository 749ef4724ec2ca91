"""Appending figures with only the contract columns updates the series, the revisions, the
models, every chart and report. Runs after the other end-to-end modules (file order): it
leaves the shared build stale."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.e2e.helpers import make

pytestmark = pytest.mark.slow


def test_appended_revision_flows_through(built: Path) -> None:
    sources = built / "data/raw/sources.csv"
    arrivals = built / "data/raw/arrivals.csv"
    old_sources, old_arrivals = sources.read_text(), arrivals.read_text()
    shipped = pd.read_csv(built / "data/processed/arrivals_annual.csv").dropna()
    new_year = int(shipped["year"].max()) + 1  # the year after the shipped data end
    newest = pd.read_csv(sources, dtype=str)["published"].max()
    published = f"{int(newest[:4]) + 1}-01-20"  # later than every shipped publication
    try:
        sources.write_text(
            old_sources + f"test-mou-{published},Test ministry,Revised table,,{published}\n"
        )
        arrivals.write_text(
            old_arrivals + f"2021,year,total,64,test-mou-{published}\n"
            f"{new_year},year,total,67,test-mou-{published}\n"
        )
        # the data, every chart and the full report (the other reports follow the same rules)
        result = make(built, "data", "charts", "reports/arrivals.html")
        assert result.returncode == 0, result.stderr
        annual = pd.read_csv(built / "data/processed/arrivals_annual.csv").set_index("year")
        assert annual.loc[2021, "arrivals_count"] == 64
        assert annual.loc[new_year, "arrivals_count"] == 67
        rev = pd.read_csv(built / "data/processed/arrivals_revisions.csv")
        assert set(rev.query("year == 2021")["value"]) == {63, 64}
        changes = pd.read_csv(built / "data/processed/arrivals_changes.csv")
        said = changes.set_index(["year", "period", "measure"])["change_kind"]
        assert said[(2021, "year", "total")] == "revision"
        assert said[(new_year, "year", "total")] == "new"
        assert "67" in (built / "reports/figures/arrivals.json").read_text()
        head = json.loads((built / "data/processed/headline.json").read_text())
        assert head["latest_arrivals_count"]["value"] == 67
        assert head["latest_arrivals_count"]["source_id"] == f"test-mou-{published}"
        assert "Test ministry" in (built / "reports/arrivals.html").read_text()
        for name in ("arrivals", "revisions", "counterfactual", "break_scan"):
            meta = json.loads((built / f"reports/figures/{name}.json").read_text())
            assert f"test-mou-{published}" in meta["source_ids"], name
        assert make(built, "-q", "reports/brief.html").returncode == 1  # out of date, so rebuilt
    finally:
        # no rebuild: this module runs last (alphabetical order), so nothing reads the copy
        sources.write_text(old_sources)
        arrivals.write_text(old_arrivals)
