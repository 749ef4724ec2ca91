"""Do the nominal 95% intervals of the phase model hold their level? (tests/unit and
tests/proof run this with 200 and 1,000 series.)

Series are simulated from a known overdispersed model with the real design: a log-linear trend
2012-2019, a closure level 2020-2022 and a reopening level 2023-2024, gamma-Poisson counts with
variance 5 * mean (the quasi-Poisson model is then correctly specified, and its dispersion rests
on 9 residual df, as on the real data). Each series is fitted as the pipeline fits the real one
(family auto) and we count how often the intervals cover the truth: the closure and reopening
rate ratios (known parameters), and the missing total (a fresh draw of the counterfactual counts
from the true trend, minus the observed post-closure counts: what the prediction interval
claims to cover).

The same series with the dispersion treated as known (normal intervals, phi fixed in the
simulation: the intervals before this change) are checked to under-cover, so the test can fail.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from analysis import models

YEARS = np.arange(2012, 2025)
TREND = 1500 * 0.95 ** (YEARS - 2012)
LEVELS = {"closure": 0.12, "reopening": 0.25}
PHI = 5.0
PARAMS = models.ModelParams(pre_start_year=2012, scan_start_year=2012)
STARTS = {"closure": 2020, "reopening": 2023}


def _gamma_poisson(rng: np.random.Generator, mu: np.ndarray, phi: float) -> np.ndarray:
    return rng.poisson(rng.gamma(mu / (phi - 1), phi - 1))


def coverage(
    runs: int, seed: int = 0, draws: int = 2000, ways: tuple[str, ...] = ("carried",)
) -> dict[str, dict[str, float]]:
    """Share of `runs` simulated series whose intervals cover the truth, per quantity, with
    the dispersion's uncertainty carried (`carried`) and with it treated as known (`known`)."""
    rng = np.random.default_rng(seed)
    phase = models.phase_of(YEARS, STARTS)
    mu = TREND * np.array([LEVELS.get(ph, 1.0) for ph in phase])
    post = phase != "pre"
    hits = {way: dict.fromkeys(("closure", "reopening", "missing_total"), 0) for way in ways}
    for _ in range(runs):
        y = _gamma_poisson(rng, mu, PHI)
        truth_missing = (_gamma_poisson(rng, TREND[post], PHI) - y[post]).sum()
        fitted = models.fit_its(pd.DataFrame({"year": YEARS, "arrivals_count": y}), PARAMS)
        for way in ways:
            fit = fitted if way == "carried" else dataclasses.replace(fitted, reference_df=None)
            co = models.coefficients(fit).set_index("term")
            for name, ratio in LEVELS.items():
                row = co.loc[f"{name}_level"]
                hits[way][name] += row["ratio_ci_low"] <= ratio <= row["ratio_ci_high"]
            _, total = models.counterfactual(fit, draws=draws)
            low, high = total["post"]["low"], total["post"]["high"]
            hits[way]["missing_total"] += low <= truth_missing <= high
    return {way: {k: v / runs for k, v in h.items()} for way, h in hits.items()}
