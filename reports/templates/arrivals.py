# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
title: str = "Defector arrivals in South Korea"  # report title
intervention_year: int = 2020  # first year of the border closure
pre_start_year: int = 2012  # first year of the pre-closure trend
end_year: int = 0  # last year modelled; 0 means the latest year with data
family: str = "auto"  # count model: auto, poisson, quasipoisson or negbin
confidence_level: float = 0.95  # level of every interval
scan_start_year: int = 2007  # first year of the window the break-year scan fits
test_year: int = 0  # year predicted from the years before it; 0 lets the data choose (the report says which)
results_dir: str = "data/processed"  # model outputs for these parameters (set by the build)
figures_dir: str = "reports/figures"  # charts for these parameters (set by the build)

# %%
from analysis import narrate as nr

# the charts this report shows: the build draws exactly these, for these parameters
CHARTS = ["arrivals", "counterfactual", "break_scan", "female_share", "quarterly", "revisions"]
head = nr.read_json(f"{results_dir}/headline.json")
sources_md, as_of = nr.sources_used(nr.chart_sources(figures_dir, CHARTS))
level = round(100 * confidence_level)
nr.md(f"# {nr.esc(title)}\n\nData as of {nr.esc(as_of)} (the latest publication among the sources cited).")

# %% [markdown]
# ## Key numbers

# %%
ref, iv, last = head["reference_arrivals"], head["intervention_arrivals"], head["latest_arrivals_count"]
step, miss, rr = head["step_rate_ratio"], head["missing_arrivals"], head["rate_ratio_since_reference"]
low_since = head["latest_lowest_since"]
prev = head["rate_ratio_latest_on_previous"]
# "the lowest since Y" only when the latest year is a new low; after a recovery it says so
if low_since["is_series_low"]:
    lowest = f"the lowest since records in this series began in {low_since['series_start_year']}"
elif low_since["value"] is not None and low_since["value"] < last["year"] - 1:
    lowest = f"the lowest since {low_since['value']}"
else:
    change = 100 * (prev["value"] - 1)
    lowest = f"{'up' if change > 0 else 'down'} {nr.n(abs(change), 0)}% on {last['year'] - 1}"
nr.md(
    f"- Arrivals were {nr.n(ref['value'])} in {ref['year']}, {nr.n(iv['value'])} in "
    f"{iv['year']} and {nr.n(last['value'])} in {last['year']}, {lowest}.\n"
    f"- {last['year']} against {ref['year']}: {nr.n(head['change_since_reference_pct']['value'], 1)}% "
    f"(rate ratio {nr.interval(rr, 3)}, exact).\n"
    f"- In {intervention_year} arrivals were {nr.interval(step, 2)} times the level the "
    f"{pre_start_year}-{intervention_year - 1} trend predicts.\n"
    f"- Arrivals missing against that trend, {miss['years'][0]}-{miss['years'][-1]}: "
    f"{nr.interval(miss)}.\n"
    f"- Peak: {nr.n(head['peak']['value'])} in {head['peak']['year']}."
)

# %%
nr.chart(figures_dir, "arrivals")

# %% [markdown]
# ## The data and their revisions
#
# Each year's value is the one published latest among valid reports (the selection rule in the
# README); the revisions table keeps every value ever published.

# %%
rev = nr.read_rows(nr.paths.processed("arrivals_revisions"))
# revised: an earlier valid count was superseded (a forecast or a typo is not a revision)
revised_years = sorted(
    {r["year"] for r in rev if (r["measure"], r["period"], r["status"]) == ("total", "year", "superseded")}
)
checks = nr.read_rows(nr.paths.processed("arrivals_checks"))
check_text = "; ".join(
    f"{c['year']} {c['period']}: {c['check']} gives {nr.n(float(c['found']))}, not "
    f"{nr.n(float(c['expected']))}"
    for c in checks
) or "none"
nr.md(
    f"{len(revised_years)} annual totals were revised after their first count was published. "
    f"Sums that do not add up among the current values: {check_text}."
)

# %%
nr.chart(figures_dir, "revisions")

# %% [markdown]
# ## Changes between years
#
# Rate ratios with exact conditional intervals (Clopper-Pearson on a / (a + b)).

# %%
changes = nr.read_rows(f"{results_dir}/model_changes.csv")[-6:]
nr.table(
    changes,
    {
        "year": "Year",
        "arrivals_count": "Arrivals",
        "change_pct": "Change on previous year (%)",
        "rate_ratio_previous": "Rate ratio",
        "rate_ratio_previous_ci_low": "Low",
        "rate_ratio_previous_ci_high": "High",
    },
    {"arrivals_count": 0, "change_pct": 1, "rate_ratio_previous": 3,
     "rate_ratio_previous_ci_low": 3, "rate_ratio_previous_ci_high": 3},
)

# %% [markdown]
# ## Interrupted time series

# %%
nr.md(
    f"A log-linear count model of annual arrivals, {pre_start_year}-{last['year'] if not end_year else end_year}, "
    f"with a level change and a slope change in {intervention_year}. Family: "
    f"**{head['family']['value']}** ({head['family']['reason']}). The slope after the closure "
    f"changed by a factor of {nr.interval(head['slope_change_ratio'], 2)} a year."
)

# %%
coefs = nr.read_rows(f"{results_dir}/model_coefficients.csv")
nr.table(
    coefs,
    {"model": "Model", "term": "Term", "ratio_kind": "Ratio", "ratio": "Estimate",
     "ratio_ci_low": "Low", "ratio_ci_high": "High", "family": "Family"},
    {"ratio": 3, "ratio_ci_low": 3, "ratio_ci_high": 3},
)

# %%
nr.chart(figures_dir, "counterfactual")

# %% [markdown]
# ## Where is the break?

# %%
scan = head["best_break_year"]
b_iv, b_pre = head["break_intervention"], head["break_pre_start"]
nr.md(
    f"Fitting the one-break model for every candidate year ({scan['definition']}), the best "
    f"fit is a break in **{scan['value']}**. A break in {intervention_year} fits "
    f"{nr.n(b_iv['value'], 1)} scaled deviance units worse"
    + (
        f"; one in {pre_start_year}, {nr.n(b_pre['value'], 1)} worse."
        if b_pre["value"] is not None
        else "."
    )
    + " A gap below 3.84 (the 95% point of a chi-square with one degree of freedom) is weak "
    "evidence between two years; the profile is read as relative support, not as a test."
)

# %%
nr.chart(figures_dir, "break_scan")

# %% [markdown]
# ## Who still arrives

# %%
pre, post, odds = head["female_share_pre_pct"], head["female_share_post_pct"], head["female_share_odds_ratio"]
nr.md(
    f"Women were {nr.n(pre['value'], 1)}% of arrivals with a known sex in "
    f"{', '.join(map(str, pre['years']))} and {nr.n(post['value'], 1)}% in "
    f"{', '.join(map(str, post['years']))}. Odds ratio (closure vs before): "
    f"{nr.interval(odds, 2)}; {odds['definition']}."
)

# %%
nr.chart(figures_dir, "female_share")

# %% [markdown]
# ## Quarters

# %%
season = head["seasonality_p_value"]
nr.md(
    f"Full pre-closure years with quarterly counts: {', '.join(map(str, season['years'])) or 'none'}. "
    f"A chi-square test that their quarters are equal gives p = {season['value']:.2g} "
    f"(chi-square {nr.n(season['chi2'], 1)} on {season['df']} df). With so few years this cannot "
    "separate a seasonal pattern from the shocks of a single year."
)

# %%
nr.chart(figures_dir, "quarterly")

# %% [markdown]
# ## Predictions and forecasts against the counts

# %%
ty = head["test_year"]
outcomes = head["forecast_outcomes"]["value"]
pred = head["test_year_prediction"]
test = nr.read_rows(f"{results_dir}/model_prediction_test.csv")
by_year = {}
for r in test:
    by_year.setdefault(int(r["year"]), {})[r["what"]] = r


def scored(year, rows):
    p, c = rows.get("model prediction"), rows.get("official count")
    if not p or not p["value"] or not c:
        return ""
    inside = float(p["low"]) <= float(c["value"]) <= float(p["high"])
    return (
        f" For {year} the model fitted to the years before it predicted {nr.n(float(p['value']))} "
        f"({level}% interval {nr.n(float(p['low']))} to {nr.n(float(p['high']))}); the official "
        f"count, {nr.n(float(c['value']))}, fell {'inside' if inside else 'outside'} it."
    )


nr.md(
    (
        f"The model fitted to the years before {ty['value']} predicts {nr.n(pred['value'])} "
        f"arrivals in {ty['value']} ({level}% interval {nr.n(pred['low'])} to "
        f"{nr.n(pred['high'])})"
        if pred["value"] is not None
        else f"No prediction for {ty['value']}: {pred['note']}"
    )
    + (
        f"; {nr.n(head['test_year_quarters']['value'])} were counted in "
        f"{head['test_year_quarters']['note'][7:]}."
        if "test_year_quarters" in head and ty["value"] not in (o["year"] for o in outcomes)
        else "."
    )
    + (
        " The year was chosen from the data: " + ty["definition"].split("(derived: ")[1].rstrip(")") + "."
        if ty["is_derived"]
        else " The year is set by parameter."
    )
    + "".join(scored(y, rows) for y, rows in sorted(by_year.items()))
    + " ".join(
        f" For {o['year']}, a published {o['what']} said "
        f"{'below' if o['qualifier'] == 'at_most' else 'at least' if o['qualifier'] == 'at_least' else 'about'} "
        f"{nr.n(o['value'])}"
        + (
            f"; the official count was {nr.n(o['official_count'])}, "
            + ("within it." if o["held"] else "outside it.")
            if o["official_count"] is not None
            else "; there is no official count yet."
        )
        for o in outcomes
    )
)

# %%
nr.table(
    test,
    {"year": "Year", "what": "What", "value": "Value", "low": "Low", "high": "High",
     "qualifier": "Qualifier", "source_id": "Source"},
    {"value": 0, "low": 0, "high": 0},
)

# %% [markdown]
# ## Diagnostics and sensitivity

# %%
disp = head["dispersion"]
fitted = nr.read_rows(f"{results_dir}/model_fitted.csv")
nr.md(
    f"Pearson dispersion of the Poisson fit: {nr.n(disp['value'], 2)} (p = {disp['p_value']:.2g}). "
    "Pearson residuals, scaled by the fitted variance:"
)

# %%
nr.table(fitted, {"year": "Year", "arrivals_count": "Observed", "fitted_count": "Fitted",
                  "pearson_residual": "Pearson residual"},
         {"arrivals_count": 0, "fitted_count": 0, "pearson_residual": 2})

# %%
sens = nr.read_rows(f"{results_dir}/model_sensitivity.csv")
nr.table(
    sens,
    {"varied": "Varied", "pre_start_year": "Pre-period from", "intervention_year": "Break",
     "family": "Family", "step_rate_ratio": "Step ratio", "step_rate_ratio_ci_low": "Low",
     "step_rate_ratio_ci_high": "High", "missing_count": "Missing arrivals"},
    {"step_rate_ratio": 3, "step_rate_ratio_ci_low": 3, "step_rate_ratio_ci_high": 3,
     "missing_count": 0},
)

# %% [markdown]
# ## Method notes and limitations
#
# - Counts are the figures reported in the sources listed below; the latest published value
#   per year is used, and earlier values are kept.
# - Annual data give few post-closure points: the slope change rests on them alone, and the
#   break-year profile cannot separate adjacent years.
# - The counterfactual assumes the pre-closure trend would have continued; it is a model
#   estimate, not an observation. Its interval includes parameter and count uncertainty.
# - Intervals for the female share model use a quasi-binomial scale because years differ by
#   more than binomial noise.

# %% [markdown]
# ## Sources

# %%
sources_md

# %% [markdown]
# ## Software

# %%
nr.versions()
