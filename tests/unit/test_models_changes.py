"""Changes between years against closed forms."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats

from analysis.models import changes


@pytest.mark.parametrize(("a", "b"), [(63, 1047), (229, 1047), (5, 12), (0, 9)])
def test_exact_rate_ratio_is_the_clopper_pearson_interval_mapped(a: int, b: int) -> None:
    ratio, low, high = changes.rate_ratio_exact(a, b, 0.95)
    n = a + b
    p_low = stats.beta.ppf(0.025, a, n - a + 1) if a else 0.0
    p_high = stats.beta.ppf(0.975, a + 1, n - a)
    assert ratio == pytest.approx(a / b)
    assert low == pytest.approx(p_low / (1 - p_low), rel=1e-9)
    assert high == pytest.approx(p_high / (1 - p_high), rel=1e-9)


def test_changes_and_lowest_since() -> None:
    annual = pd.DataFrame(
        {"year": range(2015, 2022), "arrivals_count": [50, 80, 40, 90, 100, 60, 30]}
    ).astype({"arrivals_count": "Int64"})
    ch = changes.changes(annual, 2019, 0.95).set_index("year")
    assert ch.loc[2020, "change_count"] == -40
    assert ch.loc[2020, "change_pct"] == pytest.approx(-40.0)
    assert ch.loc[2020, "lowest_since_year"] == 2017  # 60: fewest since 2017's 40
    assert pd.isna(ch.loc[2021, "lowest_since_year"]) and ch.loc[2021, "is_series_low"]
    assert ch.loc[2019, "is_peak"] and not ch["is_peak"].drop(2019).any()
    assert ch.loc[2021, "rate_ratio_reference"] == pytest.approx(0.3)
