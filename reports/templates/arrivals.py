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
test_year: int = 2022  # year predicted from the years before it
results_dir: str = "data/processed"  # model outputs for these parameters (set by the build)
figures_dir: str = "reports/figures"  # charts for these parameters (set by the build)

# %%
from analysis import narrate as nr

head = nr.read_json(f"{results_dir}/headline.json")
annual = nr.read_rows(nr.paths.processed("arrivals_annual"))
observed = [r for r in annual if r["arrivals_count"]]
by_year = {int(r["year"]): int(r["arrivals_count"]) for r in observed}
sources_md, as_of = nr.sources_used({r["source_id"] for r in observed})
nr.md(f"# {title}\n\nData as of {as_of} (the latest publication among the sources used).")

# %% [markdown]
# ## Key numbers

# %%
step, miss = head["step_rate_ratio"], head["missing_arrivals"]
first_post = intervention_year
nr.md(
    f"- Arrivals were {nr.n(by_year[intervention_year - 1])} in {intervention_year - 1}, "
    f"{nr.n(by_year[first_post])} in {first_post} and "
    f"{nr.n(head['latest_arrivals_count']['value'])} in {head['latest_year']['value']}.\n"
    f"- In {intervention_year} arrivals were {nr.interval(step, 2)} times the level the "
    f"{pre_start_year}-{intervention_year - 1} trend predicts.\n"
    f"- Arrivals missing against that trend, {miss['years'][0]}-{miss['years'][-1]}: "
    f"{nr.interval(miss)}.\n"
    f"- Model: {head['family']['value']} ({head['family']['reason']})."
)

# %%
nr.figure(figures_dir, "arrivals")

# %%
nr.caption(figures_dir, "arrivals")

# %%
nr.figure(figures_dir, "counterfactual")

# %%
nr.caption(figures_dir, "counterfactual")

# %% [markdown]
# ## Model coefficients

# %%
coefs = nr.read_rows(f"{results_dir}/model_coefficients.csv")
for r in coefs:
    for k in ("ratio", "ratio_ci_low", "ratio_ci_high"):
        r[k] = nr.n(float(r[k]), 3)
nr.table(coefs, {"model": "Model", "term": "Term", "ratio_kind": "Ratio", "ratio": "Estimate",
                 "ratio_ci_low": "Low", "ratio_ci_high": "High"})

# %% [markdown]
# ## Sources

# %%
sources_md

# %% [markdown]
# ## Software

# %%
nr.versions()
