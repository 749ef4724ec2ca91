"""Stage 2d: the sources with citations, and one catalogue of every reported figure.

Input: data/raw/*.csv (validated). Output: data/processed/sources.csv, catalogue.csv.
The catalogue has one row per figure as reported (arrivals rows and other figures alike), with
its qualifier, its source and where the text was read.
"""

from __future__ import annotations

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


def build() -> dict[str, pd.DataFrame]:
    src = raw.sources()
    figs = raw.load("figures").assign(table="figures", flags="")
    cat = pd.concat([arrivals_figures(raw.load("arrivals")), figs[COLUMNS[:-1]]], ignore_index=True)
    cat = cat.merge(src[["source_id", "citation"]], on="source_id", how="left", validate="m:1")
    return {"sources": src, "catalogue": cat[COLUMNS]}


def main() -> None:
    for name, table in build().items():
        write_csv(table, paths.processed(name))


if __name__ == "__main__":
    run_step(main)
