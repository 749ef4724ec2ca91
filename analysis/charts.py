"""Stage 4: publication charts, each in three sizes and three formats, with its data and text.

Input: processed tables. Output, per chart NAME, in reports/figures/:
NAME-{single,double,web}.{svg,pdf,png}, NAME.csv (the data plotted), NAME.json (title,
caption, alt text, sources) and NAME-embed.html (a <figure> to paste into an article).
Bytes depend only on the data: no dates, fixed SVG ids.

    python -m analysis.charts NAME [--in DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import embed, fonts, marks, paths, wording  # noqa: E402
from analysis.i18n import ENGLISH, LANGUAGES, N_, Text  # noqa: E402
from analysis.io import atomic_open, atomic_path, run_step, write_csv, write_json  # noqa: E402
from analysis.marks import Mark  # noqa: E402

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
    "font.family": fonts.family("en"),  # Hangul in a label falls back to NanumGothic
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
fonts.register()
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
    # every bar and point in words (value, year, source): focusable, with a tooltip, in the
    # SVGs shown on screen (analysis.marks builds them; see build())
    marks: list[Mark] = field(default_factory=list)
    text: Text = ENGLISH  # the language its words are in (file names say it: NAME-ko-web.svg)


def stem(name: str, text: Text) -> str:
    """A chart's file stem: NAME in English, NAME-ko in Korean."""
    return name if text.language == "en" else f"{name}-{text.language}"


def num(value: float, text: Text, digits: int = 0) -> str:
    """A number on a chart: 1,047 (Korean too; English exactly as before)."""
    return f"{value:,.{digits}f}" if text.language == "en" else text.number(value, digits)


def source_line(
    source_ids: list[str], sources: pd.DataFrame, limit: int = 600, text: Text = ENGLISH
) -> str:
    """'Source: ...' built from the sources of the data plotted, grouped by publisher.

    When the full line would crowd the chart, it names the publishers cited most and counts
    the rest; the full list stays in NAME.json (source_ids) and the data CSV.
    """
    counts = pd.Series(source_ids).value_counts()
    used = sources[sources["source_id"].isin(counts.index)]
    groups = used.assign(year=used["published"].str[:4]).groupby("publisher")["year"]
    parts = [f"{pub} ({', '.join(sorted(set(y)))})" for pub, y in groups]
    line = text.gettext("Source: {sources}", sources="; ".join(sorted(parts)))
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
    return text.gettext(
        "Source: {sources} and {rest} other publishers ({count} publications, listed with the "
        "chart's data)",
        sources="; ".join(names),
        rest=rest,
        count=len(used),
    )


def build(
    name: str, data: Path, results: Path, sources: pd.DataFrame, text: Text = ENGLISH
) -> Chart:
    """Chart `name` from the processed tables in `data` and the model results in `results`,
    with its marks, in the language of `text`."""
    chart = CHARTS[name](data, results, text)
    chart.text = text
    chart.marks = marks.build(name, chart, data, results, sources)
    return chart


def render(
    chart: Chart,
    name: str,
    sources: pd.DataFrame,
    out: Path,
    sizes: tuple[str, ...] = tuple(SIZES),
    formats: tuple[str, ...] = FORMATS,
    interactive: tuple[str, ...] = ("web",),
    file_stem: str | None = None,
) -> None:
    """Every size and format of a chart, its data, text and embed snippet. The SVGs of the
    sizes in `interactive` (those shown on screen) carry the marks overlay. Files are named
    after the chart and its language (stem()), or `file_stem` (a report's own folder)."""
    text = chart.text
    base = file_stem or stem(name, text)
    src = source_line(chart.source_ids, sources, text=text)
    with plt.rc_context(STYLE | {"font.family": fonts.family(text.language)}):
        for size in sizes:
            w, h = SIZES[size]
            fig = plt.figure(figsize=(w * CM, h * CM), layout="constrained")
            ax = fig.add_subplot()
            chart.draw(ax, size)
            wrap = WRAP[size]
            lines = _wrapper(text, w * CM * 72)
            fig.suptitle(
                "\n".join(lines(chart.title, wrap, 9, "bold")),
                x=0.01,
                ha="left",
                fontsize=9,
                fontweight="bold",
            )
            ax.set_title(
                "\n".join(lines(chart.subtitle, wrap, 7.5, share=0.8)),  # set beside the y label
                fontsize=7.5,
                fontweight="normal",
                color="#444444",
            )
            line = source_line(chart.source_ids, sources, SOURCE_CHARS[size], text)
            foot = lines(line + (". " + chart.note if chart.note else ""), int(wrap * 1.5), 6)
            # supxlabel is laid out by the constrained engine, so the footer never overlaps
            fig.supxlabel("\n".join(foot), x=0.01, ha="left", fontsize=6, color="#444444")
            for fmt in formats:
                target = out / f"{base}-{size}.{fmt}"
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=fmt, metadata=METADATA[fmt])
                    if fmt == "svg":
                        # placed after the save: the figure is laid out then
                        shown = marks.place(fig, ax, chart.marks) if size in interactive else []
                        svg = embed.annotate(
                            tmp.read_text(encoding="utf-8"),
                            chart.title,
                            chart.alt,
                            embed.overlay(shown, w / 2.54 * 72, h / 2.54 * 72) if shown else "",
                        )
                        tmp.write_text(svg, encoding="utf-8")
            plt.close(fig)
    # the data plotted: one CSV per chart, the same numbers in every language
    data_file = f"{name}.csv" if file_stem is None else f"{base}.csv"
    write_csv(chart.data, out / data_file)
    files = [f"{base}-{s}.{f}" for s in sizes for f in formats] + [data_file]
    if "web" in sizes and "svg" in formats:
        web = (out / f"{base}-web.svg").read_text(encoding="utf-8")
        with atomic_open(out / f"{base}-embed.html") as fh:
            fh.write(embed_snippet(base, chart, web))
        files.append(f"{base}-embed.html")
    write_json(
        {
            "name": name,
            "language": text.language,
            "title": chart.title,
            "subtitle": chart.subtitle,
            "caption": chart.caption,
            "alt_text": chart.alt,
            "source_line": src,
            "source_ids": sorted(set(chart.source_ids)),
            "note": chart.note,
            "sizes_cm": {s: list(SIZES[s]) for s in sizes},
            "files": files,
        },
        out / f"{base}.json",
    )


def _wrapper(text: Text, width_pt: float) -> Callable[..., list[str]]:
    """How a chart's title block wraps: English by characters per line (as it always has);
    Korean by measured width, since a Hangul syllable is about twice as wide as a Latin letter
    and a character count would run lines off the figure. Korean breaks between words (spaces),
    as Korean typesetting does (keep-all)."""
    if text.language == "en":
        return lambda said, chars, size, weight="normal", share=1.0: textwrap.wrap(said, chars)
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()

    def lines(
        said: str, chars: int, size: float, weight: str = "normal", share: float = 0.95
    ) -> list[str]:
        """`said` in lines no wider than `share` of the figure (the rest: insets, margins)."""
        room = width_pt * share
        font = FontProperties(family=fonts.family(text.language), size=size, weight=weight)
        out: list[str] = []
        for word in said.split():
            trial = f"{out[-1]} {word}" if out else word
            if out and measure.get_text_width_height_descent(trial, font, ismath=False)[0] <= room:
                out[-1] = trial
            else:
                out.append(word)
        return out

    return lines


def embed_snippet(name: str, chart: Chart, svg: str) -> str:
    """A <figure> to paste into an article: the web SVG inline (it loads nothing, so it works
    wherever it is pasted), with hover and focus values, title, caption and source line."""
    w = round(SIZES["web"][0] / 2.54 * 96)  # CSS pixels at 96 per inch
    return embed.figure(embed.inline(svg, f"nk-{name}", w), name, chart.caption, w)


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


def arrivals(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
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
    marked = marked.assign(label=_labels(marked, text))
    # what was said about a year with no count yet: a forecast bound, the quarters so far
    said = test[(test["what"].isin(["forecast", "quarters counted"])) & (test["year"] > last.year)]
    bound = said[(said["what"] == "forecast") & (said["qualifier"] == "at_most")]
    counted = said[said["what"] == "quarters counted"]

    other = other_values(data, obs)

    def draw(ax: plt.Axes, size: str) -> None:
        small = size == "single"
        ax.axvspan(closure - 0.5, last_year + 0.5, color="#eeeeee", lw=0)
        ax.bar(obs["year"], obs["arrivals_count"], color=BLUE, width=0.75)
        top = float(peak["arrivals_count"])
        for r in bound.itertuples():
            ax.bar(r.year, r.high, width=0.75, fill=False, ec=VERMILLION, ls="--", lw=0.8)
            ax.annotate(
                _("forecast\nbelow {count}", count=num(r.high, text)),
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
                e.label,
                fontsize=5.5 if small else 6,
                va="top",
                ha="left" if left else "right",
                color="#444444",
            )
        for point in (peak, last):
            ax.annotate(
                num(int(point["arrivals_count"]), text),
                (point["year"], point["arrivals_count"]),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6.5,
            )
        ax.set_ylabel(_("Arrivals per year (people)"))
        ax.set_xlim(first_year - 0.6, last_year + 0.6)
        ax.set_ylim(0, top * 1.34)
        _thousands(ax)

    yr = lambda year: wording.y(int(year), text)  # noqa: E731 - 2019 / 2019년
    recent = ", ".join(
        _("{count} in {year}", count=num(int(r.arrivals_count), text), year=yr(r.year))
        for r in obs.tail(3).itertuples()
    )
    closed = wording.closure_phrase(closure, _closure_date(data), text)
    low_on_reference = wording.change(
        head["rate_ratio_low_on_reference"], "rate_ratio_low_on_reference", text
    )
    alt = (
        _(
            "Bar chart of North Korean defectors arriving in South Korea each year from {first} "
            "to {last}. Arrivals peaked at {peak} in {peak_year} and were {recent}; shaded: from "
            "{closure}. ",
            first=yr(obs["year"].min()),
            last=yr(last["year"]),
            peak=num(int(peak["arrivals_count"]), text),
            peak_year=yr(peak["year"]),
            recent=recent,
            closure=closed,
        )
        + low_on_reference.text
    )
    for r in bound.itertuples():
        alt += " " + _(
            "For {year}, support groups forecast below {count}",
            year=yr(r.year),
            count=num(r.high, text),
        )
        alt += "".join(
            _(
                "; {count} were counted in {quarters}",
                count=num(c.value, text),
                quarters=text.quarters(c.note[7:]),
            )
            for c in counted.itertuples()
        )
        alt += "."
    if bound.empty:
        alt += "".join(
            " "
            + _(
                "For {year}, {count} were counted in {quarters} so far.",
                year=yr(c.year),
                count=num(c.value, text),
                quarters=text.quarters(c.note[7:]),
            )
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
    years = (
        f"{first_year}-{last_year}" if text.language == "en" else text.years(first_year, last_year)
    )
    return Chart(
        title=wording.arrivals_title(head, text),
        subtitle=_(
            "North Korean defectors arriving in South Korea per year, {years}; shaded: from "
            "{closure}",
            years=years,
            closure=closed,
        ),
        caption=_(
            "Annual arrivals, current value per year under the project's selection rule. "
            "Dotted lines mark events from the events table; a dashed outline is a forecast "
            "upper bound, a dash the arrivals counted in the quarters published so far. The "
            "figures for {revised} years were revised after first publication; every other "
            "value reported is in the revisions chart, in this chart's data (CSV) and, on "
            "screen, in each bar's tooltip.",
            revised=len(revised),
        ),
        alt=alt,
        data=plotted,
        source_ids=list(obs["source_id"]) + bound_ids + list(marked["source_id"]),
        draw=draw,
        note=_("Forecast bound: reported by support groups, not a count.") if len(bound) else "",
        text=text,
    )


def _labels(events: pd.DataFrame, text: Text) -> pd.Series:
    """Events' chart labels in the chart's language: chart_label_ko in Korean where the events
    table gives one (data, shown verbatim), else chart_label."""
    if text.language == "en" or "chart_label_ko" not in events.columns:
        return events["chart_label"]
    return events["chart_label_ko"].where(events["chart_label_ko"] != "", events["chart_label"])


def _closure_date(data: Path) -> str | None:
    """The date of the border closure in the events table (YYYY-MM), if it is there."""
    ev = _events(data)
    dates = ev.loc[ev["event_id"] == "border-closure", "date"]
    return str(dates.iloc[0]) if len(dates) else None


def other_values(data: Path, obs: pd.DataFrame) -> pd.DataFrame:
    """Per year: the values reported besides the current one, and whether one of them is an
    earlier (superseded) value. Each bar's mark says them in words (analysis.marks)."""
    rev = pd.read_csv(data / "arrivals_revisions.csv", dtype={"flags": str})
    rev = rev[(rev["period"] == "year") & (rev["measure"] == "total")]
    rev = rev[rev["status"] != "selected"]
    rows = []
    for r in obs.itertuples():
        earlier = rev[rev["year"] == r.year].sort_values("first_published", kind="mergesort")
        rows.append(
            {
                "year": r.year,
                "other_values_reported": ";".join(str(v) for v in earlier["value"]),
                "has_earlier_value": (earlier["status"] == "superseded").any(),
            }
        )
    return pd.DataFrame(rows, columns=["year", "other_values_reported", "has_earlier_value"])


def quarterly(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
    q = pd.read_csv(data / "arrivals_quarterly.csv", dtype={"arrivals_count": "Int64"})
    head = json.loads((results / "headline.json").read_text())
    closure = head["parameters"]["intervention_year"]
    q = q[q["year"] >= closure - 1].reset_index(drop=True)
    last_known = q.dropna(subset=["arrivals_count"]).index.max()
    q = q.loc[:last_known]
    q["quarter"] = (
        q["year"].astype(str) + " " + q["period"]
        if text.language == "en"
        else [
            f"{wording.y(y, text)} {text.quarters(p)}"
            for y, p in zip(q["year"], q["period"], strict=True)
        ]
    )
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
            text.quarters(p) if p != "Q1" else f"{text.quarters(p)}\n{wording.y(y, text)}"
            for y, p in zip(q["year"], q["period"], strict=True)
        ]
        ax.set_xticks(list(x), labels, fontsize=5.5 if size == "single" else 6.5)
        ax.set_ylabel(_("Arrivals per quarter (people)"))
        ax.grid(axis="x", visible=False)

    first, last = obs.iloc[0], obs.iloc[-1]
    alt = wording.quarterly_alt(
        head,
        [(r.quarter, int(r.arrivals_count)) for r in obs.itertuples()],
        wording.closure_phrase(closure, _closure_date(data), text),
        text,
    )
    return Chart(
        title=wording.quarterly_title(head, text),
        subtitle=_(
            "Defectors arriving in South Korea per quarter, {first} to {last}; shaded: from the "
            "closure",
            first=first["quarter"],
            last=last["quarter"],
        ),
        caption=_(
            "Quarterly arrivals (current values); quarters without a published count are left "
            "empty."
        ),
        alt=alt,
        data=q[["year", "period", "arrivals_count", "source_id"]],
        source_ids=list(obs["source_id"]),
        draw=draw,
        text=text,
    )


def female_share(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
    share = pd.read_csv(results / "model_female_share.csv")
    sex = pd.read_csv(data / "arrivals_sex.csv", dtype=str, keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    lvl = round(100 * head["female_share_odds_ratio"]["level"])

    def draw(ax: plt.Axes, size: str) -> None:
        pre = share[~share["is_post_intervention"]]
        post = share[share["is_post_intervention"]]
        for part, colour, marker, label in (
            (pre, BLUE, "o", _("Before the closure")),
            (post, VERMILLION, "s", _("From the closure")),
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
                num(r.female_share_pct, text) + "%",
                (r.year, r.female_share_ci_high_pct),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                fontsize=6,
            )
        ax.axhline(50, color=GREY, lw=0.6, ls="--")
        ax.set_ylim(0, 100)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))  # no "2002.5"
        ax.set_ylabel(_("Women among arrivals (%)"))
        ax.legend(loc="lower left", fontsize=6.5)

    used = sex[sex["year"].astype(int).isin(share["year"])]
    return Chart(
        title=wording.female_share_title(
            share.to_dict("records"), head["parameters"]["intervention_year"], text
        ),
        subtitle=_(
            "Share of women among defectors arriving in South Korea, years with a published "
            "split, with {level}% exact intervals",
            level=lvl,
        ),
        caption=_(
            "Female share of arrivals with a known sex (Clopper-Pearson intervals). Years "
            "without a published male/female split are not shown."
        ),
        alt=wording.female_share_alt(head, share.to_dict("records"), text),
        data=share,
        source_ids=list(used["male_source_id"]) + list(used["female_source_id"]),
        draw=draw,
        text=text,
    )


def fortifications(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
    f = pd.read_csv(data / "fortifications.csv", keep_default_na=False).set_index("quantity")
    v = f["value"].astype(float)
    km = v["section_length"]
    km_text = f"{km:g}"

    def draw(ax: plt.Axes, size: str) -> None:
        rows = ["Mar 2019", "Apr 2022"] if text.language == "en" else ["2019년 3월", "2022년 4월"]
        ax.barh(rows, [v["watchtowers"], v["watchtowers"]], color=BLUE, label=_("Watchtowers"))
        ax.barh(
            rows[1],
            v["guard_posts"],
            left=v["watchtowers"],
            color=ORANGE,
            hatch="////",
            ec="white",
            lw=0,
            label=_("Guard posts added"),
        )
        ax.text(
            v["watchtowers"] + 2,
            0,
            _(
                "{count} watchtowers ({per_km} per km)",
                count=num(v["watchtowers"], text),
                per_km=num(v["structures_per_km_2019"], text, 1),
            ),
            va="center",
            fontsize=6.5,
        )
        ax.text(
            v["structures_2022"] + 2,
            1,
            _(
                "{count} ({per_km} per km)",
                count=num(v["structures_2022"], text),
                per_km=num(v["structures_per_km_2022"], text, 1),
            ),
            va="center",
            fontsize=6.5,
        )
        ax.set_xlim(0, v["structures_2022"] * 1.45)
        ax.set_xlabel(_("Structures on the {km} km section (count)", km=km_text))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)
        ax.invert_yaxis()
        ax.legend(loc="upper right", fontsize=6.5)

    shown = {
        "km": f"{km:g}",
        "watchtowers": num(v["watchtowers"], text),
        "guard_posts": num(v["guard_posts"], text),
        "structures": num(v["structures_2022"], text),
        "per_km_2019": num(v["structures_per_km_2019"], text, 1),
        "per_km_2022": num(v["structures_per_km_2022"], text, 1),
    }
    improved, new = (f"{v[q]:g}" for q in ("primary_fence_improved", "secondary_fence_new"))
    fence = _(
        "{improved} km of primary fence improved and {new} km of new secondary fence",
        improved=improved,
        new=new,
    )
    return Chart(
        title=_("{guard_posts} guard posts added on {km} km of border near Hoeryong", **shown),
        subtitle=_(
            "Structures on the Hoeryong section, March 2019 and April 2022; also {fence}",
            fence=fence,
        ),
        caption=_(
            "Satellite imagery of a {km} km section near Hoeryong. Guard posts are additions to "
            "the {watchtowers} watchtowers of 2019; per-km figures are derived (structures / "
            "section length), assuming no structure was removed.",
            **shown,
        ),
        alt=_(
            "Bar chart: {watchtowers} watchtowers on the {km} km Hoeryong section in March "
            "2019; by April 2022 {guard_posts} guard posts had been added, {structures} "
            "structures in all, from {per_km_2019} to {per_km_2022} per km; {fence}.",
            fence=fence,
            **shown,
        ),
        data=f.reset_index()[["quantity", "value", "unit", "nature", "is_derived", "source_id"]],
        source_ids=list(f["source_id"]) + [i for i in f["via_source_id"] if i],
        draw=draw,
        note=_("Per-km figures derived by the project."),
        text=text,
    )


# the events table's categories, as a chart's lane labels say them
CATEGORIES = {
    "punishment": N_("punishment"),
    "refugees": N_("refugees"),
    "campaign": N_("campaign"),
    "diplomacy": N_("diplomacy"),
    "border_guards": N_("border guards"),
    "international_law": N_("international law"),
    "report": N_("report"),
    "border": N_("border"),
    "permits": N_("permits"),
    "exile": N_("exile"),
    "incident": N_("incident"),
    "law": N_("law"),
    "terminology": N_("terminology"),
}


def timeline(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
    ev = _events(data)
    ev = ev[ev["x"] >= 2000].reset_index(drop=True)
    ev["label"] = _labels(ev, text)

    def category(c: str) -> str:
        return text.translate(CATEGORIES.get(c, c.replace("_", " ")))

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
                e.label,
                (e.x, lane[e.category]),
                xytext=(-3 if right else 3, 4 if i % 2 == 0 else -9),
                textcoords="offset points",
                ha="right" if right else "left",
                fontsize=5.5 if size == "single" else 6,
            )
        ax.set_yticks(range(len(cats)), [category(c) for c in cats], fontsize=6)
        ax.set_ylim(-1.3, len(cats) - 0.1)
        ax.grid(axis="x", visible=True)
        ax.set_xlabel(_("Year"))

    first, last = ev.iloc[0], ev.iloc[-1]
    years = (
        f"{first['date'][:4]}-{last['date'][:4]}"
        if text.language == "en"
        else text.years(int(first["date"][:4]), int(last["date"][:4]))
    )
    return Chart(
        title=_("{count} dated policy and border events, {years}", count=len(ev), years=years),
        subtitle=_("Events from the project's events table by category; labelled: marked events"),
        caption=_(
            "Each marker is a dated event at the first day of its reported date (a month or a "
            "year when that is all the source gives)."
        ),
        alt=_(
            "Timeline of {count} events from {first} ({first_event}) to {last} ({last_event}), "
            "in categories {categories}.",
            count=len(ev),
            first=first["date"] if text.language == "en" else text.date(first["date"]),
            first_event=first["event"],
            last=last["date"] if text.language == "en" else text.date(last["date"]),
            last_event=last["event"],
            categories=", ".join(cats if text.language == "en" else map(category, cats)),
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
        text=text,
    )


def revisions(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
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
            shown = (
                f"{r.revision_count:+d}" if text.language == "en" else text.signed(r.revision_count)
            )
            ax.annotate(
                shown,
                (r.year, r.revision_count),
                xytext=(0, 2 if r.revision_count > 0 else -7),
                textcoords="offset points",
                ha="center",
                fontsize=5.5 if size == "single" else 6,
            )
        ax.set_ylabel(_("Revision (people)"))
        ax.set_xlim(annual["year"].min() - 0.6, annual["year"].max() + 0.6)

    by = int(big["revision_count"])
    by = f"{by:+d}" if text.language == "en" else text.signed(by)
    return Chart(
        title=_(
            "{count} annual totals revised since first published; the largest, {year}, by {by}",
            count=int((t["revision_count"] != 0).sum()),
            year=wording.y(int(big["year"]), text),
            by=by,
        ),
        subtitle=_(
            "Annual arrivals: current value minus the value first reported, years with more "
            "than one published value"
        ),
        caption=_(
            "First-reported values are the earliest publication of each year's total; current "
            "values follow the selection rule. Excluded rows (typos, buckets) are not plotted."
        ),
        alt=_(
            "Bar chart of revisions to annual arrivals in {count} years. The largest: {year}, "
            "first reported as {first}, now {current}.",
            count=len(t),
            year=wording.y(int(big["year"]), text),
            first=num(int(big["first_reported_count"]), text),
            current=num(int(big["current_count"]), text),
        ),
        data=t,
        source_ids=[i for ids in rev["source_ids"] for i in ids.split(";")],
        draw=draw,
        text=text,
    )


def break_scan(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
    scan = pd.read_csv(results / "model_break_scan.csv")
    annual = pd.read_csv(data / "arrivals_annual.csv", keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    best = scan[scan["is_best"]].iloc[0]
    iy = head["parameters"]["intervention_year"]

    def draw(ax: plt.Axes, size: str) -> None:
        ax.plot(scan["break_year"], scan["delta_deviance_scaled"], color=BLUE, marker="o", ms=3)
        named = ((int(best["break_year"]), _("best")), (iy, _("closure")), (2012, "2012"))
        for year, word in named:
            row = scan[scan["break_year"] == year]
            if len(row):
                ax.annotate(
                    word,
                    (year, row["delta_deviance_scaled"].iloc[0]),
                    xytext=(0, 5),
                    textcoords="offset points",
                    ha="center",
                    fontsize=6,
                )
        ax.set_ylabel(_("Fit gap to the best year"))
        ax.set_xlabel(_("Candidate break year"))
        ax.set_xticks(scan["break_year"][:: 2 if size == "single" else 1])
        ax.set_ylim(0, None)

    years = scan["window_start_year"].iloc[0]
    return Chart(
        title=wording.break_scan_title(head, text),
        subtitle=_(
            "Fit of a one-break trend model for each candidate year, window from {year}; lower "
            "is better",
            year=wording.y(int(years), text),
        ),
        caption=_(
            "Fit gap: deviance of the segmented count model for each break year minus the "
            "lowest, divided by the dispersion. A profile across years chosen after seeing the "
            "data, not a significance test."
        ),
        alt=wording.break_scan_alt(
            head, int(scan["break_year"].min()), int(scan["break_year"].max()), text
        ),
        data=scan,
        source_ids=list(
            annual.loc[annual["year"].astype(int) >= years, "source_id"].replace("", pd.NA).dropna()
        ),
        draw=draw,
        note=_("Model estimates."),
        text=text,
    )


def counterfactual(data: Path, results: Path, text: Text = ENGLISH) -> Chart:
    _ = text.gettext
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
            label=_("{level}% interval", level=lvl),
        )
        pre = fitted[~fitted["is_post_intervention"]]
        ax.plot(
            pre["year"],
            pre["fitted_count"],
            color=GREY,
            lw=1.2,
            ls="-",
            label=_("Fitted trend (pre-closure)"),
        )
        bridge = fitted[fitted["year"] >= iy - 1]
        ax.plot(
            bridge["year"],
            bridge["counterfactual_count"],
            color=ORANGE,
            lw=1.5,
            ls="--",
            label=_("Trend continued"),
        )
        ax.plot(
            obs["year"],
            obs["arrivals_count"],
            color=BLUE,
            lw=1.2,
            marker="o",
            ms=2.5,
            label=_("Observed"),
        )
        ax.set_ylabel(_("Arrivals per year (people)"))
        ax.set_ylim(0, None)
        # below the plot: inside, it would hide the peak years at some sizes
        drop = {"single": -0.2, "double": -0.12, "web": -0.1}[size]  # clear the tick labels
        ax.legend(loc="upper left", bbox_to_anchor=(0, drop), ncol=2, fontsize=6.5)
        _thousands(ax)

    said = wording.counterfactual_text(head, text)
    pre = head["parameters"]["pre_start_year"]
    values = {
        "family": head["family"]["value"],
        "pre": f"{pre}-{iy - 1}" if text.language == "en" else text.years(pre, iy - 1),
        "level": lvl,
        "horizon": horizon["value"],
        "last_pre": wording.y(iy - 1, text),
        "tested": horizon["tested_horizon"],
    }
    caption = _(
        "Observed annual arrivals, the {family} trend fitted to {pre}, and its continuation "
        "with a {level}% prediction interval (parameter, dispersion and count uncertainty). "
        "The trend is carried {horizon} years beyond {last_pre}; the pre-period back-tests it "
        "{tested} years ahead",
        **values,
    )
    if horizon["years_beyond"]:
        beyond = (
            ", ".join(map(str, horizon["years_beyond"]))
            if text.language == "en"
            else wording._years(horizon["years_beyond"], text=text)
        )
        caption += _(", so {years} are untested extrapolation.", years=beyond)
    else:
        caption += "."
    return Chart(
        title=wording.counterfactual_title(head, text),
        subtitle=said,
        caption=caption,
        alt=_("Line chart: observed arrivals against the pre-closure trend. {text}", text=said),
        data=fitted,
        source_ids=list(obs["source_id"]),
        draw=draw,
        note=_("Counterfactual is a model estimate."),
        text=text,
    )


CHARTS: dict[str, Callable[[Path, Path, Text], Chart]] = {
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
    parser.add_argument(
        "--language", choices=LANGUAGES, action="append", help="draw only these (default: all)"
    )
    args = parser.parse_args()
    from analysis.raw import sources

    src = sources()
    for language in args.language or LANGUAGES:
        chart = build(args.name, args.data, args.results, src, Text(language))
        render(chart, args.name, src, args.out)


if __name__ == "__main__":
    run_step(main)
