"""Forecast scoring: every prediction and bound of a counted year, against its count."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.models import forecasts
from analysis.models.params import ModelParams


def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(11)
    years = np.arange(2005, 2025)
    mu = 1500 * 0.95 ** (years - 2005) * np.where(years >= 2020, 0.1, 1.0)
    annual = pd.DataFrame({"year": years, "arrivals_count": rng.poisson(mu), "source_id": "s"})
    annual.loc[annual["year"] == 2022, "arrivals_count"] = 400  # far above the closure level
    reported = pd.DataFrame(
        {
            "year": [2022, 2023],
            "period": ["year", "year"],
            "measure": ["total", "total"],
            "value": [50, 30],
            "basis": ["forecast", "forecast"],
            "qualifier": ["at_most", "at_least"],
            "source_id": ["a", "b"],
            "note": ["", ""],
        }
    )
    return annual, reported


P = ModelParams(pre_start_year=2005, scan_start_year=2005, reopening_year=0, family="poisson")
QUARTERS = pd.DataFrame(columns=["year", "period", "arrivals_count", "source_id"])


def test_every_counted_year_is_scored_against_the_model_fitted_before_it() -> None:
    annual, reported = data()
    years = forecasts.scored_years(annual, P, 2025, forecasts.forecast_years(reported))
    assert years == [2022, 2023, 2024, 2025]
    test = forecasts.prediction_test(annual, QUARTERS, reported, P, "poisson", years)
    scores = forecasts.forecast_scores(annual, test, P, "poisson").set_index(["year", "what"])
    assert 2025 not in scores.index.get_level_values("year")  # no count yet: nothing to score
    miss = scores.loc[(2022, "model prediction")]
    assert not miss["is_inside"] and miss["tail"] == "high"
    # the tail probability is the share of the model's simulated counts at least as high
    pred = forecasts.predict(annual, P, "poisson", 2022)
    assert miss["tail_probability"] == pytest.approx(np.mean(pred.counts >= 400))
    assert miss["tail_probability"] < 0.025 and miss["high"] < 400
    # a bound is scored the same way: held or not, and how likely the model found it
    below = scores.loc[(2022, "forecast")]
    assert not below["is_inside"] and below["official_count"] == 400
    assert below["model_probability"] == pytest.approx(np.mean(pred.counts <= 50))
    above = scores.loc[(2023, "forecast")]
    count_2023 = annual.set_index("year").loc[2023, "arrivals_count"]
    assert above["is_inside"] == (count_2023 >= 30)
    for year in (2023, 2024):
        r = scores.loc[(year, "model prediction")]
        assert r["is_inside"] == (r["low"] <= r["official_count"] <= r["high"])
        draws = forecasts.predict(annual, P, "poisson", year).counts
        side = draws <= r["official_count"] if r["tail"] == "low" else draws >= r["official_count"]
        assert r["tail_probability"] == pytest.approx(np.mean(side))
        assert (r["tail"] == "low") == (r["official_count"] < np.median(draws))
