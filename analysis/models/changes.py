"""Changes between years: year-on-year and against the last pre-closure year, with exact rate-ratio
intervals, and the peak and "lowest since" facts.

Rate ratios between two years use the exact conditional method: given a + b arrivals in the two
years, a is binomial(a + b, r / (1 + r)) under a rate ratio r, so a Clopper-Pearson interval p
for a / (a + b) maps to r = p / (1 - p). Both years have the same exposure (one year).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from analysis.models.common import Part, entry, ratio_entry
from analysis.models.params import ModelParams


def rate_ratio_exact(a: int, b: int, level: float) -> tuple[float, float, float]:
    """Ratio a / b of two Poisson counts with equal exposure, with its exact interval."""
    if a + b == 0:
        return (float("nan"),) * 3
    lo, hi = proportion_confint(a, a + b, alpha=1 - level, method="beta")
    ratio = a / b if b else float("inf")
    return ratio, lo / (1 - lo), (hi / (1 - hi) if hi < 1 else float("inf"))


def changes(annual: pd.DataFrame, reference_year: int, level: float) -> pd.DataFrame:
    """Year-on-year and against-reference-year changes, and how low each year is."""
    obs = annual.dropna(subset=["arrivals_count"])[["year", "arrivals_count"]].copy()
    obs["arrivals_count"] = obs["arrivals_count"].astype(int)
    ref = obs.set_index("year")["arrivals_count"].get(reference_year)
    rows = []
    for i, (year, count) in enumerate(obs.itertuples(index=False)):
        earlier = obs.iloc[:i]
        prev = earlier.iloc[-1] if i else None
        row = {"year": year, "arrivals_count": count}
        if prev is not None:
            rr = rate_ratio_exact(count, int(prev["arrivals_count"]), level)
            row |= {
                "previous_year": int(prev["year"]),
                "change_count": count - int(prev["arrivals_count"]),
                # no percentage change from zero
                "change_pct": 100 * (count / prev["arrivals_count"] - 1)
                if prev["arrivals_count"]
                else float("nan"),
                "rate_ratio_previous": rr[0],
                "rate_ratio_previous_ci_low": rr[1],
                "rate_ratio_previous_ci_high": rr[2],
            }
        if ref is not None:
            rr = rate_ratio_exact(count, int(ref), level)
            row |= {
                "change_since_reference_count": count - int(ref),
                "change_since_reference_pct": 100 * (count / ref - 1) if ref else float("nan"),
                "rate_ratio_reference": rr[0],
                "rate_ratio_reference_ci_low": rr[1],
                "rate_ratio_reference_ci_high": rr[2],
            }
        # "the lowest since Y": the last earlier year with as few or fewer arrivals
        as_low = earlier[earlier["arrivals_count"] <= count]
        row["lowest_since_year"] = int(as_low["year"].iloc[-1]) if len(as_low) else pd.NA
        row["is_series_low"] = bool(i) and len(as_low) == 0
        row["is_peak"] = count == obs["arrivals_count"].max()
        rows.append(row)
    out = pd.DataFrame(rows)
    out["reference_year"] = reference_year
    out["confidence_level"] = level
    for col in ("previous_year", "change_count", "lowest_since_year"):
        out[col] = out[col].astype("Int64")
    return out


def _count_entry(annual: pd.DataFrame, year: int, what: str, inputs: list[str]) -> dict:
    row = annual.set_index("year").loc[year]
    value = None if pd.isna(row["arrivals_count"]) else int(row["arrivals_count"])
    source = None if pd.isna(row["source_id"]) else row["source_id"]
    return entry(value, f"arrivals in {what}", inputs, year=year, source_id=source)


def results(annual: pd.DataFrame, p: ModelParams, src: dict[str, list[str]]) -> Part:
    """The changes table and the counts and changes the reports quote."""
    level = p.confidence_level
    annual_in = src["arrivals_annual"]
    reference_year = p.intervention_year - 1
    table = changes(annual, reference_year, level)
    ch = table.set_index("year")
    latest_year = int(ch.index.max())
    latest = ch.loc[latest_year]
    peak_year = int(ch["arrivals_count"].idxmax())
    entries: dict[str, Any] = {
        "reference_arrivals": _count_entry(
            annual, reference_year, "the last pre-closure year", annual_in
        ),
        "intervention_arrivals": _count_entry(
            annual, p.intervention_year, "the intervention year", annual_in
        ),
        "latest_year": entry(
            latest_year, "last year with a selected annual arrivals count", annual_in
        ),
        "latest_arrivals_count": _count_entry(annual, latest_year, "the latest year", annual_in),
        "peak": entry(
            int(ch.loc[peak_year, "arrivals_count"]),
            "highest annual arrivals in the series",
            annual_in,
            year=peak_year,
        ),
        "latest_lowest_since": entry(
            None if pd.isna(latest["lowest_since_year"]) else int(latest["lowest_since_year"]),
            "the last earlier year with as few arrivals as the latest year (null: the latest "
            "year is the lowest in the series)",
            annual_in,
            is_series_low=bool(latest["is_series_low"]),
            series_start_year=int(ch.index.min()),
        ),
        "change_since_reference_pct": entry(
            float(latest["change_since_reference_pct"]),
            f"change in arrivals from {reference_year} to the latest year, per cent",
            annual_in,
            reference_year=reference_year,
        ),
        "rate_ratio_since_reference": ratio_entry(
            latest,
            level,
            annual_in,
            f"arrivals in the latest year / arrivals in {reference_year}, with an exact "
            "conditional (Clopper-Pearson) interval",
            prefix="rate_ratio_reference",
        ),
        "rate_ratio_latest_on_previous": ratio_entry(
            latest,
            level,
            annual_in,
            "arrivals in the latest year / arrivals in the year before, exact interval",
            prefix="rate_ratio_previous",
        ),
    }
    return Part({"model_changes": table}, entries)
