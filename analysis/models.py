"""Stage 3: trend models of annual arrivals, with intervals.

Input: data/processed/arrivals_annual.csv. Output (in an output folder, by default
data/processed): model_coefficients, model_fitted (observed, fitted and counterfactual per year),
model_break_scan, model_descriptive and headline.json (every number the reports quote, each with
its definition and inputs).

The interrupted time series is a count GLM on log arrivals:
    log E[y_t] = b0 + b1 (t - t0) + b2 step_t + b3 (t - T) step_t,   step_t = 1 if t >= T
so exp(b2) is the rate ratio at the intervention year T and exp(b3) the change in the yearly
growth factor. Family "auto" tests the Poisson fit for overdispersion (Pearson chi-square) and
uses quasi-Poisson (Pearson scale) when it is present.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis import paths
from analysis.io import InputError, run_step, write_csv, write_json

FAMILIES = ("auto", "poisson", "quasipoisson", "negbin")
SEED = 20200101
DRAWS = 20000


@dataclasses.dataclass(frozen=True)
class ModelParams:
    """Model settings; the report templates expose the same names as parameters."""

    intervention_year: int = 2020  # first year of the closure phase
    # first year of the partial-reopening phase (arrivals tripled from 2022 to 2023); 0: none
    reopening_year: int = 2023
    pre_start_year: int = 2012
    end_year: int | None = None  # None: the last year with a selected value
    family: str = "auto"
    confidence_level: float = 0.95
    scan_start_year: int = 2007  # break scan window start (2012 is then the first candidate)
    # year the model predicts from the years before it; None: derived from the data (see
    # derived_test_year), so that no default assumes where the data end
    test_year: int | None = None
    min_pre_years: int = 5
    min_post_years: int = 2  # a phase level and the dispersion need post years to rest on


@dataclasses.dataclass(frozen=True)
class Problem:
    """A setting the data cannot support: which key, its value, why, and a value that works."""

    key: str
    value: Any
    why: str
    suggestion: Any

    def line(self) -> str:
        return f"{self.key}: {self.value!r} {self.why}; write {self.key}: {self.suggestion!r}"


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


def param_problems(p: ModelParams, years: pd.Series, with_test: bool = True) -> list[Problem]:
    """Every setting that cannot hold with data covering `years`, each with a value that can.

    `with_test=False` leaves out test_year, the reference year (the year before
    intervention_year, which the quoted changes start from) and lets the reopening phase lie
    beyond the data: fits for other windows (the break scan, the sensitivity variants, the
    prediction fits) do not predict a year and may end before the reopening. A reopening year
    after the window means the window has no reopening phase.
    """
    first, last = int(years.min()), int(years.max())
    end = p.end_year if p.end_year is not None else last
    out = []
    if p.family not in FAMILIES:
        out.append(Problem("family", p.family, f"is not one of {', '.join(FAMILIES)}", "auto"))
    if not 0.5 <= p.confidence_level < 1:
        out.append(Problem("confidence_level", p.confidence_level, "must be in [0.5, 1)", 0.95))
    if not first <= p.pre_start_year <= last:
        out.append(
            Problem(
                "pre_start_year",
                p.pre_start_year,
                f"is outside the data ({first}-{last})",
                _clamp(p.pre_start_year, first, max(first, p.intervention_year - 8)),
            )
        )
    if end > last:
        out.append(
            Problem("end_year", end, f"is after the last year with data ({last})", 0)
        )  # 0: the latest year, whatever it is
    latest_break = end - p.min_post_years + 1
    intervention_ok = p.pre_start_year < p.intervention_year <= latest_break
    if not intervention_ok:
        out.append(
            Problem(
                "intervention_year",
                p.intervention_year,
                f"must be after pre_start_year ({p.pre_start_year}) and leave at least "
                f"{p.min_post_years} years up to the last year ({end})",
                _clamp(p.intervention_year, p.pre_start_year + p.min_pre_years, latest_break),
            )
        )
    elif with_test and p.intervention_year - 1 not in set(years.astype(int)):
        # the changes since the closure, which the reports quote, start from the year before
        counted = set(years.astype(int))
        works = [y for y in range(p.intervention_year, latest_break + 1) if y - 1 in counted]
        out.append(
            Problem(
                "intervention_year",
                p.intervention_year,
                f"is compared with the year before it, {p.intervention_year - 1}, which has no "
                "current count in data/raw/arrivals.csv",
                works[0] if works else p.intervention_year,
            )
        )
    elif p.intervention_year - p.pre_start_year < p.min_pre_years:
        out.append(
            Problem(
                "pre_start_year",
                p.pre_start_year,
                f"leaves {p.intervention_year - p.pre_start_year} pre-intervention years; at "
                f"least {p.min_pre_years} are needed",
                max(first, p.intervention_year - p.min_pre_years - 3),
            )
        )
    if p.reopening_year and intervention_ok:
        # the closure phase needs a year of its own; a reopening after the data is an empty phase
        if p.reopening_year <= p.intervention_year:
            out.append(
                Problem(
                    "reopening_year",
                    p.reopening_year,
                    f"must be after intervention_year ({p.intervention_year}), so that the "
                    "closure phase has a year; 0 means no reopening phase",
                    p.intervention_year + 1 if p.intervention_year < end else 0,
                )
            )
        elif with_test and p.reopening_year > end + 1:
            # the year after the data is allowed: a reopening the next count will show
            out.append(
                Problem(
                    "reopening_year",
                    p.reopening_year,
                    f"is more than a year after the last year modelled ({end}); "
                    "0 means no reopening phase",
                    0,
                )
            )
    if not first <= p.scan_start_year <= p.intervention_year - p.min_pre_years:
        out.append(
            Problem(
                "scan_start_year",
                p.scan_start_year,
                f"must be within the data ({first}-{last}) and at least {p.min_pre_years} "
                f"years before intervention_year ({p.intervention_year})",
                _clamp(p.scan_start_year, first, p.intervention_year - p.min_pre_years),
            )
        )
    # the prediction fit ends the year before test_year and needs its post-closure years
    earliest_test = p.intervention_year + p.min_post_years
    if with_test and p.test_year is not None and not earliest_test <= p.test_year <= last + 1:
        out.append(
            Problem(
                "test_year",
                p.test_year,
                f"must be from {earliest_test} (intervention_year + {p.min_post_years}) to "
                f"{last + 1} (the year after the last with data); 0 lets the data choose",
                0,
            )
        )
    return out


def check_params(p: ModelParams, years: pd.Series, with_test: bool = True) -> None:
    """Refuse impossible settings before any fitting, naming the parameter and a fix."""
    problems = param_problems(p, years, with_test)
    if problems:
        raise InputError("\n".join("error: model parameter " + q.line() for q in problems))


def derived_test_year(annual: pd.DataFrame, quarterly: pd.DataFrame) -> int:
    """The year to predict when no test_year is set: the year after the last full-year count
    when some of its quarters are already counted, else the last full-year count itself."""
    counted = annual.dropna(subset=["arrivals_count"])
    last = int(counted["year"].max())
    started = quarterly.dropna(subset=["arrivals_count"])["year"]
    return last + 1 if (started > last).any() else last


def phase_starts(p: ModelParams, end_year: int) -> dict[str, int]:
    """First year of each post-intervention phase fitted in a window ending in end_year; a
    phase that starts after the window is left out (it would have no data)."""
    starts = {"closure": p.intervention_year}
    if p.reopening_year and p.intervention_year < p.reopening_year <= end_year:
        starts["reopening"] = p.reopening_year
    return starts


def phase_of(years: np.ndarray, starts: dict[str, int]) -> np.ndarray:
    """The phase each year belongs to: `pre`, or the last phase started by then."""
    out = np.full(len(years), "pre", dtype=object)
    for name, start in sorted(starts.items(), key=lambda kv: kv[1]):
        out[np.asarray(years) >= start] = name
    return out


def design(years: np.ndarray, pre_start_year: int, starts: dict[str, int]) -> pd.DataFrame:
    """Columns: const, trend (years since pre_start_year) and one level per phase
    (`closure_level`, `reopening_level`: 1 in the phase's years)."""
    years = np.asarray(years)
    phase = phase_of(years, starts)
    X = pd.DataFrame({"const": 1.0, "trend": (years - pre_start_year).astype(float)}, index=years)
    for name in starts:
        X[f"{name}_level"] = (phase == name).astype(float)
    return X


def counterfactual_design(X: pd.DataFrame) -> pd.DataFrame:
    """The same rows with every phase switched off: the pre-closure trend carried on."""
    out = X.copy()
    out[[c for c in X.columns if c.endswith("_level")]] = 0.0
    return out


def dispersion_test(y: np.ndarray, X: pd.DataFrame) -> tuple[dict[str, float], Any]:
    """Pearson chi-square of the Poisson fit against its residual degrees of freedom."""
    from statsmodels.genmod import families
    from statsmodels.genmod.generalized_linear_model import GLM

    fit = GLM(y, X, family=families.Poisson()).fit()
    chi2 = float(fit.pearson_chi2)
    df = float(fit.df_resid)
    test = {
        "pearson_chi2": chi2,
        "df_resid": df,
        "dispersion": chi2 / df,
        "p_value": float(stats.chi2.sf(chi2, df)),
    }
    return test, fit


@dataclasses.dataclass
class ItsFit:
    params: ModelParams
    family_used: str
    family_reason: str
    data: pd.DataFrame  # year, arrivals_count for the fitted window
    X: pd.DataFrame
    starts: dict[str, int]  # first year of each phase fitted
    beta: pd.Series
    cov: pd.DataFrame
    scale: float
    alpha: float | None
    dispersion: dict[str, float]
    llf: float  # Poisson log-likelihood (negative binomial for negbin)
    aic: float
    # residual df the estimated dispersion rests on: intervals use t with these df and the
    # simulations draw the dispersion from its sampling distribution; None: scale known
    reference_df: float | None

    def mean(self, X: pd.DataFrame) -> np.ndarray:
        return np.exp(X.to_numpy() @ self.beta.to_numpy())

    def variance(self, mu: np.ndarray) -> np.ndarray:
        if self.family_used == "negbin":
            return mu + self.alpha * mu**2
        return self.scale * mu


def window(annual: pd.DataFrame, p: ModelParams) -> pd.DataFrame:
    """Years with a value from pre_start_year to end_year, after checking the parameters."""
    obs = annual.dropna(subset=["arrivals_count"])
    check_params(p, obs["year"], with_test=False)
    end = p.end_year if p.end_year is not None else int(obs["year"].max())
    keep = (obs["year"] >= p.pre_start_year) & (obs["year"] <= end)
    return obs.loc[keep, ["year", "arrivals_count"]].reset_index(drop=True)


def fit_its(annual: pd.DataFrame, p: ModelParams) -> ItsFit:
    """The phase model: the pre-closure log-linear trend and a level for each phase after it,
        log E[y_t] = b0 + b1 (t - pre_start_year) + sum_k g_k [t in phase k]
    so exp(g_k) is the ratio of arrivals in phase k to the trend carried on."""
    data = window(annual, p)
    years = data["year"].to_numpy(dtype=int)
    y = data["arrivals_count"].to_numpy(dtype=float)
    starts = phase_starts(p, int(years.max()))
    X = design(years, p.pre_start_year, starts)
    disp, pois = dispersion_test(y, X)
    family = p.family
    alpha = None
    if family == "auto":
        over = disp["p_value"] < 0.05
        family = "quasipoisson" if over else "poisson"
        reason = f"Pearson dispersion {disp['dispersion']:.1f} (p = {disp['p_value']:.2g}): " + (
            f"overdispersed, so quasi-Poisson with the Pearson scale, its uncertainty carried "
            f"(t intervals on {disp['df_resid']:.0f} residual df)"
            if over
            else "no evidence of overdispersion, so Poisson"
        )
    else:
        reason = "chosen by parameter"
    reference_df = None
    if family == "negbin":
        from statsmodels.discrete.discrete_model import NegativeBinomial

        nb = NegativeBinomial(y, X).fit(disp=0, maxiter=500)
        beta = nb.params.iloc[:-1]
        cov = nb.cov_params().iloc[:-1, :-1]
        alpha = float(nb.params.iloc[-1])
        scale, llf, aic = 1.0, float(nb.llf), float(nb.aic)
    elif family == "quasipoisson":
        scale = disp["dispersion"]
        beta, cov = pois.params, pois.cov_params() * scale
        llf, aic = float(pois.llf), float(pois.aic)
        reference_df = disp["df_resid"]
    else:
        beta, cov, scale = pois.params, pois.cov_params(), 1.0
        llf, aic = float(pois.llf), float(pois.aic)
    return ItsFit(
        p, family, reason, data, X, starts, beta, cov, scale, alpha, disp, llf, aic, reference_df
    )


def coef_table(
    model: str,
    beta: pd.Series,
    se: np.ndarray,
    level: float,
    ratio_kind: str,
    family: str,
    df: float | None = None,
) -> pd.DataFrame:
    """Coefficients on the link scale with Wald intervals, and as ratios (exp); t with `df`
    degrees of freedom when the scale was estimated, else normal."""
    q = 0.5 + level / 2
    z = stats.norm.ppf(q) if df is None else stats.t.ppf(q, df)
    b = beta.to_numpy()
    out = pd.DataFrame(
        {
            "model": model,
            "term": beta.index,
            "estimate": b,
            "std_error": se,
            "ci_low": b - z * se,
            "ci_high": b + z * se,
        }
    )
    for col in ("estimate", "ci_low", "ci_high"):
        out[f"ratio_{col}".replace("_estimate", "")] = np.exp(out[col])
    out["ratio_kind"] = ratio_kind
    out["family"] = family
    out["confidence_level"] = level
    return out


def coefficients(fit: ItsFit) -> pd.DataFrame:
    se = np.sqrt(np.diag(fit.cov))
    return coef_table(
        "its",
        fit.beta,
        se,
        fit.params.confidence_level,
        "rate ratio",
        fit.family_used,
        df=fit.reference_df,
    )


def _draw_counts(
    rng: np.random.Generator, mu: np.ndarray, fit: ItsFit, phi: np.ndarray
) -> np.ndarray:
    """Count noise around expected values mu (draws x years), matching the fitted variance
    function; phi holds one dispersion per draw (quasi-Poisson)."""
    if fit.family_used == "negbin":
        n = 1.0 / fit.alpha
        return rng.negative_binomial(n, n / (n + mu))
    if fit.family_used == "quasipoisson":
        # gamma-Poisson with variance phi * mu; Poisson where phi <= 1 (no underdispersed law)
        extra = np.maximum(phi - 1.0, 1e-9)[:, None]
        lam = np.where(phi[:, None] > 1, rng.gamma(mu / extra, extra), mu)
        return rng.poisson(lam)
    return rng.poisson(mu)


def simulate(
    fit: ItsFit, X: pd.DataFrame, draws: int = DRAWS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Draws of expected values and of counts for design rows X.

    With an estimated dispersion (quasi-Poisson), each draw first takes a dispersion from its
    sampling distribution, phi = phi_hat * df / chi2(df) (the Pearson chi-square is about
    phi * chi2(df)), then coefficients from N(beta_hat, cov * phi / phi_hat) and counts with
    variance phi * mu. The coefficients are then t-distributed with the residual df, as in the
    coefficient intervals, and the count noise is as uncertain as the dispersion. With the
    scale known (Poisson, or negbin with its alpha) phi is fixed. A fixed seed makes every
    build give the same intervals.
    """
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(np.zeros(len(fit.beta)), fit.cov.to_numpy(), size=draws)
    if fit.reference_df is not None:
        phi = fit.scale * fit.reference_df / rng.chisquare(fit.reference_df, size=draws)
        z *= np.sqrt(phi / fit.scale)[:, None]
    else:
        phi = np.full(draws, fit.scale)
    mu_draws = np.exp((fit.beta.to_numpy() + z) @ X.to_numpy().T)
    return mu_draws, _draw_counts(rng, mu_draws, fit, phi)


def _quantiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    return np.quantile(draws, 0.5 - level / 2, axis=0), np.quantile(draws, 0.5 + level / 2, axis=0)


def tested_horizon(p: ModelParams) -> int:
    """Years ahead the pre-period itself can check the trend: a back-test keeping at least
    min_pre_years to fit can hold out the last (pre-period years - min_pre_years) years.
    Beyond it the counterfactual is an extrapolation nothing in the data has tested."""
    return max(p.intervention_year - p.pre_start_year - p.min_pre_years, 1)


def counterfactual(fit: ItsFit, draws: int = DRAWS) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Per year: fitted values, residuals, the pre-closure trend carried on (with mean and
    prediction intervals), observed / counterfactual (interval from the counterfactual mean)
    and the missing arrivals (counterfactual - observed, with a prediction interval); the
    missing arrivals summed over the post years, over each phase and within the tested
    horizon, each with an interval from the same joint draws."""
    p = fit.params
    level = p.confidence_level
    years = fit.data["year"].to_numpy(dtype=int)
    X_cf = counterfactual_design(fit.X)
    mu_fit, mu_cf = fit.mean(fit.X), fit.mean(X_cf)
    mu_cf_draws, counts_cf = simulate(fit, X_cf, draws)
    observed = fit.data["arrivals_count"].to_numpy(dtype=float)
    mean_low, mean_high = _quantiles(mu_cf_draws, level)
    pred_low, pred_high = _quantiles(counts_cf, level)
    post = years >= p.intervention_year
    missing_draws = counts_cf - observed
    miss_low, miss_high = _quantiles(missing_draws, level)
    horizon = years - (p.intervention_year - 1)
    tested = tested_horizon(p)
    table = pd.DataFrame(
        {
            "year": years,
            "arrivals_count": fit.data["arrivals_count"].to_numpy(),
            "is_post_intervention": post,
            "phase": phase_of(years, fit.starts),
            "fitted_count": mu_fit,
            "pearson_residual": (observed - mu_fit) / np.sqrt(fit.variance(mu_fit)),
            "counterfactual_count": mu_cf,
            "counterfactual_mean_low": mean_low,
            "counterfactual_mean_high": mean_high,
            "counterfactual_pred_low": pred_low,
            "counterfactual_pred_high": pred_high,
            "horizon_years": np.where(post, horizon, 0),
            "is_beyond_tested_horizon": post & (horizon > tested),
            "observed_ratio": np.where(post, observed / mu_cf, np.nan),
            "observed_ratio_low": np.where(post, observed / mean_high, np.nan),
            "observed_ratio_high": np.where(post, observed / mean_low, np.nan),
            "missing_count": np.where(post, mu_cf - observed, np.nan),
            "missing_low": np.where(post, miss_low, np.nan),
            "missing_high": np.where(post, miss_high, np.nan),
        }
    )

    def total(mask: np.ndarray) -> dict[str, Any]:
        low, high = _quantiles(missing_draws[:, mask].sum(axis=1), level)
        return {
            "value": float((mu_cf[mask] - observed[mask]).sum()),
            "low": float(low),
            "high": float(high),
            "years": [int(y) for y in years[mask]],
        }

    summary = {
        "post": total(post),
        "phases": {name: total(table["phase"].to_numpy() == name) for name in fit.starts},
        "within_horizon": total(post & (horizon <= tested)),
        "tested_horizon": tested,
        "max_horizon": int(horizon[post].max()),
    }
    return table, summary


def break_scan(annual: pd.DataFrame, p: ModelParams, family: str) -> pd.DataFrame:
    """The phase model for every candidate first closure year in one window (scan_start_year
    to the end, the reopening year held fixed): its deviance (-2 log-likelihood), and the
    closure-phase rate ratio for that year.

    `delta_deviance_scaled` divides the gap to the best year by the best fit's dispersion,
    the quasi-likelihood analogue of a likelihood-ratio statistic. The break year is chosen by
    the data here, so these are profiles, not tests with their nominal size.
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


def forecast_years(reported: pd.DataFrame) -> list[int]:
    """Years for which a forecast, estimate or bound of the annual total was published."""
    said = reported[
        (reported["period"] == "year")
        & (reported["measure"] == "total")
        & (reported["basis"] != "count")
    ]
    return sorted(int(y) for y in said["year"].unique())


def prediction_test(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    years: list[int],
) -> pd.DataFrame:
    """For each year in `years`: what the model fitted to the years before it predicts, beside
    what was said about that year (forecasts and bounds), the quarters counted so far, and the
    official annual count once the data hold one."""
    return pd.concat(
        [_prediction_year(annual, quarterly, reported, p, family, y) for y in years],
        ignore_index=True,
    )


def _prediction_year(
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    reported: pd.DataFrame,
    p: ModelParams,
    family: str,
    ty: int,
) -> pd.DataFrame:
    level = p.confidence_level
    rows = []
    q = dataclasses.replace(p, end_year=ty - 1, family=family, test_year=None)
    try:
        fit = fit_its(annual, q)
    except InputError as exc:
        # a derived or scored year the data cannot yet support: say so, do not fail
        fit, why = None, str(exc).splitlines()[0].removeprefix("error: model parameter ")
    if fit is not None:
        X = design(np.array([ty]), q.pre_start_year, fit.starts)
        _, counts = simulate(fit, X)
        low, high = _quantiles(counts, level)
        rows.append(
            {
                "what": "model prediction",
                "value": float(fit.mean(X)[0]),
                "low": float(low[0]),
                "high": float(high[0]),
                "qualifier": "estimate",
                "source_id": "",
                "note": f"{fit.family_used} model fitted to {q.pre_start_year}-{ty - 1}, "
                f"{level:.0%} prediction interval",
            }
        )
    else:
        rows.append(
            {
                "what": "model prediction",
                "value": np.nan,
                "low": np.nan,
                "high": np.nan,
                "qualifier": "",
                "source_id": "",
                "note": f"not computed: {why}",
            }
        )
    said = reported[
        (reported["year"] == ty)
        & (reported["period"] == "year")
        & (reported["measure"] == "total")
        & (reported["basis"] != "count")
    ]
    for r in said.itertuples():
        bound = {"at_most": (0.0, r.value), "at_least": (r.value, np.inf)}
        low, high = bound.get(r.qualifier, (np.nan, np.nan))
        rows.append(
            {
                "what": r.basis,
                "value": float(r.value),
                "low": low,
                "high": high,
                "qualifier": r.qualifier,
                "source_id": r.source_id,
                "note": r.note,
            }
        )
    qs = quarterly[(quarterly["year"] == ty)].dropna(subset=["arrivals_count"])
    if len(qs):
        rows.append(
            {
                "what": "quarters counted",
                "value": float(qs["arrivals_count"].sum()),
                "low": np.nan,
                "high": np.nan,
                "qualifier": "at_least" if len(qs) < 4 else "exact",
                "source_id": ";".join(dict.fromkeys(qs["source_id"])),
                "note": "sum of " + ", ".join(qs["period"]),
            }
        )
    official = annual[(annual["year"] == ty)].dropna(subset=["arrivals_count"])
    for r in official.itertuples():
        rows.append(
            {
                "what": "official count",
                "value": float(r.arrivals_count),
                "low": np.nan,
                "high": np.nan,
                "qualifier": "exact",
                "source_id": getattr(r, "source_id", ""),
                "note": "",
            }
        )
    out = pd.DataFrame(rows)
    out.insert(0, "year", ty)
    return out


def forecast_outcomes(test: pd.DataFrame) -> list[dict[str, Any]]:
    """Forecasts and bounds scored against the official count of their year (when counted)."""
    out = []
    for year, g in test.groupby("year"):
        count = g.loc[g["what"] == "official count", "value"]
        for f in g[g["what"].isin(["forecast", "estimate"])].itertuples():
            outcome = None if count.empty else float(count.iloc[0])
            low = 0.0 if pd.isna(f.low) else float(f.low)
            high = None if pd.isna(f.high) or np.isinf(f.high) else float(f.high)
            out.append(
                {
                    "year": int(year),
                    "what": f.what,
                    "value": float(f.value),
                    "qualifier": f.qualifier,
                    "source_id": f.source_id,
                    "official_count": outcome,
                    "held": None
                    if outcome is None or f.qualifier not in ("at_most", "at_least")
                    else bool(low <= outcome and (high is None or outcome <= high)),
                }
            )
    return out


def _entry(value: Any, definition: str, inputs: list[str], **extra: Any) -> dict[str, Any]:
    return {"value": value, **extra, "definition": definition, "inputs": inputs}


def _ratio_entry(
    row: pd.Series,
    level: float,
    inputs: list[str],
    definition: str,
    prefix: str = "ratio",
    **extra: Any,
) -> dict:
    """A headline estimate with its interval, from columns PREFIX, PREFIX_ci_low/_ci_high."""
    return _entry(
        float(row[prefix]),
        definition,
        inputs,
        low=float(row[f"{prefix}_ci_low"]),
        high=float(row[f"{prefix}_ci_high"]),
        level=level,
        **extra,
    )


def _span(fit: ItsFit, phase: str) -> str:
    years = fit.data["year"][phase_of(fit.data["year"].to_numpy(), fit.starts) == phase]
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}-{last}"


def _count_entry(annual: pd.DataFrame, year: int, what: str, inputs: list[str]) -> dict:
    row = annual.set_index("year").loc[year]
    value = None if pd.isna(row["arrivals_count"]) else int(row["arrivals_count"])
    source = None if pd.isna(row["source_id"]) else row["source_id"]
    return _entry(value, f"arrivals in {what}", inputs, year=year, source_id=source)


def run(
    p: ModelParams,
    annual: pd.DataFrame,
    quarterly: pd.DataFrame,
    sex: pd.DataFrame,
    reported: pd.DataFrame,
) -> dict[str, Any]:
    from analysis import descriptive

    fit = fit_its(annual, p)
    family = fit.family_used
    level = p.confidence_level
    coefs = coefficients(fit)
    fitted, missing = counterfactual(fit)
    t_note = (
        f" (t on {fit.reference_df:.0f} residual df: the dispersion is estimated)"
        if fit.reference_df is not None
        else ""
    )
    reference_year = p.intervention_year - 1
    changes = descriptive.changes(annual, reference_year, level)
    share = descriptive.female_share(sex, p.intervention_year, level)
    in_window = (share["year"] >= p.pre_start_year) & (share["year"] <= fit.data["year"].max())
    share_coefs, share_summary = descriptive.female_share_glm(share[in_window], level)
    season = descriptive.seasonality(quarterly, p.intervention_year)
    scan = break_scan(annual, p, family)
    sens = sensitivity(annual, p, family)
    test_year = p.test_year or derived_test_year(annual, quarterly)
    scored = sorted({test_year, *forecast_years(reported)})
    test = prediction_test(annual, quarterly, reported, p, family, scored)

    src = {
        n: [str(paths.published(paths.processed(n)))]  # where a reader finds it
        for n in ("arrivals_annual", "arrivals_quarterly", "arrivals_sex", "arrivals_reported")
    }
    annual_in = src["arrivals_annual"]
    co = coefs.set_index("term")
    ch = changes.set_index("year")
    latest_year = int(ch.index.max())
    latest = ch.loc[latest_year]
    peak_year = int(ch["arrivals_count"].idxmax())
    scan_at = scan.set_index("break_year")
    best = scan.loc[scan["is_best"]].iloc[0]
    test_at = test[test["year"] == test_year].set_index("what")
    prediction = test_at.loc["model prediction"]

    def scan_entry(year: int) -> dict:
        if year not in scan_at.index:
            return _entry(None, f"break year {year} is outside the scanned range", annual_in)
        r = scan_at.loc[year]
        return _entry(
            float(r["delta_deviance_scaled"]),
            f"scaled deviance of a break in {year} above the best break year",
            annual_in,
            year=year,
        )

    headline = {
        "parameters": dataclasses.asdict(p),
        "test_year": _entry(
            test_year,
            "year the model predicts from the years before it"
            + (
                " (set by parameter)"
                if p.test_year
                else " (derived: the year after the last full-year count when some of its "
                "quarters are counted, else the last full-year count)"
            ),
            annual_in,
            is_derived=not p.test_year,
        ),
        "family": {
            "value": family,
            "definition": "count model family used",
            "reason": fit.family_reason,
        },
        "dispersion": _entry(
            fit.dispersion["dispersion"],
            "Pearson chi-square / residual df of the Poisson fit",
            annual_in,
            p_value=fit.dispersion["p_value"],
        ),
        "reference_arrivals": _count_entry(
            annual, reference_year, "the last pre-closure year", annual_in
        ),
        "intervention_arrivals": _count_entry(
            annual, p.intervention_year, "the intervention year", annual_in
        ),
        "latest_year": _entry(
            latest_year, "last year with a selected annual arrivals count", annual_in
        ),
        "latest_arrivals_count": _count_entry(annual, latest_year, "the latest year", annual_in),
        "peak": _entry(
            int(ch.loc[peak_year, "arrivals_count"]),
            "highest annual arrivals in the series",
            annual_in,
            year=peak_year,
        ),
        "latest_lowest_since": _entry(
            None if pd.isna(latest["lowest_since_year"]) else int(latest["lowest_since_year"]),
            "the last earlier year with as few arrivals as the latest year (null: the latest "
            "year is the lowest in the series)",
            annual_in,
            is_series_low=bool(latest["is_series_low"]),
            series_start_year=int(ch.index.min()),
        ),
        "change_since_reference_pct": _entry(
            float(latest["change_since_reference_pct"]),
            f"change in arrivals from {reference_year} to the latest year, per cent",
            annual_in,
            reference_year=reference_year,
        ),
        "rate_ratio_since_reference": _ratio_entry(
            latest,
            level,
            annual_in,
            f"arrivals in the latest year / arrivals in {reference_year}, with an exact "
            "conditional (Clopper-Pearson) interval",
            prefix="rate_ratio_reference",
        ),
        "rate_ratio_latest_on_previous": _ratio_entry(
            latest,
            level,
            annual_in,
            "arrivals in the latest year / arrivals in the year before, exact interval",
            prefix="rate_ratio_previous",
        ),
        "step_rate_ratio": _ratio_entry(
            co.loc["closure_level"],
            level,
            annual_in,
            f"arrivals in the closure phase ({_span(fit, 'closure')}) relative to the "
            "pre-closure trend carried on (exp of the closure level), with its confidence "
            "interval" + t_note,
            years=missing["phases"]["closure"]["years"],
        ),
        "missing_arrivals": _entry(
            missing["post"]["value"],
            "counterfactual minus observed arrivals, summed over the years from the "
            "intervention on, with a simulated prediction interval (parameter, dispersion and "
            "count uncertainty)",
            annual_in,
            low=missing["post"]["low"],
            high=missing["post"]["high"],
            level=level,
            years=missing["post"]["years"],
        ),
        "missing_arrivals_within_horizon": _entry(
            missing["within_horizon"]["value"],
            "the same, over the post years no further than the tested horizon from the last "
            "pre-closure year",
            annual_in,
            low=missing["within_horizon"]["low"],
            high=missing["within_horizon"]["high"],
            level=level,
            years=missing["within_horizon"]["years"],
        ),
        "counterfactual_horizon": _entry(
            missing["max_horizon"],
            f"years the pre-closure trend is carried beyond {reference_year}, the last "
            "pre-closure year",
            annual_in,
            tested_horizon=missing["tested_horizon"],
            tested_definition="years ahead the pre-period can back-test the trend (its "
            f"{p.intervention_year - p.pre_start_year} years less the {p.min_pre_years} a fit "
            "needs); later years are untested extrapolation",
            years_beyond=[int(y) for y in fitted.loc[fitted["is_beyond_tested_horizon"], "year"]],
        ),
        "phases": _entry(
            {
                name: {
                    "first_year": start,
                    "last_year": missing["phases"][name]["years"][-1],
                    "rate_ratio": float(co.loc[f"{name}_level", "ratio"]),
                    "low": float(co.loc[f"{name}_level", "ratio_ci_low"]),
                    "high": float(co.loc[f"{name}_level", "ratio_ci_high"]),
                    "missing": missing["phases"][name]["value"],
                    "missing_low": missing["phases"][name]["low"],
                    "missing_high": missing["phases"][name]["high"],
                }
                for name, start in fit.starts.items()
            },
            "each phase after the pre-closure years: its years, arrivals relative to the trend "
            "carried on (rate ratio with its confidence interval) and the arrivals missing in "
            "it (with a prediction interval)",
            annual_in,
            level=level,
        ),
        "missing_arrivals_range": _entry(
            missing["post"]["value"],
            "the main estimate of the missing arrivals and the lowest and highest over the "
            "defensible specifications (pre-period start, family, each pre-closure year left "
            "out), leaving out variants whose dispersion marks them misspecified",
            annual_in + ["model_sensitivity.csv"],
            **spec_range(sens, "missing_count"),
        ),
        "step_rate_ratio_range": _entry(
            float(co.loc["closure_level", "ratio"]),
            "the closure-phase rate ratio and its lowest and highest over the same specifications",
            annual_in + ["model_sensitivity.csv"],
            **spec_range(sens, "step_rate_ratio"),
        ),
        "best_break_year": _entry(
            int(best["break_year"]),
            f"break year with the lowest deviance, scanning {int(scan['break_year'].min())}-"
            f"{int(scan['break_year'].max())} in a window from {p.scan_start_year}",
            annual_in,
        ),
        "break_intervention": scan_entry(p.intervention_year),
        "break_pre_start": scan_entry(p.pre_start_year),
        "female_share_pre_pct": _entry(
            share_summary["share_pre_pct"],
            "female share of arrivals with a known sex, pooled over the model window's years "
            "before the intervention that have a sex split",
            src["arrivals_sex"],
            years=share_summary["years_pre"],
        ),
        "female_share_post_pct": _entry(
            share_summary["share_post_pct"],
            "the same, pooled over the years from the intervention on",
            src["arrivals_sex"],
            years=share_summary["years_post"],
        ),
        "female_share_odds_ratio": _ratio_entry(
            share_coefs.set_index("term").loc["closure"],
            level,
            src["arrivals_sex"],
            f"odds of an arrival being female from the intervention on / before, model window, "
            f"{share_summary['family']} GLM (dispersion {share_summary['dispersion']:.1f})",
        ),
        "seasonality_p_value": _entry(
            season["p_value"],
            "chi-square test that the four quarters of each full pre-intervention year are "
            "equal up to Poisson noise",
            src["arrivals_quarterly"],
            years=season["years"],
            chi2=season["chi2"],
            df=season["df"],
        ),
        "test_year_prediction": _entry(
            None if pd.isna(prediction["value"]) else float(prediction["value"]),
            f"arrivals in {test_year} predicted by the model fitted to the years before it",
            annual_in,
            low=None if pd.isna(prediction["low"]) else float(prediction["low"]),
            high=None if pd.isna(prediction["high"]) else float(prediction["high"]),
            level=level,
            year=test_year,
            note=prediction["note"],
        ),
    }
    if "reopening" in fit.starts:
        headline["reopening_rate_ratio"] = _ratio_entry(
            co.loc["reopening_level"],
            level,
            annual_in,
            f"arrivals after the partial reopening ({_span(fit, 'reopening')}) relative to the "
            "pre-closure trend carried on (exp of the reopening level)" + t_note,
            years=missing["phases"]["reopening"]["years"],
        )
    headline["forecast_outcomes"] = _entry(
        forecast_outcomes(test),
        "each published forecast or bound of a year's arrivals beside the official count, once "
        "there is one: whether the count fell within what was said",
        src["arrivals_reported"] + annual_in,
    )
    if "forecast" in test_at.index:
        f = test_at.loc[["forecast"]].iloc[0]
        headline["test_year_forecast"] = _entry(
            float(f["value"]),
            f"forecast for {test_year} as reported ({f['qualifier']})",
            src["arrivals_reported"],
            qualifier=f["qualifier"],
            source_id=f["source_id"],
        )
    if "quarters counted" in test_at.index:
        r = test_at.loc["quarters counted"]
        headline["test_year_quarters"] = _entry(
            float(r["value"]),
            f"arrivals counted in the quarters of {test_year} published so far",
            src["arrivals_quarterly"],
            note=r["note"],
            source_id=r["source_id"],
        )
    return {
        "model_coefficients": pd.concat([coefs, share_coefs], ignore_index=True),
        "model_fitted": fitted,
        "model_changes": changes,
        "model_female_share": share,
        "model_break_scan": scan,
        "model_sensitivity": sens,
        "model_prediction_test": test,
        "headline": headline,
    }


def write(results: dict[str, Any], out_dir: Path) -> None:
    for name, value in results.items():
        if name == "headline":
            write_json(_rounded(value), out_dir / "headline.json")
        else:
            write_csv(value.round(6), out_dir / f"{name}.csv")


def _rounded(obj: Any) -> Any:
    """Round floats so the JSON does not change with the last bits of a BLAS."""
    if isinstance(obj, float):
        return round(obj, 6)
    if isinstance(obj, dict):
        return {k: _rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_rounded(v) for v in obj]
    return obj


def inputs() -> dict[str, pd.DataFrame]:
    """The processed tables the models read."""
    counts = {c: "Int64" for c in ("arrivals_count", "male_count", "female_count")}
    return {
        name: pd.read_csv(paths.processed(table), dtype=counts)
        for name, table in (
            ("annual", "arrivals_annual"),
            ("quarterly", "arrivals_quarterly"),
            ("sex", "arrivals_sex"),
            ("reported", "arrivals_reported"),
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED)
    args = parser.parse_args()
    write(run(ModelParams(), **inputs()), args.out)


if __name__ == "__main__":
    run_step(main)
