"""The bad-input corpus: malformed edits of the raw CSVs and where each error must point.

Each edit changes files under data/raw in place and returns the location (file, line, column)
its error message must name, so the unit tests (the validator in-process) and the end-to-end
test (`make report` in a built copy) check the same cases.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BadEdit:
    name: str
    apply: Callable[[Path], str]  # edits the raw folder; returns 'data/raw/F, line N, column "C"'
    fragment: str  # a piece of the message that says what is wrong or what to do


def where(file: str, line: int, column: str) -> str:
    return f'data/raw/{file}, line {line}, column "{column}"'


def append(file: str, row: str, column: str) -> Callable[[Path], str]:
    def apply(raw: Path) -> str:
        text = (raw / file).read_text(encoding="utf-8")
        (raw / file).write_text(text + row + "\n", encoding="utf-8")
        return where(file, text.count("\n") + 1, column)

    return apply


def rewrite(file: str, old: str, new: str, location: str, count: int = -1) -> Callable[[Path], str]:
    def apply(raw: Path) -> str:
        text = (raw / file).read_text(encoding="utf-8")
        (raw / file).write_text(text.replace(old, new, count) if old else new, encoding="utf-8")
        return location

    return apply


def drop_column(file: str, column: str) -> Callable[[Path], str]:
    def apply(raw: Path) -> str:
        with (raw / file).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        keep = [i for i, name in enumerate(rows[0]) if name != column]
        with (raw / file).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows([r[i] for i in keep] for r in rows)
        return where(file, 1, column)

    return apply


def quarters_above_year(raw: Path) -> str:
    append("sources.csv", "test-2030,Test,Quarters,,2030,,,,,", "source_id")(raw)
    rows = [("year", 10), ("Q1", 8), ("Q2", 8)]
    lines = [append("arrivals.csv", f"2029,{p},total,{v},test-2030", "value")(raw) for p, v in rows]
    return lines[0]


def arrival(row: str, column: str, fragment: str, name: str) -> BadEdit:
    return BadEdit(name, append("arrivals.csv", row, column), fragment)


CORPUS = [
    arrival("2021,year,total,-5,dw-2022-12-04", "value", '"-5" is not valid', "negative count"),
    arrival("2021,year,total,6.5,dw-2022-12-04", "value", '"6.5" is not valid', "fraction"),
    arrival("2021,year,total,sixty,dw-2022-12-04", "value", "whole number", "words for a count"),
    arrival("2021,yr,total,63,rfa-2020-07-29", "period", "one of year, Q1", "misspelt period"),
    arrival("2021,Q5,total,63,rfa-2020-07-29", "period", "Q4", "quarter 5"),
    arrival("2021,year,totl,63,rfa-2020-07-29", "measure", "one of total", "misspelt measure"),
    arrival("twenty,year,total,63,rfa-2020-07-29", "year", "a year", "year in words"),
    arrival("2021,year,total,63,no-such-source", "source_id", "add the source", "unknown source"),
    arrival("2021,year,total,63,rfa-2020-07-29,maybe", "flags", "preliminary", "unknown flag"),
    arrival(
        "2021,year,total,63,dw-2022-12-04",
        "year, period, measure, source_id",
        "repeats the key",
        "duplicate figure",
    ),
    arrival(
        "2023,year,total,63,dw-2022-12-04",
        "year",
        "after the source's publication",
        "year after publication",
    ),
    arrival("2021,year,total", "value", "short", "short row"),
    BadEdit(
        "duplicate source id",
        append("sources.csv", "dw-2022-12-04,DW,Again,,2022-12-04,,,,,", "source_id"),
        "repeats the key of line",
    ),
    BadEdit(
        "renamed column",
        rewrite("arrivals.csv", ",value,", ",valeu,", where("arrivals.csv", 1, "valeu"), count=1),
        "not a known column",
    ),
    BadEdit("missing column", drop_column("arrivals.csv", "source_id"), "missing"),
    BadEdit("empty file", rewrite("events.csv", "", "", "data/raw/events.csv, line 1"), "empty"),
    BadEdit(
        "semicolon-separated export",
        rewrite("arrivals.csv", ",", ";", "data/raw/arrivals.csv, line 1"),
        "';'",
    ),
    BadEdit("quarters above their year", quarters_above_year, "sum of the same source's quarters"),
]
