"""Read a validated raw table into a typed DataFrame, with the documented defaults filled in."""

from __future__ import annotations

import pandas as pd

from analysis import paths
from analysis.schema import RAW_SCHEMAS

DEFAULTS = {"qualifier": "exact", "basis": "count", "nature": "level"}


def load(table: str) -> pd.DataFrame:
    """All schema columns, in schema order; optional columns absent from the file are empty."""
    df = pd.read_csv(
        paths.RAW_TABLES[table], dtype=str, keep_default_na=False, encoding="utf-8-sig"
    )
    df = df.fillna("")  # short rows leave trailing optional cells out
    df.columns = [c.strip() for c in df.columns]
    df = df.apply(lambda col: col.str.strip())
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
    df["line"] = range(2, len(df) + 2)  # first data line; used to keep input order stable
    return df[[f["name"] for f in RAW_SCHEMAS[table]["fields"]] + ["line"]]


def date_start(text: pd.Series) -> pd.Series:
    """Earliest day a YYYY / YYYY-MM / YYYY-MM-DD date can mean, as an ISO string."""
    return text.where(text.str.len() != 4, text + "-01-01").where(text.str.len() != 7, text + "-01")


def precision(text: pd.Series) -> pd.Series:
    return text.str.len().map({4: "year", 7: "month", 10: "day"})


def sources() -> pd.DataFrame:
    """Sources with a one-line citation and a short label for chart source lines."""
    df = load("sources").drop(columns="line")
    url = df["url"].where(df["url"] == "", " " + df["url"])
    df["citation"] = (
        df["publisher"] + ", \u201c" + df["title"] + "\u201d, " + df["published"] + "." + url
    )
    df["label"] = df["publisher"] + " (" + df["published"] + ")"
    return df
