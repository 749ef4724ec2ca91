"""Descriptive results against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from analysis import descriptive


@pytest.mark.parametrize(("a", "b"), [(63, 1047), (229, 1047), (5, 12), (0, 9)])
def test_exact_rate_ratio_is_the_clopper_pearson_interval_mapped(a: int, b: int) -> None:
    ratio, low, high = descriptive.rate_ratio_exact(a, b, 0.95)
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
    ch = descriptive.changes(annual, 2019, 0.95).set_index("year")
    assert ch.loc[2020, "change_count"] == -40
    assert ch.loc[2020, "change_pct"] == pytest.approx(-40.0)
    assert ch.loc[2020, "lowest_since_year"] == 2017  # 60: fewest since 2017's 40
    assert pd.isna(ch.loc[2021, "lowest_since_year"]) and ch.loc[2021, "is_series_low"]
    assert ch.loc[2019, "is_peak"] and not ch["is_peak"].drop(2019).any()
    assert ch.loc[2021, "rate_ratio_reference"] == pytest.approx(0.3)


def test_female_share_glm_matches_pooled_logits() -> None:
    share = descriptive.female_share(
        pd.DataFrame(
            {
                "year": [2017, 2018, 2019, 2020, 2021],
                "male_count": [200, 180, 190, 70, 40],
                "female_count": [800, 820, 790, 150, 25],
            }
        ),
        intervention_year=2020,
        level=0.95,
    )
    coefs, summary = descriptive.female_share_glm(share, 0.95)
    pre = share[~share["is_post_intervention"]][["female_count", "sex_known_count"]].sum()
    post = share[share["is_post_intervention"]][["female_count", "sex_known_count"]].sum()
    p0, p1 = pre.iloc[0] / pre.iloc[1], post.iloc[0] / post.iloc[1]
    closure = coefs.set_index("term").loc["closure"]
    assert closure["estimate"] == pytest.approx(special.logit(p1) - special.logit(p0), abs=1e-8)
    se_binomial = np.sqrt(1 / (pre.iloc[1] * p0 * (1 - p0)) + 1 / (post.iloc[1] * p1 * (1 - p1)))
    scale = summary["dispersion"] if summary["family"] == "quasibinomial" else 1.0
    assert closure["std_error"] == pytest.approx(se_binomial * np.sqrt(scale), rel=1e-6)
    assert summary["family"] == "quasibinomial"  # 2020 vs 2021 differ beyond binomial noise
    assert closure["ratio_ci_low"] < closure["ratio"] < closure["ratio_ci_high"]


def test_female_share_intervals_contain_the_share() -> None:
    sex = pd.DataFrame({"year": [2019, 2021], "male_count": [202, 40], "female_count": [845, 23]})
    share = descriptive.female_share(sex, 2020, 0.95)
    assert (share["female_share_ci_low_pct"] < share["female_share_pct"]).all()
    assert (share["female_share_pct"] < share["female_share_ci_high_pct"]).all()
    assert share["is_post_intervention"].tolist() == [False, True]


def test_seasonality_chi_square_on_full_years_only() -> None:
    q = pd.DataFrame(
        {
            "year": [2018] * 3 + [2019] * 4 + [2020] * 4,
            "period": ["Q1", "Q2", "Q3", "Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4"],
            "arrivals_count": [1, 2, 3, 229, 320, 226, 272, 135, 12, 48, 34],
        }
    )
    season = descriptive.seasonality(q, 2020)
    counts = np.array([229, 320, 226, 272])
    expected = ((counts - counts.mean()) ** 2 / counts.mean()).sum()
    assert season["years"] == [2019] and season["df"] == 3
    assert season["chi2"] == pytest.approx(expected)
