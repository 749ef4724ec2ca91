"""Stage 4: publication charts, each in three sizes and three formats, with its data and text.

Input: processed tables. Output, per chart NAME, in reports/figures/:
NAME-{single,double,web}.{svg,pdf,png}, NAME.csv (the data plotted) and NAME.json (title,
caption, alt text, sources). Bytes depend only on the data: no dates, fixed SVG ids.

    python -m analysis.charts NAME [--in DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from analysis import paths  # noqa: E402
from analysis.io import atomic_path, run_step, write_csv, write_json  # noqa: E402

CM = 1 / 2.54
# name: (width, height) in cm. Single and double journal columns; 16:9 for the web.
SIZES = {"single": (8.8, 7.0), "double": (18.0, 9.5), "web": (16.0, 9.0)}
FORMATS = ("svg", "pdf", "png")
WRAP = {"single": 44, "double": 100, "web": 88}  # title characters per line
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


def source_line(source_ids: list[str], sources: pd.DataFrame) -> str:
    """'Source: ...' built from the sources of the data plotted, grouped by publisher."""
    used = sources[sources["source_id"].isin(set(source_ids))]
    groups = used.assign(year=used["published"].str[:4]).groupby("publisher")["year"]
    parts = [f"{pub} ({', '.join(sorted(set(y)))})" for pub, y in groups]
    return "Source: " + "; ".join(sorted(parts))


def render(
    chart: Chart,
    name: str,
    sources: pd.DataFrame,
    out: Path,
    sizes: tuple[str, ...] = tuple(SIZES),
    formats: tuple[str, ...] = FORMATS,
) -> None:
    src = source_line(chart.source_ids, sources)
    with plt.rc_context(STYLE):
        for size in sizes:
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
                "\n".join(textwrap.wrap(chart.subtitle, int(wrap * 1.15))),
                fontsize=7.5,
                fontweight="normal",
                color="#444444",
            )
            foot = textwrap.wrap(src + (" " + chart.note if chart.note else ""), int(wrap * 1.5))
            # supxlabel is laid out by the constrained engine, so the footer never overlaps
            fig.supxlabel("\n".join(foot), x=0.01, ha="left", fontsize=6, color="#444444")
            for fmt in formats:
                target = out / f"{name}-{size}.{fmt}"
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=fmt, metadata=METADATA[fmt])
            plt.close(fig)
    write_csv(chart.data, out / f"{name}.csv")
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
            "files": [f"{name}-{s}.{f}" for s in sizes for f in formats] + [f"{name}.csv"],
        },
        out / f"{name}.json",
    )


# --- the charts ------------------------------------------------------------------------------


def arrivals(data: Path, results: Path) -> Chart:
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    obs = annual.dropna(subset=["arrivals_count"])
    peak = obs.loc[obs["arrivals_count"].idxmax()]
    last = obs.iloc[-1]
    closure = 2020

    def draw(ax: plt.Axes, size: str) -> None:
        ax.axvspan(closure - 0.5, annual["year"].max() + 0.5, color="#eeeeee", lw=0)
        ax.bar(obs["year"], obs["arrivals_count"], color=BLUE, width=0.75)
        ax.text(
            closure - 0.3,
            peak["arrivals_count"] * 0.97,
            "Border\nclosed",
            fontsize=6.5,
            va="top",
            color=INK,
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
        ax.set_xlim(annual["year"].min() - 0.6, annual["year"].max() + 0.6)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))

    alt = (
        f"Bar chart of North Korean defectors arriving in South Korea each year from "
        f"{int(obs['year'].min())} to {int(last['year'])}. Arrivals peaked at "
        f"{int(peak['arrivals_count']):,} in {int(peak['year'])}, were "
        + ", ".join(f"{int(r.arrivals_count):,} in {r.year}" for r in obs.tail(3).itertuples())
        + f"; the border was closed in January {closure}."
    )
    return Chart(
        title="Defectors reaching South Korea fell to a few dozen a year after the border closed",
        subtitle=f"North Korean defectors arriving in South Korea per year, "
        f"{int(annual['year'].min())}-{int(annual['year'].max())}",
        caption=(
            f"Annual arrivals, current value per year under the project's selection rule; "
            f"the shaded years follow the closure of January {closure}."
        ),
        alt=alt,
        data=annual[["year", "arrivals_count", "source_id"]],
        source_ids=list(obs["source_id"]),
        draw=draw,
    )


def counterfactual(data: Path, results: Path) -> Chart:
    fitted = pd.read_csv(results / "model_fitted.csv")
    head = json.loads((results / "headline.json").read_text())
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    obs = annual.dropna(subset=["arrivals_count"])
    miss = head["missing_arrivals"]
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
            label=f"{lvl}% prediction interval",
        )
        pre = fitted[~fitted["is_post_intervention"]]
        ax.plot(
            pre["year"],
            pre["fitted_count"],
            color=GREY,
            lw=1.2,
            ls="-",
            label="Fitted pre-closure trend",
        )
        bridge = fitted[fitted["year"] >= iy - 1]
        ax.plot(
            bridge["year"],
            bridge["counterfactual_count"],
            color=ORANGE,
            lw=1.5,
            ls="--",
            label="Trend continued (counterfactual)",
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
        ax.legend(loc="upper right", fontsize=6.5)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))

    text = (
        f"About {miss['value']:,.0f} fewer arrivals in {post['year'].min()}-"
        f"{post['year'].max()} than the {head['parameters']['pre_start_year']}-{iy - 1} "
        f"trend implies ({lvl}% interval {miss['low']:,.0f}-{miss['high']:,.0f})."
    )
    return Chart(
        title="Arrivals fell far below the pre-closure trend",
        subtitle=text,
        caption=(
            f"Observed annual arrivals, the {head['family']['value']} trend fitted to "
            f"{head['parameters']['pre_start_year']}-{iy - 1}, and its continuation with "
            f"a {lvl}% prediction interval (parameter and count uncertainty)."
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
