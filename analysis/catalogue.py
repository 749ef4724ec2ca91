"""Stage 2d: the sources with citations, and one catalogue of every reported figure.

Input: data/raw/*.csv (validated). Output: `sources` -> data/processed/sources.csv (from
data/raw/sources.csv alone); `figures` -> catalogue.csv and conflicts.csv.
The catalogue has one row per figure as reported (arrivals rows and other figures alike), with
its qualifier, its source and where the text was read. Conflicts are figures for one quantity and
one reference period that disagree across sources: for arrivals, the cells where a row is
flagged `conflict` (values that differ across publication dates are revisions, not conflicts);
for other figures, any quantity read in more than one source with differing figures.
"""

from __future__ import annotations

import argparse

import pandas as pd

from analysis import paths, raw
from analysis.io import run_step, write_csv

COLUMNS = [
    "figure_id",
    "table",
    "topic",
    "quantity",
    "place",
    "period_start",
    "period_end",
    "value",
    "value_high",
    "unit",
    "qualifier",
    "nature",
    "basis",
    "flags",
    "as_printed",
    "source_id",
    "via_source_id",
    "locator",
    "note",
    "citation",
]


def arrivals_figures(arr: pd.DataFrame) -> pd.DataFrame:
    period_end = arr["year"].astype(str) + arr["period"].map(
        {"year": "", "Q1": "-03", "Q2": "-06", "Q3": "-09", "Q4": "-12"}
    )
    period_start = arr["year"].astype(str) + arr["period"].map(
        {"year": "", "Q1": "-01", "Q2": "-04", "Q3": "-07", "Q4": "-10"}
    )
    return pd.DataFrame(
        {
            "figure_id": "arrivals-"
            + arr["year"].astype(str)
            + "-"
            + arr["period"]
            + "-"
            + arr["measure"]
            + "-"
            + arr["source_id"],
            "table": "arrivals",
            "topic": "arrivals",
            "quantity": "arrivals_" + arr["measure"],
            "place": "South Korea",
            "period_start": period_start.where(arr["measure"] != "cumulative", ""),
            "period_end": period_end,
            "value": arr["value"].astype("Float64"),
            "value_high": pd.NA,
            "unit": "people",
            "qualifier": arr["qualifier"],
            "nature": arr["measure"].map(lambda m: "level" if m == "cumulative" else "flow"),
            "basis": arr["basis"],
            "flags": arr["flags"],
            "as_printed": "",
            "source_id": arr["source_id"],
            "via_source_id": "",
            "locator": arr["locator"],
            "note": arr["note"],
        }
    )


APPROX_TOLERANCE = 0.10  # "around N" read as N +/- 10% when comparing figures
CONFLICT_KEY = ["topic", "quantity", "place", "reference_period"]


def bounds(cat: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The interval each figure allows, read from its qualifier (NaN where no number)."""
    v = cat["value"].astype(float)
    hi = pd.to_numeric(cat["value_high"], errors="coerce").astype(float)
    inf = float("inf")
    q = cat["qualifier"]
    low = v.where(q != "approximate", v * (1 - APPROX_TOLERANCE)).where(q != "at_most", 0.0)
    high = (
        v.where(q != "approximate", v * (1 + APPROX_TOLERANCE))
        .where(q != "at_least", inf)
        .where(q != "range", hi.fillna(inf))
    )
    return low.where(v.notna()), high.where(v.notna())


def conflicts(cat: pd.DataFrame) -> pd.DataFrame:
    """Figures for the same quantity and period that differ between sources."""
    is_arrivals = cat["table"] == "arrivals"
    c = cat.assign(
        # arrivals cells are exact periods; other figures are compared within a year
        reference_period=cat["period_end"].where(is_arrivals, cat["period_end"].str[:4]),
        _read_in=cat["source_id"] + "/" + cat["via_source_id"],
        _figure=cat["value"].astype("string").fillna("")
        + "/"
        + cat["value_high"].astype("string").fillna("")
        + cat["qualifier"],
        _flagged=cat["flags"].str.split(";").map(lambda f: "conflict" in f),
    )
    grouped = c.groupby(CONFLICT_KEY, dropna=False)
    differs = (grouped["_read_in"].transform("nunique") > 1) & (
        grouped["_figure"].transform("nunique") > 1
    )
    flagged = grouped["_flagged"].transform("any")
    # a flagged arrivals row is listed even when the value it disputes is not in the data
    g = c[(differs & ~is_arrivals) | (flagged & is_arrivals)].copy()
    g["bound_low"], g["bound_high"] = bounds(g)
    lo = g.groupby(CONFLICT_KEY)["bound_low"].transform("max")
    hi = g.groupby(CONFLICT_KEY)["bound_high"].transform("min")
    g["bounds_overlap"] = lo <= hi
    g["is_flagged_conflict"] = g["_flagged"]
    cols = CONFLICT_KEY + [
        "figure_id",
        "value",
        "value_high",
        "qualifier",
        "as_printed",
        "flags",
        "source_id",
        "via_source_id",
        "bound_low",
        "bound_high",
        "bounds_overlap",
        "is_flagged_conflict",
        "note",
    ]
    return g[cols].sort_values(CONFLICT_KEY + ["figure_id"], kind="mergesort")


def build() -> dict[str, pd.DataFrame]:
    src = raw.sources()
    figs = raw.load("figures").assign(table="figures", flags="")
    cat = pd.concat([arrivals_figures(raw.load("arrivals")), figs[COLUMNS[:-1]]], ignore_index=True)
    cat = cat.merge(src[["source_id", "citation"]], on="source_id", how="left", validate="m:1")
    return {"catalogue": cat[COLUMNS], "conflicts": conflicts(cat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=["sources", "figures"])
    tables = {"sources": raw.sources()} if parser.parse_args().part == "sources" else build()
    for name, table in tables.items():
        write_csv(table, paths.processed(name))


if __name__ == "__main__":
    run_step(main)
