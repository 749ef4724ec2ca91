"""Which year is the break, and how much do the estimates move with the settings: the break-year
scan, the sensitivity variants and the headline range across the defensible ones."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.io import InputError
from analysis.models.common import Part, entry
from analysis.models.params import ModelParams
from analysis.models.trend import coefficients, counterfactual_design, fit_its


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
    value = {
        "chosen": "",
        "pre_start_year": f" from {row['pre_start_year']}",
        "intervention_year": f" {row['intervention_year']}",
        "reopening_year": f" {row['reopening_year']}",
        "family": f" {row['family']}",
        "left_out_year": f" {row['left_out_year']}",
    }[row["varied"]]
    name = {
        "chosen": "the chosen fit",
        "pre_start_year": "pre-period",
        "intervention_year": "closure from",
        "reopening_year": "reopening from",
        "family": "family",
        "left_out_year": "without",
    }[row["varied"]]
    return name + value


def results(annual: pd.DataFrame, p: ModelParams, family: str, src: dict[str, list[str]]) -> Part:
    """The break-year scan, the sensitivity table and the headline range."""
    annual_in = src["arrivals_annual"]
    scan = break_scan(annual, p, family)
    sens = sensitivity(annual, p, family)
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
    return Part({"model_break_scan": scan, "model_sensitivity": sens}, entries)
