"""Changes between years against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from analysis.models import changes
from analysis.models.common import Noise

POISSON = Noise(dispersion=1.0, df=9.0, p_value=0.5)  # no overdispersion


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
    ch = changes.changes(annual, 2019, 0.95, POISSON).set_index("year")
    assert ch.loc[2020, "change_count"] == -40
    assert ch.loc[2020, "change_pct"] == pytest.approx(-40.0)
    assert ch.loc[2020, "lowest_since_year"] == 2017  # 60: fewest since 2017's 40
    assert pd.isna(ch.loc[2021, "lowest_since_year"]) and ch.loc[2021, "is_series_low"]
    assert ch.loc[2019, "is_peak"] and not ch["is_peak"].drop(2019).any()
    assert ch.loc[2021, "rate_ratio_reference"] == pytest.approx(0.3)


def test_adjusted_rate_ratio_is_the_quasi_poisson_wald_interval() -> None:
    """log(a / b) has variance phi (1/a + 1/b) under variance phi x mean; t on phi's df."""
    noise = Noise(dispersion=18.35, df=9.0, p_value=1e-30)
    low, high = changes.rate_ratio_adjusted(236, 196, 0.95, noise)
    half = stats.t.ppf(0.975, 9) * np.sqrt(18.35 * (1 / 236 + 1 / 196))
    assert (low, high) == pytest.approx((236 / 196 * np.exp(-half), 236 / 196 * np.exp(half)))
    # wider than the exact Poisson interval, which the same counts give as 0.99 to 1.46
    _, p_low, p_high = changes.rate_ratio_exact(236, 196, 0.95)
    assert low < p_low and high > p_high and low < 1 < high < 3.1
    # with no overdispersion (phi below 1 is taken as 1) only t's wider tails remain
    assert changes.rate_ratio_adjusted(236, 196, 0.95, Noise(0.5, 1e6, 0.9)) == pytest.approx(
        (p_low, p_high), rel=0.02
    )
    assert all(np.isfinite(changes.rate_ratio_adjusted(0, 9, 0.95, noise)))  # a zero count


def test_the_reports_quote_the_adjusted_interval_only_when_overdispersion_is_evident() -> None:
    counts = {2023: 196, 2024: 236}
    for noise, method in (
        (Noise(18.35, 9.0, 1e-30), "adjusted"),
        (Noise(1.3, 9.0, 0.3), "poisson"),
    ):
        e = changes.compared(counts, 2024, 2023, 0.95, noise, "d", [])
        assert e["method"] == method
        assert (e["low"], e["high"]) == (e[f"{method}_low"], e[f"{method}_high"])
        assert e["poisson_low"] < e["value"] < e["poisson_high"]
