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
test_year: int = (
    0  # year predicted from the years before it; 0 lets the data choose (the report says which)
)
results_dir: str = "data/processed"  # model outputs for these parameters (set by the build)
figures_dir: str = "reports/figures"  # charts for these parameters (set by the build)
language: str = "en"  # language of the brief and its charts: en or ko
term: str = "북한이탈주민"  # Korean term for North Korean defectors: 북한이탈주민 (legal term), 탈북민 or 북향민

# %%
from analysis import narrate as nr
from analysis import wording as w
from analysis.i18n import Text

text = Text(language, term)  # what the brief says is in this language (analysis/i18n.py)
_ = text.gettext

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
        "arrivals": _("Arrival counts"),
        "marked": _("Events, forecasts and quarter counts marked on the charts"),
        "border": _("The border near Hoeryong"),
    },
    text,
)
by_id = {r["source_id"]: r for r in nr.read_rows(nr.paths.processed("sources"))}


def source(ids):
    """'Publisher, date' of the first of ';'-separated source ids, escaped for Markdown (the
    publisher in the brief's language: publisher_ko in Korean)."""
    r = by_id[ids.split(";")[0]]
    return nr.esc(f"{nr.publisher(r, text)}, {r['published']}")


# One A4 page: the charts in a column of their drawn width (8.8 cm, the single-column size)
# at the right from the top of the page, the text beside them; on a screen the column is as
# wide as the charts' phone layout (375 px, which the page shows instead of the print size);
# on a phone, one column: the title, the key numbers, then the charts.
nr.style(
    "@page{size:A4;margin:10mm 12mm}"
    "main{max-width:60rem}"
    ".jp-Cell:has(.nk-row){float:right;width:375px;margin:.4rem 0 1rem 1.6rem}"
    ".jp-Cell:has(.nk-row) .nk-row{flex-direction:column;gap:.8rem}"
    ".jp-Cell:has(.nk-row) figure{flex:none;width:100%}"
    "h1{font-size:1.7rem}h2{font-size:1.1rem;margin-top:1.2rem}"
    ".nk-sources{padding-left:1.2rem;margin:.3rem 0}"
    ".nk-sources li{font-size:.75rem;margin:0}"
    ".nk-sources-summary{padding-left:1.2rem}.nk-sources-summary li{font-size:.85rem}"
    "@media screen and (max-width:760px){main{display:flex;flex-direction:column}"
    ".jp-Cell{order:3}.jp-Cell:has(h1){order:0}.jp-Cell:has(.nk-dek){order:1}"
    ".jp-Cell:has(.nk-row){float:none;width:auto;margin:0;order:2}}"
    "@media screen and (max-width:480px){.jp-Cell:has(.nk-row) figure.nk-chart{"
    "width:calc(100% + 1.8rem)}}"
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
as_of = cited.as_of if language == "en" else text.date(cited.as_of)
nr.md(
    f'# {nr.esc(title)}\n\n<p class="nk-meta">'
    + _("Data as of {date}: the newest publication among the sources below.", date=nr.esc(as_of))
    + "</p>"
)

# %%
ref, last = head["reference_arrivals"], head["latest_arrivals_count"]
fc = head.get("test_year_forecast")
quarters = head.get("test_year_quarters")
ty = head["test_year"]["value"]
gp = fort["guard_posts"]
closure_event = next(
    (e for e in nr.read_rows(nr.paths.processed("events")) if e["event_id"] == "border-closure"),
    None,
)
closure = w.closure_phrase(intervention_year, closure_event and closure_event["date"], text)
num = lambda value: w.n(value, 0, text)  # noqa: E731 - 1,047 in either language
yr = lambda year: w.y(int(year), text)  # noqa: E731 - 2019 / 2019년
km = f"{float(fort['section_length']['value']):g}"
built_years = f"2019{nr.DASH}2022" if language == "en" else w.span([2019, 2022], text)
nr.md(
    '<p class="nk-dek">'
    + _(
        "<strong>{count} North Korean defectors reached South Korea in {year}</strong> "
        "({source}), against {ref_count} in {ref_year}, before {closure}.",
        count=num(last["value"]),
        year=yr(last["year"]),
        source=source(last["source_id"]),
        ref_count=num(ref["value"]),
        ref_year=yr(ref["year"]),
        closure=closure,
    )
    + "</p>\n\n"
    # the shortfall, worded by its test, with the warning past the horizon the trend is tested on
    + "- "
    + _(
        "{shortfall} Model estimates from the sources below.",
        shortfall=w.counterfactual_text(head, text),
    )
    + "\n"
    + (
        "- "
        + _(
            "**{count}** counted so far in {year} ({quarters}; {source}).",
            count=num(quarters["value"]),
            year=yr(ty),
            quarters=nr.esc(text.quarters(quarters["note"][7:])),
            source=source(quarters["source_id"]),
        )
        + "\n"
        if quarters and ty > last["year"]
        else ""
    )
    + (
        "- "
        + _(
            "{year}: support groups expected **below {count}** arrivals ({source}), a forecast, "
            "not a count.",
            year=yr(ty),
            count=num(fc["value"]),
            source=source(fc["source_id"]),
        )
        + "\n"
        if fc
        else ""
    )
    + "- "
    + _(
        "**{count}** guard posts added on {km} km of border near Hoeryong, {years} ({source}).",
        count=num(float(gp["value"])),
        km=km,
        years=built_years,
        source=source(gp["source_id"]),
    )
)

# %%
nr.md("## " + _("What changed since the last data"))

# %%
changes = nr.read_rows(nr.paths.processed("arrivals_changes"))
totals = [c for c in changes if c["measure"] == "total"]
others = len(changes) - len(totals)


def said(c):
    when = yr(c["year"]) + ("" if c["period"] == "year" else " " + text.quarters(c["period"]))
    values = {"when": when, "count": num(float(c["value"]))}
    if c["change_kind"] == "revision":
        return _(
            "{when}: {count} (revised from {previous})",
            previous=num(float(c["previous_value"])),
            **values,
        )
    if c["change_kind"] == "forecast_vs_outcome":
        return _(
            "{when}: {count} counted (forecast: {previous})",
            previous=num(float(c["previous_value"])),
            **values,
        )
    return _("{when}: {count} (new)", **values)


since = changes[0]["changes_since"] if changes else ""
bounds = [o for o in head["forecast_scores"]["value"] if o["qualifier"] == "at_most"]
nr.md(
    (
        _(
            "Published since {date} (one year before the newest publication): arrivals {changes}",
            date=since if language == "en" else text.date(since),
            changes="; ".join(said(c) for c in totals),
        )
        + (_("; and {count} sex splits and cumulative totals.", count=others) if others else ".")
        if changes
        else _("No publication in the year before the newest one changed a value.")
    )
    + "".join(
        " "
        + _(
            "Forecast scored ({source}): {claim}",
            source=source(o["source_id"]),
            claim=w.forecast(o, text, brief=True).text,
        )
        for o in bounds
    )
)

# %%
nr.md("## " + _("Sources"))

# %%
cited.summary

# %%
# the Korean brief says which word it uses for the people counted, and why (the English one
# does not use it; the arrivals report's method notes say it in English)
nr.md(f'<p class="nk-meta">{nr.term_note(text)}</p>' if language != "en" else "")

# %%
cited.listing

# %%
nr.versions_line(text)
