"""Stage 1: check every raw CSV against its schema and the cross-table rules; write a stamp.

Input: data/raw/*.csv. Output: build/raw.validated (only when every table is valid).
Each problem is one line: file, line, column, the value and what is expected.
"""

from __future__ import annotations

import calendar
import csv
import difflib
import io
import math
import re
import unicodedata
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.io import InputError, atomic_open, run_step
from analysis.schema import (
    DATE_PATTERN,
    DATE_YEARS,
    FORMULA_START,
    HOERYONG,
    HOERYONG_DIVISORS,
    HOERYONG_QUANTITIES,
    RAW_SCHEMAS,
    field,
    table_schema,
)

MAX_REPORTED = 25
# what pandas reads as a number without surprises: ASCII digits only (Python's int() and
# Decimal also take "1_0" and full-width "２０２１", which pandas refuses)
INTEGER = re.compile(r"[0-9]+")
NUMBER = re.compile(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")

Rows = list[tuple[int, dict[str, str]]]  # (physical line, cells by column) of each data row


def _problem(path: Path, line: int | None, column: str | None, message: str) -> str:
    where = f"{path}, line {line}" if line else f"{path}"
    if column:
        where += f', column "{column}"'
    return f"{where}: {message}"


def _located(problem: str) -> tuple[int | None, str | None]:
    """(line, column) of a problem line made by _problem."""
    m = re.match(r'[^,]+(?:, line (\d+))?(?:, column "([^"]*)")?', problem)
    return (int(m[1]) if m and m[1] else None, m[2] if m else None)


def _visible(value: Any) -> str:
    """A cell as it can be shown on one line: control characters written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\x{ord(m[0]):02x}", str(value))


def _full_width_hint(value: Any) -> str:
    """For digits or letters typed in full width (a Korean or Japanese IME): the ASCII form."""
    text = str(value)
    ascii_form = unicodedata.normalize("NFKC", text)
    if ascii_form != text and ascii_form.isascii():
        return f"; it is typed in full-width characters: type {_visible(ascii_form)}"
    return ""


def _bad_cell(path: Path, table: str, line: int | None, column: str, value: Any) -> str:
    expected = field(table, column)["expected"]
    shown = f'"{_visible(value)}"' if value not in (None, "") else "empty"
    hint = _full_width_hint(value) if shown != "empty" else ""
    return _problem(path, line, column, f"{shown} is not valid; expected {expected}{hint}")


def parse(path: Path, text: str) -> tuple[list[list[str]], list[int]]:
    """The CSV's rows and the physical line each starts on (header: line 1; a quoted cell may
    span lines, and they count). A row Python's csv reader cannot split is one clear error."""
    reader = csv.reader(io.StringIO(text))
    rows, starts = [], []
    start = 1
    try:
        for row in reader:
            rows.append(row)
            starts.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(
            _problem(
                path,
                reader.line_num,
                None,
                f"cannot be read as CSV ({exc}); a line break or quote sits inside an unquoted "
                "cell: remove it, or put the cell in double quotes",
            )
        ) from None
    return rows, starts


def read_text(path: Path) -> str:
    """The file's text; a UTF-8 byte-order mark and CRLF line ends (Excel exports) are fine."""
    if not path.exists():
        raise InputError(_problem(path, None, None, "file not found; restore it from git"))
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            _problem(path, line, None, "is not UTF-8 text; save the file as 'CSV UTF-8'")
        ) from None
    if not text.strip():
        names = ",".join(f["name"] for f in RAW_SCHEMAS[_table_of(path)]["fields"])
        raise InputError(_problem(path, 1, None, f"the file is empty; expected a header: {names}"))
    return text


def _table_of(path: Path) -> str:
    return next(name for name, p in paths.RAW_TABLES.items() if p == path)


def check_header(path: Path, table: str, header: list[str]) -> list[str]:
    fields = RAW_SCHEMAS[table]["fields"]
    known = [f["name"] for f in fields]
    problems = []
    if len(header) == 1 and ";" in header[0]:
        return [
            _problem(
                path,
                1,
                None,
                "columns are separated by ';'; save as comma-separated "
                "CSV (in Excel: 'CSV UTF-8 (Comma delimited)')",
            )
        ]
    for name in header:
        if name not in known:
            problems.append(
                _problem(
                    path,
                    1,
                    name,
                    f'"{name}" is not a known column; expected columns: {", ".join(known)}',
                )
            )
        elif header.count(name) > 1:
            problems.append(_problem(path, 1, name, "the column appears twice; keep one"))
    for f in fields:
        if f["required_column"] and f["name"] not in header:
            problems.append(
                _problem(
                    path,
                    1,
                    f["name"],
                    "the column is missing; the header "
                    f"must contain: {', '.join(n for n in known)}",
                )
            )
    return sorted(set(problems), key=problems.index)


def check_rows(path: Path, table: str, data: list[list[str]], starts: list[int]) -> list[str]:
    """Schema checks (types, allowed values, required cells, unique keys) with Frictionless."""
    import frictionless as fl

    resource = fl.Resource(data=data, schema=fl.Schema.from_descriptor(table_schema(table)))
    report = resource.validate(limit_errors=MAX_REPORTED)
    problems = []
    # Frictionless counts rows (header = 1); messages give the physical line each row starts on
    found = [
        (kind, starts[row - 1] if row else None, column, cell, note)
        for kind, row, column, cell, note in report.flatten(
            ["type", "rowNumber", "fieldName", "cell", "note"]
        )
    ]
    missing = {(line, column) for kind, line, column, *_ in found if kind == "missing-cell"}
    short: dict[int, list[str]] = {}  # line -> required columns missing from a short row
    for kind, line, column, cell, note in found:
        if kind in ("type-error", "constraint-error"):
            if (line, column) in missing:  # reported once, for the whole short row
                continue
            problems.append(_bad_cell(path, table, line, column, cell))
        elif kind == "primary-key":
            if line in short or "None" in note:
                continue  # a short row has no complete key to compare
            keys = ", ".join(RAW_SCHEMAS[table]["primaryKey"])
            other = starts[int(note.rsplit(" ", 1)[-1]) - 1]
            problems.append(
                _problem(
                    path,
                    line,
                    keys,
                    f"repeats the key of line {other}; each row needs a unique " + keys,
                )
            )
        elif kind == "missing-cell":
            if field(table, column).get("constraints", {}).get("required"):
                short.setdefault(line, []).append(column)
            # a short row may leave optional trailing columns out
        elif kind == "extra-cell":
            problems.append(
                _problem(
                    path,
                    line,
                    None,
                    "the row has more cells than the header; quote text that contains commas",
                )
            )
        elif kind == "blank-row":
            problems.append(_problem(path, line, None, "blank line; delete it"))
        else:
            problems.append(_problem(path, line, column, f"{kind}: {_visible(note)}"))
    for line, columns in short.items():
        problems.append(
            _problem(
                path,
                line,
                columns[0],
                f"the row is short: no cell for {', '.join(columns)}; check for a lost comma",
            )
        )
    return problems


def _rows(header: list[str], data: list[list[str]], starts: list[int]) -> Rows:
    """Data rows as stripped cells by column name, with the physical line each starts on."""
    return [
        (line, {k: v.strip() for k, v in zip(header, row, strict=False)})
        for line, row in zip(starts[1:], data[1:], strict=True)
    ]


def _cell_problem(f: dict[str, Any], value: str) -> str | None:
    """What is wrong with a non-empty cell that Frictionless accepts but a later step would not
    read as meant; None when it is fine."""
    expected = f["expected"]
    if f["type"] in ("integer", "number"):
        shape = INTEGER if f["type"] == "integer" else NUMBER
        if shape.fullmatch(value) and math.isfinite(float(value)):
            return None
        return f'"{_visible(value)}" is not valid; expected {expected}{_full_width_hint(value)}'
    constraints = f.get("constraints", {})
    if constraints.get("pattern") == DATE_PATTERN and re.fullmatch(DATE_PATTERN, value):
        year, month, day = ([int(p) for p in value.split("-")] + [1, 1])[:3]
        if not DATE_YEARS[0] <= year <= DATE_YEARS[1]:
            return (
                f'"{value}" is not valid; expected a year from {DATE_YEARS[0]} to '
                f"{DATE_YEARS[1]} in {expected}"
            )
        days = calendar.monthrange(year, month)[1]
        if day > days:
            return (
                f'"{value}" is not a calendar date ({year}-{month:02d} has {days} days); '
                f"expected {expected}"
            )
    elif (
        f["type"] == "string"
        and not {"pattern", "enum"} & set(constraints)
        and value.startswith(FORMULA_START)
    ):
        return (
            f'"{_visible(value)}" starts with "{value[0]}", which a spreadsheet runs as a '
            "formula when the processed table is opened; begin the text with a word "
            "(for a negative number: the minus sign \u2212 or the word minus)"
        )
    return None


def check_cells(
    path: Path, table: str, rows: Rows, reported: set[tuple[int | None, str | None]]
) -> list[str]:
    """Cells Frictionless accepts that would break or mislead a later step: numbers pandas
    cannot read or that are not finite, impossible dates, text that is a spreadsheet formula.
    A cell already reported (in `reported`, by line and column) is not reported twice."""
    fields = {f["name"]: f for f in RAW_SCHEMAS[table]["fields"]}
    problems = []
    for line, row in rows:
        for column, value in row.items():
            if column in fields and value and (line, column) not in reported:
                problem = _cell_problem(fields[column], value)
                if problem:
                    problems.append(_problem(path, line, column, problem))
    return problems


def check_cross(rows: dict[str, Rows]) -> list[str]:
    """Rules a per-table schema cannot express."""
    problems = []
    published = {r["source_id"]: r["published"] for _, r in rows["sources"]}
    # one Korean name per publisher and one publisher per Korean name: the Korean source lines
    # count publishers as the English ones do, and must come to the same numbers
    korean: dict[str, tuple[int, str]] = {}
    named: dict[str, tuple[int, str]] = {}
    for line, r in rows["sources"]:
        name, ko = r.get("publisher", ""), r.get("publisher_ko", "")
        if not ko:
            continue
        first = korean.setdefault(name, (line, ko))
        other = named.setdefault(ko, (line, name))
        if first[1] != ko:
            why = f'differs from "{first[1]}" (line {first[0]}) for the same publisher "{name}"'
        elif other[1] != name:
            why = f'is already the Korean name of "{other[1]}" (line {other[0]})'
        else:
            continue
        problems.append(
            _problem(
                paths.RAW_SOURCES,
                line,
                "publisher_ko",
                f'"{ko}" {why}; give each publisher one Korean name of its own',
            )
        )
    for table in ("arrivals", "figures", "events"):
        path = paths.RAW_TABLES[table]
        for line, r in rows[table]:
            for col in ("source_id", "via_source_id"):
                sid = r.get(col, "")
                if sid and sid not in published:
                    problems.append(
                        _problem(
                            path,
                            line,
                            col,
                            f'"{sid}" is not in {paths.RAW_SOURCES}; add the source there first',
                        )
                    )
    path = paths.RAW_ARRIVALS
    by_source: dict[tuple[str, str, str], dict[str, int]] = {}
    lines: dict[tuple[str, str, str], list[int]] = {}
    for line, r in rows["arrivals"]:
        pub = published.get(r["source_id"], "")
        if pub and int(r["year"]) > int(pub[:4]):
            problems.append(
                _problem(
                    path,
                    line,
                    "year",
                    f'"{r["year"]}" is after the source\'s '
                    f"publication ({pub}); check the year or the source_id",
                )
            )
        if r["measure"] == "total" and r.get("basis", "") in ("", "count"):
            key = (r["source_id"], r["year"], r["measure"])
            by_source.setdefault(key, {})[r["period"]] = int(r["value"])
            lines.setdefault(key, []).append(line)
    for key, values in by_source.items():
        quarters = [values[q] for q in ("Q1", "Q2", "Q3", "Q4") if q in values]
        if "year" in values and quarters and sum(quarters) > values["year"]:
            # named at the row read last: the one an appended row most likely broke
            problems.append(
                _problem(
                    path,
                    max(lines[key]),
                    "value",
                    f'the year total "{values["year"]}" is below the sum of the same '
                    f"source's quarters for {key[1]} ({sum(quarters)}) (lines "
                    f"{', '.join(map(str, sorted(lines[key])))}); check the year and quarter "
                    "values",
                )
            )
    problems += _reference_year(rows["arrivals"])
    path = paths.RAW_FIGURES
    for line, r in rows["figures"]:
        if not r.get("value") and not r.get("as_printed"):
            problems.append(
                _problem(
                    path,
                    line,
                    "value",
                    "empty is not valid; expected a number, or the figure in words in as_printed",
                )
            )
        high = r.get("value_high", "")
        if high and r.get("qualifier") != "range":
            problems.append(
                _problem(
                    path,
                    line,
                    "value_high",
                    f'"{high}" is given but qualifier '
                    'is not "range"; set qualifier to range or empty value_high',
                )
            )
        if high and r.get("value") and float(high) < float(r["value"]):
            problems.append(
                _problem(
                    path,
                    line,
                    "value_high",
                    f'"{high}" is below value "{r["value"]}"; expected the upper end of the range',
                )
            )
    problems += _hoeryong(rows["figures"])
    path = paths.RAW_EVENTS
    for line, r in rows["events"]:
        if r.get("end_date") and r["end_date"] < r["date"]:
            problems.append(
                _problem(
                    path,
                    line,
                    "end_date",
                    f'"{r["end_date"]}" is before the date "{r["date"]}"; expected a later date',
                )
            )
    return problems


def _reference_year(arrivals: Rows) -> list[str]:
    """The models compare with the year before the closure: it needs a count they can use."""
    from analysis.models import ModelParams
    from analysis.raw import DEFAULTS
    from analysis.series import exclusion

    closure = ModelParams().intervention_year
    usable = [
        r
        for _, r in arrivals
        if int(r["year"]) == closure - 1
        and (r["period"], r["measure"]) == ("year", "total")
        and not exclusion(
            {"flags": r.get("flags", "")} | {k: r.get(k) or DEFAULTS[k] for k in DEFAULTS}
        )
    ]
    if usable:
        return []
    return [
        _problem(
            paths.RAW_ARRIVALS,
            None,
            None,
            f"no usable total for {closure - 1}, the year before the closure "
            f"(intervention_year {closure}) that the models and reports compare with; add or "
            f"restore a row for {closure - 1}, period year, measure total: an exact count, not "
            "flagged typo, bucket, conflict or partial",
        )
    ]


def _hoeryong(figures: Rows) -> list[str]:
    """The rows analysis/figures.py derives the per-km fortification figures from."""
    path = paths.RAW_FIGURES
    section = [(ln, r) for ln, r in figures if all(r.get(k) == v for k, v in HOERYONG.items())]
    first: dict[str, tuple[int, dict[str, str]]] = {}
    for line, r in section:
        first.setdefault(r["quantity"], (line, r))  # the row listed first is the one used
    where = 'topic "{topic}" and place "{place}"'.format(**HOERYONG)
    needed = ", ".join(HOERYONG_QUANTITIES)
    problems = []
    for quantity in HOERYONG_QUANTITIES:
        if quantity not in first:
            others = [r["quantity"] for _, r in section if r["quantity"] not in HOERYONG_QUANTITIES]
            near = difflib.get_close_matches(quantity, others, n=1)
            if near:
                line = next(ln for ln, r in section if r["quantity"] == near[0])
                message = (
                    f'"{near[0]}" is not a quantity the fortifications table uses, and no row '
                    f'with {where} gives "{quantity}", which it needs; did you mean "{quantity}"?'
                )
                problems.append(_problem(path, line, "quantity", message))
            else:
                message = (
                    f'no row with {where} gives the quantity "{quantity}"; the fortifications '
                    f"table and chart need one row each for {needed}: restore it"
                )
                problems.append(_problem(path, None, None, message))
            continue
        line, r = first[quantity]
        if not r["value"] or (quantity in HOERYONG_DIVISORS and float(r["value"]) == 0):
            shown = f'"{r["value"]}"' if r["value"] else "empty"
            above = " above 0" if quantity in HOERYONG_DIVISORS else ""
            problems.append(
                _problem(
                    path,
                    line,
                    "value",
                    f"{shown} is not valid here; the fortifications table computes per-km "
                    f"figures from {quantity}: give it as a number{above}",
                )
            )
    return problems


def validate_all() -> None:
    """Raise InputError listing every problem found in the raw tables."""
    problems: list[str] = []
    rows = {}
    for table, path in paths.RAW_TABLES.items():
        try:
            text = read_text(path)
        except InputError as exc:
            problems.append(str(exc))
            continue
        try:
            data, starts = parse(path, text)
        except InputError as exc:
            problems.append(str(exc))
            continue
        # a header cell's surrounding spaces are not part of its name (raw.load strips too)
        header = data[0] = [h.strip() for h in data[0]] if data else []
        header_problems = check_header(path, table, header)
        if header_problems:
            problems += header_problems
            continue
        if len(data) == 1:
            problems.append(
                _problem(
                    path,
                    2,
                    None,
                    "no rows below the header; every table needs its rows: add them, or "
                    f"restore the file (git checkout -- {path})",
                )
            )
            continue
        row_problems = check_rows(path, table, data, starts)
        rows[table] = _rows(header, data, starts)
        reported = {_located(p) for p in row_problems}
        problems += row_problems + check_cells(path, table, rows[table], reported)
    if not problems:
        problems = check_cross(rows)
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        tail = [f"error: ... and {more} more problems (fix the ones above first)"] if more else []
        raise InputError("\n".join(["error: " + p for p in shown] + tail))


def main() -> None:
    validate_all()
    with atomic_open(paths.VALIDATED) as fh:
        fh.write("raw tables valid\n")


if __name__ == "__main__":
    run_step(main)
