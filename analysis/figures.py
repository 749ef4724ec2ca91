"""Stage 2b: other reported figures -> fortifications (with derived per-km figures) and the
dated events timeline.

Input: data/raw/figures.csv, data/raw/events.csv (validated).
Output (data/processed): fortifications.csv, events.csv.
"""

from __future__ import annotations

import pandas as pd

from analysis import paths, raw
from analysis.io import run_step, write_csv
from analysis.schema import HOERYONG

SECTION = HOERYONG["place"]


def fortifications(figs: pd.DataFrame) -> pd.DataFrame:
    """Reported Hoeryong figures, then derived ones, each with its formula and assumption.

    One row per quantity: when several rows give the same quantity (a second source, say),
    the row listed first in data/raw/figures.csv is used; the others stay in the catalogue, and
    a differing figure for the same year is listed in conflicts.csv."""
    section = (figs["topic"] == HOERYONG["topic"]) & (figs["place"] == SECTION)
    f = figs[section].sort_values("line", kind="mergesort").drop_duplicates("quantity")
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


def events(ev: pd.DataFrame) -> pd.DataFrame:
    out = ev.drop(columns="line").copy()
    # the Korean text where data/raw gives one, else the English (stated in the contract)
    out["event_ko"] = out["event_ko"].where(out["event_ko"] != "", out["event"])
    out["date_start"] = raw.date_start(out["date"])
    out["date_precision"] = raw.precision(out["date"])
    return out.sort_values(["date_start", "event_id"], kind="mergesort")


def build() -> dict[str, pd.DataFrame]:
    return {
        "fortifications": fortifications(raw.load("figures")),
        "events": events(raw.load("events")),
    }


def main() -> None:
    for name, table in build().items():
        write_csv(table, paths.processed(name))


if __name__ == "__main__":
    run_step(main)
