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
    try:
        sources.write_text(
            old_sources + "test-mou-2023-01,Test ministry,Revised table,,2023-01-10\n"
        )
        arrivals.write_text(
            old_arrivals + "2021,year,total,64,test-mou-2023-01\n"
            "2022,year,total,67,test-mou-2023-01\n"
        )
        # the data, every chart and the full report (the other reports follow the same rules)
        result = make(built, "data", "charts", "reports/arrivals.html")
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
        for name in ("arrivals", "revisions", "counterfactual", "break_scan"):
            meta = json.loads((built / f"reports/figures/{name}.json").read_text())
            assert "test-mou-2023-01" in meta["source_ids"], name
        assert make(built, "-q", "reports/brief.html").returncode == 1  # out of date, so rebuilt
    finally:
        # no rebuild: this module runs last (alphabetical order), so nothing reads the copy
        sources.write_text(old_sources)
        arrivals.write_text(old_arrivals)
