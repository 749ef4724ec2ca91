"""Each class of bad raw input gives one clear line naming file, line and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from analysis import validate
from analysis.io import InputError
from analysis.schema import RAW_SCHEMAS
from tests.corpus import CORPUS, BadEdit, append, where

GOOD_ROW = "2021,year,total,63,dw-2022-12-04,,,,,"


def errors() -> list[str]:
    with pytest.raises(InputError) as exc:
        validate.validate_all()
    return str(exc.value).splitlines()


def said(found: list[str], location: str, fragment: str) -> bool:
    """One of the error lines names this place and says this."""
    return any(e.startswith(f"error: {location}") and fragment in e for e in found)


def test_shipped_data_is_valid(raw_copy: Path) -> None:
    validate.validate_all()


@pytest.mark.parametrize("case", CORPUS, ids=lambda c: c.name)
def test_bad_input_names_file_line_and_column(raw_copy: Path, case: BadEdit) -> None:
    location = case.apply(raw_copy)
    found = errors()
    assert said(found, location, case.fragment), found
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


# a valid row of each table, by column; the text columns take the cases below
VALID = {
    "sources": {"source_id": "x-src", "publisher": "P", "title": "T", "published": "2020"},
    "arrivals": {"year": "2018", "period": "Q3", "measure": "total", "value": "5"}
    | {"source_id": "dw-2022-12-04"},
    "figures": {"figure_id": "x-fig", "topic": "population", "quantity": "people"}
    | {"value": "5", "unit": "people", "period_end": "2019", "source_id": "dw-2022-12-04"},
    "events": {"event_id": "x-ev", "date": "2019", "category": "punishment", "event": "E"}
    | {"source_id": "dw-2022-12-04"},
}


def append_row(raw: Path, table: str, row: dict[str, str]) -> int:
    """Append a row (by column name) to data/raw/TABLE.csv; return its line."""
    path = raw / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    buf = io.StringIO()
    csv.DictWriter(buf, header, lineterminator="\n").writerow(row)
    path.write_text(text + buf.getvalue(), encoding="utf-8")
    return text.count("\n") + 1


TEXT_COLUMNS = [
    (table, f["name"])
    for table, schema in RAW_SCHEMAS.items()
    for f in schema["fields"]
    if f["type"] == "string" and not {"pattern", "enum"} & set(f.get("constraints", {}))
]


STARTS = ["=", "+", "-", "@", "\t="]  # a tab or CR before "=" is stripped, then "=" is read


@pytest.mark.parametrize(
    ("table", "column", "start"),
    [(t, c, STARTS[i % len(STARTS)]) for i, (t, c) in enumerate(TEXT_COLUMNS)],
)
def test_text_a_spreadsheet_would_run_is_refused(
    raw_copy: Path, table: str, column: str, start: str
) -> None:
    line = append_row(raw_copy, table, VALID[table] | {column: start + "SUM(A1)"})
    found = errors()
    assert said(found, where(f"{table}.csv", line, column), "formula"), found


def test_text_columns_include_the_ones_journalists_see() -> None:
    assert {("sources", "publisher"), ("figures", "as_printed"), ("events", "chart_label")} <= set(
        TEXT_COLUMNS
    )


def test_a_minus_sign_or_words_are_fine(raw_copy: Path) -> None:
    append_row(raw_copy, "figures", VALID["figures"] | {"as_printed": "\u22125 degrees"})
    validate.validate_all()


def test_the_line_of_a_repeated_key_is_physical(raw_copy: Path) -> None:
    """Lines count the lines of a quoted cell that spans several (first data row = line 2)."""
    path = raw_copy / "arrivals.csv"
    text = path.read_text(encoding="utf-8")
    first = text.count("\n") + 1
    path.write_text(
        text + '2018,Q3,total,300,dw-2022-12-04,,"one\ntwo\nthree",,,\n'
        "2018,Q3,total,300,dw-2022-12-04\n",
        encoding="utf-8",
    )
    found = errors()
    assert any(
        e.startswith(f"error: data/raw/arrivals.csv, line {first + 3},")
        and f"repeats the key of line {first}" in e
        for e in found
    ), found


def test_full_width_digits_get_the_ascii_spelling(raw_copy: Path) -> None:
    append_row(raw_copy, "arrivals", VALID["arrivals"] | {"value": "\uff16\uff13"})
    assert any('"６３" is not valid' in e and "type 63" in e for e in errors())


def test_a_publisher_has_one_korean_name_of_its_own(raw_copy: Path) -> None:
    """Korean source lines count publishers as English ones do: two Korean names for one
    publisher, or one for two, would make the two languages say different numbers."""
    row = VALID["sources"] | {"publisher": "Yonhap", "publisher_ko": "연합"}
    line = append_row(raw_copy, "sources", row | {"source_id": "x-one"})
    other = append_row(raw_copy, "sources", row | {"source_id": "x-two", "publisher": "Yonhap TV"})
    found = errors()
    assert said(
        found, where("sources.csv", line, "publisher_ko"), '"연합" differs from "연합뉴스"'
    ), found
    assert said(
        found, where("sources.csv", other, "publisher_ko"), 'already the Korean name of "Yonhap"'
    ), found


def test_a_row_without_a_korean_name_takes_its_publishers(raw_copy: Path) -> None:
    """A source appended with the contract columns only is named as its publisher's other
    rows name it (not in English beside them); a new publisher keeps its own name."""
    from analysis import raw

    for sid, who in (("x-one", "Yonhap"), ("x-two", "A new outlet")):
        append_row(raw_copy, "sources", VALID["sources"] | {"source_id": sid, "publisher": who})
    validate.validate_all()
    ko = raw.sources().set_index("source_id")["publisher_ko"]
    assert ko["x-one"] == "연합뉴스" and ko["x-two"] == "A new outlet"


def test_a_file_without_the_optional_korean_columns_is_valid(raw_copy: Path) -> None:
    """A sources.csv or events.csv written before publisher_ko and event_ko existed (or by a
    user who leaves them out) is valid: optional columns may be absent."""
    for name, column in (("sources", "publisher_ko"), ("events", "event_ko")):
        path = raw_copy / f"{name}.csv"
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        drop = rows[0].index(column)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerows(
            [c for i, c in enumerate(r) if i != drop] for r in rows
        )
        path.write_text(buf.getvalue(), encoding="utf-8")
    validate.validate_all()
