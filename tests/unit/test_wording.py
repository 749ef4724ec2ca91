"""Each wording rule on both sides: a difference is called real only when its test supports it,
and otherwise the sentence says it cannot be told apart and still gives the numbers."""

from __future__ import annotations

import pytest

from analysis import wording as w
from analysis.wording import CANNOT


def ratio(value: float, low: float, high: float, **extra) -> dict:
    return {"value": value, "low": low, "high": high, "level": 0.95, **extra}


def change_entry(low: float, high: float, method: str = "adjusted") -> dict:
    return ratio(
        236 / 196,
        low,
        high,
        method=method,
        year=2024,
        count=236,
        base_year=2023,
        base_count=196,
        poisson_low=0.99,
        poisson_high=1.46,
    )


def sides(real: w.Claim, not_real: w.Claim) -> None:
    """The real side claims without hedging, the other hedges; each knows the other side's
    sentence (which the claims test makes sure is printed nowhere)."""
    assert real.is_real and CANNOT not in real.text and CANNOT in real.other
    assert not not_real.is_real and CANNOT in not_real.text and CANNOT not in not_real.other


def test_pre_trend() -> None:
    real = w.pre_trend(ratio(0.947, 0.908, 0.987))
    flat = w.pre_trend(ratio(0.97, 0.90, 1.04))
    sides(real, flat)
    assert "fell by 5.3% a year" in real.text and "1.3% to 9.2%" in real.text
    assert "-3.0%" in flat.text and "-10.0% to 4.0%" in flat.text


@pytest.mark.parametrize("low_high", [(0.07, 0.22), (1.2, 3.0)])
def test_phase_against_the_trend(low_high: tuple[float, float]) -> None:
    real = w.phase_vs_trend(ratio(0.5, *low_high, years=[2020, 2022]), "k", "during the closure")
    within = w.phase_vs_trend(ratio(0.8, 0.5, 1.3, years=[2020, 2022]), "k", "during the closure")
    sides(real, within)
    assert ("below the trend" in real.text) == (low_high[1] < 1)
    assert "0.800 (95% interval 0.500 to 1.300)" in within.text


def test_recovery_between_phases() -> None:
    years = ["2020-2022", "2023-2024"]
    sides(
        w.recovery(ratio(2.07, 1.03, 4.17, years=years)),
        w.recovery(ratio(2.07, 0.97, 4.4, years=years)),
    )
    assert "partial recovery" in w.recovery(ratio(2.07, 1.03, 4.17, years=years)).text


def test_change_between_years_uses_the_interval_it_is_given() -> None:
    rose = w.change(change_entry(1.05, 1.4), "k")
    noise = w.change(change_entry(0.47, 3.07), "k")
    sides(rose, noise)
    assert rose.text.startswith("Arrivals rose from 196 in 2023 to 236 in 2024")
    # the adjusted interval is quoted, the Poisson one beside it
    assert "0.47 to 3.07 allowing for overdispersion, 0.99 to 1.46 if the noise were Poisson" in (
        noise.text
    )
    # a zero count: no digits nobody can use
    zero = {**change_entry(0.0, 2.8e16), "value": 0.0, "count": 0, "poisson_low": 0.0}
    assert "rate ratio 0.00; 95% interval 0.00 to over 1,000" in w.change(zero, "k").text
    up = {**change_entry(0.01, 9e22), "value": float("inf"), "poisson_high": float("inf")}
    assert "rate ratio infinite" in w.change(up, "k").text
    none = w.change({**change_entry(0, 0), "value": None, "count": 0, "base_count": 0}, "k")
    assert not none.is_real and none.text == "Arrivals were 0 in 2023 and 0 in 2024."
    poisson = w.change(change_entry(0.99, 1.46, method="poisson"), "k")
    assert "exact 95% interval 0.99 to 1.46" in poisson.text and not poisson.is_real


def test_break_year() -> None:
    gaps = {"2019": 0.08, "2020": 0.0, "2021": 11.3}
    entry = {"best": 2020, "critical_value": 4.6, "level": 0.95, "gaps": gaps}
    placed = w.break_year({**entry, "value": [2020]})
    blurred = w.break_year({**entry, "value": [2019, 2020]})
    assert placed.is_real and placed.text.startswith("The data place the break in 2020")
    assert not blurred.is_real and CANNOT in blurred.text and "2019 fits 0.1 worse" in blurred.text
    head = {"break_year_set": {**entry, "value": [2019, 2020, 2021]}}
    assert w.break_scan_title(head) == f"A break in 2020 {CANNOT} from one in 2019 or 2021"
    head = {"break_year_set": {**entry, "value": [2020]}}
    assert w.break_scan_title(head) == "The data place the break in 2020"


def test_seasonal_pattern_follows_the_adjusted_p_value() -> None:
    entry = {"level": 0.95, "years": [2019], "method": "adjusted", "poisson_p_value": 5.5e-5}
    season = w.seasonal({**entry, "value": 0.01})
    equal = w.seasonal({**entry, "value": 0.75})
    sides(season, equal)
    assert "p = 0.75 allowing for overdispersion; p < 0.001 if the noise were Poisson" in (
        equal.text
    )
    none = w.seasonal({**entry, "value": None, "years": []})
    assert not none.is_real and "no test" in none.text and "nan" not in none.text


def test_share_change() -> None:
    pre = {"value": 79.0, "years": [2012, 2019]}
    post = {"value": 74.1, "years": [2020, 2024]}
    model = {"family": "quasibinomial", "dispersion": 17.8, "df": 11.0}
    sides(
        w.share_change(ratio(0.5, 0.3, 0.8, **model), pre, post),
        w.share_change(ratio(0.76, 0.35, 1.67, **model), pre, post),
    )
    assert (
        "17.8 on 11 residual df" in w.share_change(ratio(0.76, 0.35, 1.67, **model), pre, post).text
    )


def test_missing_total() -> None:
    entry = {"value": 3744.0, "level": 0.95, "years": [2020, 2024]}
    sides(
        w.missing({**entry, "low": 2431.0, "high": 5482.0}, "2012-2019"),
        w.missing({**entry, "low": -200.0, "high": 5482.0}, "2012-2019"),
    )


def test_forecast_against_its_count() -> None:
    score = {
        "year": 2022,
        "what": "model prediction",
        "value": 17.0,
        "low": 1.0,
        "high": 62.0,
        "confidence_level": 0.95,
        "official_count": 67.0,
        "tail": "high",
        "tail_probability": 0.01,
    }
    missed = w.forecast({**score, "is_inside": False})
    inside = w.forecast({**score, "high": 80.0, "is_inside": True})
    assert missed.is_real and "the prediction missed" in missed.text
    assert not inside.is_real and CANNOT in inside.text and "this high or higher" in inside.text
    bound = {**score, "what": "forecast", "qualifier": "at_most", "value": 50.0}
    held = w.forecast({**bound, "is_inside": True, "model_probability": 0.3})
    broke = w.forecast({**bound, "is_inside": False, "model_probability": 0.3})
    assert "below 50 arrivals" in broke.text and "the forecast missed" in broke.text
    assert "the forecast held" in held.text and not held.tested
    short = w.forecast({**bound, "is_inside": False, "model_probability": 0.3}, brief=True)
    assert short.text.endswith("the forecast missed.") and short.is_real


def test_closure_date_is_the_events_not_the_parameters() -> None:
    assert w.closure_phrase(2020, "2020-01") == "the border closure of January 2020"
    assert "January 2019" not in w.closure_phrase(2019, "2020-01")
    assert w.closure_phrase(2019, "2020-01").endswith("(the border closed in January 2020)")


def test_female_share_title_shows_the_reversal() -> None:
    rows = [
        {"year": y, "female_share_pct": s}
        for y, s in ((2018, 85.2), (2019, 80.7), (2020, 68.6), (2021, 36.51), (2024, 89.0))
    ]
    assert w.female_share_title(rows, 2020) == (
        "Women among arrivals: 81% in 2019, 37% in 2021, 89% in 2024"
    )
