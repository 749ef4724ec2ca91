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


@dataclasses.dataclass
class Prediction:
    """The model fitted to the years before `year`, predicting it: the mean, the prediction
    interval and the simulated counts (parameter, dispersion and count uncertainty)."""

    year: int
    value: float
    low: float
    high: float
    counts: np.ndarray
    note: str


def predict(annual: pd.DataFrame, p: ModelParams, family: str, year: int) -> Prediction | str:
    """The prediction for `year` from the years before it, or why the data cannot give one."""
    q = dataclasses.replace(p, end_year=year - 1, family=family, test_year=None)
    try:
        fit = fit_its(annual, q)
    except InputError as exc:
        # a derived or scored year the data cannot yet support: say so, do not fail
        return str(exc).splitlines()[0].removeprefix("error: model parameter ")
    X = design(np.array([year]), q.pre_start_year, fit.starts)
    counts = simulate(fit, X)[1][:, 0]
    low, high = quantiles(counts, p.confidence_level)
    note = (
        f"{fit.family_used} model fitted to {q.pre_start_year}\u2013{year - 1}, "
        f"{p.confidence_level:.0%} prediction interval"
    )
    return Prediction(year, float(fit.mean(X)[0]), float(low), float(high), counts, note)


def _prediction_year(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    ty: int,
) -> pd.DataFrame:
    pred = predict(annual, p, family, ty)
    if isinstance(pred, Prediction):
        rows = [
            {
                "what": "model prediction",
                "value": pred.value,
                "low": pred.low,
                "high": pred.high,
                "qualifier": "estimate",
                "source_id": "",
                "note": pred.note,
            }
        ]
    else:
        rows = [
            {
                "what": "model prediction",
                "value": np.nan,
                "low": np.nan,
                "high": np.nan,
                "qualifier": "",
                "source_id": "",
                "note": f"not computed: {pred}",
            }
        ]
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


def scored_years(
    annual: pd.DataFrame, p: ModelParams, test_year: int, said: list[int]
) -> list[int]:
    """The years to predict from the years before them: every counted year from the first
    the model can predict (intervention_year + min_post_years: the closure level needs its
    years) to the last, the test year, and every year a forecast was published for."""
    counted = annual.dropna(subset=["arrivals_count"])["year"].astype(int)
    first = p.intervention_year + p.min_post_years
    return sorted({*(int(y) for y in counted if y >= first), test_year, *said})


def forecast_scores(
    annual: pd.DataFrame, test: pd.DataFrame, p: ModelParams, family: str
) -> pd.DataFrame:
    """Every prediction and published bound of a year that now has an official count, scored:
    inside its interval or bound or not, and how surprising the count is under the model fitted
    to the years before (the predictive probability of a count as far out on its side,
    P(Y <= count) below the prediction, P(Y >= count) above it). A bound gets the model's
    probability of the bound holding, to say how bold it was."""
    rows = []
    for year, g in test.groupby("year"):
        count = g.loc[g["what"] == "official count", "value"]
        if count.empty:
            continue
        y = float(count.iloc[0])
        pred = predict(annual, p, family, int(year))
        draws = pred.counts if isinstance(pred, Prediction) else None
        for r in g[g["what"].isin(["model prediction", "forecast", "estimate"])].itertuples():
            if pd.isna(r.value):
                continue
            row = {
                "year": int(year),
                "what": r.what,
                "value": r.value,
                "low": r.low,
                "high": r.high,
                "qualifier": r.qualifier,
                "source_id": r.source_id,
                "official_count": y,
                "is_inside": bool(r.low <= y <= r.high) if pd.notna(r.low) else pd.NA,
                "tail": "",
                "tail_probability": np.nan,
                "model_probability": np.nan,
            }
            if draws is not None and r.what == "model prediction":
                below = y < float(np.median(draws))
                row["tail"] = "low" if below else "high"
                row["tail_probability"] = float(np.mean(draws <= y if below else draws >= y))
            elif draws is not None and r.qualifier in ("at_most", "at_least"):
                holds = draws <= r.value if r.qualifier == "at_most" else draws >= r.value
                row["model_probability"] = float(np.mean(holds))
            rows.append(row)
    columns = [
        "year", "what", "value", "low", "high", "qualifier", "source_id", "official_count",
        "is_inside", "tail", "tail_probability", "model_probability",
    ]  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    out["confidence_level"] = p.confidence_level
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
    years = scored_years(annual, p, test_year, forecast_years(reported))
    test = prediction_test(annual, quarterly, reported, p, family, years)
    scores = forecast_scores(annual, test, p, family)
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
        "forecast_scores": entry(
            [
                {k: (None if pd.isna(v) else v) for k, v in r.items()}
                for r in scores.to_dict("records")
            ],
            "every model prediction (from the years before) and every published forecast or "
            "bound of a year that has an official count: the interval or bound, the count, "
            "whether it fell inside, and under the model the probability of a count as far out "
            "on its side (tail_probability) or of the bound holding (model_probability)",
            src["arrivals_reported"] + annual_in,
            level=level,
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
    return Part({"model_prediction_test": test, "model_forecast_scores": scores}, entries)
