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
pre_start_year: int = 2012  # first year of the pre-closure trend
end_year: int = 0  # last year modelled; 0 means the latest year with data
family: str = "auto"  # count model: auto, poisson, quasipoisson or negbin
confidence_level: float = 0.95  # level of every interval
scan_start_year: int = 2007  # first year of the window the break-year scan fits
test_year: int = 2022  # year predicted from the years before it
results_dir: str = "data/processed"  # model outputs for these parameters (set by the build)
figures_dir: str = "reports/figures"  # charts for these parameters (set by the build)

# %%
from analysis import narrate as nr

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
gp = fort["guard_posts"]
nr.md(
    f"- **{nr.n(last['value'])}** defectors reached South Korea in {last['year']}, against "
    f"{nr.n(ref['value'])} in {ref['year']} ({label[last['source_id']]}).\n"
    f"- **{nr.n(miss['value'])}** arrivals missing against the pre-closure trend, "
    f"{miss['years'][0]}-{miss['years'][-1]} ({round(100 * miss['level'])}% interval "
    f"{nr.n(miss['low'])}-{nr.n(miss['high'])}; model estimate from the sources above).\n"
    + (
        f"- {test_year}: support groups expected **below {nr.n(fc['value'])}** arrivals "
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
reported = nr.read_rows(nr.paths.processed("arrivals_reported"))
newest = max(r["published"] for r in reported)
fresh = [r for r in reported if r["published"] == newest]
rev = {(r["year"], r["period"], r["measure"]) for r in nr.read_rows(nr.paths.processed("arrivals_revisions"))}
lines = [
    " ".join([r["year"]] + [w for w in (r["period"], r["measure"]) if w not in ("year", "total")])
    + f": {nr.n(float(r['value']))}"
    + (" (revises an earlier value)" if (r["year"], r["period"], r["measure"]) in rev else "")
    + ("" if r["is_selected"] == "True" else f" (not used: {r['exclusion']})")
    for r in fresh
]
nr.md(f"The newest publication, {label[fresh[0]['source_id']]}, gives: " + "; ".join(lines) + ".")

# %% [markdown]
# ## Sources

# %%
sources_md

# %%
nr.versions_line()
