"""Changes between years: year-on-year and against the last pre-closure year, with Poisson and
overdispersion-adjusted rate-ratio intervals side by side, and the peak and "lowest since" facts.

Poisson: the exact conditional method. Given a + b arrivals in the two years, a is
binomial(a + b, r / (1 + r)) under a rate ratio r, so a Clopper-Pearson interval p for
a / (a + b) maps to r = p / (1 - p). Both years have the same exposure (one year).

Adjusted: the counts vary more than Poisson noise (the trend model's Pearson dispersion phi,
tested in analysis.models.trend), so each count has variance phi x mean and
log(a / b) has variance phi (1/a + 1/b); the interval uses t on the residual df phi rests on,
as the trend model's intervals do. A zero count gets 0.5 added to both (Haldane). The reports
quote the adjusted interval when the overdispersion is evident, the Poisson one otherwise.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from analysis.models.common import Noise, Part, entry
from analysis.models.params import ModelParams


def rate_ratio_exact(a: int, b: int, level: float) -> tuple[float, float, float]:
    """Ratio a / b of two Poisson counts with equal exposure, with its exact interval."""
    if a + b == 0:
        return (float("nan"),) * 3
    lo, hi = proportion_confint(a, a + b, alpha=1 - level, method="beta")
    ratio = a / b if b else float("inf")
    return ratio, lo / (1 - lo), (hi / (1 - hi) if hi < 1 else float("inf"))


def rate_ratio_adjusted(a: int, b: int, level: float, noise: Noise) -> tuple[float, float]:
    """Interval of a / b for counts with variance phi x mean (see the module docstring)."""
    if a + b == 0:
        return float("nan"), float("nan")
    a_, b_ = (a + 0.5, b + 0.5) if 0 in (a, b) else (a, b)
    half = stats.t.ppf(0.5 + level / 2, noise.df) * math.sqrt(noise.scale * (1 / a_ + 1 / b_))
    log_ratio = math.log(a_ / b_)
    return math.exp(log_ratio - half), math.exp(log_ratio + half)


def _ratio_columns(prefix: str, a: int, b: int, level: float, noise: Noise) -> dict[str, float]:
    ratio, low, high = rate_ratio_exact(a, b, level)
    adj_low, adj_high = rate_ratio_adjusted(a, b, level, noise)
    return {
        prefix: ratio,
        f"{prefix}_ci_low": low,
        f"{prefix}_ci_high": high,
        f"{prefix}_adj_ci_low": adj_low,
        f"{prefix}_adj_ci_high": adj_high,
    }


def changes(annual: pd.DataFrame, reference_year: int, level: float, noise: Noise) -> pd.DataFrame:
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
            before = int(prev["arrivals_count"])
            row |= {
                "previous_year": int(prev["year"]),
                "change_count": count - before,
                # no percentage change from zero
                "change_pct": 100 * (count / before - 1) if before else float("nan"),
                **_ratio_columns("rate_ratio_previous", count, before, level, noise),
            }
        if ref is not None:
            row |= {
                "change_since_reference_count": count - int(ref),
                "change_since_reference_pct": 100 * (count / ref - 1) if ref else float("nan"),
                **_ratio_columns("rate_ratio_reference", count, int(ref), level, noise),
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
    out["dispersion"] = noise.scale
    out["df_resid"] = noise.df
    for col in ("previous_year", "change_count", "lowest_since_year"):
        out[col] = out[col].astype("Int64")
    return out


def compared(
    counts: dict[int, int],
    year: int,
    base_year: int,
    level: float,
    noise: Noise,
    definition: str,
    inputs: list[str],
) -> dict[str, Any]:
    """Headline entry for arrivals in `year` / arrivals in `base_year`: both intervals, and as
    `low`/`high` the one the reports quote (adjusted when overdispersion is evident)."""
    a, b = counts[year], counts[base_year]
    ratio, p_low, p_high = rate_ratio_exact(a, b, level)
    adj_low, adj_high = rate_ratio_adjusted(a, b, level, noise)
    adjusted = noise.evident
    return entry(
        ratio,
        definition,
        inputs,
        low=adj_low if adjusted else p_low,
        high=adj_high if adjusted else p_high,
        level=level,
        method="adjusted" if adjusted else "poisson",
        year=year,
        count=a,
        base_year=base_year,
        base_count=b,
        poisson_low=p_low,
        poisson_high=p_high,
        adjusted_low=adj_low,
        adjusted_high=adj_high,
        dispersion=noise.scale,
        df=noise.df,
    )


def _count_entry(annual: pd.DataFrame, year: int, what: str, inputs: list[str]) -> dict:
    row = annual.set_index("year").loc[year]
    value = None if pd.isna(row["arrivals_count"]) else int(row["arrivals_count"])
    source = None if pd.isna(row["source_id"]) else row["source_id"]
    return entry(value, f"arrivals in {what}", inputs, year=year, source_id=source)


def results(annual: pd.DataFrame, p: ModelParams, noise: Noise, src: dict[str, list[str]]) -> Part:
    """The changes table and the counts and changes the reports quote."""
    level = p.confidence_level
    annual_in = src["arrivals_annual"]
    reference_year = p.intervention_year - 1
    table = changes(annual, reference_year, level, noise)
    ch = table.set_index("year")
    counts = {int(y): int(c) for y, c in ch["arrivals_count"].items()}
    latest_year = int(ch.index.max())
    latest = ch.loc[latest_year]
    peak_year = int(ch["arrivals_count"].idxmax())
    after = ch.loc[ch.index >= p.intervention_year, "arrivals_count"]
    low_year = int(after.idxmin())  # the post-closure low (the first, on a tie)
    how = (
        "; the interval allows for overdispersion (variance = dispersion x mean, "
        f"{noise.describe()}, t intervals)"
        if noise.evident
        else "; exact conditional (Clopper-Pearson) interval, Poisson noise"
    )

    def ratio(year: int, base: int, definition: str) -> dict[str, Any]:
        return compared(counts, year, base, level, noise, definition + how, annual_in)

    entries: dict[str, Any] = {
        "reference_arrivals": _count_entry(
            annual, reference_year, "the last pre-closure year", annual_in
        ),
        "intervention_arrivals": _count_entry(
            annual, p.intervention_year, "the intervention year", annual_in
        ),
        "latest_year": entry(
            latest_year, "last year with a selected annual arrivals count", annual_in
        ),
        "latest_arrivals_count": _count_entry(annual, latest_year, "the latest year", annual_in),
        "post_closure_low": _count_entry(
            annual, low_year, "the year with the fewest from the intervention on", annual_in
        ),
        "peak": entry(
            int(ch.loc[peak_year, "arrivals_count"]),
            "highest annual arrivals in the series",
            annual_in,
            year=peak_year,
        ),
        "latest_lowest_since": entry(
            None if pd.isna(latest["lowest_since_year"]) else int(latest["lowest_since_year"]),
            "the last earlier year with as few arrivals as the latest year (null: the latest "
            "year is the lowest in the series)",
            annual_in,
            is_series_low=bool(latest["is_series_low"]),
            series_start_year=int(ch.index.min()),
        ),
        "change_since_reference_pct": entry(
            float(latest["change_since_reference_pct"]),
            f"change in arrivals from {reference_year} to the latest year, per cent",
            annual_in,
            reference_year=reference_year,
        ),
        "rate_ratio_since_reference": ratio(
            latest_year,
            reference_year,
            f"arrivals in the latest year / arrivals in {reference_year}",
        ),
        "rate_ratio_latest_on_previous": ratio(
            latest_year,
            int(latest["previous_year"]),
            "arrivals in the latest year / arrivals in the year before",
        ),
        "rate_ratio_low_on_reference": ratio(
            low_year,
            reference_year,
            f"arrivals in the post-closure low / arrivals in {reference_year}",
        ),
    }
    if latest_year != low_year:
        entries["rate_ratio_latest_on_low"] = ratio(
            latest_year, low_year, "arrivals in the latest year / arrivals in the post-closure low"
        )
    if p.reopening_year and {p.reopening_year, p.reopening_year - 1} <= counts.keys():
        entries["rate_ratio_reopening_rise"] = ratio(
            p.reopening_year,
            p.reopening_year - 1,
            "arrivals in the first year of the reopening phase / arrivals the year before",
        )
    return Part({"model_changes": table}, entries)
