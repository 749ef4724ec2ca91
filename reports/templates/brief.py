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
title: str = "North Korea's border closure in numbers"  # report title
intervention_year: int = 2020  # first year of the border closure
reopening_year: int = 2023  # first year of the partial reopening (arrivals tripled from 2022 to 2023); 0: no such phase
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
from analysis import wording as w

# the charts this report shows: the build draws exactly these, for these parameters
CHARTS = ["arrivals", "counterfactual", "fortifications"]
CHART_SIZE = "single"
head = nr.read_json(f"{results_dir}/headline.json")
fort = {r["quantity"]: r for r in nr.read_rows(nr.paths.processed("fortifications"))}
sources_md, as_of = nr.sources_used(nr.chart_sources(figures_dir, CHARTS))
label = {r["source_id"]: nr.esc(r["label"]) for r in nr.read_rows(nr.paths.processed("sources"))}
nr.style(
    "@page{size:A4;margin:10mm}body,main{padding:0!important;margin:0!important}"
    ".jp-Cell,.jp-OutputArea-output,.jp-RenderedHTMLCommon{padding:0!important;margin:0!important}"
    ".jp-RenderedHTMLCommon{font-size:9.5pt!important;line-height:1.3!important}"
    ".jp-RenderedHTMLCommon h1{font-size:16pt!important;margin:0 0 2pt!important}"
    ".jp-RenderedHTMLCommon h2{font-size:11pt!important;margin:6pt 0 2pt!important}"
    ".jp-RenderedHTMLCommon p,.jp-RenderedHTMLCommon li{margin:1pt 0!important}"
    ".jp-RenderedHTMLCommon ul{margin:2pt 0!important}"
    ".jp-RenderedHTMLCommon li:has(code){font-size:6.5pt!important;line-height:1.15!important}"
)

# %%
nr.md(f"# {nr.esc(title)}\n\nData as of {nr.esc(as_of)}.")

# %%
ref, last = head["reference_arrivals"], head["latest_arrivals_count"]
miss, step = head["missing_arrivals"], head["step_rate_ratio"]
fc = head.get("test_year_forecast")
quarters = head.get("test_year_quarters")
ty = head["test_year"]["value"]
gp = fort["guard_posts"]
nr.md(
    f"- **{nr.n(last['value'])}** defectors reached South Korea in {last['year']}, against "
    f"{nr.n(ref['value'])} in {ref['year']} ({label[last['source_id']]}).\n"
    + (
        f"- **{nr.n(quarters['value'])}** counted so far in {ty} ({quarters['note'][7:]}; "
        f"{label[quarters['source_id'].split(';')[0]]}).\n"
        if quarters and ty > last["year"]
        else ""
    )
    # the shortfall, worded by its test, with the warning past the horizon the trend is tested on
    + f"- {w.counterfactual_text(head)} Model estimates from the sources above.\n"
    + (
        f"- {ty}: support groups expected **below {nr.n(fc['value'])}** arrivals "
        f"({label[fc['source_id']]}), a forecast, not a count.\n"
        if fc
        else ""
    )
    + f"- **{float(gp['value']):.0f}** guard posts added on {float(fort['section_length']['value']):g} "
    f"km of border near Hoeryong, 2019-2022 ({label[gp['source_id']]})."
)

# %%
nr.figure_row(figures_dir, CHARTS, CHART_SIZE)

# %% [markdown]
# ## What changed since the last data

# %%
changes = nr.read_rows(nr.paths.processed("arrivals_changes"))
totals = [c for c in changes if c["measure"] == "total"]
others = len(changes) - len(totals)


def said(c):
    when = c["year"] + ("" if c["period"] == "year" else " " + c["period"])
    if c["change_kind"] == "revision":
        return f"{when}: {nr.n(float(c['value']))} (revised from {nr.n(float(c['previous_value']))})"
    if c["change_kind"] == "forecast_vs_outcome":
        return f"{when}: {nr.n(float(c['value']))} counted (forecast: {nr.n(float(c['previous_value']))})"
    return f"{when}: {nr.n(float(c['value']))} (new)"


since = changes[0]["changes_since"] if changes else ""
bounds = [o for o in head["forecast_scores"]["value"] if o["qualifier"] == "at_most"]
nr.md(
    (
        f"Published since {since} (one year before the newest publication): arrivals "
        + "; ".join(said(c) for c in totals)
        + (f"; and {others} sex splits and cumulative totals." if others else ".")
        if changes
        else "No publication in the year before the newest one changed a value."
    )
    + "".join(
        f" Forecast scored ({label[o['source_id']]}): {w.forecast(o).text}" for o in bounds
    )
)

# %% [markdown]
# ## Sources

# %%
sources_md

# %%
nr.versions_line()
