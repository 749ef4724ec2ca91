"""Quarters: do the quarters of the full pre-closure years show a seasonal pattern?"""

from __future__ import annotations

from typing import Any

import pandas as pd
from scipy import stats

from analysis.models.common import Part, entry
from analysis.models.params import ModelParams


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


def results(quarterly: pd.DataFrame, p: ModelParams, src: dict[str, list[str]]) -> Part:
    season = seasonality(quarterly, p.intervention_year)
    entries: dict[str, Any] = {
        "seasonality_p_value": entry(
            season["p_value"],
            "chi-square test that the four quarters of each full pre-intervention year are "
            "equal up to Poisson noise",
            src["arrivals_quarterly"],
            years=season["years"],
            chi2=season["chi2"],
            df=season["df"],
        ),
    }
    return Part({}, entries)
