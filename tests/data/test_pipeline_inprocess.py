"""What validation accepts, the pipeline handles: odd but valid edits build, and random rows
appended to every raw table either build (data, models and every chart) or are refused at
validation, at the file, line and column of a row that was appended."""

from __future__ import annotations

import csv
import io
import math
import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.io import InputError
from tests.corpus import ODD_BUT_VALID
from tests.pipeline import build_in_process, copy_raw

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(processed: Path) -> list[str]:
    """Text cells of the processed tables a spreadsheet would read as a formula."""
    found = []
    for path in sorted(processed.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    if cell.startswith(FORMULA_START) and not is_number(cell):
                        found.append(f"{path.name}: {cell!r}")
    return found


def processed(root: Path, name: str) -> list[dict[str, str]]:
    with (root / paths.processed(name)).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.mark.proof  # a build per edit: make proof
def test_odd_but_valid_edits_build_and_come_out_right(raw_copy: Path) -> None:
    for case in ODD_BUT_VALID:
        case.apply(raw_copy)
    build_in_process()
    for case in ODD_BUT_VALID:
        case.check(raw_copy.parent.parent)


# --- the property ----------------------------------------------------------------------------

# Each column: values validation should accept (odd ones among them: mathtext, Markdown,
# line breaks, Hangul, a year before 1998, a figure of 10^20), and values it may refuse. Every
# row is valid in each column, or (in about a third of the examples) one cell of one row is
# refusable, so that most examples get past validation. New sources are cited by the new rows,
# so that their text reaches the charts' source lines.
NEW_SOURCES = ["x-src-a", "x-src-b"]
CITED = ["dw-2022-12-04", "hrw-2022-11-17"]  # published late in 2022: any year up to 2022 fits
YEARS = st.one_of(st.integers(1990, 2022), st.sampled_from([1995, 2012, 2019, 2020, 2022]))
DATES = st.one_of(
    YEARS.map(str),
    st.tuples(YEARS, st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
    st.tuples(YEARS, st.integers(1, 12), st.integers(1, 28)).map(
        lambda t: f"{t[0]}-{t[1]:02d}-{t[2]:02d}"
    ),
)
TEXT = st.one_of(
    st.sampled_from(
        [
            "Hoeryong section",
            "$\\foo$",
            "$x^2$ and 50%",
            "two\nlines",
            'quote " inside, and a comma',
            "\u2212" + "5 people",
            "\t tab first",
            "회령 2021년",
            "<b>bold</b> _x_ `code` | pipe",
        ]
    ),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=20),
)
NUMBER = st.one_of(
    st.integers(0, 5000).map(str),
    st.sampled_from(["0", "7.4", "1e3", "100000000000000000000"]),
    st.floats(min_value=0, max_value=1e6).map(str),
)
REFUSABLE = st.one_of(
    st.sampled_from(
        [
            "",
            "Infinity",
            "NaN",
            "1_0",
            "２０２１",
            "-5",
            "2000-02-30",
            "2021-13",
            '=HYPERLINK("http://x")',
            "+1",
            "@handle",
            "Q5",
            "x-unknown-source",
            "1,047",
        ]
    ),
    st.text(max_size=8),
)
SLUG = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True)
TOPIC = st.one_of(st.just("fortification"), SLUG)
QUANTITY = st.one_of(st.sampled_from(["watchtowers", "guard_posts", "section_length"]), SLUG)


def maybe(strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.just(""), strategy)


def enum(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(["", *values])


def columns(cited: list[str]) -> dict[str, dict[str, st.SearchStrategy[str]]]:
    source_ids = st.sampled_from(cited)
    return {
        "sources": {
            "source_id": st.sampled_from(NEW_SOURCES),
            "publisher": TEXT.filter(str.strip),
            "title": TEXT.filter(str.strip),
            "url": st.sampled_from(["", "https://example.org/a"]),
            "published": st.sampled_from(["2022-12-31", "2023", "2023-02"]),
            "author": maybe(TEXT),
            "kind": enum("news", "research"),
            "language": enum("en", "ko"),
            "accessed": maybe(DATES),
            "note": maybe(TEXT),
        },
        "arrivals": {
            "year": YEARS.map(str),
            "period": st.sampled_from(["year", "Q1", "Q2", "Q3", "Q4"]),
            "measure": st.sampled_from(["total", "male", "female", "cumulative"]),
            "value": st.integers(0, 4000).map(str),
            "source_id": source_ids,
            "flags": enum("preliminary", "typo", "conflict", "bucket;preliminary", "date_approx"),
            "note": maybe(TEXT),
            "qualifier": enum("exact", "approximate", "at_most"),
            "basis": enum("count", "estimate", "forecast"),
            "locator": maybe(TEXT),
        },
        "figures": {
            "figure_id": SLUG.map(lambda s: "x-" + s),
            "topic": TOPIC,
            "quantity": QUANTITY,
            "place": st.one_of(st.just("Hoeryong section"), TEXT),
            "value": NUMBER,
            "value_high": st.just(""),
            "unit": st.one_of(
                st.sampled_from(["km", "structures", "people"]), TEXT.filter(str.strip)
            ),
            "qualifier": enum("exact", "approximate", "at_least", "at_most"),
            "nature": enum("level", "addition", "flow"),
            "basis": enum("count", "estimate", "testimony"),
            "period_start": maybe(DATES),
            "period_end": DATES,
            "source_id": source_ids,
            "via_source_id": maybe(source_ids),
            "locator": maybe(TEXT),
            "as_printed": maybe(TEXT),
            "note": maybe(TEXT),
        },
        "events": {
            "event_id": SLUG.map(lambda s: "x-" + s),
            "date": DATES,
            "date_qualifier": enum("early", "around"),
            "end_date": st.just(""),
            "category": SLUG,
            "event": TEXT.filter(str.strip),
            "source_id": source_ids,
            "via_source_id": maybe(source_ids),
            "locator": maybe(TEXT),
            "note": maybe(TEXT),
            "chart_label": maybe(TEXT.map(lambda t: t[:24])),
        },
    }


KEYS = {
    "sources": ("source_id",),
    "arrivals": ("year", "period", "measure", "source_id"),
    "figures": ("figure_id",),
    "events": ("event_id",),
}


@st.composite
def appended_rows(draw: st.DrawFn) -> dict[str, list[dict[str, str]]]:
    def rows_of(table: str, strategies: dict[str, st.SearchStrategy[str]]) -> list[dict]:
        def key(row: dict[str, str]) -> tuple[str, ...]:
            return tuple(row[k] for k in KEYS[table])

        return draw(st.lists(st.fixed_dictionaries(strategies), max_size=2, unique_by=key))

    sources = rows_of("sources", columns(CITED)["sources"])
    strategies = columns(CITED + [r["source_id"] for r in sources])
    rows = {"sources": sources} | {
        t: rows_of(t, strategies[t]) for t in strategies if t != "sources"
    }
    filled = [t for t in rows if rows[t]]
    if filled and draw(st.integers(0, 2)):  # one refusable value in one cell
        table = draw(st.sampled_from(filled))
        row = draw(st.sampled_from(rows[table]))
        row[draw(st.sampled_from(sorted(row)))] = draw(REFUSABLE)
    return rows


def written(rows: list[dict[str, str]], header: list[str]) -> str:
    buf = io.StringIO()
    csv.DictWriter(buf, header, lineterminator="\n", extrasaction="ignore").writerows(rows)
    return buf.getvalue()


LOCATION = re.compile(r'^error: (data/raw/\w+\.csv)(?:, line (\d+))?(?:, column "([^"]+)")?: ')
# each example builds the data, the models and eight charts (about 5-10 s here); make proof
# runs more (tests/proof)
EXAMPLES = int(os.environ.get("NKB_PIPELINE_EXAMPLES", "2"))  # make proof runs 25


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_raw(tmp_path_factory.mktemp("pipeline"))


def check_appended(project: Path, appended: dict[str, list[dict[str, str]]]) -> None:
    """Append the rows to a copy of data/raw (cwd = project), build in process, restore."""
    originals = {t: p.read_bytes() for t, p in paths.RAW_TABLES.items()}
    new_lines: dict[str, range] = {}
    headers: dict[str, list[str]] = {}
    try:
        for table, rows in appended.items():
            path, text = paths.RAW_TABLES[table], originals[table].decode("utf-8")
            headers[str(path)] = next(csv.reader(io.StringIO(text)))
            first = text.count("\n") + 1
            added = written(rows, headers[str(path)])
            path.write_text(text + added, encoding="utf-8")
            new_lines[str(path)] = range(first, first + added.count("\n"))
        try:
            build_in_process()
        except InputError as exc:
            event("refused at validation")
            for line in str(exc).splitlines():
                if line.startswith("error: ... and"):
                    continue
                m = LOCATION.match(line)
                assert m, line
                file, number, column = m[1], m[2], m[3]
                # the shipped rows are valid: every problem is in a row that was appended
                assert file in new_lines and new_lines[file], line
                if number is not None:
                    assert int(number) in new_lines[file], (line, new_lines[file])
                if column is not None:
                    assert set(column.split(", ")) <= set(headers[file]), line
            return
        event("built")
        assert formula_cells(project / "data/processed") == []
        # no appended count vanishes: each is reported, and its year is in the series
        key = ("year", "period", "measure", "source_id")
        reported = {tuple(r[k] for k in key) for r in processed(project, "arrivals_reported")}
        years = {r["year"] for r in processed(project, "arrivals_annual")}
        for r in appended["arrivals"]:
            assert tuple(r[k] for k in key) in reported and r["year"] in years, r
        for name in ("arrivals_annual", "fortifications"):
            for row in processed(project, name):
                for column in ("arrivals_count", "value"):
                    if row.get(column):
                        assert math.isfinite(float(row[column])), row
    finally:
        for table, data in originals.items():
            paths.RAW_TABLES[table].write_bytes(data)


SETTINGS = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "phases": [Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # explain: minutes
}


@settings(max_examples=EXAMPLES, **SETTINGS)
@given(appended=appended_rows())
def test_rows_that_pass_validation_build(
    project: Path, monkeypatch: pytest.MonkeyPatch, appended: dict[str, list[dict[str, str]]]
) -> None:
    monkeypatch.chdir(project)
    check_appended(project, appended)
