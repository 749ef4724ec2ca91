"""Which year is the break, how much the estimates move with the settings, and what a referee
checks: the break-year scan, the sensitivity variants and the headline range across the
defensible ones; influence (each year left out), the year driving the dispersion, placebo breaks
before the closure, and the autocorrelation of the residuals."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.io import InputError
from analysis.models.common import Part, entry
from analysis.models.params import ModelParams
from analysis.models.trend import (
    ItsFit,
    coefficients,
    counterfactual_design,
    dispersion_test,
    fit_its,
)
from analysis.wording import FAMILY_WORDS


def break_scan(annual: pd.DataFrame, p: ModelParams, family: str) -> pd.DataFrame:
    """The phase model for every candidate first closure year in one window (scan_start_year
    to the end, the reopening year held fixed): its deviance (-2 log-likelihood), and the
    closure-phase rate ratio for that year.

    `delta_deviance_scaled` divides the gap to the best year by the best fit's dispersion,
    the quasi-likelihood analogue of a likelihood-ratio statistic. The years whose gap is below
    `critical_value` (the level's point of F(1, residual df of the best fit) with an estimated
    dispersion, of chi-square(1) without) form the confidence set of the break year, the
    profile-likelihood interval for a change point: the data cannot tell its years apart. The
    break year is chosen by the data, so this is an approximation, not an exact test.
    """
    obs = annual.dropna(subset=["arrivals_count"])
    end = p.end_year if p.end_year is not None else int(obs["year"].max())
    last_candidate = end - p.min_post_years + 1
    if p.reopening_year and p.reopening_year <= end:
        last_candidate = min(last_candidate, p.reopening_year - 1)
    rows = []
    for year in range(p.scan_start_year + p.min_pre_years, last_candidate + 1):
        q = dataclasses.replace(
            p, pre_start_year=p.scan_start_year, intervention_year=year, family=family
        )
        fit = fit_its(annual, q)
        step = coefficients(fit).set_index("term").loc["closure_level"]
        rows.append(
            {
                "break_year": year,
                "deviance": -2 * fit.llf,
                "dispersion": fit.dispersion["dispersion"],
                "df_resid": fit.dispersion["df_resid"],
                "step_rate_ratio": step["ratio"],
                "step_rate_ratio_ci_low": step["ratio_ci_low"],
                "step_rate_ratio_ci_high": step["ratio_ci_high"],
            }
        )
    out = pd.DataFrame(rows)
    best = out["deviance"].idxmin()
    scale = out.loc[best, "dispersion"] if family == "quasipoisson" else 1.0
    out["delta_deviance"] = out["deviance"] - out.loc[best, "deviance"]
    out["delta_deviance_scaled"] = out["delta_deviance"] / scale
    out["is_best"] = out.index == best
    level = p.confidence_level
    out["critical_value"] = (
        stats.f.ppf(level, 1, out.loc[best, "df_resid"])
        if family == "quasipoisson"
        else stats.chi2.ppf(level, 1)
    )
    out["is_in_confidence_set"] = out["delta_deviance_scaled"] < out["critical_value"]
    out["is_intervention_year"] = out["break_year"] == p.intervention_year
    out["window_start_year"] = p.scan_start_year
    out["family"] = family
    return out


# variants whose spread the headline range reports: the ways of fitting the same phases that a
# referee would accept; other closure or reopening years answer a different question
RANGE_KINDS = ("chosen", "pre_start_year", "family", "left_out_year")


def sensitivity(annual: pd.DataFrame, p: ModelParams, family: str) -> pd.DataFrame:
    """The closure and reopening rate ratios, the dispersion and the missing arrivals as the
    pre-period start, the closure and reopening years and the model family vary one at a time
    around the chosen settings, and with each pre-closure year left out in turn.

    A variant is marked misspecified when its Pearson dispersion is above the 95% point of
    what the chosen fit's dispersion could give by sampling alone (phi_chosen times the 95%
    point of F(df_variant, df_chosen)): its trend or phases then miss the data by more than
    noise, and its estimates are not equals of the chosen ones.
    """
    obs = annual.dropna(subset=["arrivals_count"])
    first = int(obs["year"].min())
    variants: list[tuple[str, ModelParams, int]] = [
        ("chosen", dataclasses.replace(p, family=family), 0)
    ]
    for start in range(max(first, p.intervention_year - 15), p.intervention_year - 4):
        if start != p.pre_start_year:
            variants.append(("pre_start_year", dataclasses.replace(p, pre_start_year=start), 0))
    for year in (p.intervention_year - 1, p.intervention_year + 1):
        variants.append(("intervention_year", dataclasses.replace(p, intervention_year=year), 0))
    for year in (p.reopening_year - 1, p.reopening_year + 1, 0) if p.reopening_year else ():
        variants.append(("reopening_year", dataclasses.replace(p, reopening_year=year), 0))
    for fam in ("poisson", "quasipoisson", "negbin"):
        if fam != family:
            variants.append(("family", dataclasses.replace(p, family=fam), 0))
    pre_years = obs.loc[
        (obs["year"] >= p.pre_start_year) & (obs["year"] < p.intervention_year), "year"
    ]
    for year in pre_years:
        variants.append(("left_out_year", p, int(year)))
    rows = []
    for varied, q, left_out in variants:
        q = q if varied == "family" else dataclasses.replace(q, family=family)
        data = annual if not left_out else annual[annual["year"] != left_out]
        try:
            fit = fit_its(data, q)
        except InputError:
            continue  # a variant the data cannot support (e.g. too few post years)
        co = coefficients(fit).set_index("term")
        X_cf = counterfactual_design(fit.X)
        post = fit.data["year"].to_numpy() >= q.intervention_year
        missing = (fit.mean(X_cf) - fit.data["arrivals_count"].to_numpy(float))[post].sum()
        rows.append(
            {
                "varied": varied,
                "pre_start_year": q.pre_start_year,
                "intervention_year": q.intervention_year,
                "reopening_year": q.reopening_year if "reopening" in fit.starts else 0,
                "left_out_year": left_out,
                "family": fit.family_used,
                "dispersion": fit.dispersion["dispersion"],
                "df_resid": fit.dispersion["df_resid"],
                "step_rate_ratio": co.loc["closure_level", "ratio"],
                "step_rate_ratio_ci_low": co.loc["closure_level", "ratio_ci_low"],
                "step_rate_ratio_ci_high": co.loc["closure_level", "ratio_ci_high"],
                "reopening_rate_ratio": co["ratio"].get("reopening_level", np.nan),
                "missing_count": missing,
            }
        )
    out = pd.DataFrame(rows)
    chosen = out.iloc[0]
    limit = chosen["dispersion"] * stats.f.ppf(0.95, out["df_resid"], chosen["df_resid"])
    out["is_misspecified"] = out["dispersion"] > limit
    out["in_range"] = out["varied"].isin(RANGE_KINDS) & ~out["is_misspecified"]
    return out.drop(columns="df_resid")


def spec_range(sens: pd.DataFrame, column: str) -> dict[str, Any]:
    """Lowest and highest `column` over the variants in the headline range."""
    kept = sens[sens["in_range"]]
    low, high = kept[column].idxmin(), kept[column].idxmax()
    return {
        "low": float(kept.loc[low, column]),
        "high": float(kept.loc[high, column]),
        "low_variant": _variant(kept.loc[low]),
        "high_variant": _variant(kept.loc[high]),
        "variants": int(len(kept)),
        "misspecified_left_out": [_variant(r) for _, r in sens[sens["is_misspecified"]].iterrows()],
    }


def _variant(row: pd.Series) -> str:
    """A variant as the report names it: "pre-period from 2009", "negative binomial family"."""
    varied = row["varied"]
    if varied == "chosen":
        return "the chosen fit"
    if varied == "family":  # the family in words, not its code (negbin)
        return f"{FAMILY_WORDS.get(row['family'], row['family'])} family"
    if varied == "reopening_year" and not row["reopening_year"]:
        return "without a reopening phase"
    name = {
        "pre_start_year": "pre-period from",
        "intervention_year": "closure from",
        "reopening_year": "reopening from",
        "left_out_year": "without",
    }[varied]
    return f"{name} {row[varied]}"


def influence(annual: pd.DataFrame, p: ModelParams, family: str, main: ItsFit) -> pd.DataFrame:
    """Each year of the model window left out in turn (pre-closure and post years alike): the
    closure and reopening rate ratios, the dispersion, and the missing arrivals over all the
    main fit's post years (a left-out year's shortfall from the refitted trend). Beside each
    year, its share of the main Poisson fit's Pearson chi-square: which year drives the
    dispersion."""
    years = main.data["year"].to_numpy(dtype=int)
    y = main.data["arrivals_count"].to_numpy(dtype=float)
    _, pois = dispersion_test(y, main.X)
    pearson = (y - pois.fittedvalues) ** 2 / pois.fittedvalues
    post = years >= p.intervention_year
    rows = []
    for year, share in zip(years, pearson / pearson.sum(), strict=True):
        # the trend starts at the first year kept (only leaving out pre_start_year moves it)
        start = int(years[years != year].min())
        kept = annual[annual["year"] != year]
        first = int(kept.dropna(subset=["arrivals_count"])["year"].min())
        q = dataclasses.replace(
            p, family=family, pre_start_year=start, scan_start_year=max(p.scan_start_year, first)
        )
        try:
            fit = fit_its(kept, q)
        except InputError:
            continue  # leaving it out leaves a phase without the years it needs
        co = coefficients(fit).set_index("term")
        mu_cf = np.exp(fit.beta["const"] + fit.beta["trend"] * (years - start))
        rows.append(
            {
                "left_out_year": int(year),
                "is_post_intervention": bool(year >= p.intervention_year),
                "pearson_chi2_share": float(share),
                "dispersion": fit.dispersion["dispersion"],
                "step_rate_ratio": co.loc["closure_level", "ratio"],
                "step_rate_ratio_ci_low": co.loc["closure_level", "ratio_ci_low"],
                "step_rate_ratio_ci_high": co.loc["closure_level", "ratio_ci_high"],
                "reopening_rate_ratio": co["ratio"].get("reopening_level", np.nan),
                "missing_count": float((mu_cf - y)[post].sum()),
            }
        )
    return pd.DataFrame(rows)


def placebo_breaks(annual: pd.DataFrame, p: ModelParams, family: str) -> pd.DataFrame:
    """The closure model fitted to the pre-closure years only (scan_start_year to the year
    before the closure), with a made-up closure in each year that leaves min_pre_years before
    it and min_post_years after: a level shift as large as the real one in a year with no
    closure would say the model finds breaks where there are none."""
    last = p.intervention_year - 1
    rows = []
    for year in range(p.scan_start_year + p.min_pre_years, last - p.min_post_years + 2):
        q = dataclasses.replace(
            p,
            pre_start_year=p.scan_start_year,
            intervention_year=year,
            reopening_year=0,
            end_year=last,
            family=family,
            test_year=None,
        )
        try:
            fit = fit_its(annual, q)
        except InputError:
            continue
        row = coefficients(fit).set_index("term").loc["closure_level"]
        t = row["estimate"] / row["std_error"]
        df = fit.reference_df
        rows.append(
            {
                "break_year": year,
                "window_start_year": p.scan_start_year,
                "dispersion": fit.dispersion["dispersion"],
                "step_rate_ratio": row["ratio"],
                "step_rate_ratio_ci_low": row["ratio_ci_low"],
                "step_rate_ratio_ci_high": row["ratio_ci_high"],
                "p_value": float(
                    2 * (stats.norm.sf(abs(t)) if df is None else stats.t.sf(abs(t), df))
                ),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "break_year", "window_start_year", "dispersion", "step_rate_ratio",
            "step_rate_ratio_ci_low", "step_rate_ratio_ci_high", "p_value",
        ],
    )  # fmt: skip
    out["is_level_shift"] = (out["step_rate_ratio_ci_low"] > 1) | (
        out["step_rate_ratio_ci_high"] < 1
    )
    out["family"] = family
    out["confidence_level"] = p.confidence_level
    return out


def autocorrelation(residuals: np.ndarray) -> dict[str, float]:
    """Lag-1 autocorrelation of the residuals in year order, and the Ljung-Box test of it
    (Q = n (n + 2) r1^2 / (n - 1), chi-square on 1 df)."""
    r = residuals - residuals.mean()
    n = len(r)
    r1 = float((r[1:] * r[:-1]).sum() / (r**2).sum())
    q = n * (n + 2) * r1**2 / (n - 1)
    return {"r1": r1, "ljung_box": q, "p_value": float(stats.chi2.sf(q, 1)), "n": n}


def results(annual: pd.DataFrame, p: ModelParams, main: ItsFit, src: dict[str, list[str]]) -> Part:
    """The break-year scan, the sensitivity table and the headline range; influence, the year
    driving the dispersion, placebo breaks and residual autocorrelation."""
    annual_in = src["arrivals_annual"]
    family = main.family_used
    scan = break_scan(annual, p, family)
    sens = sensitivity(annual, p, family)
    infl = influence(annual, p, family, main)
    placebo = placebo_breaks(annual, p, family)
    y = main.data["arrivals_count"].to_numpy(dtype=float)
    mu = main.mean(main.X)
    auto = autocorrelation((y - mu) / np.sqrt(main.variance(mu)))
    chosen = sens.iloc[0]
    scan_at = scan.set_index("break_year")
    best = scan.loc[scan["is_best"]].iloc[0]

    def scan_entry(year: int) -> dict:
        if year not in scan_at.index:
            return entry(None, f"break year {year} is outside the scanned range", annual_in)
        return entry(
            float(scan_at.loc[year, "delta_deviance_scaled"]),
            f"scaled deviance of a break in {year} above the best break year",
            annual_in,
            year=year,
        )

    entries = {
        "missing_arrivals_range": entry(
            float(chosen["missing_count"]),
            "the main estimate of the missing arrivals and the lowest and highest over the "
            "defensible specifications (pre-period start, family, each pre-closure year left "
            "out), leaving out variants whose dispersion marks them misspecified",
            annual_in + ["model_sensitivity.csv"],
            **spec_range(sens, "missing_count"),
        ),
        "step_rate_ratio_range": entry(
            float(chosen["step_rate_ratio"]),
            "the closure-phase rate ratio and its lowest and highest over the same specifications",
            annual_in + ["model_sensitivity.csv"],
            **spec_range(sens, "step_rate_ratio"),
        ),
        "best_break_year": entry(
            int(best["break_year"]),
            f"break year with the lowest deviance, scanning {int(scan['break_year'].min())}-"
            f"{int(scan['break_year'].max())} in a window from {p.scan_start_year}",
            annual_in,
        ),
        "break_year_set": entry(
            [int(y) for y in scan.loc[scan["is_in_confidence_set"], "break_year"]],
            "candidate break years whose scaled deviance gap to the best is below the "
            "critical value: the data cannot tell them apart (the confidence set of the break "
            "year, from the profile)",
            annual_in,
            best=int(best["break_year"]),
            critical_value=float(best["critical_value"]),
            level=p.confidence_level,
            df=float(best["df_resid"]),
            family=family,
            gaps={
                str(int(r.break_year)): float(r.delta_deviance_scaled) for r in scan.itertuples()
            },
        ),
        "break_intervention": scan_entry(p.intervention_year),
        "break_pre_start": scan_entry(p.pre_start_year),
    }
    entries |= _referee_entries(infl, placebo, auto, chosen, p, annual_in)
    tables = {
        "model_break_scan": scan,
        "model_sensitivity": sens,
        "model_influence": infl,
        "model_placebo": placebo,
    }
    return Part(tables, entries)


def _referee_entries(
    infl: pd.DataFrame,
    placebo: pd.DataFrame,
    auto: dict[str, float],
    chosen: pd.Series,
    p: ModelParams,
    inputs: list[str],
) -> dict[str, Any]:
    driver = infl.loc[infl["pearson_chi2_share"].idxmax()]
    moved = (infl["missing_count"] - chosen["missing_count"]).abs().idxmax()
    out = {
        "influence": entry(
            {
                "missing_low": float(infl["missing_count"].min()),
                "missing_high": float(infl["missing_count"].max()),
                "step_low": float(infl["step_rate_ratio"].min()),
                "step_high": float(infl["step_rate_ratio"].max()),
                "most_influential_year": int(infl.loc[moved, "left_out_year"]),
                "missing_without_it": float(infl.loc[moved, "missing_count"]),
                "step_without_it": float(infl.loc[moved, "step_rate_ratio"]),
            },
            "each year of the model window left out in turn: the range of the missing total "
            "and of the closure rate ratio, and the year whose omission moves the total most",
            inputs + ["model_influence.csv"],
            years=[int(y) for y in infl["left_out_year"]],
            missing=float(chosen["missing_count"]),
            step=float(chosen["step_rate_ratio"]),
        ),
        "dispersion_driver": entry(
            int(driver["left_out_year"]),
            "the year with the largest share of the Poisson fit's Pearson chi-square, its share, "
            "and the dispersion with that year left out",
            inputs + ["model_influence.csv"],
            share=float(driver["pearson_chi2_share"]),
            dispersion_without=float(driver["dispersion"]),
        ),
        "residual_autocorrelation": entry(
            auto["r1"],
            "lag-1 autocorrelation of the trend model's Pearson residuals in year order, with "
            "the Ljung-Box test (chi-square on 1 df); few residuals, so the test has little "
            "power, and a misfit of the trend or of a phase level shows up as autocorrelation",
            inputs,
            p_value=auto["p_value"],
            statistic=auto["ljung_box"],
            n=auto["n"],
            level=p.confidence_level,
        ),
    }
    if len(placebo):
        largest = placebo.loc[(np.log(placebo["step_rate_ratio"])).abs().idxmax()]
        out["placebo_breaks"] = entry(
            int(placebo["is_level_shift"].sum()),
            "placebo closures in the pre-closure years (the closure model fitted to "
            f"{p.scan_start_year}\u2013{p.intervention_year - 1} with a made-up closure year): how "
            "many have an interval that excludes no shift, and the largest shift",
            inputs + ["model_placebo.csv"],
            placebos=int(len(placebo)),
            years=[int(y) for y in placebo["break_year"]],
            shift_years=[int(y) for y in placebo.loc[placebo["is_level_shift"], "break_year"]],
            largest_year=int(largest["break_year"]),
            largest_ratio=float(largest["step_rate_ratio"]),
            largest_low=float(largest["step_rate_ratio_ci_low"]),
            largest_high=float(largest["step_rate_ratio_ci_high"]),
            closure_ratio=float(chosen["step_rate_ratio"]),
            level=p.confidence_level,
        )
    return out
