"""Shared fixtures: a scratch copy of the project's raw data to break on purpose."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def raw_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory holding a copy of data/raw; the package resolves paths against it."""
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data" / "raw"


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """Every processed table built in memory from the shipped raw CSVs, with headline.json's
    content under "headline"."""
    from analysis import catalogue, figures, models, raw, series

    built = {**series.build(), "sources": raw.sources(), **catalogue.build(), **figures.build()}
    return built | models.run(
        models.ModelParams(),
        annual=built["arrivals_annual"],
        quarterly=built["arrivals_quarterly"],
        sex=built["arrivals_sex"],
        reported=built["arrivals_reported"],
    )
