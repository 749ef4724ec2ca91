"""A report with the default model takes the model step's results (report.stock_results) and
shows the charts the chart step drew (charts.already_drawn) instead of making them again. The
results are the files a new run writes, byte for byte. For the charts: nothing is drawn, the
copies are the bytes a new drawing gives, and a chart whose numbers or words differ from the
drawn one, or whose drawn files are older than the code that draws, is drawn anew."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from analysis import charts, i18n, models, paths, report
from analysis.raw import sources

SIZES = ("single", "phone")  # the brief's charts (report.chart_sizes("single"))
KOREAN = i18n.Text("ko", i18n.DEFAULT_TERM)


@pytest.fixture
def in_build(built: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(built)
    return built


def render(name: str, text: i18n.Text, out: Path, drawn_in: Path | None) -> None:
    src = sources()
    chart = charts.build(name, paths.PROCESSED, paths.PROCESSED, src, text)
    charts.render(chart, name, src, out, sizes=SIZES, formats=("svg",), interactive=("phone",),
                  file_stem=name, drawn_in=drawn_in)  # fmt: skip


# a model chart (its hover values come from the model's tables) and a Korean one
@pytest.mark.parametrize(("name", "text"), [("counterfactual", i18n.ENGLISH),
                                            ("fortifications", KOREAN)])  # fmt: skip
def test_a_default_report_copies_the_drawn_chart_byte_for_byte(
    in_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: i18n.Text
) -> None:
    def no_drawing(*_args: object, **_kw: object) -> None:
        raise AssertionError("the chart was drawn again")

    with monkeypatch.context() as m:
        m.setattr(charts, "figure", no_drawing)
        render(name, text, tmp_path / "copied", paths.FIGURES)
    render(name, text, tmp_path / "drawn", None)
    for size in SIZES:
        copied = (tmp_path / "copied" / f"{name}-{size}.svg").read_bytes()
        assert copied == (tmp_path / "drawn" / f"{name}-{size}.svg").read_bytes(), size


def test_a_drawn_chart_with_other_numbers_words_or_code_is_not_reused(
    in_build: Path, tmp_path: Path
) -> None:
    name = "fortifications"
    for f in in_build.glob(f"{paths.FIGURES}/{name}*"):
        shutil.copy2(f, tmp_path / f.name)
    src = sources()
    chart = charts.build(name, paths.PROCESSED, paths.PROCESSED, src, i18n.ENGLISH)
    line = charts.pick_source_line(chart, src)
    assert set(charts.already_drawn(chart, name, line, tmp_path, SIZES)) == set(SIZES)

    data = tmp_path / f"{name}.csv"
    kept = data.read_text(encoding="utf-8")
    rows = kept.splitlines()
    data.write_text("\n".join([rows[0], rows[1] + "0", *rows[2:]]) + "\n", encoding="utf-8")
    assert charts.already_drawn(chart, name, line, tmp_path, SIZES) == {}
    data.write_text(kept, encoding="utf-8")

    said = tmp_path / f"{name}.json"
    words = said.read_text(encoding="utf-8")
    said.write_text(words.replace('"title": "', '"title": "X'), encoding="utf-8")
    assert charts.already_drawn(chart, name, line, tmp_path, SIZES) == {}
    said.write_text(words, encoding="utf-8")

    # drawn before the code that draws last changed (as make would see it)
    code = max(f.stat().st_mtime_ns for f in charts.DRAWN_WITH if f.exists())
    svg = tmp_path / f"{name}-phone.svg"
    os.utime(svg, ns=(code - 10**9, code - 10**9))
    assert charts.already_drawn(chart, name, line, tmp_path, SIZES) == {}
    assert charts.already_drawn(chart, name, line, tmp_path / "missing", SIZES) == {}


def test_a_default_report_copies_the_results_a_new_run_writes(
    in_build: Path, tmp_path: Path
) -> None:
    models.write(models.run(models.ModelParams(), **models.inputs()), tmp_path)
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(report.stock_results())
    for name in report.stock_results():
        assert (tmp_path / name).read_bytes() == (paths.PROCESSED / name).read_bytes(), name


def test_results_are_copied_only_when_newer_than_their_tables_and_code(in_build: Path) -> None:
    assert report.stock_results_current()
    table = paths.processed(models.INPUT_TABLES["annual"])
    kept = table.stat()
    newest = max((paths.PROCESSED / f).stat().st_mtime_ns for f in report.stock_results())
    try:  # a table written after the models ran (a step run by hand, outside make)
        os.utime(table, ns=(newest + 10**9, newest + 10**9))
        assert not report.stock_results_current()
    finally:
        os.utime(table, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    assert report.stock_results_current()
    result = paths.PROCESSED / report.stock_results()[0]
    aside = result.with_suffix(".aside")
    result.rename(aside)
    try:
        assert not report.stock_results_current()
    finally:
        aside.rename(result)
