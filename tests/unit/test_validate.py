"""Each class of bad raw input gives one clear line naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import validate
from analysis.io import InputError
from tests.corpus import CORPUS, BadEdit, append

GOOD_ROW = "2021,year,total,63,dw-2022-12-04,,,,,"


def errors() -> list[str]:
    with pytest.raises(InputError) as exc:
        validate.validate_all()
    return str(exc.value).splitlines()


def test_shipped_data_is_valid(raw_copy: Path) -> None:
    validate.validate_all()


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_bad_input_names_file_line_and_column(raw_copy: Path, case: BadEdit) -> None:
    location = case.apply(raw_copy)
    found = errors()
    assert any(e.startswith(f"error: {location}") and case.fragment in e for e in found), found
    assert all(e.startswith("error: data/raw/") for e in found), found


def test_corpus_covers_the_classes_asked_for() -> None:
    assert len({c.name for c in CORPUS}) >= 15


def test_excel_export_is_accepted(raw_copy: Path) -> None:
    """A UTF-8 byte-order mark and CRLF line ends, as Excel writes them, are valid."""
    for path in raw_copy.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    validate.validate_all()


def test_contract_columns_only(raw_copy: Path) -> None:
    """A row that fills only the contract columns is valid (the extra columns are optional)."""
    row = GOOD_ROW.replace("dw-2022-12-04", "rfa-2020-07-29").replace("2021", "2019")
    append("arrivals.csv", row, "value")(raw_copy)
    validate.validate_all()
