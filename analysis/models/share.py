"""Who still arrives: the female share per year with exact intervals, and a binomial GLM of the
change from the closure on."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.models.common import OVERDISPERSION_ALPHA, Part, coef_table, entry, ratio_entry
from analysis.models.params import ModelParams


def female_share(sex: pd.DataFrame, intervention_year: int, level: float) -> pd.DataFrame:
    """Female share per year with exact (Clopper-Pearson) binomial intervals."""
    d = sex.dropna(subset=["male_count", "female_count"]).copy()
    d["female_count"] = d["female_count"].astype(int)
    d["sex_known_count"] = (d["male_count"] + d["female_count"]).astype(int)
    d = d[d["sex_known_count"] > 0]  # a year with no arrivals has no share
    lo, hi = proportion_confint(
        d["female_count"], d["sex_known_count"], alpha=1 - level, method="beta"
    )
    return pd.DataFrame(
        {
            "year": d["year"].astype(int),
            "female_count": d["female_count"],
            "sex_known_count": d["sex_known_count"],
            "female_share_pct": 100 * d["female_count"] / d["sex_known_count"],
            "female_share_ci_low_pct": 100 * np.asarray(lo, dtype=float),
            "female_share_ci_high_pct": 100 * np.asarray(hi, dtype=float),
            "is_post_intervention": d["year"] >= intervention_year,
            "confidence_level": level,
        }
    ).reset_index(drop=True)


def female_share_glm(share: pd.DataFrame, level: float) -> tuple[pd.DataFrame, dict]:
    """Binomial GLM of the female count on a closure indicator.

    With Pearson dispersion well above 1 (years differ by more than binomial noise), the
    quasi-binomial scale widens the interval, with t on the residual df (one per year less the
    two coefficients: few, so the dispersion is itself uncertain); the choice is reported.
    """
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    X = pd.DataFrame({"const": 1.0, "closure": share["is_post_intervention"].astype(float)})
    endog = np.column_stack(
        [share["female_count"], share["sex_known_count"] - share["female_count"]]
    )
    plain = GLM(endog, X, family=families.Binomial()).fit()
    dispersion = float(plain.pearson_chi2 / plain.df_resid) if plain.df_resid > 0 else np.nan
    p_value = float(stats.chi2.sf(plain.pearson_chi2, plain.df_resid))
    over = bool(plain.df_resid > 0 and p_value < OVERDISPERSION_ALPHA)
    # The scale is passed as a number: statsmodels' scale="X2" computes it on the proportion
    # scale for (successes, failures) data, which shrinks rather than widens the intervals.
    scale = dispersion if over else 1.0
    family = "quasibinomial" if over else "binomial"
    se = plain.bse.to_numpy() * np.sqrt(scale)
    df = float(plain.df_resid) if over else None
    coefs = coef_table("female_share", plain.params, se, level, "odds ratio", family, df=df)
    pooled = share.groupby("is_post_intervention")[["female_count", "sex_known_count"]].sum()
    pct = (100 * pooled["female_count"] / pooled["sex_known_count"]).astype(float)
    summary = {
        "family": family,
        "dispersion": dispersion,
        "dispersion_p_value": p_value,
        "df_resid": float(plain.df_resid),
        "years_pre": share.loc[~share["is_post_intervention"], "year"].tolist(),
        "years_post": share.loc[share["is_post_intervention"], "year"].tolist(),
        "share_pre_pct": float(pct.get(False, np.nan)),
        "share_post_pct": float(pct.get(True, np.nan)),
    }
    return coefs, summary


def results(sex: pd.DataFrame, p: ModelParams, end_year: int, src: dict[str, list[str]]) -> Part:
    """The share per year, and the model of its change over the model window (pre_start_year to
    end_year, the last year the trend model fits)."""
    level = p.confidence_level
    share = female_share(sex, p.intervention_year, level)
    in_window = (share["year"] >= p.pre_start_year) & (share["year"] <= end_year)
    coefs, summary = female_share_glm(share[in_window], level)
    sex_in = src["arrivals_sex"]
    entries = {
        "female_share_pre_pct": entry(
            summary["share_pre_pct"],
            "female share of arrivals with a known sex, pooled over the model window's years "
            "before the intervention that have a sex split",
            sex_in,
            years=summary["years_pre"],
        ),
        "female_share_post_pct": entry(
            summary["share_post_pct"],
            "the same, pooled over the years from the intervention on",
            sex_in,
            years=summary["years_post"],
        ),
        "female_share_odds_ratio": ratio_entry(
            coefs.set_index("term").loc["closure"],
            level,
            sex_in,
            f"odds of an arrival being female from the intervention on / before, model window, "
            f"{summary['family']} GLM (dispersion {summary['dispersion']:.1f} on "
            f"{summary['df_resid']:.0f} residual df"
            + ("; t intervals on those df)" if summary["family"] == "quasibinomial" else ")"),
            family=summary["family"],
            dispersion=summary["dispersion"],
            df=summary["df_resid"],
            years_pre=summary["years_pre"],
            years_post=summary["years_post"],
        ),
    }
    return Part({"model_coefficients": coefs, "model_female_share": share}, entries)
