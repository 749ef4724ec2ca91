"""The ITS model against independent calculations, and its parameter checks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special

from analysis import models
from analysis.io import InputError


def series_with_step(rate_ratio: float, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    years = np.arange(2005, 2023)
    mu = 1500 * 0.95 ** (years - 2005) * np.where(years >= 2020, rate_ratio, 1.0)
    return pd.DataFrame({"year": years, "arrivals_count": rng.poisson(mu)})


def test_poisson_fit_matches_direct_likelihood() -> None:
    data = series_with_step(0.2)
    p = models.ModelParams(pre_start_year=2005, family="poisson")
    fit = models.fit_its(data, p)
    y = data["arrivals_count"].to_numpy(float)
    X = fit.X.to_numpy()

    def nll(b: np.ndarray) -> float:
        eta = X @ b
        return float(-(y * eta - np.exp(eta) - special.gammaln(y + 1)).sum())

    start = np.array([np.log(y[0]), 0, 0, 0])
    direct = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-10}).x
    assert np.allclose(fit.beta.to_numpy(), direct, atol=1e-6)


def test_counterfactual_equals_pre_trend_closed_form() -> None:
    data = series_with_step(0.3)
    fit = models.fit_its(data, models.ModelParams(pre_start_year=2005, family="poisson"))
    table, _ = models.counterfactual(fit, data)
    b0, b1 = fit.beta["const"], fit.beta["trend"]
    expected = np.exp(b0 + b1 * (table["year"] - 2005))
    assert np.allclose(table["counterfactual_count"], expected)


def test_step_interval_covers_truth_at_nominal_rate() -> None:
    truth = 0.25
    covered = 0
    runs = 200
    for seed in range(runs):
        data = series_with_step(truth, seed)
        p = models.ModelParams(pre_start_year=2005, family="poisson")
        row = models.coefficients(models.fit_its(data, p)).set_index("term").loc["step"]
        covered += row["rate_ratio_ci_low"] <= truth <= row["rate_ratio_ci_high"]
    assert 0.90 <= covered / runs <= 0.99


def test_auto_family_detects_overdispersion() -> None:
    rng = np.random.default_rng(3)
    data = series_with_step(0.3)
    data["arrivals_count"] = rng.negative_binomial(5, 5 / (5 + data["arrivals_count"]))
    fit = models.fit_its(data, models.ModelParams(pre_start_year=2005))
    assert fit.family_used == "quasipoisson"
    assert fit.dispersion["dispersion"] > 1


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"intervention_year": 2030}, "intervention_year"),
        ({"pre_start_year": 2017}, "at least 5 are needed"),
        ({"pre_start_year": 1900}, "outside the data"),
        ({"family": "gaussian"}, "family"),
        ({"confidence_level": 1.5}, "confidence_level"),
    ],
)
def test_bad_parameters_fail_before_fitting(change: dict, fragment: str) -> None:
    p = dataclasses.replace(models.ModelParams(pre_start_year=2005), **change)
    with pytest.raises(InputError, match=fragment):
        models.fit_its(series_with_step(0.3), p)
