"""Each class of bad raw input gives one clear line naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import validate
from analysis.io import InputError

GOOD_ROW = "2021,year,total,63,dw-2022-12-04,,,,,"


def append(path: Path, line: str) -> int:
    """Append a line; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


def errors(capsys=None) -> list[str]:
    with pytest.raises(InputError) as exc:
        validate.validate_all()
    return str(exc.value).splitlines()


def test_shipped_data_is_valid(raw_copy: Path) -> None:
    validate.validate_all()


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        ("2021,year,total,-5,dw-2022-12-04", "value", '"-5" is not valid'),
        ("2021,year,total,6.5,dw-2022-12-04", "value", '"6.5" is not valid'),
        ("2021,year,total,sixty,dw-2022-12-04", "value", "whole number"),
        ("2021,yr,total,63,rfa-2020-07-29", "period", "one of year, Q1"),
        ("2021,Q5,total,63,rfa-2020-07-29", "period", "Q4"),
        ("2021,year,totl,63,rfa-2020-07-29", "measure", "one of total"),
        ("twenty,year,total,63,rfa-2020-07-29", "year", "a year"),
        ("2021,year,total,63,no-such-source", "source_id", "add the source"),
        ("2021,year,total,63,rfa-2020-07-29,maybe", "flags", "preliminary"),
        ("2021,year,total,63,dw-2022-12-04", "year, period, measure, source_id", "repeats the key"),
        ("2023,year,total,63,dw-2022-12-04", "year", "after the source's publication"),
        ("2021,year,total", "value", "short"),
    ],
)
def test_bad_arrivals_row(raw_copy: Path, row: str, column: str, fragment: str) -> None:
    line = append(raw_copy / "arrivals.csv", row)
    found = errors()
    assert any(
        f"data/raw/arrivals.csv, line {line}" in e and f'column "{column}"' in e and fragment in e
        for e in found
    ), found


def test_duplicate_source_id(raw_copy: Path) -> None:
    line = append(raw_copy / "sources.csv", "dw-2022-12-04,DW,Again,,2022-12-04,,,,,")
    found = errors()
    assert any(f"sources.csv, line {line}" in e and "repeats the key of line" in e for e in found)


def test_renamed_column(raw_copy: Path) -> None:
    path = raw_copy / "arrivals.csv"
    path.write_text(path.read_text().replace("measure,value", "measure,valeu", 1))
    found = errors()
    assert any('line 1, column "valeu"' in e and "not a known column" in e for e in found)
    assert any('line 1, column "value"' in e and "missing" in e for e in found)


def test_empty_file(raw_copy: Path) -> None:
    (raw_copy / "events.csv").write_text("")
    assert any("events.csv, line 1" in e and "empty" in e for e in errors())


def test_semicolon_export(raw_copy: Path) -> None:
    path = raw_copy / "arrivals.csv"
    path.write_text(path.read_text().replace(",", ";"))
    assert any("arrivals.csv, line 1" in e and "';'" in e for e in errors())


def test_quarters_above_year(raw_copy: Path) -> None:
    append(raw_copy / "sources.csv", "test-2030,Test,Quarters,,2030,,,,,")
    lines = [
        append(raw_copy / "arrivals.csv", f"2029,{p},total,{v},test-2030")
        for p, v in [("year", 10), ("Q1", 8), ("Q2", 8)]
    ]
    assert any(
        f"line {lines[0]}" in e and "sum of the same source's quarters" in e for e in errors()
    )


def test_excel_export_is_accepted(raw_copy: Path) -> None:
    """A UTF-8 byte-order mark and CRLF line ends, as Excel writes them, are valid."""
    for path in raw_copy.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    validate.validate_all()


def test_contract_columns_only(raw_copy: Path) -> None:
    """A row that fills only the contract columns is valid (the extra columns are optional)."""
    path = raw_copy / "arrivals.csv"
    append(path, GOOD_ROW.replace("dw-2022-12-04", "rfa-2020-07-29").replace("2021", "2019"))
    validate.validate_all()


def test_each_message_is_one_line(raw_copy: Path) -> None:
    append(raw_copy / "arrivals.csv", "2021,year,total,-5,dw-2022-12-04")
    for message in errors():
        assert message.startswith("error: data/raw/"), message
