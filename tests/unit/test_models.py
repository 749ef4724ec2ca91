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


def params(**kw) -> models.ModelParams:
    """Settings for the simulated 2005-2022 series."""
    return models.ModelParams(**{"pre_start_year": 2005, "scan_start_year": 2005, **kw})


def test_poisson_fit_matches_direct_likelihood() -> None:
    data = series_with_step(0.2)
    p = params(family="poisson")
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
    fit = models.fit_its(data, params(family="poisson"))
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
        p = params(family="poisson")
        row = models.coefficients(models.fit_its(data, p)).set_index("term").loc["step"]
        covered += row["ratio_ci_low"] <= truth <= row["ratio_ci_high"]
    assert 0.90 <= covered / runs <= 0.99


def test_auto_family_detects_overdispersion() -> None:
    rng = np.random.default_rng(3)
    data = series_with_step(0.3)
    data["arrivals_count"] = rng.negative_binomial(5, 5 / (5 + data["arrivals_count"]))
    fit = models.fit_its(data, params())
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
    p = dataclasses.replace(params(), **change)
    with pytest.raises(InputError, match=fragment):
        models.fit_its(series_with_step(0.3), p)


def test_break_scan_finds_a_planted_break() -> None:
    rng = np.random.default_rng(7)
    years = np.arange(2005, 2023)
    mu = 1500 * 0.97 ** (years - 2005) * np.where(years >= 2015, 0.4, 1.0)
    data = pd.DataFrame({"year": years, "arrivals_count": rng.poisson(mu)})
    scan = models.break_scan(data, params(intervention_year=2015), "poisson")
    assert int(scan.loc[scan["is_best"], "break_year"].iloc[0]) == 2015
    assert scan["break_year"].min() == 2010 and scan["break_year"].max() == 2021
    assert (scan["delta_deviance"] >= 0).all()


def test_sensitivity_chosen_row_is_the_main_fit() -> None:
    data = series_with_step(0.3)
    p = params(pre_start_year=2008, family="poisson")
    sens = models.sensitivity(data, p, "poisson")
    chosen = sens[sens["varied"] == "chosen"].iloc[0]
    main = models.coefficients(models.fit_its(data, p)).set_index("term").loc["step"]
    assert chosen["step_rate_ratio"] == pytest.approx(main["ratio"])
    assert set(sens["varied"]) == {"chosen", "pre_start_year", "intervention_year", "family"}


def test_prediction_test_uses_only_earlier_years() -> None:
    data = series_with_step(0.3)
    p = params(family="poisson", test_year=2022)
    quarterly = pd.DataFrame(
        {
            "year": [2022, 2022],
            "period": ["Q1", "Q2"],
            "arrivals_count": [11, 8],
            "source_id": ["a", "b"],
        }
    )
    reported = pd.DataFrame(
        {
            "year": [2022],
            "period": ["year"],
            "measure": ["total"],
            "value": [50],
            "basis": ["forecast"],
            "qualifier": ["at_most"],
            "source_id": ["dw"],
            "note": [""],
        }
    )
    test = models.prediction_test(data, quarterly, reported, p, "poisson", [2022])
    test = test.set_index("what")
    fit = models.fit_its(data, dataclasses.replace(p, end_year=2021))
    X = models.design(np.array([2022]), 2020, 2005)
    assert test.loc["model prediction", "value"] == pytest.approx(fit.mean(X)[0])
    assert test.loc["model prediction", "low"] <= test.loc["model prediction", "value"]
    assert (test.loc["forecast", "low"], test.loc["forecast", "high"]) == (0.0, 50.0)
    assert test.loc["quarters counted", "value"] == 19
    assert test.loc["quarters counted", "qualifier"] == "at_least"  # two quarters of four
    assert test.loc["official count", "value"] == data["arrivals_count"].iloc[-1]


def test_headline_entries_are_defined(tables: dict) -> None:
    head = tables["headline"]
    for key, entry in head.items():
        if key != "parameters":
            assert entry["definition"], key
    assert head["reference_arrivals"]["value"] == 1047
    # the test year is derived: 2025 has a counted quarter but no full-year count yet
    assert head["test_year"]["value"] == 2025 and head["test_year"]["is_derived"]
    assert head["test_year_quarters"]["value"] == 38
    assert "test_year_forecast" not in head  # no forecast was published for 2025
    # the support groups' "below 50" for 2022 is scored against the count, 67
    (scored,) = head["forecast_outcomes"]["value"]
    assert (scored["year"], scored["value"], scored["official_count"]) == (2022, 50, 67)
    assert scored["held"] is False


def test_a_reference_year_without_a_count_is_refused() -> None:
    """The changes since the closure compare with the year before it: it needs a count."""
    data = series_with_step(0.3)
    years = data.loc[data["year"] != 2019, "year"]
    (problem,) = models.param_problems(params(), years)
    assert (problem.key, problem.suggestion) == ("intervention_year", 2021)
    assert "2019" in problem.why
    assert models.param_problems(params(), years, with_test=False) == []  # the break scan
