"""Stage 2b: other reported figures -> fortifications (with derived per-km figures), conflicts,
and the dated events timeline.

Input: data/raw/figures.csv, data/raw/events.csv, data/raw/sources.csv (validated).
Output (data/processed): fortifications.csv, conflicts.csv, events.csv.
"""

from __future__ import annotations

import pandas as pd

from analysis import paths, raw
from analysis.io import run_step, write_csv

SECTION = "Hoeryong section"
APPROX_TOLERANCE = 0.10  # "around N" read as N +/- 10% when comparing figures


def fortifications(figs: pd.DataFrame) -> pd.DataFrame:
    """Reported Hoeryong figures, then derived ones, each with its formula and assumption."""
    f = figs[(figs["topic"] == "fortification") & (figs["place"] == SECTION)]
    v = f.set_index("quantity")["value"].astype(float)
    cols = [
        "quantity",
        "value",
        "unit",
        "nature",
        "period_start",
        "period_end",
        "source_id",
        "via_source_id",
    ]
    out = f[cols].assign(is_derived=False, formula="", assumption="")
    km = v["section_length"]
    before, added = v["watchtowers"], v["guard_posts"]
    after = before + added
    assume = "no structure present in March 2019 was removed by April 2022"
    derived = [
        ("structures_2022", after, "structures", "watchtowers + guard_posts", assume),
        (
            "structures_per_km_2019",
            before / km,
            "structures per km",
            "watchtowers / section_length",
            "",
        ),
        (
            "structures_per_km_2022",
            after / km,
            "structures per km",
            "(watchtowers + guard_posts) / section_length",
            assume,
        ),
        (
            "spacing_m_2019",
            1000 * km / before,
            "m",
            "1000 * section_length / watchtowers",
            "structures evenly spaced",
        ),
        (
            "spacing_m_2022",
            1000 * km / after,
            "m",
            "1000 * section_length / (watchtowers + guard_posts)",
            assume + "; evenly spaced",
        ),
        (
            "primary_fence_improved_per_km",
            v["primary_fence_improved"] / km,
            "km per km",
            "primary_fence_improved / section_length",
            "fence length can exceed the section length where the fence is not straight",
        ),
        (
            "secondary_fence_new_per_km",
            v["secondary_fence_new"] / km,
            "km per km",
            "secondary_fence_new / section_length",
            "as above",
        ),
    ]
    ref = f.iloc[0]
    rows = [
        {
            "quantity": q,
            "value": round(val, 3),
            "unit": u,
            "nature": "derived",
            "period_start": "",
            "period_end": "2022-04",
            "source_id": ref["source_id"],
            "via_source_id": ref["via_source_id"],
            "is_derived": True,
            "formula": fm,
            "assumption": a,
        }
        for q, val, u, fm, a in derived
    ]
    return pd.concat([out, pd.DataFrame(rows)], ignore_index=True)


def _bounds(r: pd.Series) -> tuple[float, float]:
    v, hi = r["value"], r["value_high"]
    if pd.isna(v):
        return (float("nan"), float("nan"))
    return {
        "exact": (v, v),
        "approximate": (v * (1 - APPROX_TOLERANCE), v * (1 + APPROX_TOLERANCE)),
        "at_least": (v, float("inf")),
        "at_most": (0.0, v),
        "range": (v, hi if pd.notna(hi) else float("inf")),
    }[r["qualifier"]]


def conflicts(figs: pd.DataFrame) -> pd.DataFrame:
    """One quantity, several sources, the same year, different figures."""
    f = figs.assign(
        ref_year=figs["period_end"].str[:4], read_in=figs["source_id"] + "/" + figs["via_source_id"]
    )
    key = ["topic", "quantity", "place", "ref_year"]
    multi = f.groupby(key)["read_in"].transform("nunique") > 1
    g = f[multi].copy()
    g[["bound_low", "bound_high"]] = g.apply(_bounds, axis=1, result_type="expand")
    lo = g.groupby(key)["bound_low"].transform("max")
    hi = g.groupby(key)["bound_high"].transform("min")
    g["bounds_overlap"] = lo <= hi
    cols = key + [
        "figure_id",
        "value",
        "value_high",
        "qualifier",
        "as_printed",
        "source_id",
        "bound_low",
        "bound_high",
        "bounds_overlap",
    ]
    return g[cols].sort_values(key + ["figure_id"], kind="mergesort")


def events(ev: pd.DataFrame) -> pd.DataFrame:
    out = ev.drop(columns="line").copy()
    out["date_start"] = raw.date_start(out["date"])
    out["date_precision"] = raw.precision(out["date"])
    return out.sort_values(["date_start", "event_id"], kind="mergesort")


def main() -> None:
    figs = raw.load("figures")
    write_csv(fortifications(figs), paths.processed("fortifications"))
    write_csv(conflicts(figs), paths.processed("conflicts"))
    write_csv(events(raw.load("events")), paths.processed("events"))


if __name__ == "__main__":
    run_step(main)
