"""One real build in a temporary copy of the repository, shared by the end-to-end tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.bench import copy_project
from tests.e2e.helpers import make


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the tracked files (timestamps kept) sharing this checkout's environment."""
    dest = tmp_path_factory.mktemp("project")
    copy_project(dest)
    result = make(dest, "report")
    assert result.returncode == 0, result.stderr
    return dest
