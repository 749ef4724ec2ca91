"""The data dictionary against the tables the pipeline builds (in memory, from data/raw)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import datapackage
from analysis.io import write_csv, write_json

ROOT = Path(__file__).resolve().parents[2]


def test_every_table_is_described_with_its_columns(tables: dict[str, pd.DataFrame]) -> None:
    tables = {k: v for k, v in tables.items() if k != "headline"}
    assert set(tables) == set(datapackage.TABLES)
    for name, table in tables.items():
        assert list(table.columns) == datapackage.TABLES[name][1], name


def test_tables_validate_against_the_package(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    from frictionless import Package

    for name in datapackage.TABLES:
        table = tables[name]
        write_csv(table.round(6) if name.startswith("model_") else table, tmp_path / f"{name}.csv")
    write_json(datapackage.package(), tmp_path / "datapackage.json")
    report = Package(str(tmp_path / "datapackage.json")).validate()
    errors = [f"{t.name}: {e.message}" for t in report.tasks for e in t.errors]
    assert report.valid, "\n".join(errors[:10])


def test_readme_dictionary_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert datapackage.readme_with_dictionary(readme) == readme, (
        "README.md's data dictionary is out of date: run "
        ".venv/bin/python -m analysis.datapackage --readme"
    )
