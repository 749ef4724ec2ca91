"""Model settings and their checks: every setting the data cannot support is refused before any
fitting, naming the parameter and a value that works."""

from __future__ import annotations

import dataclasses
from typing import Any

import pandas as pd

from analysis.io import InputError

FAMILIES = ("auto", "poisson", "quasipoisson", "negbin")


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
