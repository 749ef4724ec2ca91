"""Words for every comparison the reports and charts print, decided by its test.

A break year, a trend, a phase against the trend, a change between years, a seasonal pattern,
a change in who arrives, a shortfall and a forecast against its count are each called real only
when the test in headline.json supports it at the report's confidence level (an interval that
excludes "no difference", a p-value below 1 - level, a break year the profile singles out);
otherwise the sentence says the difference cannot be told apart from noise and gives the
numbers. Chart titles and alt texts are built from the same decisions.

Every rule returns a Claim: the sentence printed, and the sentence the other side of the rule
would print, which must appear nowhere (tests/unit/test_claims.py walks the headline entries,
the charts and the reports). Only numbers and years reach these sentences, never text from the
data, so they are safe to print as Markdown.

Kept light (standard library only): report kernels import it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

CANNOT = "cannot be told apart"

Entry = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Claim:
    key: str  # the headline entry whose test decides
    is_real: bool  # the test supports a difference at the entry's level
    text: str  # the sentence printed
    other: str  # what the other side of the rule would print (never printed)
    tested: bool = True  # False: a fact (a bound held or not), not a statistical test


def _claim(key: str, real: bool, say: Callable[[bool], str], tested: bool = True) -> Claim:
    return Claim(key, real, say(real), say(not real), tested)


# --- numbers -----------------------------------------------------------------------------------


def n(value: float, digits: int = 0) -> str:
    """A number as printed in prose: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}"


def ratio_text(value: float, digits: int = 2) -> str:
    """A ratio as printed: infinite (a count of zero below it), "over 1,000" and "below 0.01"
    rather than digits no reader can use (a zero count's interval can span many orders)."""
    if math.isinf(value):
        return "infinite"
    if value >= 1000:
        return "over 1,000"
    if 0 < value < 10**-digits:
        return f"below {10**-digits:.{digits}f}"
    return n(value, digits)


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def level_pct(entry: Entry) -> int:
    return round(100 * entry["level"])


def interval(entry: Entry, digits: int = 0) -> str:
    """`value (95% interval low to high)`."""
    return f"{n(entry['value'], digits)} ({bounds(entry, digits)})"


def bounds(entry: Entry, digits: int = 0) -> str:
    """`95% interval low to high`."""
    return f"{level_pct(entry)}% interval {n(entry['low'], digits)} to {n(entry['high'], digits)}"


def span(years: list[int]) -> str:
    return f"{years[0]}" if years[0] == years[-1] else f"{years[0]}-{years[-1]}"


def excludes(entry: Entry, null: float = 1.0) -> bool:
    """The entry's interval leaves out `null` (no difference)."""
    return entry["low"] > null or entry["high"] < null


def _years(years: list[int], conj: str = "and") -> str:
    """2019; 2019 and 2021; 2018, 2019 and 2021 (or `or` for alternatives)."""
    words = [str(y) for y in years]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {conj} " + words[-1]


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def month_year(date: str) -> str:
    """2020-01 -> January 2020; 2020 -> 2020."""
    parts = date.split("-")
    return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) > 1 else parts[0]


def closure_phrase(intervention_year: int, closure_date: str | None) -> str:
    """The closure as a chart says it: the event's date when the closure phase starts in its
    year, else the phase's first year beside the event's date (a parameter set may start the
    phase elsewhere; it must not move the date of the closure)."""
    if closure_date and int(closure_date[:4]) == intervention_year:
        return f"the border closure of {month_year(closure_date)}"
    if closure_date:
        return (
            f"the closure phase as set from {intervention_year} (the border closed in "
            f"{month_year(closure_date)})"
        )
    return f"the closure phase from {intervention_year}"


# --- the rules ---------------------------------------------------------------------------------


def pre_trend(entry: Entry) -> Claim:
    """The pre-closure trend: a yearly change, or none that can be told from flat."""
    pct = 100 * (entry["value"] - 1)
    lo, hi = 100 * (entry["low"] - 1), 100 * (entry["high"] - 1)
    lvl = level_pct(entry)

    def say(real: bool) -> str:
        if real:
            word = "fell" if pct < 0 else "rose"
            return (
                f"Before the closure arrivals {word} by {n(abs(pct), 1)}% a year on the trend "
                f"({lvl}% interval {n(abs(hi if pct < 0 else lo), 1)}% to "
                f"{n(abs(lo if pct < 0 else hi), 1)}%)."
            )
        return (
            f"Before the closure the trend's yearly change, {n(pct, 1)}% ({lvl}% interval "
            f"{n(lo, 1)}% to {n(hi, 1)}%), {CANNOT} from no trend."
        )

    return _claim("pre_trend_ratio", excludes(entry), say)


def phase_vs_trend(entry: Entry, key: str, phase: str) -> Claim:
    """A phase's level against the pre-closure trend carried on."""

    def say(real: bool) -> str:
        head = (
            f"{phase[0].upper()}{phase[1:]} ({span(entry['years'])}), arrivals were "
            f"{interval(entry, 3)} times the level the pre-closure trend predicts"
        )
        if real:
            return head + (": below the trend." if entry["high"] < 1 else ": above the trend.")
        return head + f": {CANNOT} from the trend."

    return _claim(key, excludes(entry), say)


def recovery(entry: Entry) -> Claim:
    """The reopening level against the closure level: a partial recovery, or not."""

    def say(real: bool) -> str:
        head = (
            f"Against the trend, arrivals after the partial reopening ({entry['years'][1]}) were "
            f"{interval(entry, 2)} times their level during the closure ({entry['years'][0]})"
        )
        if real:
            word = "a partial recovery" if entry["low"] > 1 else "a further fall"
            return head + f": {word}."
        return head + f": the two phases {CANNOT}."

    return _claim("reopening_on_closure_rate_ratio", excludes(entry), say)


def _ratio_numbers(entry: Entry) -> str:
    lvl = level_pct(entry)
    r = {k: ratio_text(entry[k]) for k in ("value", "low", "high", "poisson_low", "poisson_high")}
    if entry["method"] == "adjusted":
        return (
            f"rate ratio {r['value']}; {lvl}% interval {r['low']} to {r['high']} allowing for "
            f"overdispersion, {r['poisson_low']} to {r['poisson_high']} if the noise were Poisson"
        )
    return f"rate ratio {r['value']}, exact {lvl}% interval {r['low']} to {r['high']}"


def change(entry: Entry, key: str) -> Claim:
    """Arrivals in one year against another: rose or fell, or cannot be told apart."""
    a, b = entry["count"], entry["base_count"]
    y, by = entry["year"], entry["base_year"]
    if entry["value"] is None:  # no arrivals in either year: no ratio to test
        return Claim(key, False, f"Arrivals were {n(b)} in {by} and {n(a)} in {y}.", "", False)

    def say(real: bool) -> str:
        if real:
            word = "fell" if entry["value"] < 1 else "rose"
            return (
                f"Arrivals {word} from {n(b)} in {by} to {n(a)} in {y} ({_ratio_numbers(entry)})."
            )
        return (
            f"Arrivals went from {n(b)} in {by} to {n(a)} in {y}, a change that {CANNOT} from "
            f"year-to-year noise ({_ratio_numbers(entry)})."
        )

    return _claim(key, excludes(entry), say)


def break_year(entry: Entry) -> Claim:
    """The break year: placed by the data only when no other candidate is within noise."""
    best, chosen = entry["best"], entry["value"]
    crit = n(entry["critical_value"], 2)
    lvl = level_pct(entry)
    others = [y for y in chosen if y != best]
    gaps = entry["gaps"]

    def say(real: bool) -> str:
        if real:
            return (
                f"The data place the break in {best}: every other candidate year fits worse by "
                f"more than {crit} scaled deviance units (the {lvl}% point)."
            )
        near = others or [y for y in map(int, gaps) if y != best][:1]
        return (
            f"A break in {best} {CANNOT} from one in {_years(near, 'or')}: "
            + ", ".join(f"{y} fits {n(gaps[str(y)], 1)} worse" for y in near)
            + f", below {crit} (the {lvl}% point)."
        )

    return _claim("break_year_set", chosen == [best], say)


def seasonal(entry: Entry) -> Claim:
    """Unequal quarters within the full pre-closure years, or none that can be told from noise."""
    p = entry["value"]
    lvl = level_pct(entry)
    if p is None:
        text = (
            f"A seasonal pattern {CANNOT} from none: no pre-closure year has four counted "
            "quarters, so there is no test."
        )
        return Claim("seasonality_p_value", False, text, "", True)
    years = _years(entry["years"])
    adjusted = entry["method"] == "adjusted"
    numbers = (
        f"{p_text(p)} allowing for overdispersion; {p_text(entry['poisson_p_value'])} if the "
        "noise were Poisson"
        if adjusted
        else f"{p_text(p)}, Poisson noise"
    )

    def say(real: bool) -> str:
        if real:
            within = "that year" if len(entry["years"]) == 1 else "those years"
            return (
                f"The quarters of {years} differ by more than noise ({numbers}; test at "
                f"{lvl}%): a seasonal pattern, or shocks within {within}."
            )
        return f"The quarters of {years} {CANNOT} from equal quarters ({numbers})."

    return _claim("seasonality_p_value", p < 1 - entry["level"], say)


def share_change(odds: Entry, pre: Entry, post: Entry) -> Claim:
    """Women's share of arrivals from the closure on against before."""

    def say(real: bool) -> str:
        head = (
            f"Women were {n(pre['value'], 1)}% of arrivals with a known sex in "
            f"{span(pre['years'])} and {n(post['value'], 1)}% in {span(post['years'])} (odds "
            f"ratio {n(odds['value'], 2)}, {bounds(odds, 2)}; {odds['family']} model, dispersion "
            f"{n(odds['dispersion'], 1)} on {odds['df']:.0f} residual df)"
        )
        if real:
            return head + (
                ": a smaller share since the closure." if odds["value"] < 1 else ": a larger share."
            )
        return head + f": the two periods {CANNOT}."

    return _claim("female_share_odds_ratio", excludes(odds), say)


def missing(entry: Entry, pre_years: str, key: str = "missing_arrivals") -> Claim:
    """Arrivals missing against the trend: a shortfall, or none that can be told from noise."""

    def say(real: bool) -> str:
        head = (
            f"{span(entry['years'])}: {interval(entry)} arrivals missing against the "
            f"{pre_years} trend"
        )
        if real:
            return head + ("." if entry["low"] > 0 else ", that is, more arrivals than it.")
        return head + f"; the shortfall {CANNOT} from none."

    return _claim(key, entry["low"] > 0 or entry["high"] < 0, say)


def horizon(head: dict[str, Any]) -> str:
    """How far the trend is carried, and a warning past what the pre-period can back-test,
    with the shortfall within the tested horizon."""
    h = head["counterfactual_horizon"]
    p = head["parameters"]
    last_pre = p["intervention_year"] - 1
    if not h["years_beyond"]:
        return (
            f"The trend is carried {h['value']} years beyond {last_pre}, within the "
            f"{h['tested_horizon']} years the pre-period can back-test."
        )
    within = missing(
        head["missing_arrivals_within_horizon"],
        f"{p['pre_start_year']}-{last_pre}",
        "missing_arrivals_within_horizon",
    )
    return (
        f"The trend is carried up to {h['value']} years beyond {last_pre}; the pre-period can "
        f"back-test it only {h['tested_horizon']} years ahead, so the counterfactual for "
        f"{_years(h['years_beyond'])} is an untested extrapolation. Within the tested horizon, "
        f"{within.text}"
    )


def forecast(score: Entry) -> Claim:
    """A prediction or a published bound against the official count of its year."""
    year, count = score["year"], score["official_count"]
    key = f"forecast_scores/{year}/{score['what']}"
    if score["what"] == "model prediction":
        lvl = round(100 * score["confidence_level"])
        side = "this low or lower" if score["tail"] == "low" else "this high or higher"

        def say(real: bool) -> str:
            head = (
                f"For {year} the model fitted to the years before it predicted "
                f"{n(score['value'])} arrivals ({lvl}% interval {n(score['low'])} to "
                f"{n(score['high'])}); the official count was {n(count)}"
            )
            odds = (
                f"under the model a count {side} had probability {n(score['tail_probability'], 3)}"
            )
            if real:
                return head + f", outside the interval: the prediction missed ({odds})."
            return head + f", inside the interval: the count {CANNOT} from the prediction ({odds})."

        return _claim(key, not score["is_inside"], say)
    said = {"at_most": "below", "at_least": "at least"}.get(score["qualifier"], "about")

    def say_bound(missed: bool) -> str:
        head = (
            f"For {year} a published {score['what']} said {said} {n(score['value'])} arrivals; "
            f"the official count was {n(count)}"
        )
        tail = ""
        if score.get("model_probability") is not None:
            tail = (
                f" (the model fitted to the years before gave a count {said} "
                f"{n(score['value'])} a probability of {n(score['model_probability'], 2)})"
            )
        return head + (": the forecast missed" if missed else ": the forecast held") + tail + "."

    return _claim(key, not score["is_inside"], say_bound, tested=False)


def autocorrelation(entry: Entry) -> Claim:
    """Residuals that follow each other, or none that can be told from independent ones."""
    lvl = level_pct(entry)
    numbers = (
        f"lag-1 autocorrelation {n(entry['value'], 2)} over {entry['n']} years, Ljung-Box "
        f"{p_text(entry['p_value'])}"
    )
    caveat = (
        f" With {entry['n']} residuals the test has little power, and a trend or phase level "
        "that misses the data shows up as autocorrelation too."
    )

    def say(real: bool) -> str:
        if real:
            return f"The residuals are autocorrelated ({numbers}; test at {lvl}%).{caveat}"
        return f"The residuals' autocorrelation {CANNOT} from none ({numbers}).{caveat}"

    return _claim("residual_autocorrelation", entry["p_value"] < 1 - entry["level"], say)


def placebos(entry: Entry) -> str:
    """Placebo closures before the real one: how many show a shift, and the largest."""
    lvl = level_pct(entry)
    shifts = entry["shift_years"]
    found = (
        f"{len(shifts)} of {entry['placebos']} ({_years(shifts)}) has a {lvl}% interval that "
        "excludes no shift"
        if len(shifts) == 1
        else f"{len(shifts)} of {entry['placebos']} have a {lvl}% interval that excludes no "
        "shift" + (f" ({_years(shifts)})" if shifts else "")
    )
    return (
        f"Placebo closures in {span(entry['years'])}, the closure model fitted to the "
        f"pre-closure years alone with a made-up closure year: {found}. The largest shift is "
        f"{n(entry['largest_ratio'], 2)} in {entry['largest_year']} ({lvl}% interval "
        f"{n(entry['largest_low'], 2)} to {n(entry['largest_high'], 2)}), against the real "
        f"closure's {n(entry['closure_ratio'], 3)}."
    )


def influence(entry: Entry, driver: Entry, dispersion: Entry) -> str:
    """What one year left out does, and the year behind the dispersion."""
    v = entry["value"]
    return (
        f"Leaving out one year of {span(entry['years'])} at a time, the missing total runs from "
        f"{n(v['missing_low'])} to {n(v['missing_high'])} (all years: {n(entry['missing'])}); "
        f"the year that moves it most is {v['most_influential_year']} "
        f"({n(v['missing_without_it'])} without it). The closure rate ratio runs from "
        f"{n(v['step_low'], 3)} to {n(v['step_high'], 3)} (all years: {n(entry['step'], 3)}). "
        f"{driver['value']} supplies {n(100 * driver['share'])}% of the Pearson chi-square: "
        f"without it the dispersion is {n(driver['dispersion_without'], 1)} instead of "
        f"{n(dispersion['value'], 1)}."
    )


def claims(head: dict[str, Any]) -> list[Claim]:
    """Every comparison the reports print, worded from the headline."""
    p = head["parameters"]
    pre_years = f"{p['pre_start_year']}-{p['intervention_year'] - 1}"
    out = [
        pre_trend(head["pre_trend_ratio"]),
        phase_vs_trend(head["step_rate_ratio"], "step_rate_ratio", "during the closure"),
        missing(head["missing_arrivals"], pre_years),
        break_year(head["break_year_set"]),
        autocorrelation(head["residual_autocorrelation"]),
        seasonal(head["seasonality_p_value"]),
        share_change(
            head["female_share_odds_ratio"],
            head["female_share_pre_pct"],
            head["female_share_post_pct"],
        ),
    ]
    if head["counterfactual_horizon"]["years_beyond"]:  # then the horizon warning says it
        within = head["missing_arrivals_within_horizon"]
        out.append(missing(within, pre_years, "missing_arrivals_within_horizon"))
    if "reopening_rate_ratio" in head:
        out.append(
            phase_vs_trend(
                head["reopening_rate_ratio"], "reopening_rate_ratio", "after the partial reopening"
            )
        )
        out.append(recovery(head["reopening_on_closure_rate_ratio"]))
    for key in CHANGE_KEYS:
        if key in head:
            out.append(change(head[key], key))
    scores = head.get("forecast_scores", {}).get("value", [])
    out += [forecast(s) for s in scores if s["is_inside"] is not None]
    return out


CHANGE_KEYS = (
    "rate_ratio_since_reference",
    "rate_ratio_latest_on_previous",
    "rate_ratio_low_on_reference",
    "rate_ratio_latest_on_low",
    "rate_ratio_reopening_rise",
)


def claim(head: dict[str, Any], key: str) -> Claim:
    """The claim about one headline entry."""
    return next(c for c in claims(head) if c.key == key)


# --- chart titles and alt texts ----------------------------------------------------------------


def arrivals_title(head: dict[str, Any]) -> str:
    """The fall to the post-closure low and where arrivals are now; "fell" only when the fall
    is beyond noise, "back up" only when the rise from the low is."""
    ref, low = head["reference_arrivals"], head["post_closure_low"]
    last = head["latest_arrivals_count"]
    fall = change(head["rate_ratio_low_on_reference"], "rate_ratio_low_on_reference")
    start = f"{n(ref['value'])} in {ref['year']}"
    title = (
        f"Defector arrivals in South Korea {'fell from' if fall.is_real else 'went from'} "
        f"{start} to {n(low['value'])} in {low['year']}"
    )
    if last["year"] != low["year"]:
        rise = change(head["rate_ratio_latest_on_low"], "rate_ratio_latest_on_low")
        up = "back up to " if rise.is_real and head["rate_ratio_latest_on_low"]["value"] > 1 else ""
        title += f"; {up}{n(last['value'])} in {last['year']}"
    return title


def break_scan_title(head: dict[str, Any]) -> str:
    c = break_year(head["break_year_set"])
    e = head["break_year_set"]
    if c.is_real:
        return f"The data place the break in {e['best']}"
    others = [y for y in e["value"] if y != e["best"]] or [e["best"]]
    return f"A break in {e['best']} {CANNOT} from one in {_years(others, 'or')}"


def break_scan_alt(head: dict[str, Any], first: int, last: int) -> str:
    return (
        f"Line chart of model fit by candidate break year, {first}-{last}, lower is better. "
        + break_year(head["break_year_set"]).text
    )


def counterfactual_title(head: dict[str, Any]) -> str:
    c = missing(head["missing_arrivals"], "")
    if c.is_real and head["missing_arrivals"]["low"] > 0:
        return "Arrivals fell far below the pre-closure trend"
    if c.is_real:
        return "Arrivals rose above the pre-closure trend"
    return f"Arrivals {CANNOT} from the pre-closure trend"


def counterfactual_text(head: dict[str, Any]) -> str:
    """The shortfall and the horizon warning, as the chart's subtitle and alt text say them."""
    p = head["parameters"]
    miss = head["missing_arrivals"]
    pre = f"{p['pre_start_year']}-{p['intervention_year'] - 1}"
    bounds = f"{level_pct(miss)}% interval {n(miss['low'])} to {n(miss['high'])}"
    if missing(miss, pre).is_real and miss["low"] > 0:
        text = (
            f"About {n(miss['value'])} fewer arrivals in {span(miss['years'])} than the {pre} "
            f"trend implies ({bounds})."
        )
    else:
        text = (
            f"Arrivals in {span(miss['years'])} {CANNOT} from the {pre} trend "
            f"({n(miss['value'])} missing, {bounds})."
        )
    h = head["counterfactual_horizon"]
    if h["years_beyond"]:
        within = head["missing_arrivals_within_horizon"]
        text += (
            f" {_years(h['years_beyond'])} lie beyond what the pre-period can test; within it, "
            f"{span(within['years'])}: {n(within['value'])} ({n(within['low'])} to "
            f"{n(within['high'])})."
        )
    return text


def quarterly_title(head: dict[str, Any]) -> str:
    """The mean quarter in each phase (no endpoints picked)."""
    parts = [
        f"{n(m['mean'])} in {span([m['first_year'], m['last_year']])}"
        for m in head["quarter_means"]["value"]
    ]
    return "Arrivals per quarter, on average: " + ", ".join(parts)


def quarterly_alt(head: dict[str, Any], quarters: list[tuple[str, int]], closure: str) -> str:
    listed = ", ".join(f"{q}: {c}" for q, c in quarters)
    return (
        f"Bar chart of arrivals per quarter from {quarters[0][0]} to {quarters[-1][0]}: {listed}. "
        f"Shaded: from {closure}. " + seasonal(head["seasonality_p_value"]).text
    )


def female_share_title(rows: list[dict[str, Any]], intervention_year: int) -> str:
    """The share in the last pre-closure year with a split, at its post-closure extreme and in
    the latest year: the shape, not one point (no change is claimed here; the subtitle and alt
    text say what the model can tell)."""
    pre = [r for r in rows if int(r["year"]) < intervention_year]
    post = [r for r in rows if int(r["year"]) >= intervention_year]
    points = pre[-1:]
    if post:
        ref = float(pre[-1]["female_share_pct"]) if pre else 50.0
        extreme = max(post, key=lambda r: abs(float(r["female_share_pct"]) - ref))
        points += [extreme] + ([post[-1]] if post[-1] is not extreme else [])
    said = [f"{float(r['female_share_pct']):.0f}% in {int(r['year'])}" for r in points]
    return "Women among arrivals: " + ", ".join(said)


def female_share_alt(head: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    last = rows[-1]
    c = share_change(
        head["female_share_odds_ratio"], head["female_share_pre_pct"], head["female_share_post_pct"]
    )
    return (
        "Dot chart of the share of women among arrivals: "
        + ", ".join(f"{float(r['female_share_pct']):.0f}% in {int(r['year'])}" for r in rows)
        + f". In {int(last['year'])} the interval is {float(last['female_share_ci_low_pct']):.0f}-"
        f"{float(last['female_share_ci_high_pct']):.0f}%. " + c.text
    )
