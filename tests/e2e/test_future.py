"""Property of the future: whatever the Ministry publishes next (later years, zeros, a fall
and a recovery, a year with only some quarters, a revision of an old year), every shipped
parameter set builds -- data, models, charts and report templates -- and says what the data say.

The pipeline runs in-process on a scratch copy (tests/future.py); synthetic rows never enter
data/raw. `make test` runs the fixed scenarios below; `make proof` adds random ones.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.models import trend
from tests.future import Scenario, project_copy, run_pipeline, write_scenario

ROOT = Path(__file__).resolve().parents[2]

FIXED = [
    # a fall to zero, a recovery, three counted quarters of 2036 and a restated 2009
    Scenario(
        end_year=2035,
        counts=(400, 150, 12, 0, 40, 300, 900, 1200, 1100, 60, 800),
        next_quarters=3,
        revise_year=2009,
    ),
]
MORE = [
    Scenario(end_year=2022),  # the data as they stood in early 2023
    Scenario(end_year=2023, next_quarters=2),  # the data as they stood in mid-2024
    Scenario(end_year=2027, counts=(310, 0, 0), next_quarters=1),  # zeros at the end
]


@pytest.fixture(autouse=True)
def fewer_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    # the intervals' simulation size does not change what can fail here; it costs seconds
    monkeypatch.setattr(trend, "DRAWS", 2000)


def check(tmp: Path, scenario: Scenario) -> None:
    shipped = {p.name: p.read_bytes() for p in (ROOT / "data/raw").glob("*.csv")}
    raw = project_copy(tmp)
    write_scenario(raw, scenario)
    cwd = Path.cwd()
    os.chdir(tmp)
    try:
        heads = run_pipeline()
    finally:
        os.chdir(cwd)
    assert {p.name: p.read_bytes() for p in (ROOT / "data/raw").glob("*.csv")} == shipped
    assert set(heads) == {p.stem for p in (ROOT / "reports/params").glob("*.yaml")}
    for name, head in heads.items():
        latest = head["latest_arrivals_count"]
        assert latest["year"] == scenario.end_year, name
        if scenario.counts:
            assert latest["value"] == scenario.counts[-1], name
        # the year the reports predict follows the data: the started year, else the last count
        expected = scenario.end_year + (1 if scenario.next_quarters else 0)
        if scenario.end_year == 2024:
            expected = 2025  # the shipped 2025 Q1 is still there, and is after the last count
        assert head["test_year"]["value"] == expected, name
        assert head["test_year"]["is_derived"], name


@pytest.mark.parametrize("scenario", FIXED, ids=lambda s: f"end{s.end_year}")
def test_every_parameter_set_builds_on_later_data(tmp_path: Path, scenario: Scenario) -> None:
    check(tmp_path, scenario)


@pytest.mark.proof
@pytest.mark.parametrize("scenario", MORE, ids=lambda s: f"end{s.end_year}")
def test_more_later_data(tmp_path: Path, scenario: Scenario) -> None:
    check(tmp_path, scenario)


@pytest.mark.proof
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    counts=st.lists(st.integers(0, 3000), min_size=1, max_size=11),
    next_quarters=st.integers(0, 3),
    revise=st.sampled_from([None, 2003, 2009, 2019]),
)
def test_random_later_data(
    tmp_path_factory: pytest.TempPathFactory,
    counts: list[int],
    next_quarters: int,
    revise: int | None,
) -> None:
    scenario = Scenario(2024 + len(counts), tuple(counts), next_quarters, revise)
    check(tmp_path_factory.mktemp("future"), scenario)
