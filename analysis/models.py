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

    intervention_year: int = 2020
    pre_start_year: int = 2012
    end_year: int | None = None  # None: the last year with a selected value
    family: str = "auto"
    confidence_level: float = 0.95
    min_pre_years: int = 5


def check_params(p: ModelParams, years: pd.Series) -> None:
    """Refuse impossible settings before any fitting, naming the parameter."""
    first, last = int(years.min()), int(years.max())
    problems = []
    if p.family not in FAMILIES:
        problems.append(f'family: "{p.family}" is not one of {", ".join(FAMILIES)}')
    if not 0.5 <= p.confidence_level < 1:
        problems.append(f"confidence_level: {p.confidence_level} must be in [0.5, 1)")
    end = p.end_year if p.end_year is not None else last
    if not first <= p.pre_start_year <= last:
        problems.append(f"pre_start_year: {p.pre_start_year} is outside the data ({first}-{last})")
    if not p.pre_start_year < p.intervention_year <= end:
        problems.append(
            f"intervention_year: {p.intervention_year} must be after pre_start_year "
            f"({p.pre_start_year}) and no later than the last year ({end})"
        )
    elif p.intervention_year - p.pre_start_year < p.min_pre_years:
        problems.append(
            f"pre_start_year: {p.pre_start_year} leaves "
            f"{p.intervention_year - p.pre_start_year} pre-intervention years; "
            f"at least {p.min_pre_years} are needed"
        )
    if end > last:
        problems.append(f"end_year: {end} is after the last year with data ({last})")
    if problems:
        raise InputError("\n".join("error: model parameter " + m for m in problems))


def design(years: np.ndarray, intervention_year: int, pre_start_year: int) -> pd.DataFrame:
    t = years - pre_start_year
    step = (years >= intervention_year).astype(float)
    return pd.DataFrame(
        {
            "const": 1.0,
            "trend": t,
            "step": step,
            "slope_change": (years - intervention_year) * step,
        },
        index=years,
    )


def _family(name: str):
    from statsmodels.genmod import families

    return families.NegativeBinomial(alpha=1.0) if name == "negbin" else families.Poisson()


def dispersion_test(y: np.ndarray, X: pd.DataFrame) -> dict[str, float]:
    """Pearson chi-square of the Poisson fit against its residual degrees of freedom."""
    from statsmodels.genmod.generalized_linear_model import GLM

    fit = GLM(y, X, family=_family("poisson")).fit()
    chi2 = float(fit.pearson_chi2)
    df = float(fit.df_resid)
    return {
        "pearson_chi2": chi2,
        "df_resid": df,
        "dispersion": chi2 / df,
        "p_value": float(stats.chi2.sf(chi2, df)),
    }


@dataclasses.dataclass
class ItsFit:
    params: ModelParams
    family_used: str
    family_reason: str
    data: pd.DataFrame  # year, arrivals_count for the fitted window
    X: pd.DataFrame
    beta: pd.Series
    cov: pd.DataFrame
    scale: float
    alpha: float | None
    dispersion: dict[str, float]
    llf: float
    aic: float


def fit_its(annual: pd.DataFrame, p: ModelParams) -> ItsFit:
    from statsmodels.genmod.generalized_linear_model import GLM

    obs = annual.dropna(subset=["arrivals_count"])
    check_params(p, obs["year"])
    end = p.end_year if p.end_year is not None else int(obs["year"].max())
    data = obs[(obs["year"] >= p.pre_start_year) & (obs["year"] <= end)][["year", "arrivals_count"]]
    years = data["year"].to_numpy(dtype=int)
    y = data["arrivals_count"].to_numpy(dtype=float)
    X = design(years, p.intervention_year, p.pre_start_year)
    disp = dispersion_test(y, X)
    family = p.family
    alpha = None
    if family == "auto":
        over = disp["p_value"] < 0.05
        family = "quasipoisson" if over else "poisson"
        reason = f"Pearson dispersion {disp['dispersion']:.1f} (p = {disp['p_value']:.2g}): " + (
            "overdispersed, so quasi-Poisson with the Pearson scale"
            if over
            else "no evidence of overdispersion, so Poisson"
        )
    else:
        reason = "chosen by parameter"
    if family == "negbin":
        from statsmodels.discrete.discrete_model import NegativeBinomial

        nb = NegativeBinomial(y, X).fit(disp=0, maxiter=500)
        beta = nb.params.iloc[:-1]
        cov = nb.cov_params().iloc[:-1, :-1]
        alpha = float(nb.params.iloc[-1])
        scale, llf, aic = 1.0, float(nb.llf), float(nb.aic)
    else:
        fit = GLM(y, X, family=_family("poisson")).fit(
            scale="X2" if family == "quasipoisson" else None
        )
        beta, cov, scale = fit.params, fit.cov_params(), float(fit.scale)
        pois = GLM(y, X, family=_family("poisson")).fit()
        llf, aic = float(pois.llf), float(pois.aic)
    return ItsFit(p, family, reason, data, X, beta, cov, scale, alpha, disp, llf, aic)


def coefficients(fit: ItsFit) -> pd.DataFrame:
    z = stats.norm.ppf(0.5 + fit.params.confidence_level / 2)
    se = np.sqrt(np.diag(fit.cov))
    out = pd.DataFrame(
        {
            "term": fit.beta.index,
            "estimate": fit.beta.to_numpy(),
            "std_error": se,
            "ci_low": fit.beta.to_numpy() - z * se,
            "ci_high": fit.beta.to_numpy() + z * se,
        }
    )
    for col in ("estimate", "ci_low", "ci_high"):
        out[f"rate_ratio_{col}".replace("_estimate", "")] = np.exp(out[col])
    out["family"] = fit.family_used
    out["confidence_level"] = fit.params.confidence_level
    return out


def _draw_counts(rng: np.random.Generator, mu: np.ndarray, fit: ItsFit) -> np.ndarray:
    """Count noise around expected values mu, matching the fitted variance function."""
    if fit.family_used == "negbin":
        n = 1.0 / fit.alpha
        return rng.negative_binomial(n, n / (n + mu))
    if fit.family_used == "quasipoisson" and fit.scale > 1:
        # Gamma-Poisson with variance scale * mu
        n = mu / (fit.scale - 1.0)
        return rng.negative_binomial(n, 1.0 / fit.scale)
    return rng.poisson(mu)


def counterfactual(fit: ItsFit, annual: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Fitted values, and arrivals expected without the intervention, with prediction intervals.

    Intervals combine parameter uncertainty (coefficients drawn from their estimated normal
    distribution) with count noise, by simulation with a fixed seed.
    """
    p = fit.params
    lo_q, hi_q = 0.5 - p.confidence_level / 2, 0.5 + p.confidence_level / 2
    rng = np.random.default_rng(SEED)
    years = fit.data["year"].to_numpy(dtype=int)
    X = fit.X
    X_cf = X.copy()
    X_cf[["step", "slope_change"]] = 0.0
    betas = rng.multivariate_normal(fit.beta.to_numpy(), fit.cov.to_numpy(), size=DRAWS)
    mu_fit = np.exp(X.to_numpy() @ fit.beta.to_numpy())
    mu_cf = np.exp(X_cf.to_numpy() @ fit.beta.to_numpy())
    mu_cf_draws = np.exp(betas @ X_cf.to_numpy().T)
    counts_cf = _draw_counts(rng, mu_cf_draws, fit)
    observed = fit.data["arrivals_count"].to_numpy(dtype=float)
    table = pd.DataFrame(
        {
            "year": years,
            "arrivals_count": fit.data["arrivals_count"].to_numpy(),
            "is_post_intervention": years >= p.intervention_year,
            "fitted_count": mu_fit,
            "counterfactual_count": mu_cf,
            "counterfactual_mean_low": np.quantile(mu_cf_draws, lo_q, axis=0),
            "counterfactual_mean_high": np.quantile(mu_cf_draws, hi_q, axis=0),
            "counterfactual_pred_low": np.quantile(counts_cf, lo_q, axis=0),
            "counterfactual_pred_high": np.quantile(counts_cf, hi_q, axis=0),
        }
    )
    post = years >= p.intervention_year
    table["missing_count"] = np.where(post, mu_cf - observed, np.nan)
    missing_draws = (counts_cf[:, post] - observed[post]).sum(axis=1)
    summary = {
        "missing_total": float((mu_cf[post] - observed[post]).sum()),
        "missing_total_low": float(np.quantile(missing_draws, lo_q)),
        "missing_total_high": float(np.quantile(missing_draws, hi_q)),
        "post_years": [int(y) for y in years[post]],
    }
    return table, summary


def _ratio_entry(row: pd.Series, level: float, inputs: list[str], definition: str) -> dict:
    """A headline rate ratio with its interval, from a row of coefficients()."""
    return {
        "value": float(row["rate_ratio"]),
        "low": float(row["rate_ratio_ci_low"]),
        "high": float(row["rate_ratio_ci_high"]),
        "level": level,
        "definition": definition,
        "inputs": inputs,
    }


def run(annual: pd.DataFrame, p: ModelParams) -> dict[str, Any]:
    fit = fit_its(annual, p)
    coefs = coefficients(fit)
    fitted, missing = counterfactual(fit, annual)
    step = coefs.set_index("term").loc["step"]
    slope = coefs.set_index("term").loc["slope_change"]
    obs = annual.dropna(subset=["arrivals_count"])
    latest = obs.iloc[-1]
    inputs = [str(paths.processed("arrivals_annual"))]
    level = p.confidence_level
    headline = {
        "parameters": dataclasses.asdict(p),
        "family": {
            "value": fit.family_used,
            "definition": "count model family used",
            "reason": fit.family_reason,
        },
        "latest_year": {
            "value": int(latest["year"]),
            "definition": "last year with a selected annual arrivals count",
            "inputs": inputs,
        },
        "latest_arrivals_count": {
            "value": int(latest["arrivals_count"]),
            "definition": "arrivals in the latest year",
            "source_id": latest["source_id"],
            "inputs": inputs,
        },
        "step_rate_ratio": _ratio_entry(
            step,
            level,
            inputs,
            "arrivals in the intervention year relative to the pre-intervention trend "
            "(exp(b2)), with its confidence interval",
        ),
        "slope_change_ratio": _ratio_entry(
            slope,
            level,
            inputs,
            "change in the yearly growth factor after the intervention (exp(b3))",
        ),
        "missing_arrivals": {
            "value": missing["missing_total"],
            "low": missing["missing_total_low"],
            "high": missing["missing_total_high"],
            "level": level,
            "years": missing["post_years"],
            "definition": "counterfactual minus observed arrivals, summed over the years from "
            "the intervention on, with a simulated prediction interval",
            "inputs": inputs,
        },
        "dispersion": {
            "value": fit.dispersion["dispersion"],
            "p_value": fit.dispersion["p_value"],
            "definition": "Pearson chi-square / residual df of the Poisson fit",
            "inputs": inputs,
        },
    }
    return {"model_coefficients": coefs, "model_fitted": fitted, "headline": headline}


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=paths.PROCESSED)
    args = parser.parse_args()
    annual = pd.read_csv(paths.processed("arrivals_annual"), dtype={"arrivals_count": "Int64"})
    write(run(annual, ModelParams()), args.out)


if __name__ == "__main__":
    run_step(main)
