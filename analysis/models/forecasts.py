"""Predictions and forecasts against the counts: the model fitted to the years before a year
predicts it, beside what was said about that year and the official count once there is one."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from analysis.io import InputError
from analysis.models.common import Part, entry, quantiles
from analysis.models.params import ModelParams, derived_test_year
from analysis.models.trend import design, fit_its, simulate


def forecast_years(reported: pd.DataFrame) -> list[int]:
    """Years for which a forecast, estimate or bound of the annual total was published."""
    said = reported[
        (reported["period"] == "year")
        & (reported["measure"] == "total")
        & (reported["basis"] != "count")
    ]
    return sorted(int(y) for y in said["year"].unique())


def prediction_test(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    years: list[int],
) -> pd.DataFrame:
    """For each year in `years`: what the model fitted to the years before it predicts, beside
    what was said about that year (forecasts and bounds), the quarters counted so far, and the
    official annual count once the data hold one."""
    return pd.concat(
        [_prediction_year(annual, quarterly, reported, p, family, y) for y in years],
        ignore_index=True,
    )


def _prediction_year(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    ty: int,
) -> pd.DataFrame:
    level = p.confidence_level
    rows = []
    q = dataclasses.replace(p, end_year=ty - 1, family=family, test_year=None)
    try:
        fit = fit_its(annual, q)
    except InputError as exc:
        # a derived or scored year the data cannot yet support: say so, do not fail
        fit, why = None, str(exc).splitlines()[0].removeprefix("error: model parameter ")
    if fit is not None:
        X = design(np.array([ty]), q.pre_start_year, fit.starts)
        _, counts = simulate(fit, X)
        low, high = quantiles(counts, level)
        rows.append(
            {
                "what": "model prediction",
                "value": float(fit.mean(X)[0]),
                "low": float(low[0]),
                "high": float(high[0]),
                "qualifier": "estimate",
                "source_id": "",
                "note": f"{fit.family_used} model fitted to {q.pre_start_year}-{ty - 1}, "
                f"{level:.0%} prediction interval",
            }
        )
    else:
        rows.append(
            {
                "what": "model prediction",
                "value": np.nan,
                "low": np.nan,
                "high": np.nan,
                "qualifier": "",
                "source_id": "",
                "note": f"not computed: {why}",
            }
        )
    said = reported[
        (reported["year"] == ty)
        & (reported["period"] == "year")
        & (reported["measure"] == "total")
        & (reported["basis"] != "count")
    ]
    for r in said.itertuples():
        bound = {"at_most": (0.0, r.value), "at_least": (r.value, np.inf)}
        low, high = bound.get(r.qualifier, (np.nan, np.nan))
        rows.append(
            {
                "what": r.basis,
                "value": float(r.value),
                "low": low,
                "high": high,
                "qualifier": r.qualifier,
                "source_id": r.source_id,
                "note": r.note,
            }
        )
    qs = quarterly[(quarterly["year"] == ty)].dropna(subset=["arrivals_count"])
    if len(qs):
        rows.append(
            {
                "what": "quarters counted",
                "value": float(qs["arrivals_count"].sum()),
                "low": np.nan,
                "high": np.nan,
                "qualifier": "at_least" if len(qs) < 4 else "exact",
                "source_id": ";".join(dict.fromkeys(qs["source_id"])),
                "note": "sum of " + ", ".join(qs["period"]),
            }
        )
    official = annual[(annual["year"] == ty)].dropna(subset=["arrivals_count"])
    for r in official.itertuples():
        rows.append(
            {
                "what": "official count",
                "value": float(r.arrivals_count),
                "low": np.nan,
                "high": np.nan,
                "qualifier": "exact",
                "source_id": getattr(r, "source_id", ""),
                "note": "",
            }
        )
    out = pd.DataFrame(rows)
    out.insert(0, "year", ty)
    return out


def forecast_outcomes(test: pd.DataFrame) -> list[dict[str, Any]]:
    """Forecasts and bounds scored against the official count of their year (when counted)."""
    out = []
    for year, g in test.groupby("year"):
        count = g.loc[g["what"] == "official count", "value"]
        for f in g[g["what"].isin(["forecast", "estimate"])].itertuples():
            outcome = None if count.empty else float(count.iloc[0])
            low = 0.0 if pd.isna(f.low) else float(f.low)
            high = None if pd.isna(f.high) or np.isinf(f.high) else float(f.high)
            out.append(
                {
                    "year": int(year),
                    "what": f.what,
                    "value": float(f.value),
                    "qualifier": f.qualifier,
                    "source_id": f.source_id,
                    "official_count": outcome,
                    "held": None
                    if outcome is None or f.qualifier not in ("at_most", "at_least")
                    else bool(low <= outcome and (high is None or outcome <= high)),
                }
            )
    return out


def results(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    src: dict[str, list[str]],
) -> Part:
    """The test year's prediction, every published forecast scored, and what is counted so far."""
    level = p.confidence_level
    annual_in = src["arrivals_annual"]
    test_year = p.test_year or derived_test_year(annual, quarterly)
    scored = sorted({test_year, *forecast_years(reported)})
    test = prediction_test(annual, quarterly, reported, p, family, scored)
    test_at = test[test["year"] == test_year].set_index("what")
    prediction = test_at.loc["model prediction"]
    entries: dict[str, Any] = {
        "test_year": entry(
            test_year,
            "year the model predicts from the years before it"
            + (
                " (set by parameter)"
                if p.test_year
                else " (derived: the year after the last full-year count when some of its "
                "quarters are counted, else the last full-year count)"
            ),
            annual_in,
            is_derived=not p.test_year,
        ),
        "test_year_prediction": entry(
            None if pd.isna(prediction["value"]) else float(prediction["value"]),
            f"arrivals in {test_year} predicted by the model fitted to the years before it",
            annual_in,
            low=None if pd.isna(prediction["low"]) else float(prediction["low"]),
            high=None if pd.isna(prediction["high"]) else float(prediction["high"]),
            level=level,
            year=test_year,
            note=prediction["note"],
        ),
        "forecast_outcomes": entry(
            forecast_outcomes(test),
            "each published forecast or bound of a year's arrivals beside the official count, "
            "once there is one: whether the count fell within what was said",
            src["arrivals_reported"] + annual_in,
        ),
    }
    if "forecast" in test_at.index:
        f = test_at.loc[["forecast"]].iloc[0]
        entries["test_year_forecast"] = entry(
            float(f["value"]),
            f"forecast for {test_year} as reported ({f['qualifier']})",
            src["arrivals_reported"],
            qualifier=f["qualifier"],
            source_id=f["source_id"],
        )
    if "quarters counted" in test_at.index:
        r = test_at.loc["quarters counted"]
        entries["test_year_quarters"] = entry(
            float(r["value"]),
            f"arrivals counted in the quarters of {test_year} published so far",
            src["arrivals_quarterly"],
            note=r["note"],
            source_id=r["source_id"],
        )
    return Part({"model_prediction_test": test}, entries)
