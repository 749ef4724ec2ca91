"""The models package: one module per question, and no import circle among them."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import analysis.models

PACKAGE = Path(analysis.models.__file__).parent


def imports(path: Path) -> set[str]:
    """The package's modules this file imports (from analysis.models.X import ...)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("analysis.models"):
            module = node.module.removeprefix("analysis.models").lstrip(".")
            found |= {module} if module else {f"{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis.models")}
    return found


def test_modules_import_no_circle_and_never_the_package_itself() -> None:
    graph = {}
    for path in sorted(PACKAGE.glob("*.py")):
        if path.stem in ("__init__", "__main__"):
            continue
        deps = imports(path)
        assert "" not in deps and "analysis.models" not in deps, path.name
        graph[path.stem] = deps
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"import circle: {exc.args[1]}") from exc
    assert order.index("params") < order.index("trend") < order.index("diagnostics")
    questions = {"trend", "changes", "share", "quarters", "forecasts", "diagnostics"}
    assert questions <= set(graph)
