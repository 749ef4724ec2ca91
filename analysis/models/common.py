"""Helpers every model module shares: coefficient tables with Wald intervals, quantiles of
simulation draws, and the shape of a headline entry."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from analysis import paths

# level of the Pearson chi-square test that calls overdispersion evident (family "auto" too)
OVERDISPERSION_ALPHA = 0.05


@dataclasses.dataclass
class Part:
    """What one question contributes: tables to write (a name given by two parts is written
    once, the rows concatenated in order) and headline entries."""

    tables: dict[str, pd.DataFrame]
    entries: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Noise:
    """How noisy a yearly count is beyond Poisson, from the trend model's Poisson fit: the
    Pearson dispersion (variance = dispersion x mean), the residual df it rests on, and whether
    overdispersion is evident (the Pearson chi-square test at OVERDISPERSION_ALPHA, the rule
    family "auto" uses). Under that variance a sum of independent counts has the same
    dispersion, so it applies to quarters as to years."""

    dispersion: float
    df: float
    p_value: float

    @property
    def evident(self) -> bool:
        return self.p_value < OVERDISPERSION_ALPHA and self.dispersion > 1

    @property
    def scale(self) -> float:
        """The variance multiplier the adjusted results use (never below Poisson's 1)."""
        return max(self.dispersion, 1.0)

    def describe(self) -> str:
        return f"dispersion {self.dispersion:.1f} on {self.df:.0f} residual df"


def inputs_read() -> dict[str, list[str]]:
    """Where a reader finds each input table (the published path), for the entries' `inputs`."""
    return {
        n: [str(paths.published(paths.processed(n)))]
        for n in ("arrivals_annual", "arrivals_quarterly", "arrivals_sex", "arrivals_reported")
    }


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
    # a phase of zeros (the future test's scenario) has no upper bound: inf is its honest end
    with np.errstate(over="ignore"):
        for col in ("estimate", "ci_low", "ci_high"):
            out[f"ratio_{col}".replace("_estimate", "")] = np.exp(out[col])
    out["ratio_kind"] = ratio_kind
    out["family"] = family
    out["confidence_level"] = level
    return out


def quantiles(draws: np.ndarray, level: float) -> tuple[np.ndarray, np.ndarray]:
    return np.quantile(draws, 0.5 - level / 2, axis=0), np.quantile(draws, 0.5 + level / 2, axis=0)


def entry(value: Any, definition: str, inputs: list[str], **extra: Any) -> dict[str, Any]:
    return {"value": value, **extra, "definition": definition, "inputs": inputs}


def ratio_entry(
    row: pd.Series,
    level: float,
    inputs: list[str],
    definition: str,
    prefix: str = "ratio",
    **extra: Any,
) -> dict:
    """A headline estimate with its interval, from columns PREFIX, PREFIX_ci_low/_ci_high."""
    return entry(
        float(row[prefix]),
        definition,
        inputs,
        low=float(row[f"{prefix}_ci_low"]),
        high=float(row[f"{prefix}_ci_high"]),
        level=level,
        **extra,
    )
