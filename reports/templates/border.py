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
cited = (
    nr.chart_sources(figures_dir, CHARTS)
    | {r[k] for r in conflicts + wider for k in ("source_id", "via_source_id") if r[k]}
)
sources_md, as_of = nr.sources_used(cited)
nr.md(f"# {nr.esc(title)}\n\nData as of {nr.esc(as_of)} (the latest publication among the sources cited).")

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
    list(fort.values()),
    {"quantity": "Quantity", "value": "Value", "unit": "Unit", "nature": "Nature",
     "formula": "Formula (derived)", "assumption": "Assumption", "source_id": "Source"},
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
    sorted(wider, key=lambda r: (r["place"], r["quantity"], r["period_end"], r["figure_id"])),
    {"place": "Area", "quantity": "Quantity", "as_printed": "As printed", "value": "Value",
     "unit": "Unit", "qualifier": "Qualifier", "period_end": "Up to", "source_id": "Source",
     "via_source_id": "Read in"},
    {"value": 0},
)

# %% [markdown]
# ## Policy and events

# %%
nr.chart(figures_dir, "timeline")

# %%
nr.table(
    [e for e in events if e["date"] >= "2000"],
    {"date": "Date", "date_qualifier": "", "category": "Category", "event": "Event",
     "source_id": "Source"},
)

# %% [markdown]
# ## Where sources disagree

# %%
nr.table(
    conflicts,
    {"place": "Area", "quantity": "Quantity", "reference_period": "Period",
     "as_printed": "As printed", "value": "Value", "qualifier": "Qualifier",
     "source_id": "Source", "via_source_id": "Read in", "bounds_overlap": "Can all be true"},
    {"value": 0},
)

# %% [markdown]
# ## Arrivals over the same years

# %%
nr.chart(figures_dir, "arrivals")

# %% [markdown]
# ## Sources

# %%
sources_md

# %% [markdown]
# ## Software

# %%
nr.versions()
