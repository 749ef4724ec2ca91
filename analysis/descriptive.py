"""Stage 3a: descriptive results -- changes between years with exact intervals, who still
arrives (female share), and whether quarters show a season.

Input: the processed arrivals tables. Output: tables returned to analysis.models, which writes
them (model_changes, model_female_share) and quotes them in headline.json.

Rate ratios between two years use the exact conditional method: given a + b arrivals in the two
years, a is binomial(a + b, r / (1 + r)) under a rate ratio r, so a Clopper-Pearson interval p
for a / (a + b) maps to r = p / (1 - p). Both years have the same exposure (one year).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.models import coef_table


def rate_ratio_exact(a: int, b: int, level: float) -> tuple[float, float, float]:
    """Ratio a / b of two Poisson counts with equal exposure, with its exact interval."""
    if a + b == 0:
        return (float("nan"),) * 3
    lo, hi = proportion_confint(a, a + b, alpha=1 - level, method="beta")
    ratio = a / b if b else float("inf")
    return ratio, lo / (1 - lo), (hi / (1 - hi) if hi < 1 else float("inf"))


def changes(annual: pd.DataFrame, reference_year: int, level: float) -> pd.DataFrame:
    """Year-on-year and against-reference-year changes, and how low each year is."""
    obs = annual.dropna(subset=["arrivals_count"])[["year", "arrivals_count"]].copy()
    obs["arrivals_count"] = obs["arrivals_count"].astype(int)
    ref = obs.set_index("year")["arrivals_count"].get(reference_year)
    rows = []
    for i, (year, count) in enumerate(obs.itertuples(index=False)):
        earlier = obs.iloc[:i]
        prev = earlier.iloc[-1] if i else None
        row = {"year": year, "arrivals_count": count}
        if prev is not None:
            rr = rate_ratio_exact(count, int(prev["arrivals_count"]), level)
            row |= {
                "previous_year": int(prev["year"]),
                "change_count": count - int(prev["arrivals_count"]),
                # no percentage change from zero
                "change_pct": 100 * (count / prev["arrivals_count"] - 1)
                if prev["arrivals_count"]
                else float("nan"),
                "rate_ratio_previous": rr[0],
                "rate_ratio_previous_ci_low": rr[1],
                "rate_ratio_previous_ci_high": rr[2],
            }
        if ref is not None:
            rr = rate_ratio_exact(count, int(ref), level)
            row |= {
                "change_since_reference_count": count - int(ref),
                "change_since_reference_pct": 100 * (count / ref - 1) if ref else float("nan"),
                "rate_ratio_reference": rr[0],
                "rate_ratio_reference_ci_low": rr[1],
                "rate_ratio_reference_ci_high": rr[2],
            }
        # "the lowest since Y": the last earlier year with as few or fewer arrivals
        as_low = earlier[earlier["arrivals_count"] <= count]
        row["lowest_since_year"] = int(as_low["year"].iloc[-1]) if len(as_low) else pd.NA
        row["is_series_low"] = bool(i) and len(as_low) == 0
        row["is_peak"] = count == obs["arrivals_count"].max()
        rows.append(row)
    out = pd.DataFrame(rows)
    out["reference_year"] = reference_year
    out["confidence_level"] = level
    for col in ("previous_year", "change_count", "lowest_since_year"):
        out[col] = out[col].astype("Int64")
    return out


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
    quasi-binomial scale widens the interval; the choice is reported.
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
    over = bool(plain.df_resid > 0 and p_value < 0.05)
    # The scale is passed as a number: statsmodels' scale="X2" computes it on the proportion
    # scale for (successes, failures) data, which shrinks rather than widens the intervals.
    scale = dispersion if over else 1.0
    family = "quasibinomial" if over else "binomial"
    se = plain.bse.to_numpy() * np.sqrt(scale)
    coefs = coef_table("female_share", plain.params, se, level, "odds ratio", family)
    pooled = share.groupby("is_post_intervention")[["female_count", "sex_known_count"]].sum()
    pct = (100 * pooled["female_count"] / pooled["sex_known_count"]).astype(float)
    summary = {
        "family": family,
        "dispersion": dispersion,
        "dispersion_p_value": p_value,
        "years_pre": share.loc[~share["is_post_intervention"], "year"].tolist(),
        "years_post": share.loc[share["is_post_intervention"], "year"].tolist(),
        "share_pre_pct": float(pct.get(False, np.nan)),
        "share_post_pct": float(pct.get(True, np.nan)),
    }
    return coefs, summary


def seasonality(quarterly: pd.DataFrame, intervention_year: int) -> dict:
    """Are the quarters of full pre-intervention years equal, up to Poisson noise?

    Chi-square test of equal quarterly counts within each full year, summed over years. With
    few full years this cannot tell a season from year-specific shocks; the report says so.
    """
    q = quarterly.dropna(subset=["arrivals_count"])
    q = q[q["year"] < intervention_year]
    full = q.groupby("year").filter(lambda g: len(g) == 4)
    chi2, df = 0.0, 0
    for _, g in full.groupby("year"):
        counts = g["arrivals_count"].astype(float).to_numpy()
        chi2 += float(stats.chisquare(counts).statistic)
        df += 3
    years = sorted(int(y) for y in full["year"].unique())
    return {
        "years": years,
        "chi2": chi2 if df else float("nan"),
        "df": df,
        "p_value": float(stats.chi2.sf(chi2, df)) if df else float("nan"),
        "quarter_share_pct": (
            full.groupby("period")["arrivals_count"].sum() / full["arrivals_count"].sum() * 100
        )
        .astype(float)
        .to_dict()
        if df
        else {},
    }
