"""Property: whatever a user appends to a raw CSV, validation either accepts it or stops with
clean error lines (file, line, column) -- never another exception, never a traceback."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import validate
from analysis.io import InputError

ROOT = Path(__file__).resolve().parents[2]
ERROR_LINE = re.compile(
    r'^error: (data/raw/\w+\.csv(, line \d+)?(, column "[^"]+")?: .+|\.\.\. and \d+ more .+)'
)

# cells users plausibly type: numbers, near-miss codes, ids, junk, quotes and separators
cell = st.one_of(
    st.integers(-10, 10**6).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        [
            "",
            "year",
            "Q1",
            "Q5",
            "total",
            "male",
            "Total",
            "dw-2022-12-04",
            "nope",
            "1,047",
            "2021",
            "2099",
            "preliminary",
            "typo;bucket",
            "exact",
            "at_most",
            "forecast",
            " 63 ",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)
row = st.lists(cell, min_size=0, max_size=12)


def as_csv_line(cells: list[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue()


@pytest.fixture(scope="module")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("prop")
    (root / "data" / "raw").mkdir(parents=True)
    for f in (ROOT / "data" / "raw").glob("*.csv"):
        (root / "data" / "raw" / f.name).write_bytes(f.read_bytes())
    return root


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=st.sampled_from(["arrivals", "sources", "figures", "events"]), cells=row)
def test_any_appended_row_gives_acceptance_or_clean_errors(
    raw_dir: Path, monkeypatch: pytest.MonkeyPatch, table: str, cells: list[str]
) -> None:
    monkeypatch.chdir(raw_dir)
    path = raw_dir / "data" / "raw" / f"{table}.csv"
    original = path.read_bytes()
    try:
        path.write_bytes(original + as_csv_line(cells).encode("utf-8"))
        try:
            validate.validate_all()
        except InputError as exc:
            lines = str(exc).splitlines()
            assert lines, "an error without a message"
            for line in lines:
                assert ERROR_LINE.match(line), line
                assert "Traceback" not in line
    finally:
        path.write_bytes(original)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("2021,year,total,6\r3,dw-2022-12-04\n", "cannot be read as CSV"),  # stray carriage return
        ("\x0c\n", '"\\x0c" is not valid'),  # a control character shown as an escape
        ("2021\n", "the row is short: no cell for period, measure, value, source_id"),
    ],
)
def test_cases_the_property_test_found(raw_copy: Path, line: str, fragment: str) -> None:
    path = raw_copy / "arrivals.csv"
    before = path.read_bytes()
    appended_at = "line {}".format(before.count(b"\n") + 1)  # whatever the file's length
    path.write_bytes(before + line.encode("utf-8"))
    with pytest.raises(InputError) as exc:
        validate.validate_all()
    lines = str(exc.value).splitlines()
    assert any(fragment in ln for ln in lines), lines
    assert all(ERROR_LINE.match(ln) and appended_at in ln for ln in lines), lines
