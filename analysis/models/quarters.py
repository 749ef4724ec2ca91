"""Quarters: do the quarters of the full pre-closure years show a seasonal pattern, and what did
a quarter hold on average in each phase?

The test sums, over the full pre-closure years, the chi-square of equal quarterly counts within
the year. Under Poisson noise it is chi-square on 3 df per year. The counts vary more than
Poisson noise: with variance phi x mean (the trend model's dispersion, which a sum of
independent quarters shares with the year) the statistic divided by its df and by phi is
F(df, residual df of phi), which also carries phi's uncertainty. Both p-values are reported;
the reports quote the adjusted one when the overdispersion is evident.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.models.common import Noise, Part, entry
from analysis.models.params import ModelParams


def seasonality(quarterly: pd.DataFrame, intervention_year: int, noise: Noise) -> dict[str, Any]:
    """Are the quarters of full pre-intervention years equal, up to Poisson noise, and up to
    the overdispersed noise? With few full years this cannot tell a season from the shocks of
    a single year; the report says so."""
    q = quarterly.dropna(subset=["arrivals_count"])
    q = q[q["year"] < intervention_year]
    full = q.groupby("year").filter(lambda g: len(g) == 4)
    chi2, df = 0.0, 0
    for _, g in full.groupby("year"):
        counts = g["arrivals_count"].astype(float).to_numpy()
        chi2 += float(stats.chisquare(counts).statistic)
        df += 3
    years = sorted(int(y) for y in full["year"].unique())
    nan = float("nan")
    f_stat = chi2 / df / noise.scale if df else nan
    return {
        "years": years,
        "chi2": chi2 if df else nan,
        "df": df,
        "p_value": float(stats.chi2.sf(chi2, df)) if df else nan,
        "f_statistic": f_stat,
        "adjusted_p_value": float(stats.f.sf(f_stat, df, noise.df)) if df else nan,
        "quarter_share_pct": (
            full.groupby("period")["arrivals_count"].sum() / full["arrivals_count"].sum() * 100
        )
        .astype(float)
        .to_dict()
        if df
        else {},
    }


def phase_means(quarterly: pd.DataFrame, p: ModelParams) -> list[dict[str, Any]]:
    """Mean arrivals per counted quarter in each phase, from the year before the closure (the
    span the quarterly chart shows): the pre-closure year(s), the closure, the reopening."""
    q = quarterly.dropna(subset=["arrivals_count"])
    q = q[q["year"] >= p.intervention_year - 1]
    bounds = [("pre", 0, p.intervention_year)]
    if p.reopening_year:
        bounds += [
            ("closure", p.intervention_year, p.reopening_year),
            ("reopening", p.reopening_year, 10_000),
        ]
    else:
        bounds += [("closure", p.intervention_year, 10_000)]
    out = []
    for name, start, stop in bounds:
        part = q[(q["year"] >= start) & (q["year"] < stop)]
        if len(part):
            out.append(
                {
                    "phase": name,
                    "first_year": int(part["year"].min()),
                    "last_year": int(part["year"].max()),
                    "quarters": int(len(part)),
                    "mean": float(np.mean(part["arrivals_count"].astype(float))),
                }
            )
    return out


def results(
    quarterly: pd.DataFrame, p: ModelParams, noise: Noise, src: dict[str, list[str]]
) -> Part:
    season = seasonality(quarterly, p.intervention_year, noise)
    adjusted = noise.evident
    entries: dict[str, Any] = {
        "seasonality_p_value": entry(
            season["adjusted_p_value"] if adjusted else season["p_value"],
            "test that the four quarters of each full pre-intervention year are equal: "
            + (
                f"allowing for overdispersion ({noise.describe()}; F test)"
                if adjusted
                else "up to Poisson noise (chi-square test)"
            )
            + "; null when no pre-intervention year has four counted quarters",
            src["arrivals_quarterly"],
            level=p.confidence_level,
            method="adjusted" if adjusted else "poisson",
            years=season["years"],
            chi2=season["chi2"],
            df=season["df"],
            poisson_p_value=season["p_value"],
            f_statistic=season["f_statistic"],
            adjusted_p_value=season["adjusted_p_value"],
            dispersion=noise.scale,
            dispersion_df=noise.df,
        ),
        "quarter_means": entry(
            phase_means(quarterly, p),
            "mean arrivals per counted quarter in each phase, from the year before the closure",
            src["arrivals_quarterly"],
        ),
    }
    return Part({}, entries)
