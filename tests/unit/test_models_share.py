"""The female share and its model against closed forms."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from analysis.models import share as women


def test_female_share_glm_matches_pooled_logits() -> None:
    share = women.female_share(
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
    coefs, summary = women.female_share_glm(share, 0.95)
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
    # the dispersion rests on 3 residual df (5 years, 2 coefficients): t on those df, not normal
    assert summary["df_resid"] == 3
    t = stats.t.ppf(0.975, 3)
    assert closure["ci_high"] - closure["estimate"] == pytest.approx(t * closure["std_error"])


def test_female_share_intervals_contain_the_share() -> None:
    sex = pd.DataFrame({"year": [2019, 2021], "male_count": [202, 40], "female_count": [845, 23]})
    share = women.female_share(sex, 2020, 0.95)
    assert (share["female_share_ci_low_pct"] < share["female_share_pct"]).all()
    assert (share["female_share_pct"] < share["female_share_ci_high_pct"]).all()
    assert share["is_post_intervention"].tolist() == [False, True]
