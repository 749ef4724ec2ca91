"""Report building blocks that need no kernel: template constants and the warm kernelspec."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jupytext
import nbformat
import pytest

from analysis import report


def notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def test_declared_reads_a_top_level_literal() -> None:
    nb = notebook("%matplotlib inline", "x = 1\nCHARTS = ['arrivals', 'timeline']  # shown")
    assert report.declared(nb, "CHARTS") == ["arrivals", "timeline"]
    assert report.declared(nb, "CHART_SIZE", "web") == "web"


def test_declared_ignores_names_that_are_not_assigned() -> None:
    nb = notebook("print(CHARTS)", "def f():\n    CHARTS = ['x']")
    assert report.declared(nb, "CHARTS", []) == []


def test_every_template_declares_known_charts() -> None:
    from analysis.charts import CHARTS

    for path in sorted(report.paths.ROOT.joinpath("reports/templates").glob("*.py")):
        shown = report.declared(jupytext.read(path), "CHARTS")
        assert shown and set(shown) <= set(CHARTS), path.name


def test_warm_kernelspec_starts_through_the_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
    name = report.warm_kernel()
    spec = json.loads((tmp_path / "build/jupyter/kernels" / name / "kernel.json").read_text())
    assert spec["argv"][1:4] == ["-m", "analysis.runner", "ipykernel_launcher"]
    assert "{connection_file}" in spec["argv"]
    first, *rest = os.environ["JUPYTER_PATH"].split(os.pathsep)
    assert Path(first) == (tmp_path / "build/jupyter").resolve() and rest == ["/elsewhere"]


def years(first: int, last: int):
    import pandas as pd

    return pd.Series(range(first, last + 1))


def refused(values: dict, data_years) -> list[str]:
    from analysis.io import InputError

    path = Path("reports/params/mine.yaml")
    with pytest.raises(InputError) as exc:
        report.model_problems(path, values, report.model_params(values), data_years)
    return str(exc.value).splitlines()


def test_a_setting_the_data_cannot_hold_names_file_key_origin_and_a_fix() -> None:
    (line,) = refused({"intervention_year": 2031}, years(1998, 2024))
    assert line.startswith("error: reports/params/mine.yaml: parameter intervention_year: 2031")
    assert "(set in this file)" in line
    assert "write `intervention_year: 2023` in reports/params/mine.yaml" in line


def test_a_default_the_data_cannot_hold_says_it_is_the_default() -> None:
    # data that end in 2020 leave no room for the default break year 2020
    lines = refused({}, years(1998, 2020))
    assert any(
        "parameter intervention_year: 2020 (default: not set in this file)" in ln for ln in lines
    ), lines


def test_a_suggested_value_is_accepted() -> None:
    lines = refused({"test_year": 2040, "pre_start_year": 2017}, years(1998, 2024))
    fixes = dict(ln.split("write `")[1].split("`")[0].split(": ") for ln in lines)
    assert set(fixes) == {"test_year", "pre_start_year"}
    fixed = {k: int(v) for k, v in fixes.items()}
    report.model_problems(Path("x.yaml"), fixed, report.model_params(fixed), years(1998, 2024))


def test_derived_settings_never_fail() -> None:
    from analysis import models

    for last in range(2021, 2036):  # test_year left to the data, whatever year they end in
        assert not [
            p
            for p in models.param_problems(models.ModelParams(), years(1998, last))
            if p.key == "test_year"
        ]
