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
