"""Stage 4: publication charts, each in three sizes and three formats, with its data and text.

Input: processed tables. Output, per chart NAME, in reports/figures/:
NAME-{single,double,web}.{svg,pdf,png}, NAME.csv (the data plotted), NAME.json (title,
caption, alt text, sources) and NAME-embed.html (a <figure> to paste into an article).
Bytes depend only on the data: no dates, fixed SVG ids.

    python -m analysis.charts NAME [--in DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import html
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.io import atomic_open, atomic_path, run_step, write_csv, write_json  # noqa: E402

CM = 1 / 2.54
# name: (width, height) in cm. Single and double journal columns; 16:9 for the web.
SIZES = {"single": (8.8, 7.0), "double": (18.0, 9.5), "web": (16.0, 9.0)}
FORMATS = ("svg", "pdf", "png")
WRAP = {"single": 44, "double": 100, "web": 88}  # title characters per line
SOURCE_CHARS = {"single": 220, "double": 600, "web": 600}  # longer source lines are shortened
# Okabe-Ito colours: distinguishable with colour-blindness; paired with line styles and
# markers so they also read in greyscale.
INK = "#222222"
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#888888"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "legend.frameon": False,
    "svg.hashsalt": "nk-border-closure",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    "savefig.dpi": 300,
    # labels, publishers and titles come from the data: "$...$" is text, never mathtext
    "text.parse_math": False,
    "text.usetex": False,
}
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}


@dataclass
class Chart:
    """What a chart function returns: the drawing, and the words and data that travel with it."""

    title: str
    subtitle: str
    caption: str
    alt: str
    data: pd.DataFrame
    source_ids: list[str]
    draw: Callable[[plt.Axes, str], None]
    note: str = ""
    # SVG tooltips: artist gid -> text shown on hover (values on demand, e.g. revisions)
    tooltips: dict[str, str] = field(default_factory=dict)


def source_line(source_ids: list[str], sources: pd.DataFrame, limit: int = 600) -> str:
    """'Source: ...' built from the sources of the data plotted, grouped by publisher.

    When the full line would crowd the chart, it names the publishers cited most and counts
    the rest; the full list stays in NAME.json (source_ids) and the data CSV.
    """
    counts = pd.Series(source_ids).value_counts()
    used = sources[sources["source_id"].isin(counts.index)]
    groups = used.assign(year=used["published"].str[:4]).groupby("publisher")["year"]
    parts = [f"{pub} ({', '.join(sorted(set(y)))})" for pub, y in groups]
    line = "Source: " + "; ".join(sorted(parts))
    if len(line) <= limit:
        return line
    weight = used.assign(n=used["source_id"].map(counts)).groupby("publisher")["n"].sum()
    top = weight.sort_values(ascending=False, kind="mergesort")
    names: list[str] = []
    for pub in top.index:
        if len("; ".join([*names, pub])) > limit - 80:
            break
        names.append(pub)
    rest = len(top) - len(names)
    return (
        f"Source: {'; '.join(names)} and {rest} other publishers "
        f"({len(used)} publications, listed with the chart's data)"
    )


def figure(chart: Chart, sources: pd.DataFrame, size: str) -> Figure:
    """The chart drawn at one size, with its title block and source line (not yet saved)."""
    with plt.rc_context(STYLE):
        w, h = SIZES[size]
        fig = plt.figure(figsize=(w * CM, h * CM), layout="constrained")
        ax = fig.add_subplot()
        chart.draw(ax, size)
        wrap = WRAP[size]
        fig.suptitle(
            "\n".join(textwrap.wrap(chart.title, wrap)),
            x=0.01,
            ha="left",
            fontsize=9,
            fontweight="bold",
        )
        ax.set_title(
            "\n".join(textwrap.wrap(chart.subtitle, wrap)),
            fontsize=7.5,
            fontweight="normal",
            color="#444444",
        )
        line = source_line(chart.source_ids, sources, SOURCE_CHARS[size])
        foot = textwrap.wrap(line + (". " + chart.note if chart.note else ""), int(wrap * 1.5))
        # supxlabel is laid out by the constrained engine, so the footer never overlaps
        fig.supxlabel("\n".join(foot), x=0.01, ha="left", fontsize=6, color="#444444")
    return fig


def render(
    chart: Chart,
    name: str,
    sources: pd.DataFrame,
    out: Path,
    sizes: tuple[str, ...] = tuple(SIZES),
    formats: tuple[str, ...] = FORMATS,
) -> None:
    src = source_line(chart.source_ids, sources)
    for size in sizes:
        fig = figure(chart, sources, size)
        with plt.rc_context(STYLE):
            for fmt in formats:
                target = out / f"{name}-{size}.{fmt}"
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=fmt, metadata=METADATA[fmt])
                    if fmt == "svg" and chart.tooltips:
                        add_tooltips(tmp, chart.tooltips)
        plt.close(fig)
    write_csv(chart.data, out / f"{name}.csv")
    files = [f"{name}-{s}.{f}" for s in sizes for f in formats] + [f"{name}.csv"]
    snippet = embed_snippet(name, chart, src)
    with atomic_open(out / f"{name}-embed.html") as fh:
        fh.write(snippet)
    write_json(
        {
            "name": name,
            "title": chart.title,
            "subtitle": chart.subtitle,
            "caption": chart.caption,
            "alt_text": chart.alt,
            "source_line": src,
            "source_ids": sorted(set(chart.source_ids)),
            "note": chart.note,
            "sizes_cm": {s: list(SIZES[s]) for s in sizes},
            "files": files + [f"{name}-embed.html"],
            "embed_html": snippet,
        },
        out / f"{name}.json",
    )


def add_tooltips(svg: Path, tooltips: dict[str, str]) -> None:
    """Give each artist group with a known gid an SVG <title>, which viewers show on hover."""
    text = svg.read_text(encoding="utf-8")
    for gid, tip in tooltips.items():
        tag = f'<g id="{gid}">'
        text = text.replace(tag, f"{tag}\n    <title>{html.escape(tip)}</title>", 1)
    svg.write_text(text, encoding="utf-8")


def embed_snippet(name: str, chart: Chart, source: str) -> str:
    """A <figure> to paste into an article: the web SVG, its alt text, caption and source."""
    e = html.escape
    w, h = (round(v / 2.54 * 96) for v in SIZES["web"])  # CSS pixels at 96 per inch
    return (
        f'<figure class="nk-chart" id="chart-{e(name)}">\n'
        f'  <img src="{e(name)}-web.svg" width="{w}" height="{h}" style="max-width:100%;'
        f'height:auto" alt="{e(chart.alt)}">\n'
        f"  <figcaption><strong>{e(chart.title)}</strong> {e(chart.caption)}"
        f"{' ' + e(chart.note) if chart.note else ''} <small>{e(source)}</small></figcaption>\n"
        "</figure>\n"
    )


# --- the charts ------------------------------------------------------------------------------


def _thousands(ax: plt.Axes) -> None:
    ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))


def _decimal_year(dates: pd.Series) -> pd.Series:
    d = pd.to_datetime(dates)
    return d.dt.year + (d.dt.day_of_year - 1) / 365.25


def _events(data: Path) -> pd.DataFrame:
    ev = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    ev["x"] = _decimal_year(ev["date_start"])
    return ev


def arrivals(data: Path, results: Path) -> Chart:
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    head = json.loads((results / "headline.json").read_text())
    test = pd.read_csv(results / "model_prediction_test.csv")
    test["source_id"] = test["source_id"].fillna("")
    obs = annual.dropna(subset=["arrivals_count"])
    peak = obs.loc[obs["arrivals_count"].idxmax()]
    last = obs.iloc[-1]
    closure = head["parameters"]["intervention_year"]
    first_year, last_year = int(annual["year"].min()), int(annual["year"].max())
    ev = _events(data)
    marked = ev[(ev["chart_label"] != "") & (ev["x"] >= first_year - 0.5)]
    # what was said about a year with no count yet: a forecast bound, the quarters so far
    said = test[(test["what"].isin(["forecast", "quarters counted"])) & (test["year"] > last.year)]
    bound = said[(said["what"] == "forecast") & (said["qualifier"] == "at_most")]
    counted = said[said["what"] == "quarters counted"]

    other = other_values(data, obs)

    def draw(ax: plt.Axes, size: str) -> None:
        small = size == "single"
        ax.axvspan(closure - 0.5, last_year + 0.5, color="#eeeeee", lw=0)
        bars = ax.bar(obs["year"], obs["arrivals_count"], color=BLUE, width=0.75)
        for bar, year in zip(bars, obs["year"], strict=True):
            bar.set_gid(f"arrivals-{year}")
        top = float(peak["arrivals_count"])
        for r in bound.itertuples():
            ax.bar(r.year, r.high, width=0.75, fill=False, ec=VERMILLION, ls="--", lw=0.8)
            ax.annotate(
                f"forecast\nbelow {r.high:,.0f}",
                (r.year, r.high),
                xytext=(0, 10),
                textcoords="offset points",
                ha="center",
                fontsize=5.5 if small else 6,
                color=VERMILLION,
            )
        for r in counted.itertuples():
            ax.plot(r.year, r.value, marker="_", ms=6, mew=1.2, color=INK, ls="none")
        middle = (first_year + last_year) / 2
        for i, e in enumerate(marked.itertuples()):
            left = e.x < middle  # labels run away from the plot's edge
            ax.axvline(e.x - 0.5, color=GREY, lw=0.5, ls=":")
            ax.text(
                e.x - 0.5 + (0.2 if left else -0.2),
                top * (1.32 - 0.1 * (i % 2)),
                e.chart_label,
                fontsize=5.5 if small else 6,
                va="top",
                ha="left" if left else "right",
                color="#444444",
            )
        for point in (peak, last):
            ax.annotate(
                f"{int(point['arrivals_count']):,}",
                (point["year"], point["arrivals_count"]),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
            )
        ax.set_ylabel("Arrivals per year (people)")
        ax.set_xlim(first_year - 0.6, last_year + 0.6)
        ax.set_ylim(0, top * 1.34)
        _thousands(ax)

    recent = ", ".join(f"{int(r.arrivals_count):,} in {r.year}" for r in obs.tail(3).itertuples())
    alt = (
        f"Bar chart of North Korean defectors arriving in South Korea each year from "
        f"{int(obs['year'].min())} to {int(last['year'])}. Arrivals peaked at "
        f"{int(peak['arrivals_count']):,} in {int(peak['year'])} and were {recent}; the "
        f"border was closed in January {closure}."
    )
    for r in bound.itertuples():
        alt += f" For {r.year}, support groups forecast below {r.high:,.0f}"
        alt += "".join(
            f"; {c.value:,.0f} were counted in {c.note[7:]}" for c in counted.itertuples()
        )
        alt += "."
    if bound.empty:
        alt += "".join(
            f" For {c.year}, {c.value:,.0f} were counted in {c.note[7:]} so far."
            for c in counted.itertuples()
        )
    bound_ids = [i for ids in said["source_id"] for i in ids.split(";") if i]
    plotted = annual[["year", "arrivals_count", "source_id"]].merge(
        said.pivot_table(index="year", columns="what", values="value", aggfunc="first")
        .rename(
            columns={
                "forecast": "forecast_at_most_count",
                "quarters counted": "quarters_counted_count",
            }
        )
        .reset_index(),
        on="year",
        how="left",
    )
    plotted["other_values_reported"] = plotted["year"].map(
        other.set_index("year")["other_values_reported"]
    )
    revised = other[other["has_earlier_value"]]
    return Chart(
        title=arrivals_title(obs, head, closure),
        subtitle=f"North Korean defectors arriving in South Korea per year, "
        f"{first_year}-{last_year}; shaded: from the border closure of January {closure}",
        caption=(
            "Annual arrivals, current value per year under the project's selection rule. "
            "Dotted lines mark events from the events table; a dashed outline is a forecast "
            "upper bound, a dash the arrivals counted in the quarters published so far. "
            f"The figures for {len(revised)} years were revised after first publication; every "
            "other value reported is in the revisions chart, in this chart's data (CSV) and, in "
            "the SVG, in each bar's tooltip."
        ),
        alt=alt,
        data=plotted,
        source_ids=list(obs["source_id"]) + bound_ids + list(marked["source_id"]),
        draw=draw,
        note="Forecast bound: reported by support groups, not a count." if len(bound) else "",
        tooltips=dict(zip("arrivals-" + other["year"].astype(str), other["tooltip"], strict=True)),
    )


def arrivals_title(obs: pd.DataFrame, head: dict, closure: int) -> str:
    """The fall to the post-closure low and, once arrivals have moved off it, where they are now."""
    after = obs[obs["year"] >= closure]
    start = f"{int(head['reference_arrivals']['value']):,} in {closure - 1}"
    if after.empty:
        return f"Defector arrivals in South Korea: {start}"
    low, last = after.loc[after["arrivals_count"].idxmin()], after.iloc[-1]
    title = (
        f"Defector arrivals in South Korea fell from {start} to "
        f"{int(low['arrivals_count']):,} in {int(low['year'])}"
    )
    if int(last["year"]) != int(low["year"]):
        title += f"; {int(last['arrivals_count']):,} in {int(last['year'])}"
    return title


STATUS_WORDS = {"superseded": "earlier value", "excluded": "not used", "forecast": "forecast"}


def other_values(data: Path, obs: pd.DataFrame) -> pd.DataFrame:
    """Per year: the values reported besides the current one, whether one of them is an earlier
    (superseded) value, and a tooltip that says them."""
    rev = pd.read_csv(data / "arrivals_revisions.csv", dtype={"flags": str})
    rev = rev[(rev["period"] == "year") & (rev["measure"] == "total")]
    rev = rev[rev["status"] != "selected"].fillna({"flags": ""})
    rows = []
    for r in obs.itertuples():
        earlier = rev[rev["year"] == r.year].sort_values("first_published", kind="mergesort")
        said = [
            f"{v.value:,} ({STATUS_WORDS.get(v.status, v.status)}, {v.sources_count} publication"
            f"{'s' if v.sources_count > 1 else ''} {v.first_published}"
            f"{' to ' + v.last_published if v.last_published != v.first_published else ''}"
            f"{'; flagged ' + v.flags.replace(';', ', ') if v.flags else ''})"
            for v in earlier.itertuples()
        ]
        tip = f"{r.year}: {int(r.arrivals_count):,} arrivals ({r.source_label})"
        rows.append(
            {
                "year": r.year,
                "other_values_reported": ";".join(str(v) for v in earlier["value"]),
                "has_earlier_value": (earlier["status"] == "superseded").any(),
                "tooltip": tip + (". Also reported: " + "; ".join(said) if said else ""),
            }
        )
    return pd.DataFrame(
        rows, columns=["year", "other_values_reported", "has_earlier_value", "tooltip"]
    )


def quarterly(data: Path, results: Path) -> Chart:
    q = pd.read_csv(data / "arrivals_quarterly.csv", dtype={"arrivals_count": "Int64"})
    head = json.loads((results / "headline.json").read_text())
    closure = head["parameters"]["intervention_year"]
    q = q[q["year"] >= closure - 1].reset_index(drop=True)
    last_known = q.dropna(subset=["arrivals_count"]).index.max()
    q = q.loc[:last_known]
    q["quarter"] = q["year"].astype(str) + " " + q["period"]
    obs = q.dropna(subset=["arrivals_count"])
    x = range(len(q))

    def draw(ax: plt.Axes, size: str) -> None:
        post = q["year"] >= closure
        ax.axvspan(post.idxmax() - 0.5, len(q) - 0.5, color="#eeeeee", lw=0)
        ax.bar(list(x), q["arrivals_count"].fillna(0), color=BLUE, width=0.75)
        for i, r in q.iterrows():
            if pd.notna(r["arrivals_count"]):
                ax.annotate(
                    f"{int(r['arrivals_count'])}",
                    (i, r["arrivals_count"]),
                    xytext=(0, 1.5),
                    textcoords="offset points",
                    ha="center",
                    fontsize=5 if size == "single" else 6,
                )
        labels = [
            p if p != "Q1" else f"Q1\n{y}" for y, p in zip(q["year"], q["period"], strict=True)
        ]
        ax.set_xticks(list(x), labels, fontsize=5.5 if size == "single" else 6.5)
        ax.set_ylabel("Arrivals per quarter (people)")
        ax.grid(axis="x", visible=False)

    first, last = obs.iloc[0], obs.iloc[-1]
    alt = (
        f"Bar chart of arrivals per quarter from {first['quarter']} to {last['quarter']}: "
        + ", ".join(f"{r.quarter}: {int(r.arrivals_count)}" for r in obs.itertuples())
        + f". The border closed in January {closure}."
    )
    return Chart(
        title=f"From {int(first['arrivals_count'])} arrivals a quarter to "
        f"{int(last['arrivals_count'])}",
        subtitle=f"Defectors arriving in South Korea per quarter, {first['quarter']} to "
        f"{last['quarter']}; shaded: from the closure",
        caption="Quarterly arrivals (current values); quarters without a published count are "
        "left empty.",
        alt=alt,
        data=q[["year", "period", "arrivals_count", "source_id"]],
        source_ids=list(obs["source_id"]),
        draw=draw,
    )


def female_share(data: Path, results: Path) -> Chart:
    share = pd.read_csv(results / "model_female_share.csv")
    sex = pd.read_csv(data / "arrivals_sex.csv", dtype=str, keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    lvl = round(100 * head["female_share_odds_ratio"]["level"])
    last = share.iloc[-1]

    def draw(ax: plt.Axes, size: str) -> None:
        pre = share[~share["is_post_intervention"]]
        post = share[share["is_post_intervention"]]
        for part, colour, marker, label in (
            (pre, BLUE, "o", "Before the closure"),
            (post, VERMILLION, "s", "From the closure"),
        ):
            ax.errorbar(
                part["year"],
                part["female_share_pct"],
                yerr=[
                    part["female_share_pct"] - part["female_share_ci_low_pct"],
                    part["female_share_ci_high_pct"] - part["female_share_pct"],
                ],
                fmt=marker,
                color=colour,
                ms=3.5,
                capsize=2,
                lw=0.9,
                label=label,
            )
        for r in share.itertuples():
            ax.annotate(
                f"{r.female_share_pct:.0f}%",
                (r.year, r.female_share_ci_high_pct),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6,
            )
        ax.axhline(50, color=GREY, lw=0.6, ls="--")
        ax.set_ylim(0, 100)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # no "2002.5"
        ax.set_ylabel("Women among arrivals (%)")
        ax.legend(loc="lower left", fontsize=6.5)

    used = sex[sex["year"].astype(int).isin(share["year"])]
    return Chart(
        title=f"Women were {last.female_share_pct:.0f}% of arrivals in {int(last.year)}",
        subtitle=f"Share of women among defectors arriving in South Korea, years with a "
        f"published split, with {lvl}% exact intervals",
        caption=(
            "Female share of arrivals with a known sex (Clopper-Pearson intervals). Years "
            "without a published male/female split are not shown."
        ),
        alt=(
            "Dot chart of the share of women among arrivals: "
            + ", ".join(f"{r.female_share_pct:.0f}% in {r.year}" for r in share.itertuples())
            + f". In {int(last.year)} the interval is {last.female_share_ci_low_pct:.0f}-"
            f"{last.female_share_ci_high_pct:.0f}%."
        ),
        data=share,
        source_ids=list(used["male_source_id"]) + list(used["female_source_id"]),
        draw=draw,
    )


def fortifications(data: Path, results: Path) -> Chart:
    f = pd.read_csv(data / "fortifications.csv", keep_default_na=False).set_index("quantity")
    v = f["value"].astype(float)
    km = v["section_length"]

    def draw(ax: plt.Axes, size: str) -> None:
        rows = ["Mar 2019", "Apr 2022"]
        ax.barh(rows, [v["watchtowers"], v["watchtowers"]], color=BLUE, label="Watchtowers")
        ax.barh(
            rows[1],
            v["guard_posts"],
            left=v["watchtowers"],
            color=ORANGE,
            hatch="////",
            ec="white",
            lw=0,
            label="Guard posts added",
        )
        ax.text(
            v["watchtowers"] + 2,
            0,
            f"{v['watchtowers']:.0f} watchtowers ({v['structures_per_km_2019']:.1f} per km)",
            va="center",
            fontsize=6.5,
        )
        ax.text(
            v["structures_2022"] + 2,
            1,
            f"{v['structures_2022']:.0f} ({v['structures_per_km_2022']:.1f} per km)",
            va="center",
            fontsize=6.5,
        )
        ax.set_xlim(0, v["structures_2022"] * 1.45)
        ax.set_xlabel(f"Structures on the {km:g} km section (count)")
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.invert_yaxis()
        ax.legend(loc="upper right", fontsize=6.5)

    fence = (
        f"{v['primary_fence_improved']:g} km of primary fence improved and "
        f"{v['secondary_fence_new']:g} km of new secondary fence"
    )
    return Chart(
        title=f"{v['guard_posts']:.0f} guard posts added on {km:g} km of border near Hoeryong",
        subtitle=f"Structures on the Hoeryong section, March 2019 and April 2022; also {fence}",
        caption=(
            f"Satellite imagery of a {km:g} km section near Hoeryong. Guard posts are additions "
            f"to the {v['watchtowers']:.0f} watchtowers of 2019; per-km figures are derived "
            "(structures / section length), assuming no structure was removed."
        ),
        alt=(
            f"Bar chart: {v['watchtowers']:.0f} watchtowers on the {km:g} km Hoeryong section "
            f"in March 2019; by April 2022 {v['guard_posts']:.0f} guard posts had been added, "
            f"{v['structures_2022']:.0f} structures in all, from {v['structures_per_km_2019']:.1f}"
            f" to {v['structures_per_km_2022']:.1f} per km; {fence}."
        ),
        data=f.reset_index()[["quantity", "value", "unit", "nature", "is_derived", "source_id"]],
        source_ids=list(f["source_id"]) + [i for i in f["via_source_id"] if i],
        draw=draw,
        note="Per-km figures derived by the project.",
    )


def timeline(data: Path, results: Path) -> Chart:
    ev = _events(data)
    ev = ev[ev["x"] >= 2000].reset_index(drop=True)
    cats = list(dict.fromkeys(ev.sort_values("x")["category"]))[::-1]  # earliest on top
    lane = {c: i for i, c in enumerate(cats)}
    shapes = ["o", "s", "D", "^", "v", "P", "X", "*", "h", "<", ">"]

    def draw(ax: plt.Axes, size: str) -> None:
        for c in cats:
            e = ev[ev["category"] == c]
            ax.plot(
                e["x"],
                [lane[c]] * len(e),
                ls="none",
                marker=shapes[lane[c] % len(shapes)],
                ms=4,
                color=[BLUE, VERMILLION, GREEN, ORANGE, INK][lane[c] % 5],
            )
        for i, e in enumerate(ev[ev["chart_label"] != ""].itertuples()):
            right = e.x > (ev["x"].min() + ev["x"].max()) / 2
            ax.annotate(
                e.chart_label,
                (e.x, lane[e.category]),
                xytext=(-3 if right else 3, 4 if i % 2 == 0 else -9),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize=5.5 if size == "single" else 6,
            )
        ax.set_yticks(range(len(cats)), [c.replace("_", " ") for c in cats], fontsize=6)
        ax.set_ylim(-1.3, len(cats) - 0.1)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel("Year")

    first, last = ev.iloc[0], ev.iloc[-1]
    return Chart(
        title=f"{len(ev)} dated policy and border events, {first['date'][:4]}-{last['date'][:4]}",
        subtitle="Events from the project's events table by category; labelled: marked events",
        caption=(
            "Each marker is a dated event at the first day of its reported date (a month or a "
            "year when that is all the source gives)."
        ),
        alt=(
            f"Timeline of {len(ev)} events from {first['date']} ({first['event']}) to "
            f"{last['date']} ({last['event']}), in categories " + ", ".join(cats) + "."
        ),
        data=ev[
            [
                "event_id",
                "date",
                "date_start",
                "date_precision",
                "category",
                "chart_label",
                "source_id",
            ]
        ],
        source_ids=list(ev["source_id"]) + [i for i in ev["via_source_id"] if i],
        draw=draw,
    )


def revisions(data: Path, results: Path) -> Chart:
    rev = pd.read_csv(data / "arrivals_revisions.csv", keep_default_na=False)
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    rev = rev[(rev["measure"] == "total") & (rev["period"] == "year")]
    first = rev[rev["is_first_reported"] == True].groupby("year")["value"].first()  # noqa: E712
    current = annual.set_index("year")["arrivals_count"].dropna().astype(int)
    t = pd.DataFrame({"first_reported_count": first}).join(current.rename("current_count"))
    t = t.dropna().astype(int).reset_index()
    t["revision_count"] = t["current_count"] - t["first_reported_count"]
    t["revision_pct"] = (100 * t["revision_count"] / t["first_reported_count"]).round(2)
    big = t.loc[t["revision_count"].abs().idxmax()]

    def draw(ax: plt.Axes, size: str) -> None:
        ax.axhline(0, color=INK, lw=0.6)
        ax.bar(t["year"], t["revision_count"], color=VERMILLION, width=0.7)
        for r in t[t["revision_count"] != 0].itertuples():
            ax.annotate(
                f"{r.revision_count:+d}",
                (r.year, r.revision_count),
                xytext=(0, 2 if r.revision_count > 0 else -7),
                textcoords="offset points",
                ha="center",
                fontsize=5.5 if size == "single" else 6,
            )
        ax.set_ylabel("Revision (people)")
        ax.set_xlim(annual["year"].min() - 0.6, annual["year"].max() + 0.6)

    return Chart(
        title=f"{int((t['revision_count'] != 0).sum())} annual totals revised since first "
        f"published; the largest, {int(big['year'])}, by {int(big['revision_count']):+d}",
        subtitle="Annual arrivals: current value minus the value first reported, years with "
        "more than one published value",
        caption=(
            "First-reported values are the earliest publication of each year's total; current "
            "values follow the selection rule. Excluded rows (typos, buckets) are not plotted."
        ),
        alt=(
            f"Bar chart of revisions to annual arrivals in {len(t)} years. The largest: "
            f"{int(big['year'])}, first reported as {int(big['first_reported_count']):,}, now "
            f"{int(big['current_count']):,}."
        ),
        data=t,
        source_ids=[i for ids in rev["source_ids"] for i in ids.split(";")],
        draw=draw,
    )


def break_scan(data: Path, results: Path) -> Chart:
    scan = pd.read_csv(results / "model_break_scan.csv")
    annual = pd.read_csv(data / "arrivals_annual.csv", keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    best = scan[scan["is_best"]].iloc[0]
    iy = head["parameters"]["intervention_year"]

    def draw(ax: plt.Axes, size: str) -> None:
        ax.plot(scan["break_year"], scan["delta_deviance_scaled"], color=BLUE, marker="o", ms=3)
        for year, text in ((int(best["break_year"]), "best"), (iy, "closure"), (2012, "2012")):
            row = scan[scan["break_year"] == year]
            if len(row):
                ax.annotate(
                    text,
                    (year, row["delta_deviance_scaled"].iloc[0]),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    fontsize=6,
                )
        ax.set_ylabel("Fit gap to the best year")
        ax.set_xlabel("Candidate break year")
        ax.set_xticks(scan["break_year"][:: 2 if size == "single" else 1])
        ax.set_ylim(0, None)

    years = scan["window_start_year"].iloc[0]
    at = scan.set_index("break_year")["delta_deviance_scaled"]
    return Chart(
        title=f"The data place the break in {int(best['break_year'])}",
        subtitle=f"Fit of a one-break trend model for each candidate year, window from {years}; "
        "lower is better",
        caption=(
            "Fit gap: deviance of the segmented count model for each break year minus the "
            "lowest, divided by the dispersion. A profile across years chosen after seeing the "
            "data, not a significance test."
        ),
        alt=(
            f"Line chart of model fit by candidate break year, {int(scan['break_year'].min())}-"
            f"{int(scan['break_year'].max())}. Best: {int(best['break_year'])}; "
            + "; ".join(f"{y}: {at[y]:.1f} above" for y in (iy, 2012) if y in at.index)
            + "."
        ),
        data=scan,
        source_ids=list(
            annual.loc[annual["year"].astype(int) >= years, "source_id"].replace("", pd.NA).dropna()
        ),
        draw=draw,
        note="Model estimates.",
    )


def counterfactual(data: Path, results: Path) -> Chart:
    fitted = pd.read_csv(results / "model_fitted.csv")
    head = json.loads((results / "headline.json").read_text())
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    obs = annual.dropna(subset=["arrivals_count"])
    miss = head["missing_arrivals"]
    horizon = head["counterfactual_horizon"]
    post = fitted[fitted["is_post_intervention"]]
    iy = head["parameters"]["intervention_year"]
    lvl = round(100 * miss["level"])

    def draw(ax: plt.Axes, size: str) -> None:
        ax.fill_between(
            post["year"],
            post["counterfactual_pred_low"],
            post["counterfactual_pred_high"],
            color=ORANGE,
            alpha=0.3,
            lw=0,
            label=f"{lvl}% interval",
        )
        pre = fitted[~fitted["is_post_intervention"]]
        ax.plot(
            pre["year"],
            pre["fitted_count"],
            color=GREY,
            lw=1.2,
            ls="-",
            label="Fitted trend (pre-closure)",
        )
        bridge = fitted[fitted["year"] >= iy - 1]
        ax.plot(
            bridge["year"],
            bridge["counterfactual_count"],
            color=ORANGE,
            lw=1.5,
            ls="--",
            label="Trend continued",
        )
        ax.plot(
            obs["year"],
            obs["arrivals_count"],
            color=BLUE,
            lw=1.2,
            marker="o",
            ms=2.5,
            label="Observed",
        )
        ax.set_ylabel("Arrivals per year (people)")
        ax.set_ylim(0, None)
        # below the plot: inside, it would hide the peak years at some sizes
        drop = {"single": -0.2, "double": -0.12, "web": -0.1}[size]  # clear the tick labels
        ax.legend(loc="upper left", bbox_to_anchor=(0, drop), ncol=2, fontsize=6.5)
        _thousands(ax)

    text = (
        f"About {miss['value']:,.0f} fewer arrivals in {post['year'].min()}-"
        f"{post['year'].max()} than the {head['parameters']['pre_start_year']}-{iy - 1} "
        f"trend implies ({lvl}% interval {miss['low']:,.0f}-{miss['high']:,.0f})."
    )
    return Chart(
        title=(
            "Arrivals fell far below the pre-closure trend"
            if miss["low"] > 0
            else "Arrivals stayed within the range of the pre-closure trend"
        ),
        subtitle=text,
        caption=(
            f"Observed annual arrivals, the {head['family']['value']} trend fitted to "
            f"{head['parameters']['pre_start_year']}-{iy - 1}, and its continuation with "
            f"a {lvl}% prediction interval (parameter, dispersion and count uncertainty). "
            f"The trend is carried {horizon['value']} years beyond {iy - 1}; the pre-period "
            f"back-tests it {horizon['tested_horizon']} years ahead"
            + (
                f", so {', '.join(map(str, horizon['years_beyond']))} are untested extrapolation."
                if horizon["years_beyond"]
                else "."
            )
        ),
        alt=(f"Line chart: observed arrivals against the pre-closure trend. {text}"),
        data=fitted,
        source_ids=list(obs["source_id"]),
        draw=draw,
        note="Counterfactual is a model estimate.",
    )


CHARTS: dict[str, Callable[[Path, Path], Chart]] = {
    "arrivals": arrivals,
    "counterfactual": counterfactual,
    "quarterly": quarterly,
    "female_share": female_share,
    "fortifications": fortifications,
    "timeline": timeline,
    "revisions": revisions,
    "break_scan": break_scan,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(CHARTS))
    parser.add_argument("--data", type=Path, default=paths.PROCESSED)
    parser.add_argument("--results", type=Path, default=paths.PROCESSED)
    parser.add_argument("--out", type=Path, default=paths.FIGURES)
    args = parser.parse_args()
    from analysis.raw import sources

    render(CHARTS[args.name](args.data, args.results), args.name, sources(), args.out)


if __name__ == "__main__":
    run_step(main)
