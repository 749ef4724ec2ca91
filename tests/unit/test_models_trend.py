"""The phase model against independent calculations, and its parameter checks."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

from analysis import models
from analysis.io import InputError


def series_with_step(rate_ratio: float, seed: int = 1, reopening: float = 1.0) -> pd.DataFrame:
    """Poisson counts 2005-2022 around a falling trend, times rate_ratio from 2020 (and times
    reopening as well from 2022)."""
    rng = np.random.default_rng(seed)
    years = np.arange(2005, 2023)
    ratio = np.where(years >= 2020, rate_ratio, 1.0) * np.where(years >= 2022, reopening, 1.0)
    mu = 1500 * 0.95 ** (years - 2005) * ratio
    return pd.DataFrame({"year": years, "arrivals_count": rng.poisson(mu)})


def params(**kw) -> models.ModelParams:
    """Settings for the simulated 2005-2022 series."""
    base = {"pre_start_year": 2005, "scan_start_year": 2005, "reopening_year": 2022}
    return models.ModelParams(**{**base, **kw})


def test_poisson_fit_matches_direct_likelihood() -> None:
    data = series_with_step(0.2, reopening=2.5)
    p = params(family="poisson")
    fit = models.fit_its(data, p)
    y = data["arrivals_count"].to_numpy(float)
    X = fit.X.to_numpy()

    def nll(b: np.ndarray) -> float:
        eta = X @ b
        return float(-(y * eta - np.exp(eta) - special.gammaln(y + 1)).sum())

    # the design written out by hand: trend from 2005, closure 2020-2021, reopening from 2022
    years = data["year"].to_numpy()
    by_hand = np.column_stack(
        [np.ones(len(years)), years - 2005, (years >= 2020) & (years < 2022), years >= 2022]
    ).astype(float)
    assert np.array_equal(X, by_hand)
    start = np.array([np.log(y[0]), 0, 0, 0])
    direct = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-10}).x
    assert np.allclose(fit.beta.to_numpy(), direct, atol=1e-6)


def test_counterfactual_equals_pre_trend_closed_form() -> None:
    data = series_with_step(0.3)
    fit = models.fit_its(data, params(family="poisson"))
    table, _ = models.counterfactual(fit)
    b0, b1 = fit.beta["const"], fit.beta["trend"]
    expected = np.exp(b0 + b1 * (table["year"] - 2005))
    assert np.allclose(table["counterfactual_count"], expected)


def test_step_interval_covers_truth_at_nominal_rate() -> None:
    truth = 0.25
    covered = 0
    runs = 200
    for seed in range(runs):
        data = series_with_step(truth, seed)
        p = params(family="poisson", reopening_year=0)
        row = models.coefficients(models.fit_its(data, p)).set_index("term").loc["closure_level"]
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
        ({"reopening_year": 2020}, "reopening_year"),
        ({"reopening_year": 2019}, "after intervention_year"),
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
    scan = models.break_scan(data, params(intervention_year=2015, reopening_year=0), "poisson")
    assert int(scan.loc[scan["is_best"], "break_year"].iloc[0]) == 2015
    assert scan["break_year"].min() == 2010 and scan["break_year"].max() == 2021
    assert (scan["delta_deviance"] >= 0).all()
    # Poisson: the confidence set holds the years within chi-square(1)'s 95% point of the best
    assert scan["critical_value"].iloc[0] == pytest.approx(stats.chi2.ppf(0.95, 1))
    in_set = scan.loc[scan["is_in_confidence_set"], "break_year"].tolist()
    assert in_set == scan.loc[scan["delta_deviance_scaled"] < 3.841459, "break_year"].tolist()
    assert 2015 in in_set


def test_sensitivity_chosen_row_is_the_main_fit() -> None:
    data = series_with_step(0.3)
    p = params(pre_start_year=2008, family="poisson")
    sens = models.sensitivity(data, p, "poisson")
    chosen = sens[sens["varied"] == "chosen"].iloc[0]
    main = models.coefficients(models.fit_its(data, p)).set_index("term")
    assert chosen["step_rate_ratio"] == pytest.approx(main.loc["closure_level", "ratio"])
    assert chosen["reopening_rate_ratio"] == pytest.approx(main.loc["reopening_level", "ratio"])
    varied = {"chosen", "pre_start_year", "intervention_year", "reopening_year", "family"}
    assert set(sens["varied"]) == varied | {"left_out_year"}
    left_out = sens[sens["varied"] == "left_out_year"]
    assert sorted(left_out["left_out_year"]) == list(range(2008, 2020))


def test_misspecified_variants_are_marked_and_kept_out_of_the_range(tables: dict) -> None:
    sens = tables["model_sensitivity"].set_index("varied")
    chosen = sens.loc["chosen"]
    assert not chosen["is_misspecified"] and chosen["in_range"]
    # the closure put in 2019 leaves the 2019 count (1,047) inside the closure level
    wrong = sens.loc["intervention_year"].set_index("intervention_year").loc[2019]
    assert wrong["is_misspecified"] and wrong["dispersion"] > 5 * chosen["dispersion"]
    head = tables["headline"]
    for key, column in (
        ("missing_arrivals_range", "missing_count"),
        ("step_rate_ratio_range", "step_rate_ratio"),
    ):
        r = head[key]
        assert r["low"] <= r["value"] <= r["high"]
        kept = tables["model_sensitivity"][tables["model_sensitivity"]["in_range"]]
        assert (r["low"], r["high"]) == (kept[column].min(), kept[column].max())
        assert "closure from 2019" in r["misspecified_left_out"]


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
    X = models.design(np.array([2022]), 2005, fit.starts)
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
    # phases: closure 2020-2022, partial reopening from 2023; the trend carried 5 years, 3 tested
    assert head["step_rate_ratio"]["years"] == [2020, 2021, 2022]
    assert head["reopening_rate_ratio"]["years"] == [2023, 2024]
    horizon = head["counterfactual_horizon"]
    assert (horizon["value"], horizon["tested_horizon"]) == (5, 3)
    assert horizon["years_beyond"] == [2023, 2024]
    miss = head["missing_arrivals"]
    assert miss["low"] < miss["value"] < miss["high"] and miss["years"][-1] == 2024
    # the support groups' "below 50" for 2022 is scored against the count, 67: it missed
    scores = {(r["year"], r["what"]): r for r in head["forecast_scores"]["value"]}
    bound = scores[(2022, "forecast")]
    assert (bound["value"], bound["official_count"], bound["is_inside"]) == (50, 67, False)
    # every counted year from 2022 (the closure level needs two years) is predicted and scored
    assert sorted(y for y, what in scores if what == "model prediction") == [2022, 2023, 2024]


def test_a_reference_year_without_a_count_is_refused() -> None:
    """The changes since the closure compare with the year before it: it needs a count."""
    data = series_with_step(0.3)
    years = data.loc[data["year"] != 2019, "year"]
    (problem,) = models.param_problems(params(), years)
    assert (problem.key, problem.suggestion) == ("intervention_year", 2021)
    assert "2019" in problem.why
    assert models.param_problems(params(), years, with_test=False) == []  # the break scan


def test_reopening_after_the_data_is_refused_for_a_report() -> None:
    years = series_with_step(0.3)["year"]
    (problem,) = models.param_problems(params(reopening_year=2024), years)
    assert (problem.key, problem.suggestion) == ("reopening_year", 0)
    # the year after the data may hold the reopening; fits for shorter windows (prediction,
    # sensitivity) simply have no reopening phase
    assert models.param_problems(params(reopening_year=2023), years) == []
    assert models.param_problems(params(reopening_year=2024), years, with_test=False) == []
    fit = models.fit_its(series_with_step(0.3), params(reopening_year=2024))
    assert fit.starts == {"closure": 2020}


def test_quasi_poisson_intervals_use_t_on_the_residual_df() -> None:
    rng = np.random.default_rng(5)
    data = series_with_step(0.3, reopening=2.0)
    data["arrivals_count"] = rng.poisson(rng.gamma(data["arrivals_count"] / 4 + 1e-9, 4))
    fit = models.fit_its(data, params(family="quasipoisson"))
    assert fit.reference_df == len(data) - 4
    row = models.coefficients(fit).set_index("term").loc["closure_level"]
    t = stats.t.ppf(0.975, len(data) - 4)
    assert row["ci_high"] - row["estimate"] == pytest.approx(t * row["std_error"])


def test_per_year_ratios_and_missing_add_up() -> None:
    data = series_with_step(0.2, reopening=2.0)
    fit = models.fit_its(data, params(family="poisson"))
    table, total = models.counterfactual(fit)
    post = table[table["is_post_intervention"]]
    assert list(post["phase"]) == ["closure", "closure", "reopening"]
    assert np.allclose(
        post["observed_ratio"], post["arrivals_count"] / post["counterfactual_count"]
    )
    assert (post["observed_ratio_low"] < post["observed_ratio"]).all()
    assert (post["observed_ratio"] < post["observed_ratio_high"]).all()
    assert total["post"]["value"] == pytest.approx(post["missing_count"].sum())
    phases = total["phases"]
    assert phases["closure"]["value"] + phases["reopening"]["value"] == pytest.approx(
        total["post"]["value"]
    )
    assert total["post"]["low"] < total["post"]["value"] < total["post"]["high"]
    # 15 pre years less the 5 a fit needs: the pre-period back-tests 10 years ahead
    assert total["tested_horizon"] == 10 and total["max_horizon"] == 3
    assert list(post["horizon_years"]) == [1, 2, 3]
    assert not post["is_beyond_tested_horizon"].any()
