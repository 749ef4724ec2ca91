"""The referee's diagnostics: influence, placebo breaks, residual autocorrelation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.diagnostic import acorr_ljungbox

from analysis.models import diagnostics, trend
from analysis.models.params import ModelParams

P = ModelParams(pre_start_year=2005, scan_start_year=2005, reopening_year=2022, family="poisson")


def series(seed: int = 1, pre_break: float = 1.0) -> pd.DataFrame:
    """Poisson counts 2005-2023: a falling trend, times pre_break from 2012, 0.2 from 2020 and
    0.5 from 2022."""
    rng = np.random.default_rng(seed)
    years = np.arange(2005, 2024)
    mu = 1500 * 0.95 ** (years - 2005) * np.where(years >= 2012, pre_break, 1.0)
    mu *= np.where(years >= 2022, 0.5, np.where(years >= 2020, 0.2, 1.0))
    return pd.DataFrame({"year": years, "arrivals_count": rng.poisson(mu)})


def test_influence_leaves_each_year_out_and_counts_every_post_years_shortfall() -> None:
    data = series()
    main = trend.fit_its(data, P)
    infl = diagnostics.influence(data, P, "poisson", main).set_index("left_out_year")
    assert list(infl.index) == list(range(2005, 2024))
    assert infl["pearson_chi2_share"].sum() == pytest.approx(1.0)
    years = data["year"].to_numpy()
    post = years >= 2020

    def refit_missing(year: int, start: int = 2005) -> tuple[float, float]:
        q = dataclasses.replace(P, pre_start_year=start, scan_start_year=start)
        fit = trend.fit_its(data[data["year"] != year], q)
        cf = np.exp(fit.beta["const"] + fit.beta["trend"] * (years - start))
        missing = (cf - data["arrivals_count"].to_numpy())[post].sum()
        return missing, float(np.exp(fit.beta["closure_level"]))

    for year, start in ((2005, 2006), (2016, 2005), (2021, 2005)):
        # a left-out year still counts its own shortfall, from the refitted trend
        missing, step = refit_missing(year, start)
        assert infl.loc[year, "missing_count"] == pytest.approx(missing)
        assert infl.loc[year, "step_rate_ratio"] == pytest.approx(step)


def test_placebo_breaks_find_a_planted_pre_closure_shift_and_nothing_else() -> None:
    flat = diagnostics.placebo_breaks(series(pre_break=1.0), P, "poisson")
    assert list(flat["break_year"]) == list(range(2010, 2019))
    planted = diagnostics.placebo_breaks(series(pre_break=0.5), P, "poisson").set_index(
        "break_year"
    )
    assert planted.loc[2012, "is_level_shift"] and planted.loc[2012, "step_rate_ratio"] < 0.6
    assert planted.loc[2012, "p_value"] < 1e-6
    # the placebo fits never see a closure year
    p2 = dataclasses.replace(P, scan_start_year=2005)
    assert diagnostics.placebo_breaks(series(), p2, "poisson")["break_year"].max() < 2020


def test_autocorrelation_is_the_ljung_box_test() -> None:
    r = np.random.default_rng(2).normal(size=13)
    got = diagnostics.autocorrelation(r)
    lb = acorr_ljungbox(r, lags=[1])
    assert got["ljung_box"] == pytest.approx(float(lb["lb_stat"].iloc[0]))
    assert got["p_value"] == pytest.approx(float(lb["lb_pvalue"].iloc[0]))
    trending = np.arange(13.0)  # a misfit trend left in the residuals
    assert diagnostics.autocorrelation(trending)["r1"] > 0.7


def test_a_variant_names_its_family_in_words() -> None:
    from analysis.models.diagnostics import _variant

    row = pd.Series({"varied": "family", "family": "negbin"})
    assert _variant(row) == "negative binomial family"
    assert _variant(pd.Series({"varied": "pre_start_year", "pre_start_year": 2009})) == (
        "pre-period from 2009"
    )
    none = pd.Series({"varied": "reopening_year", "reopening_year": 0})
    assert _variant(none) == "without a reopening phase"
