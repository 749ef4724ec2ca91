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
counts = nr.data_sources(figures_dir, ["arrivals"])
cited = nr.sources(
    {
        "arrivals": counts,
        "marked": nr.chart_sources(figures_dir, ["arrivals", "counterfactual"]) - counts,
        "border": nr.chart_sources(figures_dir, ["fortifications"]),
    },
    {
        "arrivals": "Arrival counts",
        "marked": "Events, forecasts and quarter counts marked on the charts",
        "border": "The border near Hoeryong",
    },
)
by_id = {r["source_id"]: r for r in nr.read_rows(nr.paths.processed("sources"))}


def source(ids):
    """'Publisher, date' of the first of ';'-separated source ids, escaped for Markdown."""
    r = by_id[ids.split(";")[0]]
    return nr.esc(f"{r['publisher']}, {r['published']}")


# One A4 page: the charts in a column of their drawn width (8.8 cm, the single-column size)
# at the right from the top of the page, the text beside them; on a phone, one column: the
# title, the key numbers, then the charts.
nr.style(
    "@page{size:A4;margin:10mm 12mm}"
    "main{max-width:60rem}"
    ".jp-Cell:has(.nk-row){float:right;width:332.6px;margin:.4rem 0 1rem 1.6rem}"
    ".jp-Cell:has(.nk-row) .nk-row{flex-direction:column;gap:.8rem}"
    ".jp-Cell:has(.nk-row) figure{flex:none;width:100%}"
    "h1{font-size:1.7rem}h2{font-size:1.1rem;margin-top:1.2rem}"
    ".nk-sources{padding-left:1.2rem;margin:.3rem 0}"
    ".nk-sources li{font-size:.75rem;margin:0}"
    ".nk-sources-summary{padding-left:1.2rem}.nk-sources-summary li{font-size:.85rem}"
    "@media screen and (max-width:760px){main{display:flex;flex-direction:column}"
    ".jp-Cell{order:3}.jp-Cell:has(h1){order:0}.jp-Cell:has(.nk-dek){order:1}"
    ".jp-Cell:has(.nk-row){float:none;width:auto;margin:0;order:2}}"
    "@media print{body{font-size:8.5pt;line-height:1.32}main{max-width:none}"
    ".jp-Cell:has(.nk-row){width:88mm;margin:0 0 0 5mm}"
    ".jp-Cell:has(.nk-row) .nk-row{gap:2.5mm}"
    "h1{font-size:15pt;margin:0 0 1mm}h2{font-size:10pt;margin:3mm 0 1mm}"
    "p,li{margin:.8mm 0}.nk-meta{font-size:7.5pt}"
    ".nk-sources li,.nk-sources-summary li{font-size:6.8pt;line-height:1.25;margin:0}"
    ".nk-software{font-size:6.5pt}}"
)

# %%
nr.figure_row(figures_dir, CHARTS, CHART_SIZE)

# %%
nr.md(
    f"# {nr.esc(title)}\n\n<p class=\"nk-meta\">Data as of {nr.esc(cited.as_of)}: the newest "
    "publication among the sources below.</p>"
)

# %%
ref, last = head["reference_arrivals"], head["latest_arrivals_count"]
fc = head.get("test_year_forecast")
quarters = head.get("test_year_quarters")
ty = head["test_year"]["value"]
gp = fort["guard_posts"]
closure_event = next(
    (e for e in nr.read_rows(nr.paths.processed("events")) if e["event_id"] == "border-closure"), None
)
nr.md(
    f"<p class=\"nk-dek\"><strong>{nr.n(last['value'])} North Korean defectors reached South "
    f"Korea in {last['year']}</strong> ({source(last['source_id'])}), against "
    f"{nr.n(ref['value'])} in {ref['year']}, before "
    f"{w.closure_phrase(intervention_year, closure_event and closure_event['date'])}.</p>\n\n"
    # the shortfall, worded by its test, with the warning past the horizon the trend is tested on
    + f"- {w.counterfactual_text(head)} Model estimates from the sources below.\n"
    + (
        f"- **{nr.n(quarters['value'])}** counted so far in {ty} ({nr.esc(quarters['note'][7:])}; "
        f"{source(quarters['source_id'])}).\n"
        if quarters and ty > last["year"]
        else ""
    )
    + (
        f"- {ty}: support groups expected **below {nr.n(fc['value'])}** arrivals "
        f"({source(fc['source_id'])}), a forecast, not a count.\n"
        if fc
        else ""
    )
    + f"- **{float(gp['value']):.0f}** guard posts added on "
    f"{float(fort['section_length']['value']):g} km of border near Hoeryong, "
    f"2019{nr.DASH}2022 ({source(gp['source_id'])})."
)

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
    + "".join(f" Forecast scored ({source(o['source_id'])}): {w.forecast(o).text}" for o in bounds)
)

# %% [markdown]
# ## Sources

# %%
cited.summary

# %%
cited.listing

# %%
nr.versions_line()
