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

Korean: the functions charts and the brief call take `text` (analysis.i18n.Text) and word
their sentences through the catalogue, whole sentences per side of each rule (a translator
never assembles "fell" into someone else's sentence); English is worded exactly as before.

Kept light (the standard library and Babel): report kernels import it.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from typing import Any

from analysis.i18n import ENGLISH, FAMILIES, N_, Text

# a model family as an English reader says it (the tables keep the code; i18n.FAMILIES: Korean)
FAMILY_WORDS = {
    "poisson": "Poisson",
    "quasipoisson": "quasi-Poisson",
    "negbin": "negative binomial",
    "binomial": "binomial",
    "quasibinomial": "quasi-binomial",
}

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


def n(value: float, digits: int = 0, text: Text = ENGLISH) -> str:
    """A number as printed in prose: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}" if text.language == "en" else text.number(value, digits)


def y(year: int, text: Text = ENGLISH) -> str:
    """A year: 2019 / 2019년."""
    return str(year) if text.language == "en" else text.year(year)


def ratio_text(value: float, digits: int = 2, text: Text = ENGLISH) -> str:
    """A ratio as printed: infinite (a count of zero below it), "over 1,000" and "below 0.01"
    rather than digits no reader can use (a zero count's interval can span many orders)."""
    _ = text.gettext
    if math.isinf(value):
        return _("infinite")
    if value >= 1000:
        return _("over {value}", value=n(1000, 0, text))
    if 0 < value < 10**-digits:
        return _("below {value}", value=n(10**-digits, digits, text))
    return n(value, digits, text)


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.2g}"


def level_pct(entry: Entry) -> int:
    return round(100 * entry["level"])


def interval(entry: Entry, digits: int = 0) -> str:
    """`value (95% interval low to high)`."""
    return f"{n(entry['value'], digits)} ({bounds(entry, digits)})"


def bounds(entry: Entry, digits: int = 0, text: Text = ENGLISH) -> str:
    """`95% interval low to high`."""
    return text.gettext(
        "{level}% interval {low} to {high}",
        level=level_pct(entry),
        low=n(entry["low"], digits, text),
        high=n(entry["high"], digits, text),
    )


def span(years: list[int], text: Text = ENGLISH) -> str:
    if text.language != "en":
        return text.years(years[0], years[-1])
    return f"{years[0]}" if years[0] == years[-1] else f"{years[0]}\u2013{years[-1]}"


def excludes(entry: Entry, null: float = 1.0) -> bool:
    """The entry's interval leaves out `null` (no difference)."""
    return entry["low"] > null or entry["high"] < null


def _years(years: list[int], conj: str = "and", text: Text = ENGLISH) -> str:
    """2019; 2019 and 2021; 2018, 2019 and 2021 (or `or` for alternatives). Korean: 2018년,
    2019년, 2021년; 2019년 또는 2021년."""
    words = [y(year, text) for year in years]
    if len(words) == 1:
        return words[0]
    if text.language != "en":
        return ", ".join(words) if conj == "and" else ", ".join(words[:-1]) + " 또는 " + words[-1]
    return ", ".join(words[:-1]) + f" {conj} " + words[-1]


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


def month_year(date: str, text: Text = ENGLISH) -> str:
    """2020-01 -> January 2020; 2020 -> 2020 (Korean: 2020년 1월)."""
    if text.language != "en":
        return text.date(date[:7])
    parts = date.split("-")
    return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}" if len(parts) > 1 else parts[0]


def closure_phrase(intervention_year: int, closure_date: str | None, text: Text = ENGLISH) -> str:
    """The closure as a chart says it: the event's date when the closure phase starts in its
    year, else the phase's first year beside the event's date (a parameter set may start the
    phase elsewhere; it must not move the date of the closure)."""
    _ = text.gettext
    year = y(intervention_year, text)
    if closure_date and int(closure_date[:4]) == intervention_year:
        return _("the border closure of {date}", date=month_year(closure_date, text))
    if closure_date:
        return _(
            "the closure phase as set from {year} (the border closed in {date})",
            year=year,
            date=month_year(closure_date, text),
        )
    return _("the closure phase from {year}", year=year)


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


def _ratio_numbers(entry: Entry, text: Text = ENGLISH) -> str:
    lvl = level_pct(entry)
    values = {
        "ratio": ratio_text(entry["value"], 2, text),
        "level": lvl,
        "low": ratio_text(entry["low"], 2, text),
        "high": ratio_text(entry["high"], 2, text),
    }
    if entry["method"] == "adjusted":
        return text.gettext(
            "rate ratio {ratio}; {level}% interval {low} to {high} allowing for overdispersion, "
            "{poisson_low} to {poisson_high} if the noise were Poisson",
            poisson_low=ratio_text(entry["poisson_low"], 2, text),
            poisson_high=ratio_text(entry["poisson_high"], 2, text),
            **values,
        )
    return text.gettext("rate ratio {ratio}, exact {level}% interval {low} to {high}", **values)


def change(entry: Entry, key: str, text: Text = ENGLISH) -> Claim:
    """Arrivals in one year against another: rose or fell, or cannot be told apart."""
    _ = text.gettext
    if entry["value"] is None:  # no arrivals in either year: no ratio to test
        said = _(
            "Arrivals were {base} in {base_year} and {count} in {year}.",
            base=n(entry["base_count"], 0, text),
            base_year=y(entry["base_year"], text),
            count=n(entry["count"], 0, text),
            year=y(entry["year"], text),
        )
        return Claim(key, False, said, "", False)
    values = {
        "base": n(entry["base_count"], 0, text),
        "base_year": y(entry["base_year"], text),
        "count": n(entry["count"], 0, text),
        "year": y(entry["year"], text),
        "numbers": _ratio_numbers(entry, text),
    }

    def say(real: bool) -> str:
        if real and entry["value"] < 1:
            return _(
                "Arrivals fell from {base} in {base_year} to {count} in {year} ({numbers}).",
                **values,
            )
        if real:
            return _(
                "Arrivals rose from {base} in {base_year} to {count} in {year} ({numbers}).",
                **values,
            )
        return _(
            "Arrivals went from {base} in {base_year} to {count} in {year}, a change that cannot "
            "be told apart from year-to-year noise ({numbers}).",
            **values,
        )

    return _claim(key, excludes(entry), say)


def break_year(entry: Entry, text: Text = ENGLISH) -> Claim:
    """The break year: placed by the data only when no other candidate is within noise."""
    _ = text.gettext
    best, chosen = entry["best"], entry["value"]
    crit = n(entry["critical_value"], 2, text)
    lvl = level_pct(entry)
    others = [year for year in chosen if year != best]
    gaps = entry["gaps"]

    def say(real: bool) -> str:
        if real:
            return _(
                "The data place the break in {best}: every other candidate year fits worse by "
                "more than {critical} scaled deviance units (the {level}% point).",
                best=y(best, text),
                critical=crit,
                level=lvl,
            )
        near = others or [year for year in map(int, gaps) if year != best][:1]
        return _(
            "A break in {best} cannot be told apart from one in {years}: {gaps}, below "
            "{critical} (the {level}% point).",
            best=y(best, text),
            years=_years(near, "or", text),
            gaps=", ".join(
                _("{year} fits {gap} worse", year=y(yr, text), gap=n(gaps[str(yr)], 1, text))
                for yr in near
            ),
            critical=crit,
            level=lvl,
        )

    return _claim("break_year_set", chosen == [best], say)


def seasonal(entry: Entry, text: Text = ENGLISH) -> Claim:
    """Unequal quarters within the full pre-closure years, or none that can be told from noise."""
    _ = text.gettext
    p = entry["value"]
    lvl = level_pct(entry)
    if p is None:
        said = _(
            "A seasonal pattern cannot be told apart from none: no pre-closure year has four "
            "counted quarters, so there is no test."
        )
        return Claim("seasonality_p_value", False, said, "", True)
    years = _years(entry["years"], text=text)
    adjusted = entry["method"] == "adjusted"
    numbers = (
        _(
            "{p} allowing for overdispersion; {p_poisson} if the noise were Poisson",
            p=p_text(p),
            p_poisson=p_text(entry["poisson_p_value"]),
        )
        if adjusted
        else _("{p}, Poisson noise", p=p_text(p))
    )

    def say(real: bool) -> str:
        if real and len(entry["years"]) == 1:
            return _(
                "The quarters of {years} differ by more than noise ({numbers}; test at "
                "{level}%): a seasonal pattern, or shocks within that year.",
                years=years,
                numbers=numbers,
                level=lvl,
            )
        if real:
            return _(
                "The quarters of {years} differ by more than noise ({numbers}; test at "
                "{level}%): a seasonal pattern, or shocks within those years.",
                years=years,
                numbers=numbers,
                level=lvl,
            )
        return _(
            "The quarters of {years} cannot be told apart from equal quarters ({numbers}).",
            years=years,
            numbers=numbers,
        )

    return _claim("seasonality_p_value", p < 1 - entry["level"], say)


def share_change(odds: Entry, pre: Entry, post: Entry, text: Text = ENGLISH) -> Claim:
    """Women's share of arrivals from the closure on against before."""
    _ = text.gettext

    def say(real: bool) -> str:
        head = _(
            "Women were {pre}% of arrivals with a known sex in {pre_years} and {post}% in "
            "{post_years} (odds ratio {ratio}, {bounds}; {family} model, dispersion "
            "{dispersion} on {df} residual df)",
            pre=n(pre["value"], 1, text),
            pre_years=span(pre["years"], text),
            post=n(post["value"], 1, text),
            post_years=span(post["years"], text),
            ratio=n(odds["value"], 2, text),
            bounds=bounds(odds, 2, text),
            family=text.translate(FAMILIES.get(odds["family"], odds["family"])),
            dispersion=n(odds["dispersion"], 1, text),
            df=n(odds["df"], 0, text),
        )
        if real and odds["value"] < 1:
            return head + _(": a smaller share since the closure.")
        if real:
            return head + _(": a larger share.")
        return head + _(": the two periods cannot be told apart.")

    return _claim("female_share_odds_ratio", excludes(odds), say)


def missing(
    entry: Entry, pre_years: str, key: str = "missing_arrivals", text: Text = ENGLISH
) -> Claim:
    """Arrivals missing against the trend: a shortfall, or none that can be told from noise."""
    _ = text.gettext

    def say(real: bool) -> str:
        head = _(
            "{years}: {value} ({bounds}) arrivals missing against the {pre_years} trend",
            years=span(entry["years"], text),
            value=n(entry["value"], 0, text),
            bounds=bounds(entry, 0, text),
            pre_years=pre_years,
        )
        if real and entry["low"] > 0:
            return head + "."
        if real:
            return head + _(", that is, more arrivals than it.")
        return head + _("; the shortfall cannot be told apart from none.")

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
        span([p["pre_start_year"], last_pre]),
        "missing_arrivals_within_horizon",
    )
    return (
        f"The trend is carried up to {h['value']} years beyond {last_pre}; the pre-period can "
        f"back-test it only {h['tested_horizon']} years ahead, so the counterfactual for "
        f"{_years(h['years_beyond'])} is an untested extrapolation. Within the tested horizon, "
        f"{within.text}"
    )


# what a published figure was, and how it bounded the count (forecast_scores' `what`, `qualifier`)
WHAT = {"forecast": N_("forecast"), "estimate": N_("estimate")}


def forecast(score: Entry, text: Text = ENGLISH, brief: bool = False) -> Claim:
    """A prediction or a published bound against the official count of its year; `brief`
    leaves out the model's probability of a bound (the one-page brief)."""
    _ = text.gettext
    year, count = score["year"], score["official_count"]
    key = f"forecast_scores/{year}/{score['what']}"
    if score["what"] == "model prediction":
        lvl = round(100 * score["confidence_level"])
        chance = n(score["tail_probability"], 3, text)
        odds = (
            _("under the model a count this low or lower had probability {p}", p=chance)
            if score["tail"] == "low"
            else _("under the model a count this high or higher had probability {p}", p=chance)
        )
        head = _(
            "For {year} the model fitted to the years before it predicted {value} arrivals "
            "({level}% interval {low} to {high}); the official count was {count}",
            year=y(year, text),
            value=n(score["value"], 0, text),
            level=lvl,
            low=n(score["low"], 0, text),
            high=n(score["high"], 0, text),
            count=n(count, 0, text),
        )

        def say(real: bool) -> str:
            if real:
                return head + _(
                    ", outside the interval: the prediction missed ({odds}).", odds=odds
                )
            return head + _(
                ", inside the interval: the count cannot be told apart from the prediction "
                "({odds}).",
                odds=odds,
            )

        return _claim(key, not score["is_inside"], say)
    what = text.translate(WHAT.get(score["what"], score["what"]))
    values = {"year": y(year, text), "what": what, "value": n(score["value"], 0, text)}
    if score["qualifier"] == "at_most":
        head = _(
            "For {year} a published {what} said below {value} arrivals; the official count was "
            "{count}",
            count=n(count, 0, text),
            **values,
        )
    elif score["qualifier"] == "at_least":
        head = _(
            "For {year} a published {what} said at least {value} arrivals; the official count "
            "was {count}",
            count=n(count, 0, text),
            **values,
        )
    else:
        head = _(
            "For {year} a published {what} said about {value} arrivals; the official count was "
            "{count}",
            count=n(count, 0, text),
            **values,
        )
    tail = ""
    if score.get("model_probability") is not None and not brief:
        chance = n(score["model_probability"], 2, text)
        tail = {
            "at_most": _(
                " (the model fitted to the years before gave a count below {value} a "
                "probability of {p})",
                value=values["value"],
                p=chance,
            ),
            "at_least": _(
                " (the model fitted to the years before gave a count at least {value} a "
                "probability of {p})",
                value=values["value"],
                p=chance,
            ),
        }.get(
            score["qualifier"],
            _(
                " (the model fitted to the years before gave a count about {value} a "
                "probability of {p})",
                value=values["value"],
                p=chance,
            ),
        )

    def say_bound(missed: bool) -> str:
        return (
            head + (_(": the forecast missed") if missed else _(": the forecast held")) + tail + "."
        )

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
    pre_years = span([p["pre_start_year"], p["intervention_year"] - 1])
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


def arrivals_title(head: dict[str, Any], text: Text = ENGLISH) -> str:
    """The fall to the post-closure low and where arrivals are now; "fell" only when the fall
    is beyond noise, "back up" only when the rise from the low is."""
    _ = text.gettext
    ref, low = head["reference_arrivals"], head["post_closure_low"]
    last = head["latest_arrivals_count"]
    fall = change(head["rate_ratio_low_on_reference"], "rate_ratio_low_on_reference")
    values = {
        "ref_count": n(ref["value"], 0, text),
        "ref_year": y(ref["year"], text),
        "low_count": n(low["value"], 0, text),
        "low_year": y(low["year"], text),
    }
    title = (
        _(
            "Defector arrivals in South Korea fell from {ref_count} in {ref_year} to "
            "{low_count} in {low_year}",
            **values,
        )
        if fall.is_real
        else _(
            "Defector arrivals in South Korea went from {ref_count} in {ref_year} to "
            "{low_count} in {low_year}",
            **values,
        )
    )
    if last["year"] != low["year"]:
        rise = change(head["rate_ratio_latest_on_low"], "rate_ratio_latest_on_low")
        now = {"count": n(last["value"], 0, text), "year": y(last["year"], text)}
        if rise.is_real and head["rate_ratio_latest_on_low"]["value"] > 1:
            title += _("; back up to {count} in {year}", **now)
        else:
            title += _("; {count} in {year}", **now)
    return title


def break_scan_title(head: dict[str, Any], text: Text = ENGLISH) -> str:
    _ = text.gettext
    c = break_year(head["break_year_set"])
    e = head["break_year_set"]
    if c.is_real:
        return _("The data place the break in {best}", best=y(e["best"], text))
    others = [year for year in e["value"] if year != e["best"]] or [e["best"]]
    return _(
        "A break in {best} cannot be told apart from one in {years}",
        best=y(e["best"], text),
        years=_years(others, "or", text),
    )


def break_scan_alt(head: dict[str, Any], first: int, last: int, text: Text = ENGLISH) -> str:
    return (
        text.gettext(
            "Line chart of model fit by candidate break year, {years}, lower is better. ",
            years=span([first, last], text),
        )
        + break_year(head["break_year_set"], text).text
    )


def counterfactual_title(head: dict[str, Any], text: Text = ENGLISH) -> str:
    _ = text.gettext
    c = missing(head["missing_arrivals"], "")
    if c.is_real and head["missing_arrivals"]["low"] > 0:
        return _("Arrivals fell far below the pre-closure trend")
    if c.is_real:
        return _("Arrivals rose above the pre-closure trend")
    return _("Arrivals cannot be told apart from the pre-closure trend")


def counterfactual_text(head: dict[str, Any], text: Text = ENGLISH) -> str:
    """The shortfall and the horizon warning, as the chart's subtitle and alt text say them."""
    _ = text.gettext
    p = head["parameters"]
    miss = head["missing_arrivals"]
    pre = span([p["pre_start_year"], p["intervention_year"] - 1], text)
    values = {
        "value": n(miss["value"], 0, text),
        "years": span(miss["years"], text),
        "pre": pre,
        "bounds": bounds(miss, 0, text),
    }
    if missing(miss, pre).is_real and miss["low"] > 0:
        said = _(
            "About {value} fewer arrivals in {years} than the {pre} trend implies ({bounds}).",
            **values,
        )
    else:
        said = _(
            "Arrivals in {years} cannot be told apart from the {pre} trend ({value} missing, "
            "{bounds}).",
            **values,
        )
    h = head["counterfactual_horizon"]
    if h["years_beyond"]:
        within = head["missing_arrivals_within_horizon"]
        said += " " + _(
            "{beyond} lie beyond what the pre-period can test; within it, {years}: {value} "
            "({low} to {high}).",
            beyond=_years(h["years_beyond"], text=text),
            years=span(within["years"], text),
            value=n(within["value"], 0, text),
            low=n(within["low"], 0, text),
            high=n(within["high"], 0, text),
        )
    return said


def quarterly_title(head: dict[str, Any], text: Text = ENGLISH) -> str:
    """The mean quarter in each phase (no endpoints picked)."""
    _ = text.gettext
    parts = [
        _(
            "{mean} in {years}",
            mean=n(m["mean"], 0, text),
            years=span([m["first_year"], m["last_year"]], text),
        )
        for m in head["quarter_means"]["value"]
    ]
    return _("Arrivals per quarter, on average: {means}", means=", ".join(parts))


def quarterly_alt(
    head: dict[str, Any], quarters: list[tuple[str, int]], closure: str, text: Text = ENGLISH
) -> str:
    listed = ", ".join(f"{q}: {c if text.language == 'en' else n(c, 0, text)}" for q, c in quarters)
    return (
        text.gettext(
            "Bar chart of arrivals per quarter from {first} to {last}: {listed}. Shaded: from "
            "{closure}. ",
            first=quarters[0][0],
            last=quarters[-1][0],
            listed=listed,
            closure=closure,
        )
        + seasonal(head["seasonality_p_value"], text).text
    )


def _share_in(row: dict[str, Any], text: Text) -> str:
    return text.gettext(
        "{pct}% in {year}",
        pct=n(float(row["female_share_pct"]), 0, text),
        year=y(int(row["year"]), text),
    )


def female_share_title(
    rows: list[dict[str, Any]], intervention_year: int, text: Text = ENGLISH
) -> str:
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
    said = ", ".join(_share_in(r, text) for r in points)
    return text.gettext("Women among arrivals: {shares}", shares=said)


def female_share_alt(head: dict[str, Any], rows: list[dict[str, Any]], text: Text = ENGLISH) -> str:
    last = rows[-1]
    c = share_change(
        head["female_share_odds_ratio"],
        head["female_share_pre_pct"],
        head["female_share_post_pct"],
        text,
    )
    low = n(float(last["female_share_ci_low_pct"]), 0, text)
    high = n(float(last["female_share_ci_high_pct"]), 0, text)
    interval = text.span(low, high) if text.language != "en" else low + "-" + high
    return (
        text.gettext(
            "Dot chart of the share of women among arrivals: {shares}. In {year} the interval "
            "is {interval}%. ",
            shares=", ".join(_share_in(r, text) for r in rows),
            year=y(int(last["year"]), text),
            interval=interval,
        )
        + c.text
    )
