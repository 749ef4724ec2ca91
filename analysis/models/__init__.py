"""Stage 3: the models -- one module per question, and `run`, which asks them in turn.

Input: data/processed/arrivals_annual.csv, _quarterly, _sex and _reported. Output (in an output
folder, by default data/processed): one table per question (model_coefficients, model_fitted,
model_changes, model_female_share, model_break_scan, model_sensitivity, model_prediction_test)
and headline.json, every number the reports quote, each with its definition and inputs.

    params       the settings and their checks
    trend        the closure and after: the pre-closure trend and a level per phase
    changes      changes between years
    share        who still arrives: the female share
    quarters     a seasonal pattern in the quarters
    forecasts    predictions and forecasts against the counts
    diagnostics  the break-year scan, the sensitivity variants and the headline range

The modules import `params` and `common`, and `trend` where they refit the phase model; none
imports this package's `__init__`, so there is no import circle.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd

from analysis import paths
from analysis.io import write_csv, write_json
from analysis.models import changes, diagnostics, forecasts, quarters, share, trend
from analysis.models.common import Part, coef_table, inputs_read
from analysis.models.diagnostics import RANGE_KINDS, break_scan, sensitivity, spec_range
from analysis.models.forecasts import forecast_scores, forecast_years, prediction_test
from analysis.models.params import (
    FAMILIES,
    ModelParams,
    Problem,
    check_params,
    derived_test_year,
    param_problems,
)
from analysis.models.trend import (
    ItsFit,
    coefficients,
    counterfactual,
    counterfactual_design,
    design,
    fit_its,
    phase_of,
    phase_starts,
    simulate,
    tested_horizon,
)

__all__ = [
    "FAMILIES",
    "INPUT_TABLES",
    "RANGE_KINDS",
    "ItsFit",
    "ModelParams",
    "Problem",
    "break_scan",
    "check_params",
    "coef_table",
    "coefficients",
    "counterfactual",
    "counterfactual_design",
    "derived_test_year",
    "design",
    "fit_its",
    "forecast_scores",
    "forecast_years",
    "inputs",
    "main",
    "param_problems",
    "phase_of",
    "phase_starts",
    "prediction_test",
    "run",
    "sensitivity",
    "simulate",
    "spec_range",
    "tested_horizon",
    "write",
]


def run(
    p: ModelParams,
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    sex: pd.DataFrame,
    reported: pd.DataFrame,
) -> dict[str, Any]:
    """Every table and the headline for the settings p: fit the phase model, then ask each
    question in turn."""
    src = inputs_read()
    fit = trend.fit_its(annual, p)
    end_year = int(fit.data["year"].max())
    family = fit.family_used  # the other fits use the family the main fit chose
    noise = fit.noise  # how far counts vary beyond Poisson, for the descriptive comparisons
    parts = [
        trend.results(fit, src),
        changes.results(annual, p, noise, src),
        share.results(sex, p, end_year, src),
        quarters.results(quarterly, p, noise, src),
        diagnostics.results(annual, p, fit, src),
        forecasts.results(annual, quarterly, reported, p, family, src),
    ]
    return _assemble(p, parts)


def _assemble(p: ModelParams, parts: list[Part]) -> dict[str, Any]:
    tables: dict[str, list[pd.DataFrame]] = {}
    headline: dict[str, Any] = {"parameters": dataclasses.asdict(p)}
    for part in parts:
        for name, table in part.tables.items():
            tables.setdefault(name, []).append(table)
        headline |= part.entries
    out: dict[str, Any] = {
        name: pd.concat(ts, ignore_index=True) if len(ts) > 1 else ts[0]
        for name, ts in tables.items()
    }
    return out | {"headline": headline}


def write(results: dict[str, Any], out_dir: Path) -> None:
    for name, value in results.items():
        if name == "headline":
            write_json(_rounded(value), out_dir / "headline.json")
        else:
            write_csv(value.round(6), out_dir / f"{name}.csv")


def _rounded(obj: Any) -> Any:
    """Round floats so the JSON does not change with the last bits of a BLAS; a missing number
    (NaN, which JSON cannot hold) becomes null."""
    if isinstance(obj, float):
        return None if obj != obj else round(obj, 6)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


# the processed tables the models read, by the name run() takes them under
INPUT_TABLES = {
    "annual": "arrivals_annual",
    "quarterly": "arrivals_quarterly",
    "sex": "arrivals_sex",
    "reported": "arrivals_reported",
}


def inputs() -> dict[str, pd.DataFrame]:
    """The processed tables the models read."""
    counts = {c: "Int64" for c in ("arrivals_count", "male_count", "female_count")}
    return {
        name: pd.read_csv(paths.processed(table), dtype=counts)
        for name, table in INPUT_TABLES.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED)
    args = parser.parse_args()
    write(run(ModelParams(), **inputs()), args.out)
