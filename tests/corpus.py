"""The bad-input corpus: malformed edits of the raw CSVs and where each error must point.

Each edit changes files under data/raw in place and returns the location (file, line, column)
its error message must name, so the unit tests (the validator in-process) and the end-to-end
test (`make report` in a built copy) check the same cases.

ODD_BUT_VALID holds edits that validation accepts: each must build (every data and model step
and every chart) and give the outputs its check expects.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import paths


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
    return lines[-1]  # named at the row read last, which made the sum too large


def drop_lines(file: str, start: str, location: str) -> Callable[[Path], str]:
    """Delete every line that starts with `start`."""

    def apply(raw: Path) -> str:
        lines = (raw / file).read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [ln for ln in lines if not ln.startswith(start)]
        assert len(kept) < len(lines), start
        (raw / file).write_text("".join(kept), encoding="utf-8")
        return location

    return apply


def header_only(file: str) -> Callable[[Path], str]:
    def apply(raw: Path) -> str:
        header = (raw / file).read_text(encoding="utf-8").splitlines()[0]
        (raw / file).write_text(header + "\n", encoding="utf-8")
        return f"data/raw/{file}, line 2"

    return apply


def after_multiline_cell(raw: Path) -> str:
    """A note quoted across three lines, then a bad row: its physical line is named."""
    text = (raw / "arrivals.csv").read_text(encoding="utf-8")
    good = '2018,Q3,total,300,dw-2022-12-04,,"counted\nacross\nthree lines",,,\n'
    (raw / "arrivals.csv").write_text(text + good + "2018,Q4,total,-5,dw-2022-12-04\n")
    return where("arrivals.csv", text.count("\n") + 4, "value")


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
    # issue 16: input the validator used to accept and a later step could not handle
    arrival("２０１８,Q3,total,63,dw-2022-12-04", "year", "2018", "full-width digits (Korean IME)"),
    arrival("2018,Q3,total,1_0,dw-2022-12-04", "value", '"1_0" is not valid', "digit separator"),
    arrival(
        "2018,Q3,total,100000000000000000000,dw-2022-12-04",
        "value",
        '"100000000000000000000" is not valid',
        "count of 10^20",
    ),
    BadEdit(
        "infinite figure",
        append(
            "figures.csv",
            "x-inf,population,people,Hoeryong,Infinity,,people,,,,,2019,dw-2022-12-04",
            "value",
        ),
        '"Infinity" is not valid',
    ),
    BadEdit(
        "impossible event date",
        append("events.csv", "x-date,2000-02-30,,,punishment,Something,dw-2022-12-04", "date"),
        "not a calendar date",
    ),
    BadEdit(
        "impossible publication day",
        append("sources.csv", "x-src,X,Y,,2000-02-30,,,,,", "published"),
        "not a calendar date",
    ),
    BadEdit(
        "publication month 13",
        append("sources.csv", "x-src,X,Y,,2000-13,,,,,", "published"),
        '"2000-13" is not valid',
    ),
    BadEdit("header-only file", header_only("events.csv"), "no rows"),
    BadEdit("header-only arrivals", header_only("arrivals.csv"), "no rows"),
    BadEdit(
        "renamed Hoeryong quantity",
        rewrite(
            "figures.csv",
            ",watchtowers,Hoeryong section,",
            ",watch_towers,Hoeryong section,",
            where("figures.csv", 3, "quantity"),
        ),
        "watchtowers",
    ),
    BadEdit(
        "reference year deleted",
        drop_lines("arrivals.csv", "2019,year,total,", "data/raw/arrivals.csv"),
        "2019",
    ),
    BadEdit(
        "spreadsheet formula in a publisher",
        rewrite(
            "sources.csv",
            ",Deutsche Welle,",
            ',"=HYPERLINK(""http://x"",""DW"")",',
            where("sources.csv", 7, "publisher"),
        ),
        "formula",
    ),
    BadEdit(
        "spreadsheet formula in as_printed",
        append(
            "figures.csv",
            "x-neg,population,people,Hoeryong,5,,people,,,,,2019,dw-2022-12-04,,,-5",
            "as_printed",
        ),
        "formula",
    ),
    BadEdit("line after a multi-line cell", after_multiline_cell, '"-5" is not valid'),
]


@dataclass(frozen=True)
class OddEdit:
    name: str
    apply: Callable[[Path], object]  # edits the raw folder
    check: Callable[[Path], None]  # asserts on the built project (its root folder)


# the checks read the stage, where a build writes (in process, or by make before publishing)
def _csv(root: Path, name: str) -> list[dict[str, str]]:
    with (root / paths.processed(name)).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _same_annual_counts(root: Path) -> None:
    counts = {r["year"]: r["arrivals_count"] for r in _csv(root, "arrivals_annual")}
    assert (counts["2019"], counts["2020"], counts["2021"]) == ("1047", "229", "63")


def _pre_1998_kept(root: Path) -> None:
    counts = {r["year"]: r["arrivals_count"] for r in _csv(root, "arrivals_annual")}
    assert counts["1995"] == "41" and counts["1996"] == ""


def _huge_figure_kept(root: Path) -> None:
    values = {r["figure_id"]: r["value"] for r in _csv(root, "catalogue")}
    assert float(values["x-huge"]) == 1e20


def _second_figure_is_a_conflict(root: Path) -> None:
    conflicts = {r["figure_id"] for r in _csv(root, "conflicts")}
    assert {"hoeryong-watchtowers-2019", "x-second-watchtowers"} <= conflicts
    fort = {r["quantity"]: r["value"] for r in _csv(root, "fortifications")}
    assert fort["watchtowers"] == "5.0", fort  # the row listed first is the one used
    assert all(float(v) == float(v) for v in fort.values())  # numbers, never a Series repr


def _mathtext_literal(root: Path) -> None:
    # the chart whose source line names Deutsche Welle (arrivals name only their top publishers)
    meta = (root / paths.FIGURES / "fortifications.json").read_text(encoding="utf-8")
    assert "$\\\\foo$ Welle" in meta, "the publisher is quoted verbatim in the source line"


ODD_BUT_VALID = [
    OddEdit(
        "header cells with trailing spaces",
        rewrite("arrivals.csv", "year,period,measure,value,", "year ,period, measure,value ,", ""),
        _same_annual_counts,
    ),
    OddEdit(
        "year before 1998",
        append("arrivals.csv", "1995,year,total,41,dw-2022-12-04", "value"),
        _pre_1998_kept,
    ),
    OddEdit(
        "figure of 10^20",
        append(
            "figures.csv",
            "x-huge,population,people,Elsewhere,100000000000000000000,,people,,,,,2019,dw-2022-12-04",
            "value",
        ),
        _huge_figure_kept,
    ),
    OddEdit(
        "second source for a Hoeryong quantity",
        append(
            "figures.csv",
            "x-second-watchtowers,fortification,watchtowers,Hoeryong section,6,,structures,,"
            "level,,,2019-03,rfa-2020-07-29",
            "value",
        ),
        _second_figure_is_a_conflict,
    ),
    OddEdit(
        "mathtext in a chart label and a publisher",
        lambda raw: (
            rewrite("events.csv", ",Leniency decree", ",$\\foo$ decree", "")(raw),
            rewrite("sources.csv", ",Deutsche Welle,", ",$\\foo$ Welle,", "")(raw),
        ),
        _mathtext_literal,
    ),
]
