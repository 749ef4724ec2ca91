"""The seasonality test against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.models import quarters


def test_seasonality_chi_square_on_full_years_only() -> None:
    q = pd.DataFrame(
        {
            "year": [2018] * 3 + [2019] * 4 + [2020] * 4,
            "period": ["Q1", "Q2", "Q3", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"],
            "arrivals_count": [1, 2, 3, 229, 320, 226, 272, 135, 12, 48, 34],
        }
    )
    season = quarters.seasonality(q, 2020)
    counts = np.array([229, 320, 226, 272])
    expected = ((counts - counts.mean()) ** 2 / counts.mean()).sum()
    assert season["years"] == [2019] and season["df"] == 3
    assert season["chi2"] == pytest.approx(expected)
