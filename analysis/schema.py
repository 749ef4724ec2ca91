"""Table Schemas of the raw CSVs (the contract users edit against).

Each field says, in `expected`, what a valid cell looks like: validation messages quote it.
`required_column` marks the contract columns; every other column is optional, and a row that
leaves it empty takes the documented default.
"""

from __future__ import annotations

from typing import Any

# [0-9], not \d: \d also matches full-width digits, which sort and parse differently
DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
FLAGS = ("preliminary", "bucket", "typo", "conflict", "partial", "date_approx")
FLAGS_PATTERN = rf"^({'|'.join(FLAGS)})(;({'|'.join(FLAGS)}))*$"
QUALIFIERS = ("exact", "approximate", "at_least", "at_most", "range")
PERIODS = ("year", "Q1", "Q2", "Q3", "Q4")
MEASURES = ("total", "male", "female", "cumulative")
DATE_TEXT = "a date as YYYY, YYYY-MM or YYYY-MM-DD"
DATE_YEARS = (1900, 2100)  # dates outside are typing slips (and beyond what pandas dates hold)
MAX_COUNT = 1_000_000  # no count of people here comes near; 10**20 would overflow the tables
# A text cell starting with one of these runs as a formula when a processed table is opened in a
# spreadsheet (a leading tab or CR is stripped on reading, so it adds nothing): refused.
FORMULA_START = ("=", "+", "-", "@")
# The fortifications table (analysis/figures.py) derives per-km figures from these rows of
# data/raw/figures.csv; validation requires each, with a number.
HOERYONG = {"topic": "fortification", "place": "Hoeryong section"}
HOERYONG_QUANTITIES = (
    "section_length",
    "watchtowers",
    "guard_posts",
    "primary_fence_improved",
    "secondary_fence_new",
)
HOERYONG_DIVISORS = ("section_length", "watchtowers")  # must be above 0


def _f(
    name: str,
    type_: str,
    expected: str,
    *,
    required_column: bool = False,
    required: bool = False,
    **constraints: Any,
) -> dict[str, Any]:
    field: dict[str, Any] = {"name": name, "type": type_, "expected": expected}
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    field["required_column"] = required_column or required
    return field


def _enum(
    name: str, values: tuple[str, ...], default: str | None = None, **kw: Any
) -> dict[str, Any]:
    text = "one of " + ", ".join(values)
    if default:
        text += f" (empty means {default})"
    return _f(name, "string", text, enum=list(values), **kw)


SOURCE_ID = _f(
    "source_id",
    "string",
    "a source_id listed in data/raw/sources.csv",
    required=True,
    pattern=SLUG_PATTERN,
)
VIA_SOURCE_ID = _f(
    "via_source_id",
    "string",
    "empty, or the source_id (in data/raw/sources.csv) where the text was read",
    pattern=SLUG_PATTERN,
)
LOCATOR = _f("locator", "string", "where in the source the figure stands (section, paragraph)")
NOTE = _f("note", "string", "free text")

RAW_SCHEMAS: dict[str, dict[str, Any]] = {
    "sources": {
        "fields": [
            _f(
                "source_id",
                "string",
                "a unique id of lower-case letters, digits and hyphens",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f("publisher", "string", "the publisher's name", required=True),
            _f("title", "string", "the title as published", required=True),
            _f(
                "url",
                "string",
                "empty or an address starting with http:// or https://",
                required_column=True,
                pattern=r"^https?://\S+$",
            ),
            _f("published", "string", DATE_TEXT, required=True, pattern=DATE_PATTERN),
            _f("author", "string", "author names separated by ';'"),
            _enum("kind", ("news", "ngo_report", "government", "research", "republication")),
            _f(
                "language",
                "string",
                "a two-letter language code such as en or ko",
                pattern=r"^[a-z]{2}$",
            ),
            _f("accessed", "string", DATE_TEXT, pattern=DATE_PATTERN),
            NOTE,
            _f(
                "publisher_ko",
                "string",
                "empty, or the publisher's name as Korean readers know it (연합뉴스), for the "
                "Korean charts and reports; where empty they print publisher",
            ),
        ],
        "primaryKey": ["source_id"],
    },
    "arrivals": {
        "fields": [
            _f("year", "integer", "a year such as 2021", required=True, minimum=1990, maximum=2100),
            _enum("period", PERIODS, required=True),
            _enum("measure", MEASURES, required=True),
            _f(
                "value",
                "integer",
                f"a whole number of people from 0 to {MAX_COUNT}, as printed (e.g. 1047)",
                required=True,
                minimum=0,
                maximum=MAX_COUNT,
            ),
            SOURCE_ID,
            _f(
                "flags",
                "string",
                "empty or flags from " + ", ".join(FLAGS) + " joined by ';'",
                required_column=False,
                pattern=FLAGS_PATTERN,
            ),
            NOTE,
            _enum("qualifier", QUALIFIERS, "exact"),
            _enum("basis", ("count", "estimate", "forecast"), "count"),
            LOCATOR,
        ],
        "primaryKey": ["year", "period", "measure", "source_id"],
        "foreignKeys": [
            {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}
        ],
    },
    "figures": {
        "fields": [
            _f(
                "figure_id",
                "string",
                "a unique id of lower-case letters, digits and hyphens",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f(
                "topic",
                "string",
                "a lower-case topic such as fortification",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f(
                "quantity",
                "string",
                "a lower-case name of what is counted, e.g. watchtowers",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f("place", "string", "where the figure applies"),
            _f(
                "value",
                "number",
                "a number, 0 or more, as printed; empty only when as_printed "
                "gives the figure in words",
                required_column=True,
                minimum=0,
            ),
            _f("value_high", "number", "empty, or the upper end of a range", minimum=0),
            _f("unit", "string", "the unit, e.g. km, people, years", required=True),
            _enum("qualifier", QUALIFIERS, "exact"),
            _enum(
                "nature",
                ("level", "addition", "flow", "duration", "amount", "share", "ratio"),
                "level",
            ),
            _enum("basis", ("count", "estimate", "forecast", "testimony", "rule"), "count"),
            _f("period_start", "string", "empty or " + DATE_TEXT, pattern=DATE_PATTERN),
            _f(
                "period_end",
                "string",
                DATE_TEXT + " (the date the figure refers to)",
                required=True,
                pattern=DATE_PATTERN,
            ),
            SOURCE_ID,
            VIA_SOURCE_ID,
            LOCATOR,
            _f("as_printed", "string", "the figure in the source's words"),
            NOTE,
        ],
        "primaryKey": ["figure_id"],
        "foreignKeys": [
            {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
        ],
    },
    "events": {
        "fields": [
            _f(
                "event_id",
                "string",
                "a unique id of lower-case letters, digits and hyphens",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f("date", "string", DATE_TEXT, required=True, pattern=DATE_PATTERN),
            _enum("date_qualifier", ("early", "mid", "late", "around", "by")),
            _f("end_date", "string", "empty or " + DATE_TEXT, pattern=DATE_PATTERN),
            _f(
                "category",
                "string",
                "a lower-case category such as punishment",
                required=True,
                pattern=SLUG_PATTERN,
            ),
            _f("event", "string", "what happened, in one line", required=True),
            SOURCE_ID,
            VIA_SOURCE_ID,
            LOCATOR,
            NOTE,
            _f(
                "chart_label",
                "string",
                "empty, or a short label (at most 24 characters) to mark the event on charts",
                maxLength=24,
            ),
            _f(
                "chart_label_ko",
                "string",
                "empty, or chart_label in Korean (at most 24 characters), for the Korean charts",
                maxLength=24,
            ),
            _f(
                "event_ko",
                "string",
                "empty, or event in Korean, for the Korean charts; where empty they print event",
            ),
        ],
        "primaryKey": ["event_id"],
        "foreignKeys": [
            {"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}},
        ],
    },
}


def table_schema(name: str) -> dict[str, Any]:
    """The Frictionless Table Schema descriptor of a raw table (without our extra keys)."""
    schema = RAW_SCHEMAS[name]
    fields = [
        {k: v for k, v in f.items() if k not in ("expected", "required_column")}
        for f in schema["fields"]
    ]
    # "superset": columns are matched by name and optional ones may be absent (Frictionless 5's
    # "subset" requires every field of the schema in the file)
    return {"fields": fields, "primaryKey": schema["primaryKey"], "fieldsMatch": "superset"}


def field(table: str, name: str) -> dict[str, Any]:
    return next(f for f in RAW_SCHEMAS[table]["fields"] if f["name"] == name)
