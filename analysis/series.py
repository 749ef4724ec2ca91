"""Stage 2a: reported arrival figures -> the current series, their revisions and checks.

Input: data/raw/arrivals.csv, data/raw/sources.csv (validated).
Output (data/processed): arrivals_reported, arrivals_annual, arrivals_quarterly, arrivals_sex,
arrivals_sex_quarterly, arrivals_cumulative, arrivals_revisions, arrivals_checks.

The selection rule (also in the README): drop rows flagged typo, bucket, conflict or partial,
and rows that are not exact counts (forecasts, estimates, bounds). Among the rest the value
published latest wins (a date given as YYYY or YYYY-MM counts from its first day). Ties go to,
in order: a row not flagged preliminary, a row whose date is not approximate, the more precise
date, the value given by more sources, then the smaller source_id (so the result never depends
on row order).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analysis import paths, raw
from analysis.io import run_step, write_csv

EXCLUDING_FLAGS = ("typo", "bucket", "conflict", "partial")
FIRST_YEAR = 1998  # the series starts here, or at the earliest year reported if earlier
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
KEY = ["year", "period", "measure"]


def exclusion(row: Mapping[str, str]) -> str:
    """Why a reported row cannot be the current value ("" when it can); validation uses it too."""
    flags = set(filter(None, row["flags"].split(";")))
    hit = [f for f in EXCLUDING_FLAGS if f in flags]
    if hit:
        return "flagged " + "+".join(hit)
    if row["basis"] != "count":
        return f"a {row['basis']}, not a count"
    if row["qualifier"] != "exact":
        return f"not an exact figure ({row['qualifier']})"
    return ""


def reported(arrivals: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Every reported value with its source, date and whether (and why) it is selected."""
    df = arrivals.merge(
        sources[["source_id", "published", "label"]], on="source_id", how="left", validate="m:1"
    )
    df["exclusion"] = df.apply(exclusion, axis=1)
    flags = df["flags"].str.split(";")
    df["is_preliminary"] = flags.map(lambda f: "preliminary" in f)
    df["is_date_approx"] = flags.map(lambda f: "date_approx" in f)
    df["published_start"] = raw.date_start(df["published"])
    df["published_precision"] = raw.precision(df["published"])
    df["is_selected"] = df.index.isin(select(df))
    return df.sort_values(KEY + ["published_start", "source_id"], kind="mergesort")


def select(df: pd.DataFrame) -> pd.Index:
    """Index of the current value of each cell under the selection rule (module docstring).

    `df` holds reported rows with exclusion, published_start, published_precision and the
    is_preliminary / is_date_approx flags; rows published later than a date can be dropped
    first to get the selection as it stood on that date.
    """
    valid = df[df["exclusion"] == ""]
    support = valid.groupby(KEY + ["value"])["source_id"].transform("count")
    df = df.assign(sources_for_value=support.reindex(df.index).fillna(0).astype(int))
    precision_rank = df["published_precision"].map({"day": 0, "month": 1, "year": 2})
    order = df.assign(_p=precision_rank).sort_values(
        KEY
        + [
            "published_start",
            "is_preliminary",
            "is_date_approx",
            "_p",
            "sources_for_value",
            "source_id",
        ],
        ascending=[True, True, True, False, True, True, True, False, True],
        kind="mergesort",
    )
    return order[order["exclusion"] == ""].groupby(KEY, sort=False).head(1).index


def _grid(years: range, periods: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame([(y, p) for y in years for p in periods], columns=["year", "period"])


def current(
    rep: pd.DataFrame, measure: str, periods: tuple[str, ...], value_name: str, last_year: int
) -> pd.DataFrame:
    """One row per (year, period) from FIRST_YEAR (or the earliest year reported, whichever is
    earlier: no reported year is dropped) to last_year; empty where nothing is valid."""
    first_year = min(FIRST_YEAR, int(rep["year"].min()))
    mine = rep[rep["measure"] == measure]
    counts = mine.groupby(["year", "period"]).agg(
        values_reported_count=("value", "size"),
        distinct_values_count=("value", "nunique"),
    )
    # revised: two valid counts differ (a forecast followed by a count, or a typo, is not)
    valid = mine[mine["exclusion"] == ""]
    counts["distinct_counts"] = valid.groupby(["year", "period"])["value"].nunique()
    chosen = (
        mine[mine["is_selected"]]
        .set_index(["year", "period"])[["value", "source_id", "published", "label"]]
        .rename(columns={"value": value_name, "label": "source_label"})
    )
    out = _grid(range(first_year, last_year + 1), periods).join(chosen, on=["year", "period"])
    out = out.join(counts, on=["year", "period"])
    out[["values_reported_count", "distinct_values_count"]] = (
        out[["values_reported_count", "distinct_values_count"]].fillna(0).astype(int)
    )
    out[value_name] = out[value_name].astype("Int64")
    out["is_revised"] = out.pop("distinct_counts").fillna(0) > 1
    return out


def sex_split(total: pd.DataFrame, male: pd.DataFrame, female: pd.DataFrame) -> pd.DataFrame:
    """Male and female counts beside the total, on the same (year[, period]) grid."""
    keys = [k for k in ("year", "period") if k in total.columns]
    out = total[keys + ["arrivals_count"]].reset_index(drop=True)
    out["male_count"] = male["male_count"].array
    out["female_count"] = female["female_count"].array
    out["male_source_id"] = male["source_id"].to_numpy()
    out["female_source_id"] = female["source_id"].to_numpy()
    both = out["male_count"] + out["female_count"]
    out["female_share_pct"] = (100 * out["female_count"] / both).astype("Float64").round(2)
    out["sex_sum_matches_total"] = (both == out["arrivals_count"]).astype("boolean")
    return out


def revisions(rep: pd.DataFrame) -> pd.DataFrame:
    """Each key reported with more than one distinct value: one row per value."""
    multi = rep.groupby(KEY)["value"].transform("nunique") > 1
    sub = rep[multi]
    rows = []
    for (year, period, measure, value), g in sub.groupby(KEY + ["value"], sort=True):
        selected = bool(g["is_selected"].any())
        excluded = g["exclusion"].where(g["exclusion"] != "").dropna().unique()
        if selected:
            status, reason = "selected", "latest published valid value"
        elif (g["basis"] != "count").all():
            # a forecast or estimate followed by a count: forecast vs outcome, not a revision
            status, reason = "forecast", "; ".join(sorted(excluded))
        elif len(excluded) == len(g["exclusion"]) or (g["exclusion"] != "").all():
            status, reason = "excluded", "; ".join(sorted(excluded))
        else:
            status, reason = "superseded", "a later publication gives another value"
        rows.append(
            {
                "year": year,
                "period": period,
                "measure": measure,
                "value": value,
                "sources_count": len(g),
                "source_ids": ";".join(g["source_id"]),
                "first_published": g["published"].iloc[0],
                "last_published": g["published"].iloc[-1],
                "flags": ";".join(sorted({f for fl in g["flags"] for f in fl.split(";") if f})),
                "status": status,
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows)
    # the first count: a forecast, typo or bucket published earlier is not a first count
    counted = sub[sub["exclusion"] == ""]
    first = counted.groupby(KEY)["published_start"].transform("min")
    first_value = counted[counted["published_start"] == first].groupby(KEY)["value"].first()
    out["is_first_reported"] = [
        first_value.get((r.year, r.period, r.measure)) == r.value for r in out.itertuples()
    ]
    return out


def changes_since(rep: pd.DataFrame) -> str:
    """The default start of "what changed": one year before the newest publication."""
    newest = pd.Timestamp(rep["published_start"].max())
    return (newest - pd.DateOffset(years=1)).strftime("%Y-%m-%d")


def changes(rep: pd.DataFrame, since: str) -> pd.DataFrame:
    """Cells whose current value differs from the value they had before `since` (a date).

    change_kind: `new` (no value before: a new year, quarter, sex split or cumulative total),
    `revision` (a different count before), or `forecast_vs_outcome` (only a forecast, estimate
    or bound before, now a count). Values republished unchanged are not changes.
    """
    before = rep[rep["published_start"] < since]  # ISO dates compare as strings
    then = before.loc[select(before)].set_index(KEY)
    said = before[before["basis"] != "count"].groupby(KEY).last()
    now = rep[rep["is_selected"]]
    rows = []
    for r in now.itertuples():
        key = (r.year, r.period, r.measure)
        if key in then.index:
            prev = then.loc[key]
            if prev["value"] == r.value:
                continue
            kind, prev_value, prev_source = "revision", prev["value"], prev["source_id"]
        elif key in said.index:
            prev = said.loc[key]
            kind, prev_value, prev_source = "forecast_vs_outcome", prev["value"], prev["source_id"]
        else:
            kind, prev_value, prev_source = "new", pd.NA, ""
        rows.append(
            {
                "year": r.year,
                "period": r.period,
                "measure": r.measure,
                "change_kind": kind,
                "value": r.value,
                "source_id": r.source_id,
                "published": r.published,
                "previous_value": prev_value,
                "previous_source_id": prev_source,
                "changes_since": since,
            }
        )
    columns = [
        "year",
        "period",
        "measure",
        "change_kind",
        "value",
        "source_id",
        "published",
        "previous_value",
        "previous_source_id",
        "changes_since",
    ]
    out = pd.DataFrame(rows, columns=columns)
    out["previous_value"] = out["previous_value"].astype("Int64")
    return out


def checks(
    quarterly: pd.DataFrame, annual: pd.DataFrame, sex: pd.DataFrame, sex_quarterly: pd.DataFrame
) -> pd.DataFrame:
    """Warnings: sums that do not add up among the selected values (the data are kept)."""
    rows = []
    both = pd.concat([sex.assign(period="year"), sex_quarterly], ignore_index=True)
    for r in both.dropna(subset=["male_count", "female_count", "arrivals_count"]).itertuples():
        if r.male_count + r.female_count != r.arrivals_count:
            rows.append(
                {
                    "year": r.year,
                    "period": r.period,
                    "check": "male + female = total",
                    "expected": int(r.arrivals_count),
                    "found": int(r.male_count + r.female_count),
                }
            )
    q = quarterly.groupby("year")["arrivals_count"].agg(["sum", "count"])
    for r in annual.dropna(subset=["arrivals_count"]).itertuples():
        if r.year in q.index and q.loc[r.year, "count"] == 4:
            total = int(q.loc[r.year, "sum"])
            if total != r.arrivals_count:
                rows.append(
                    {
                        "year": r.year,
                        "period": "year",
                        "check": "Q1 + Q2 + Q3 + Q4 = year",
                        "expected": int(r.arrivals_count),
                        "found": total,
                    }
                )
    out = pd.DataFrame(rows, columns=["year", "period", "check", "expected", "found"])
    out["difference"] = out["found"] - out["expected"]
    return out.sort_values(["check", "year", "period"], kind="mergesort")


def build() -> dict[str, pd.DataFrame]:
    rep = reported(raw.load("arrivals"), raw.sources())
    last_year = int(rep["year"].max())
    annual = current(rep, "total", ("year",), "arrivals_count", last_year).drop(columns="period")
    quarterly = current(rep, "total", QUARTERS, "arrivals_count", last_year)
    male = current(rep, "male", ("year",), "male_count", last_year)
    female = current(rep, "female", ("year",), "female_count", last_year)
    sex = sex_split(annual, male, female)
    sex_quarterly = sex_split(
        quarterly,
        current(rep, "male", QUARTERS, "male_count", last_year),
        current(rep, "female", QUARTERS, "female_count", last_year),
    )
    cumulative = current(rep, "cumulative", ("year",), "cumulative_count", last_year)
    columns = [
        "year",
        "period",
        "measure",
        "value",
        "source_id",
        "published",
        "flags",
        "qualifier",
        "basis",
        "note",
        "exclusion",
        "is_selected",
    ]
    return {
        "arrivals_reported": rep[columns],
        "arrivals_annual": annual,
        "arrivals_quarterly": quarterly,
        "arrivals_sex": sex,
        "arrivals_sex_quarterly": sex_quarterly,
        "arrivals_cumulative": cumulative.drop(columns="period"),
        "arrivals_revisions": revisions(rep),
        "arrivals_checks": checks(quarterly, annual, sex, sex_quarterly),
        "arrivals_changes": changes(rep, changes_since(rep)),
    }


def main() -> None:
    for name, table in build().items():
        write_csv(table, paths.processed(name))


if __name__ == "__main__":
    run_step(main)
