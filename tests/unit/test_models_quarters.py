"""The seasonality test against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.models import quarters
from analysis.models.common import Noise


def test_seasonality_chi_square_on_full_years_only() -> None:
    q = pd.DataFrame(
        {
            "year": [2018] * 3 + [2019] * 4 + [2020] * 4,
            "period": ["Q1", "Q2", "Q3", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"],
            "arrivals_count": [1, 2, 3, 229, 320, 226, 272, 135, 12, 48, 34],
        }
    )
    season = quarters.seasonality(q, 2020, Noise(18.35, 9.0, 1e-30))
    counts = np.array([229, 320, 226, 272])
    expected = ((counts - counts.mean()) ** 2 / counts.mean()).sum()
    assert season["years"] == [2019] and season["df"] == 3
    assert season["chi2"] == pytest.approx(expected)

    # allowing for overdispersion: chi2 / df / phi is F(df, df of phi)
    assert season["p_value"] < 1e-4
    assert season["adjusted_p_value"] == pytest.approx(stats.f.sf(expected / 3 / 18.35, 3, 9))
    assert season["adjusted_p_value"] > 0.5


def test_no_full_year_gives_no_test_rather_than_nan_text() -> None:
    q = pd.DataFrame({"year": [2019, 2019], "period": ["Q1", "Q2"], "arrivals_count": [5, 9]})
    season = quarters.seasonality(q, 2020, Noise(1.0, 9.0, 0.5))
    assert season["years"] == [] and season["df"] == 0 and np.isnan(season["p_value"])
