"""The closure and after: the pre-closure trend and a level for each phase after it.

The model is a count GLM on log arrivals,
    log E[y_t] = b0 + b1 (t - pre_start_year) + sum_k g_k [t in phase k],
so exp(g_k) is the ratio of arrivals in phase k (closure, partial reopening) to the trend
carried on. Family "auto" tests the Poisson fit for overdispersion (Pearson chi-square) and
uses quasi-Poisson (Pearson scale) when it is present; the dispersion's uncertainty is carried
into every interval (t on the residual df; phi drawn from its sampling distribution in the
simulations of the counterfactual).
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis.models.common import Noise, Part, coef_table, entry, quantiles, ratio_entry
from analysis.models.params import ModelParams, check_params
from analysis.wording import p_text

SEED = 20200101
DRAWS = 20000  # simulation draws; read at call time, so a test may lower it


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

    @property
    def noise(self) -> Noise:
        d = self.dispersion
        return Noise(d["dispersion"], d["df_resid"], d["p_value"])

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
        over = Noise(disp["dispersion"], disp["df_resid"], disp["p_value"]).evident
        family = "quasipoisson" if over else "poisson"
        reason = f"Pearson dispersion {disp['dispersion']:.1f} ({p_text(disp['p_value'])}): " + (
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


def contrast(fit: ItsFit, plus: str, minus: str) -> dict[str, float]:
    """exp(b_plus - b_minus) with its Wald interval (t on the residual df when the dispersion
    is estimated, as for the coefficients)."""
    c = (fit.beta.index == plus).astype(float) - (fit.beta.index == minus).astype(float)
    est = float(c @ fit.beta.to_numpy())
    se = float(np.sqrt(c @ fit.cov.to_numpy() @ c))
    q = 0.5 + fit.params.confidence_level / 2
    z = stats.norm.ppf(q) if fit.reference_df is None else stats.t.ppf(q, fit.reference_df)
    return {
        "ratio": np.exp(est),
        "ratio_ci_low": np.exp(est - z * se),
        "ratio_ci_high": np.exp(est + z * se),
    }


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
    fit: ItsFit, X: pd.DataFrame, draws: int | None = None, seed: int = SEED
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
    draws = draws or DRAWS
    rng = np.random.default_rng(seed)
    z = rng.multivariate_normal(np.zeros(len(fit.beta)), fit.cov.to_numpy(), size=draws)
    if fit.reference_df is not None:
        phi = fit.scale * fit.reference_df / rng.chisquare(fit.reference_df, size=draws)
        z *= np.sqrt(phi / fit.scale)[:, None]
    else:
        phi = np.full(draws, fit.scale)
    mu_draws = np.exp((fit.beta.to_numpy() + z) @ X.to_numpy().T)
    return mu_draws, _draw_counts(rng, mu_draws, fit, phi)


def tested_horizon(p: ModelParams) -> int:
    """Years ahead the pre-period itself can check the trend: a back-test keeping at least
    min_pre_years to fit can hold out the last (pre-period years - min_pre_years) years.
    Beyond it the counterfactual is an extrapolation nothing in the data has tested."""
    return max(p.intervention_year - p.pre_start_year - p.min_pre_years, 1)


def counterfactual(fit: ItsFit, draws: int | None = None) -> tuple[pd.DataFrame, dict[str, Any]]:
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
    mean_low, mean_high = quantiles(mu_cf_draws, level)
    pred_low, pred_high = quantiles(counts_cf, level)
    post = years >= p.intervention_year
    missing_draws = counts_cf - observed
    miss_low, miss_high = quantiles(missing_draws, level)
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
        low, high = quantiles(missing_draws[:, mask].sum(axis=1), level)
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


def _span(fit: ItsFit, phase: str) -> str:
    years = fit.data["year"][phase_of(fit.data["year"].to_numpy(), fit.starts) == phase]
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}\u2013{last}"  # en dash: a range


def results(fit: ItsFit, src: dict[str, list[str]]) -> Part:
    """The phase model's tables and headline entries: levels, shortfalls and the horizon."""
    p = fit.params
    level = p.confidence_level
    annual_in = src["arrivals_annual"]
    coefs = coefficients(fit)
    co = coefs.set_index("term")
    fitted, missing = counterfactual(fit)
    reference_year = p.intervention_year - 1
    t_note = (
        f" (t on {fit.reference_df:.0f} residual df: the dispersion is estimated)"
        if fit.reference_df is not None
        else ""
    )
    entries = {
        "family": {
            "value": fit.family_used,
            "definition": "count model family used",
            "reason": fit.family_reason,
        },
        "dispersion": entry(
            fit.dispersion["dispersion"],
            "Pearson chi-square / residual df of the Poisson fit",
            annual_in,
            p_value=fit.dispersion["p_value"],
            df=fit.dispersion["df_resid"],
            is_evident=fit.noise.evident,
        ),
        "pre_trend_ratio": ratio_entry(
            co.loc["trend"],
            level,
            annual_in,
            f"arrivals in a pre-closure year / arrivals the year before, on the "
            f"{p.pre_start_year}\u2013{reference_year} trend (exp of the trend)" + t_note,
        ),
        "step_rate_ratio": ratio_entry(
            co.loc["closure_level"],
            level,
            annual_in,
            f"arrivals in the closure phase ({_span(fit, 'closure')}) relative to the "
            "pre-closure trend carried on (exp of the closure level), with its confidence "
            "interval" + t_note,
            years=missing["phases"]["closure"]["years"],
        ),
        "missing_arrivals": entry(
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
        "missing_arrivals_within_horizon": entry(
            missing["within_horizon"]["value"],
            "the same, over the post years no further than the tested horizon from the last "
            "pre-closure year",
            annual_in,
            low=missing["within_horizon"]["low"],
            high=missing["within_horizon"]["high"],
            level=level,
            years=missing["within_horizon"]["years"],
        ),
        "counterfactual_horizon": entry(
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
        "phases": entry(
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
    }
    if "reopening" in fit.starts:
        entries["reopening_rate_ratio"] = ratio_entry(
            co.loc["reopening_level"],
            level,
            annual_in,
            f"arrivals after the partial reopening ({_span(fit, 'reopening')}) relative to the "
            "pre-closure trend carried on (exp of the reopening level)" + t_note,
            years=missing["phases"]["reopening"]["years"],
        )
        entries["reopening_on_closure_rate_ratio"] = ratio_entry(
            pd.Series(contrast(fit, "reopening_level", "closure_level")),
            level,
            annual_in,
            "arrivals after the partial reopening relative to the trend / the same in the "
            "closure phase (exp of the reopening level minus the closure level)" + t_note,
            years=[_span(fit, "closure"), _span(fit, "reopening")],
        )
    return Part({"model_coefficients": coefs, "model_fitted": fitted}, entries)
