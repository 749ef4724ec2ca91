"""The whole-pipeline property (tests/data/test_pipeline_inprocess.py) with more examples than
`make test` can afford: random rows appended to every raw table build, or are refused at
validation at the line of an appended row."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

from tests.data.test_pipeline_inprocess import SETTINGS, appended_rows, check_appended
from tests.pipeline import copy_raw

pytestmark = pytest.mark.proof


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_raw(tmp_path_factory.mktemp("pipeline"))


@settings(max_examples=25, **SETTINGS)
@given(appended=appended_rows())
def test_many_rows_that_pass_validation_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, appended: dict[str, list[dict[str, str]]]
) -> None:
    monkeypatch.chdir(project)
    check_appended(project, appended)
