"""Read a validated raw table into a typed DataFrame, with the documented defaults filled in."""

from __future__ import annotations

import pandas as pd

from analysis import paths
from analysis.schema import RAW_SCHEMAS
from analysis.validate import parse, read_text

DEFAULTS = {"qualifier": "exact", "basis": "count", "nature": "level"}


def load(table: str) -> pd.DataFrame:
    """All schema columns, in schema order; optional columns absent from the file are empty.

    Read with the same parser and stripping as validation (analysis.validate.parse), so what
    validation accepted is what the pipeline gets; `line` is the physical line a row starts on.
    """
    path = paths.RAW_TABLES[table]
    data, starts = parse(path, read_text(path))
    header = [h.strip() for h in data[0]]
    kept = [(row, line) for row, line in zip(data[1:], starts[1:], strict=True) if row]
    # short rows leave trailing optional cells out
    cells = [[c.strip() for c in row] + [""] * (len(header) - len(row)) for row, _ in kept]
    df = pd.DataFrame(cells, columns=header, dtype=str)
    for f in RAW_SCHEMAS[table]["fields"]:
        name = f["name"]
        if name not in df.columns:
            df[name] = ""
        if name in DEFAULTS:
            df[name] = df[name].replace("", DEFAULTS[name])
        if f["type"] == "integer":
            df[name] = pd.to_numeric(df[name]).astype("Int64")
        elif f["type"] == "number":
            df[name] = pd.to_numeric(df[name].replace("", None)).astype("Float64")
    df["line"] = pd.Series([line for _, line in kept], index=df.index, dtype="int64")
    return df[[f["name"] for f in RAW_SCHEMAS[table]["fields"]] + ["line"]]


def date_start(text: pd.Series) -> pd.Series:
    """Earliest day a YYYY / YYYY-MM / YYYY-MM-DD date can mean, as an ISO string."""
    return text.where(text.str.len() != 4, text + "-01-01").where(text.str.len() != 7, text + "-01")


def precision(text: pd.Series) -> pd.Series:
    return text.str.len().map({4: "year", 7: "month", 10: "day"})


def sources() -> pd.DataFrame:
    """Sources with a one-line citation and a short label for chart source lines, in English
    and in Korean (publisher_ko; where a row gives none, the Korean name another row gives the
    same publisher, else the publisher as written: one publisher, one name, so a row appended
    with the contract columns only is counted with its publisher's other rows)."""
    df = load("sources").drop(columns="line")
    given = df[df["publisher_ko"] != ""].drop_duplicates("publisher")
    recorded = df["publisher"].map(given.set_index("publisher")["publisher_ko"])
    df["publisher_ko"] = (
        df["publisher_ko"].where(df["publisher_ko"] != "", recorded).fillna(df["publisher"])
    )
    url = df["url"].where(df["url"] == "", " " + df["url"])
    for suffix in ("", "_ko"):
        who = df["publisher" + suffix]
        title = ", \u201c" + df["title"] + "\u201d, "
        df["citation" + suffix] = who + title + df["published"] + "." + url
        df["label" + suffix] = who + " (" + df["published"] + ")"
    return df
