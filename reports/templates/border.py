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
title: str = "The border: fortifications and policy"  # report title
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
CHARTS = ["fortifications", "timeline", "arrivals"]
fort = {r["quantity"]: r for r in nr.read_rows(nr.paths.processed("fortifications"))}
events = nr.read_rows(nr.paths.processed("events"))
conflicts = nr.read_rows(nr.paths.processed("conflicts"))
# the later studies of the whole border: other areas than the Hoeryong section, never combined
wider = [
    r
    for r in nr.read_rows(nr.paths.processed("catalogue"))
    if r["table"] == "figures"
    and r["topic"] in ("fortification", "border")
    and r["place"] != "Hoeryong section"
    and r["period_end"] >= "2023"
]
counts = nr.data_sources(figures_dir, ["arrivals"])
sources = nr.sources(
    {
        "fortifications": nr.chart_sources(figures_dir, ["fortifications"]),
        "wider": {r[k] for r in conflicts + wider for k in ("source_id", "via_source_id") if r[k]},
        "events": nr.chart_sources(figures_dir, ["timeline", "arrivals"]) - counts,
        "arrivals": counts,
    },
    {
        "fortifications": "Fortifications near Hoeryong",
        "wider": "The whole border and six areas",
        "events": "Policy, events and forecasts",
        "arrivals": "Arrival counts",
    },
)
nr.md(
    f"# {nr.esc(title)}\n\n<p class=\"nk-meta\">Data as of {nr.esc(sources.as_of)}, the newest "
    f"publication among the {sources.count} cited (listed at the end).</p>"
)

# %% [markdown]
# ## Hoeryong: what satellite imagery shows

# %%
v = {q: float(r["value"]) for q, r in fort.items()}
nr.md(
    f"On a {v['section_length']:g} km section of the border near Hoeryong, "
    f"{v['watchtowers']:.0f} watchtowers stood in March 2019. By April 2022, "
    f"{v['guard_posts']:.0f} guard posts had been **added** (not a total: "
    f"{v['structures_2022']:.0f} structures in all), {v['primary_fence_improved']:g} km of the "
    f"primary fence had been improved and {v['secondary_fence_new']:g} km of new secondary fence "
    f"built. That is {v['structures_per_km_2019']:.1f} structures per km before and "
    f"{v['structures_per_km_2022']:.1f} after, one every {v['spacing_m_2019']:,.0f} m before and "
    f"every {v['spacing_m_2022']:,.0f} m after (derived figures; see the table)."
)

# %%
nr.chart(figures_dir, "fortifications")

# %%
nr.table(
    [
        {**r, "quantity": nr.words(r["quantity"]), "formula": nr.words(r["formula"]),
         "source": nr.source_names(r["source_id"]) + (
             f" (read in {nr.source_names(r['via_source_id'])})" if r["via_source_id"] else "")}
        for r in fort.values()
    ],
    {"quantity": "Quantity", "value": "Value", "unit": "Unit", "nature": "Kind",
     "formula": "Derived as", "assumption": "Assuming", "source": "Source"},
    # counts and metres whole, kilometres and rates per km to one decimal
    {"value": lambda r: 0 if r["unit"] in ("structures", "m") else 1},
    caption="The Hoeryong section, March 2019 and April 2022, with the figures derived from them",
)

# %% [markdown]
# ## The whole border and six areas, 2023-2024
#
# Two later studies looked beyond Hoeryong. Their figures describe other areas (the whole
# northern border; six areas totalling 321 km, Hoeryong among them) and periods, so they are
# listed by area and never added to, or divided by, the Hoeryong figures. Where a secondary
# report of a study prints other figures than the study as reported elsewhere, both are kept and
# listed under "Where sources disagree".

# %%
nr.table(
    [
        {**r, "quantity": nr.words(r["quantity"]),
         "qualifier": nr.QUALIFIERS.get(r["qualifier"], r["qualifier"]),
         "source": nr.source_names(r["source_id"]), "via": nr.source_names(r["via_source_id"])}
        for r in sorted(wider, key=lambda r: (r["place"], r["quantity"], r["period_end"], r["figure_id"]))
    ],
    {"place": "Area", "quantity": "Quantity", "as_printed": "As printed", "value": "Value",
     "unit": "Unit", "qualifier": "Kind", "period_end": "Up to", "source": "Source",
     "via": "Read in"},
    {"value": 0},
    caption="Figures for the whole border and six areas, by area",
)

# %% [markdown]
# ## Policy and events

# %%
nr.chart(figures_dir, "timeline")

# %%
nr.table(
    [
        {**e, "category": nr.words(e["category"]), "source": nr.source_names(e["source_id"])}
        for e in events
        if e["date"] >= "2000"
    ],
    {"date": "Date", "date_qualifier": "", "category": "Kind", "event": "Event",
     "source": "Source"},
    caption="Dated policy and border events since 2000",
)

# %% [markdown]
# ## Where sources disagree

# %%
nr.table(
    [
        {**r, "quantity": nr.words(r["quantity"]),
         "qualifier": nr.QUALIFIERS.get(r["qualifier"], r["qualifier"]),
         "source": nr.source_names(r["source_id"]), "via": nr.source_names(r["via_source_id"]),
         "bounds_overlap": "yes" if r["bounds_overlap"] == "True" else "no"}
        for r in conflicts
    ],
    {"place": "Area", "quantity": "Quantity", "reference_period": "Period",
     "as_printed": "As printed", "value": "Value", "qualifier": "Kind",
     "source": "Source", "via": "Read in", "bounds_overlap": "Can all be true"},
    {"value": 0},
    caption="Figures that differ between sources for the same thing",
)

# %% [markdown]
# ## Arrivals over the same years

# %%
nr.chart(figures_dir, "arrivals")

# %% [markdown]
# ## Sources

# %%
sources.summary

# %%
nr.versions_line()

# %% [markdown]
# ## Appendix: every publication cited

# %%
sources.listing
