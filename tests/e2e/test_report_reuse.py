"""A report with the default model shows the charts the chart step drew (charts.already_drawn)
instead of drawing them again: the copies are the bytes a new drawing gives, and a chart whose
numbers or words differ from the drawn one is drawn anew."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import charts, paths
from analysis.i18n import ENGLISH
from analysis.raw import sources

NAME = "fortifications"
BRIEF_SIZES = ("single", "phone")  # the brief's charts (report.chart_sizes("single"))


@pytest.fixture
def in_build(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(built)
    return built


def test_the_brief_shows_the_drawn_charts_byte_for_byte(in_build: Path, tmp_path: Path) -> None:
    shown = in_build / "reports/notebooks/brief"
    for size in BRIEF_SIZES:
        drawn = in_build / f"reports/figures/{NAME}-{size}.svg"
        assert (shown / f"{NAME}-{size}.svg").read_bytes() == drawn.read_bytes(), size
    # drawn anew for the report, as before the copy: the same bytes
    src = sources()
    chart = charts.build(NAME, paths.PROCESSED, paths.PROCESSED, src, ENGLISH)
    charts.render(chart, NAME, src, tmp_path, sizes=BRIEF_SIZES, formats=("svg",),
                  interactive=("phone",), file_stem=NAME)  # fmt: skip
    for size in BRIEF_SIZES:
        fresh = (tmp_path / f"{NAME}-{size}.svg").read_bytes()
        assert fresh == (shown / f"{NAME}-{size}.svg").read_bytes(), size


def test_a_drawn_chart_with_other_numbers_or_words_is_not_reused(
    in_build: Path, tmp_path: Path
) -> None:
    for f in in_build.glob(f"{paths.FIGURES}/{NAME}*"):
        shutil.copy2(f, tmp_path / f.name)
    src = sources()
    chart = charts.build(NAME, paths.PROCESSED, paths.PROCESSED, src, ENGLISH)
    line = charts.pick_source_line(chart, src)
    assert set(charts.already_drawn(chart, NAME, line, tmp_path, BRIEF_SIZES)) == set(BRIEF_SIZES)

    data = tmp_path / f"{NAME}.csv"
    kept = data.read_text(encoding="utf-8")
    rows = kept.splitlines()
    data.write_text("\n".join([rows[0], rows[1] + "0", *rows[2:]]) + "\n", encoding="utf-8")
    assert charts.already_drawn(chart, NAME, line, tmp_path, BRIEF_SIZES) == {}

    data.write_text(kept, encoding="utf-8")
    said = tmp_path / f"{NAME}.json"
    said.write_text(said.read_text(encoding="utf-8").replace('"title": "', '"title": "X'))
    assert charts.already_drawn(chart, NAME, line, tmp_path, BRIEF_SIZES) == {}
    assert charts.already_drawn(chart, NAME, line, tmp_path / "missing", BRIEF_SIZES) == {}
