"""Appending figures with only the contract columns updates the series, the revisions, the
models, every chart and report; a build that fails on the way changes nothing a user sees.
Runs after the other end-to-end modules (file order): it leaves the shared build stale."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analysis import bench
from tests.e2e import fault
from tests.e2e.helpers import digest, make

pytestmark = [pytest.mark.slow, pytest.mark.proof]  # five builds in a row: make proof

# one failing step after the data stage, in build order: each failed build leaves the steps
# before it done, so the next one gets further
FAULTS = [
    "analysis.models",
    "analysis.charts counterfactual",
    "analysis.report build reports/params/border.yaml",
    "analysis.report pdf",
]


def test_failed_builds_change_nothing_then_the_update_flows_through(built: Path) -> None:
    sources = built / "data/raw/sources.csv"
    arrivals = built / "data/raw/arrivals.csv"
    old_sources, old_arrivals = sources.read_text(), arrivals.read_text()
    before = digest(built)
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
        faults = FAULTS if shutil.which("chromium") else FAULTS[:-1]
        for step in faults:
            # one step at a time, so that every step before the faulty one has run
            result = make(built, "-j1", "report", f"RUN={fault.RUN}", f"NKB_FAULT={step}")
            assert result.returncode != 0, step
            assert f"error: injected fault at the end of step {step}" in result.stderr
            after = digest(built)
            changed = sorted(f for f in set(before) | set(after) if before.get(f) != after.get(f))
            assert changed == [], f"{step} failed, yet these changed: {changed}"

        # the fault gone, the next build does only what is left, then publishes everything
        result = make(built, "report")
        assert result.returncode == 0, result.stderr
        ran = {" ".join(s.split()[:2]) for s in bench.steps(result.stdout)}
        left = {"analysis.report pdf"} if faults == FAULTS else {"analysis.report build"}
        # the contact sheet comes after the reports in build order, so the fault kept it back too
        assert ran and {s for s in ran if not s.startswith("analysis.contact ")} <= left, ran
        assert "analysis.publish" in result.stdout

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
        assert f"test-mou-{published}" not in old_sources  # the reports cite the new source
        for name in ("arrivals", "border", "brief"):
            assert "Test ministry" in (built / f"reports/{name}.html").read_text(), name
        for name in ("arrivals", "revisions", "counterfactual", "break_scan"):
            meta = json.loads((built / f"reports/figures/{name}.json").read_text())
            assert f"test-mou-{published}" in meta["source_ids"], name
        # every output was published, and only outputs changed
        after = digest(built)
        assert sorted(after) == sorted(before)
        assert {f for f in after if after[f] == before[f]} >= {
            "reports/params/arrivals.yaml",
            "reports/templates/brief.py",
        }
        assert make(built, "-q", "report").returncode == 0
    finally:
        # no rebuild: this module runs last (alphabetical order), so nothing reads the copy
        sources.write_text(old_sources)
        arrivals.write_text(old_arrivals)
