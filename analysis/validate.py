"""Stage 1: check every raw CSV against its schema and the cross-table rules; write a stamp.

Input: data/raw/*.csv. Output: build/raw.validated (only when every table is valid).
Each problem is one line: file, line, column, the value and what is expected.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.io import InputError, atomic_open, run_step
from analysis.schema import RAW_SCHEMAS, field, table_schema

MAX_REPORTED = 25


def _problem(path: Path, line: int | None, column: str | None, message: str) -> str:
    where = f"{path}, line {line}" if line else f"{path}"
    if column:
        where += f', column "{column}"'
    return f"{where}: {message}"


def _visible(value: Any) -> str:
    """A cell as it can be shown on one line: control characters written as escapes."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: f"\\x{ord(m[0]):02x}", str(value))


def _bad_cell(path: Path, table: str, line: int | None, column: str, value: Any) -> str:
    expected = field(table, column)["expected"]
    shown = f'"{_visible(value)}"' if value not in (None, "") else "empty"
    return _problem(path, line, column, f"{shown} is not valid; expected {expected}")


def parse(path: Path, text: str) -> list[list[str]]:
    """The CSV's rows; a row Python's csv reader cannot split is one clear error."""
    reader = csv.reader(io.StringIO(text))
    try:
        return list(reader)
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


def check_rows(path: Path, table: str, data: list[list[str]]) -> list[str]:
    """Schema checks (types, allowed values, required cells, unique keys) with Frictionless."""
    import frictionless as fl

    resource = fl.Resource(data=data, schema=fl.Schema.from_descriptor(table_schema(table)))
    report = resource.validate(limit_errors=MAX_REPORTED)
    problems = []
    found = report.flatten(["type", "rowNumber", "fieldName", "cell", "note"])
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
            other = note.rsplit(" ", 1)[-1]
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


def _rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """Rows as dicts with the line each starts on (quoted cells may span lines)."""
    reader = csv.DictReader(io.StringIO(text))
    out = []
    line = reader.line_num + 1
    for row in reader:
        out.append((line, {k: (v or "").strip() for k, v in row.items() if k is not None}))
        line = reader.line_num + 1
    return out


def check_cross(rows: dict[str, list[tuple[int, dict[str, str]]]]) -> list[str]:
    """Rules a per-table schema cannot express."""
    problems = []
    published = {r["source_id"]: r["published"] for _, r in rows["sources"]}
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
    for (sid, year, _), values in by_source.items():
        quarters = [values[q] for q in ("Q1", "Q2", "Q3", "Q4") if q in values]
        if "year" in values and quarters and sum(quarters) > values["year"]:
            line = next(
                ln
                for ln, r in rows["arrivals"]
                if r["source_id"] == sid
                and r["year"] == year
                and r["period"] == "year"
                and r["measure"] == "total"
            )
            problems.append(
                _problem(
                    path,
                    line,
                    "value",
                    f'"{values["year"]}" is below the sum '
                    f"of the same source's quarters for {year} ({sum(quarters)}); "
                    "check the year and quarter values",
                )
            )
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
            data = parse(path, text)
        except InputError as exc:
            problems.append(str(exc))
            continue
        header = data[0] if data else []
        header_problems = check_header(path, table, [h.strip() for h in header])
        problems += header_problems or check_rows(path, table, data)
        if not header_problems:
            rows[table] = _rows(text)
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
