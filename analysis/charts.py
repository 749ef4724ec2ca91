"""Stage 4: publication charts, each in four sizes, with its data and text.

Input: processed tables. Output, per chart NAME, in reports/figures/: NAME-{single,double}.
{svg,pdf,png} for print, NAME-{web,phone}.{svg,png} for screens, NAME.csv (the data plotted),
NAME.json (title, caption, alt text, sources) and NAME-embed.html (a <figure> to paste into an
article). Sizes, type, colours and layout are the house style (analysis/style.py). Bytes
depend only on the data: no dates, fixed SVG ids.

Every chart also in Korean (NAME-ko-SIZE.FMT, NAME-ko.json, NAME-ko-embed.html; one NAME.csv):
its words come from the catalogue (analysis.i18n), `_()` saying them in the language the chart
is built and drawn in.

    python -m analysis.charts NAME [--data DIR] [--results DIR] [--out DIR] [--language en|ko ...]
        [--term 북한이탈주민|탈북민|북향민]  (another term than the legal one: --out DIR needed)
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from analysis import embed, fonts, i18n, marks, paths, wording  # noqa: E402
from analysis import style as st  # noqa: E402
from analysis.i18n import ENGLISH, LANGUAGES, N_, Text  # noqa: E402
from analysis.i18n import gettext as _  # noqa: E402
from analysis.io import (  # noqa: E402
    InputError,
    atomic_open,
    atomic_path,
    run_step,
    up_to_date,
    write_csv,
    write_json,
)
from analysis.marks import Mark  # noqa: E402
from analysis.style import (  # noqa: E402
    ADDED,
    CONTEXT,
    COUNT,
    INK,
    MODEL,
    MODEL_DARK,
    MUTED,
    OTHER_VALUE,
    Size,
)

SIZES = st.SIZES
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
    "png": {"Software": None},
}
# Every arrivals figure is the Ministry of Unification's count, as a publication printed it
# (README, "When new figures are published"): the source line names it first.
ARRIVALS_PRIMARY = N_("Ministry of Unification")
SOURCE_LINES_MAX = 2


@dataclass
class Chart:
    """What a chart function returns: the drawing, and the words and data that travel with it.

    `draw` gets the axes (a list when `panels` has more than one height) and the size. Sources:
    `source_ids` are the publications the values were read in; `primary_ids` (publications
    that originated values) and `primary_name` (an originator with no row in sources.csv)
    are named first in the source line, the rest after "via"."""

    title: str
    subtitle: str
    caption: str
    alt: str
    data: pd.DataFrame
    source_ids: list[str]
    draw: Callable[..., None]
    note: str = ""
    # every bar and point in words (value, year, source): focusable, with a tooltip, in the
    # SVGs shown on screen (analysis.marks builds them; see build())
    marks: list[Mark] = field(default_factory=list)
    primary_ids: list[str] = field(default_factory=list)
    primary_name: str = ""
    panels: tuple[float, ...] = (1.0,)
    taller: float = 1.0  # height of every size times this (charts with stacked panels)
    technical: bool = False  # a diagnostic for the technical report, not for the front page
    text: Text = ENGLISH  # the language its words are in (file names say it: NAME-ko-web.svg)


def stem(name: str, text: Text) -> str:
    """A chart's file stem: NAME in English, NAME-ko in Korean."""
    return name if text.language == "en" else f"{name}-{text.language}"


def _y(year: object) -> str:
    """A year in the current language: 2019 / 2019년."""
    return wording.y(int(year), i18n.current())


def _years(first: object, last: object) -> str:
    """A span of years: 2019–2024 (house style) / 2019~2024년."""
    text = i18n.current()
    return st.span(first, last) if text.language == "en" else text.years(int(first), int(last))


def _labels(events: pd.DataFrame) -> pd.Series:
    """Events' chart labels in the current language: chart_label_ko in Korean where the events
    table gives one (data, shown verbatim), else chart_label."""
    if i18n.current().language == "en" or "chart_label_ko" not in events.columns:
        return events["chart_label"]
    return events["chart_label_ko"].where(events["chart_label_ko"] != "", events["chart_label"])


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{names} and {last}", names=", ".join(names[:-1]), last=names[-1])


def _some(names: list[str], keep: int) -> str:
    if len(names) <= keep:
        return _and(names)
    rest = len(names) - keep
    shown = ", ".join(names[:keep])
    if rest > 1:
        return _("{names} and {count} others", names=shown, count=rest)
    return _("{names} and {count} other", names=shown, count=rest)


def _ranked(ids: list[str], sources: pd.DataFrame, text: Text = ENGLISH) -> list[str]:
    """Publishers of these sources, the one cited most first (ties: alphabetical), named in
    the language of `text` (publisher_ko in Korean): ranked by the English name, so every
    language counts and orders the same publishers."""
    publisher = sources.set_index("source_id")["publisher"]
    names = pd.Series([publisher.get(i, i) for i in ids if i], dtype=str)
    if names.empty:
        return []
    counts = names.value_counts()
    said = dict(zip(sources["publisher"], sources[text.column("publisher", sources)], strict=True))
    return [said.get(n, n) for n in sorted(counts.index, key=lambda n: (-counts[n], n))]


def source_lines(chart: Chart, sources: pd.DataFrame) -> list[str]:
    """Source lines for a chart, the fullest first: the primary source first, then the
    publications it was read in ("Ministry of Unification, via Yonhap and 12 others"). The
    full list is in NAME.json (source_ids) and the chart's data."""
    named = chart.text.translate(chart.primary_name) if chart.primary_name else ""
    primary = ([named] if named else []) + [
        n for n in _ranked(chart.primary_ids, sources, chart.text) if n != named
    ]
    primary_set = set(chart.primary_ids)
    others = [i for i in chart.source_ids if i not in primary_set]
    via = [n for n in _ranked(others, sources, chart.text) if n not in primary]
    if not primary:
        primary, via = via, []
    out: list[str] = []
    with i18n.using(chart.text):
        if not primary:  # a chart of no figures (the data hold none it can draw)
            return [_("Source: {names}", names="\u2014")]
        for keep_primary, keep_via in ((3, 2), (2, 1), (1, 1), (1, 0)):
            line = _("Source: {names}", names=_some(primary, keep_primary))
            if via and keep_via:
                line += _(", via {names}", names=_some(via, keep_via))
            elif via:
                count = len(via)
                line += (
                    _(", via {count} publications", count=count)
                    if count > 1
                    else _(", via {count} publication", count=count)
                )
            if line not in out:
                out.append(line)
    return out


def _header(chart: Chart, size: Size) -> st.Block:
    parts = []
    if chart.technical:
        with i18n.using(chart.text):
            parts.append((_("Technical chart: a model diagnostic"), size.source, "bold", MUTED))
    parts.append((st.typeset(chart.title), size.title, "bold", INK))
    parts.append((st.typeset(chart.subtitle), size.subtitle, "normal", MUTED))
    return st.Block(parts)


def _footer(chart: Chart, source: str, size: Size) -> st.Block:
    parts = [(st.typeset(chart.note), size.source, "normal", MUTED)] if chart.note else []
    return st.Block([*parts, (source, size.source, "normal", MUTED)])


def _new_figure(chart: Chart, size: Size) -> tuple[Figure, list[Axes]]:
    fig = plt.figure(figsize=(size.width_cm * st.CM, size.height_cm * chart.taller * st.CM))
    axes = [fig.add_axes((0.1, 0.1, 0.8, 0.8)) for _ in chart.panels]
    return fig, axes


def figure(chart: Chart, sources: pd.DataFrame, size: str, source: str | None = None) -> Figure:
    """The chart drawn at one size, with its title block and source line (not yet saved)."""
    sz = SIZES[size]
    source = source or pick_source_line(chart, sources)
    # Korean is set in NanumGothic throughout (analysis.fonts); the draw says its words in the
    # chart's language
    language = {"font.family": fonts.family(chart.text.language)}
    with plt.rc_context(st.rc(sz) | language), i18n.using(chart.text):
        fig, axes = _new_figure(chart, sz)
        chart.draw(axes[0] if len(axes) == 1 else axes, sz)
        st.figure_layout(fig, axes, sz, _header(chart, sz), _footer(chart, source, sz),
                         list(chart.panels))  # fmt: skip
    return fig


def source_line_count(text: str, size: Size, language: str = "en") -> int:
    """Lines the source line takes at a size (wrapped as the footer wraps it)."""
    family = fonts.family(language)
    with plt.rc_context(st.rc(size) | {"font.family": family}):
        fig = plt.figure(figsize=(size.width_cm * st.CM, size.height_cm * st.CM))
        renderer = fig.canvas.get_renderer()
        font = matplotlib.font_manager.FontProperties(family=family, size=size.source)
        lines = st.wrap(text, st.text_width_px(fig.bbox.width, size, renderer), font, renderer)
        plt.close(fig)
    return len(lines)


def _first_fit(options: list[str], language: str) -> int:
    for i, line in enumerate(options):
        fits = (source_line_count(line, s, language) for s in SIZES.values())
        if all(n <= SOURCE_LINES_MAX for n in fits):
            return i
    return len(options) - 1


def pick_source_line(chart: Chart, sources: pd.DataFrame) -> str:
    """The fullest source line that fits SOURCE_LINES_MAX lines at every size: one line,
    the same in every file and in NAME.json. Another language takes the same choice as
    English (or a shorter one): its line names the same sources and counts."""
    options = source_lines(chart, sources)
    i = _first_fit(options, chart.text.language)
    if chart.text.language != "en":
        english = dataclasses.replace(chart, text=ENGLISH)
        i = max(i, _first_fit(source_lines(english, sources), "en"))
    return options[min(i, len(options) - 1)]


def build(
    name: str, data: Path, results: Path, sources: pd.DataFrame, text: Text = ENGLISH
) -> Chart:
    """Chart `name` from the processed tables in `data` and the model results in `results`,
    with its marks, in the language of `text`."""
    with i18n.using(text):
        chart = CHARTS[name](data, results)
    chart.text = text
    chart.marks = marks.build(name, chart, data, results, sources)
    return chart


SCREEN = tuple(name for name, size in SIZES.items() if size.screen)


def _placed(fig: Figure, chart: Chart) -> list:
    """The chart's marks placed on the drawn figure, panel by panel; a mark outside its
    panel's view (a year before the plotted window) has nothing to name and is left out."""
    shown = []
    for i, ax in enumerate(fig.axes):
        (x0, x1), (y0, y1) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
        mine = [
            m
            for m in chart.marks
            if m.panel == i
            and (m.kind == "row" or x0 <= m.x <= x1)
            and (m.kind != "row" or y0 <= m.y <= y1)
        ]
        shown += marks.place(fig, ax, mine)  # fmt: skip
    return shown


def render(
    chart: Chart,
    name: str,
    sources: pd.DataFrame,
    out: Path,
    sizes: tuple[str, ...] = tuple(SIZES),
    formats: tuple[str, ...] | None = None,
    interactive: tuple[str, ...] = SCREEN,
    file_stem: str | None = None,
    drawn_in: Path | None = None,
) -> None:
    """Every size in its formats (or only `formats`), the data, the embed snippet, NAME.json.
    The SVGs of the sizes in `interactive` (those shown on screen) carry the marks overlay.
    Files are named after the chart and its language (stem()), or `file_stem` (a report's own
    folder). `drawn_in`: a folder where the chart step may already have drawn these SVGs
    (see already_drawn); they are copied rather than drawn again."""
    base = file_stem or stem(name, chart.text)
    src = pick_source_line(chart, sources)
    title, alt = st.typeset(chart.title), st.typeset(chart.alt)
    files = []
    copied = {}
    as_drawn = set(interactive) == set(sizes) & set(SCREEN)  # the chart step's overlays
    if drawn_in is not None and formats == ("svg",) and as_drawn:
        copied = already_drawn(chart, name, src, drawn_in, sizes)
    for size, svg in copied.items():
        target = out / f"{base}-{size}.svg"
        files.append(target.name)
        with atomic_open(target, "wb") as fh:
            fh.write(svg)
    for size in (s for s in sizes if s not in copied):
        fig = figure(chart, sources, size, src)
        w_pt, h_pt = fig.get_figwidth() * 72, fig.get_figheight() * 72
        with plt.rc_context(st.rc(SIZES[size])):
            for fmt in formats or SIZES[size].formats:
                target = out / f"{base}-{size}.{fmt}"
                files.append(target.name)
                with atomic_path(target) as tmp:
                    fig.savefig(tmp, format=fmt, metadata=METADATA[fmt])
                    if fmt == "svg":
                        # placed after the save: the figure is laid out then
                        shown = _placed(fig, chart) if size in interactive else []
                        overlay = embed.overlay(shown, w_pt, h_pt) if shown else ""
                        text = embed.annotate(tmp.read_text(encoding="utf-8"), title, alt, overlay)
                        tmp.write_text(text, encoding="utf-8")
        plt.close(fig)
    if set(sizes) == set(SIZES) and formats is None:  # a whole chart: no file of an old layout
        for old in (out / f"{base}-{s}.{f}" for s in SIZES for f in ("svg", "pdf", "png")):
            if old.name not in files:
                old.unlink(missing_ok=True)
    # the data plotted: one CSV per chart, the same numbers in every language, written by the
    # English pass (a column of labels is in English: the Korean pass would overwrite it)
    data_file = f"{name}.csv" if file_stem is None else f"{base}.csv"
    if file_stem is not None or chart.text.language == "en":
        write_csv(chart.data, out / data_file)
    files.append(data_file)
    svgs = {s: out / f"{base}-{s}.svg" for s in ("web", "phone") if f"{base}-{s}.svg" in files}
    if "web" in svgs:
        with atomic_open(out / f"{base}-embed.html") as fh:
            fh.write(embed_snippet(base, chart, {s: f.read_text("utf-8") for s, f in svgs.items()}))
        files.append(f"{base}-embed.html")
    sizes_cm = {
        s: [round(SIZES[s].width_cm, 2), round(SIZES[s].height_cm * chart.taller, 2)] for s in sizes
    }
    write_json(
        {"name": name, **_words(chart, src), "sizes_cm": sizes_cm, "files": files},
        out / f"{base}.json",
    )


def _words(chart: Chart, src: str) -> dict:
    """What NAME.json says of a chart besides its files: its language and words."""
    return {
        "language": chart.text.language,
        "title": st.typeset(chart.title),
        "subtitle": st.typeset(chart.subtitle),
        "caption": st.typeset(chart.caption),
        "alt_text": st.typeset(chart.alt),
        "source_line": src,
        "source_ids": sorted(set(chart.source_ids) | set(chart.primary_ids)),
        "note": st.typeset(chart.note),
        "technical": chart.technical,
    }


# what a chart's drawing depends on besides its data and words: the Makefile's CHART_CODE and
# the locked libraries
_HERE = Path(__file__).parent
DRAWN_WITH = (
    *(_HERE / f for f in ("charts.py", "style.py", "wording.py", "marks.py", "embed.py",
                          "fonts.py", "i18n.py", "locale/ko/LC_MESSAGES/messages.po")),
    _HERE.parent / "uv.lock",
)  # fmt: skip


def already_drawn(
    chart: Chart, name: str, src: str, folder: Path, sizes: tuple[str, ...]
) -> dict[str, bytes]:
    """The SVGs of `sizes` that the chart step drew in `folder`, when they are this chart: drawn
    after the last change to the code that draws (DRAWN_WITH, as make sees it), with a NAME.json
    that says the same words and a NAME.csv that holds the same numbers. A report with the
    default model shows the charts the build has just drawn; drawing them again would cost a
    second. Any difference, an older file or a missing one, and nothing is reused."""
    base = stem(name, chart.text)
    try:
        said = json.loads((folder / f"{base}.json").read_text(encoding="utf-8"))
        plotted = (folder / f"{name}.csv").read_text(encoding="utf-8")
        files = [folder / f"{base}-{s}.svg" for s in sizes]
        if not up_to_date(files, list(DRAWN_WITH)):
            return {}
        svgs = {s: f.read_bytes() for s, f in zip(sizes, files, strict=True)}
    except (OSError, ValueError):
        return {}
    same_words = all(said.get(k) == v for k, v in _words(chart, src).items())
    same_data = plotted == chart.data.to_csv(index=False, lineterminator="\n")
    return svgs if same_words and same_data and said.get("name") == name else {}


def _css_px(cm: float) -> int:
    return round(cm / 2.54 * st.CSS_PX_PER_INCH)


def embed_snippet(name: str, chart: Chart, svgs: dict[str, str]) -> str:
    """A <figure> to paste into an article: the web SVG inline (it loads nothing, so it works
    wherever it is pasted), with hover and focus values, title, caption and source line. With
    the phone SVG too, a container up to style.PHONE_MAX_PX wide shows the phone layout (the
    figure is a size container: the switch follows the column the chart is pasted in, not the
    screen)."""
    w = _css_px(SIZES["web"].width_cm)
    caption = st.typeset(chart.caption)
    if "phone" not in svgs:
        return embed.figure(embed.inline(svgs["web"], f"nk-{name}", w), name, caption, w)
    switch = (
        f"<style>.nk-{name}-phone{{display:none}}@container nk-chart (max-width:"
        f"{st.PHONE_MAX_PX}px){{.nk-{name}-web{{display:none}}.nk-{name}-phone{{display:block}}}}"
        "</style>\n"
    )
    both = (
        f'{switch}<div class="nk-{name}-web">\n{embed.inline(svgs["web"], f"nk-{name}", w)}</div>\n'
        f'<div class="nk-{name}-phone">\n'
        f"{embed.inline(svgs['phone'], f'nk-{name}-p', st.PHONE_MAX_PX)}</div>\n"
    )
    return embed.figure(both, name, caption, w)


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
    marked = marked.assign(label=_labels(marked))
    # what was said about a year with no count yet: a forecast bound, the quarters so far
    said = test[(test["what"].isin(["forecast", "quarters counted"])) & (test["year"] > last.year)]
    bound = said[(said["what"] == "forecast") & (said["qualifier"] == "at_most")]
    counted = said[said["what"] == "quarters counted"]

    other = other_values(data, obs)

    def draw(ax: Axes, size: Size) -> None:
        top = float(peak["arrivals_count"])
        st.mark_closure(ax, closure - 0.5, last_year + 0.6, size)
        ax.bar(obs["year"], obs["arrivals_count"], color=COUNT, width=0.75, zorder=2)
        low = obs[obs["year"] >= closure]
        shown = [peak, last] + ([low.loc[low["arrivals_count"].idxmin()]] if len(low) else [])
        for point in shown:
            y, v = int(point["year"]), int(point["arrivals_count"])
            st.want(ax, st.num(v), (y, v), st.above(), size=size.label)
        for r in bound.itertuples():
            ax.bar(r.year, r.high, width=0.75, fill=False, ec=OTHER_VALUE, ls="--", lw=0.8)
            st.want(ax, _("forecast below {count}", count=st.num(r.high)), (r.year, r.high),
                    [(0, 2, "center", "bottom"), (-4, 2, "right", "bottom")],
                    color=OTHER_VALUE, size=size.label)  # fmt: skip
        for r in counted.itertuples():
            ax.plot(r.year, r.value, marker="_", ms=7, mew=1.6, color=COUNT, ls="none")
            st.want(ax, _("{count} so far", count=st.num(r.value)), (r.year, r.value),
                    [(0, 3, "right", "bottom"), (-4, 0, "right", "center")],
                    required=False, size=size.label)  # fmt: skip
        row = size.label * 1.3
        counts = obs.set_index("year")["arrivals_count"].astype(float)
        for e in marked.itertuples():
            x = e.x - 0.5  # bars are centred on their year: a year begins half a bar left
            if abs(x - (closure - 0.5)) < 1 / 12:
                continue  # the closure itself: the shade marks it
            near = counts[(counts.index >= x - 1) & (counts.index <= x + 1)]
            rows = [(s * 2.5, -2 - i * row, "left" if s > 0 else "right", "top")
                    for i in range(4) for s in (1, -1)]  # fmt: skip
            st.want(ax, e.label, (x, 1), rows, coords=ax.get_xaxis_transform(),
                    color=MUTED, size=size.label,
                    stem_from=(x, (near.max() if len(near) else 0) + top * 0.03))  # fmt: skip
        st.y_title(ax, _("Arrivals per year (people)"), size)
        ax.set_xlim(first_year - 0.6, last_year + 0.6)
        ax.set_ylim(0, top * st.headroom(size, rows=4, share=0.45))
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(10 if size.compact else 5))
        st.thousands(ax)

    text = i18n.current()
    count = lambda v: f"{v:,.0f}"  # noqa: E731 - 1,047 (as Korean prints it too)
    recent = ", ".join(
        _("{count} in {year}", count=count(int(r.arrivals_count)), year=_y(r.year))
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
            first=_y(obs["year"].min()),
            last=_y(last["year"]),
            peak=count(int(peak["arrivals_count"])),
            peak_year=_y(peak["year"]),
            recent=recent,
            closure=closed,
        )
        + low_on_reference.text
    )
    for r in bound.itertuples():
        alt += " " + _(
            "For {year}, support groups forecast below {count}",
            year=_y(r.year),
            count=count(r.high),
        )
        alt += "".join(
            _(
                "; {count} were counted in {quarters}",
                count=count(c.value),
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
                year=_y(c.year),
                count=count(c.value),
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
        f"{first_year}\u2013{last_year}" if text.language == "en" else _years(first_year, last_year)
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
        primary_name=ARRIVALS_PRIMARY,
        draw=draw,
        note=_("Forecast bound: reported by support groups, not a count.") if len(bound) else "",
    )


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


def quarterly(data: Path, results: Path) -> Chart:
    q = pd.read_csv(data / "arrivals_quarterly.csv", dtype={"arrivals_count": "Int64"})
    head = json.loads((results / "headline.json").read_text())
    closure = head["parameters"]["intervention_year"]
    q = q[q["year"] >= closure - 1].reset_index(drop=True)
    last_known = q.dropna(subset=["arrivals_count"]).index.max()
    q = q.loc[:last_known]
    text = i18n.current()
    q["quarter"] = [
        f"{y} {p}" if text.language == "en" else f"{_y(y)} {text.quarters(p)}"
        for y, p in zip(q["year"], q["period"], strict=True)
    ]
    obs = q.dropna(subset=["arrivals_count"])
    x = range(len(q))

    def draw(ax: Axes, size: Size) -> None:
        post = q["year"] >= closure
        st.mark_closure(ax, post.idxmax() - 0.5, len(q) - 0.4, size)
        ax.bar(list(x), q["arrivals_count"].fillna(0), color=COUNT, width=0.75, zorder=2)
        # the highest before the closure, the lowest from it, the last quarter
        counts = q["arrivals_count"].astype("Float64")
        before, after = counts[~post].dropna(), counts[post].dropna()
        key = {last_known} | ({before.idxmax()} if len(before) else set())
        key |= {after.idxmin()} if len(after) else set()
        for i in sorted(key):
            v = int(q.loc[i, "arrivals_count"])
            st.want(ax, st.num(v), (i, v), st.above(), size=size.label)
        # years centred under their quarters; a tick between years
        years = q.groupby("year").apply(lambda g: (g.index.min() + g.index.max()) / 2)
        step = 2 if size.compact and len(years) > 5 else 1
        ax.set_xticks(years.to_numpy()[::step], [str(y) for y in years.index[::step]])
        ax.set_xticks([i - 0.5 for i in q.index[q["period"] == "Q1"]], minor=True)
        ax.tick_params(axis="x", which="major", length=0)
        ax.tick_params(axis="x", which="minor", length=4)
        ax.set_xlim(-0.6, len(q) - 0.4)
        ax.set_ylim(0, float(counts.max()) * 1.15)
        st.y_title(ax, _("Arrivals per quarter (people)"), size)
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
        primary_name=ARRIVALS_PRIMARY,
        draw=draw,
    )


def female_share(data: Path, results: Path) -> Chart:
    share = pd.read_csv(results / "model_female_share.csv")
    sex = pd.read_csv(data / "arrivals_sex.csv", dtype=str, keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    lvl = round(100 * head["female_share_odds_ratio"]["level"])

    def draw(ax: Axes, size: Size) -> None:
        first_year, last_year = int(share["year"].min()), int(share["year"].max())
        closure = int(share.loc[share["is_post_intervention"], "year"].min())
        st.mark_closure(ax, closure - 0.5, last_year + 1.2, size, where="bottom")
        st.reference_line(ax, y=50, ls="--", lw=0.7)  # half: its tick says so
        ax.vlines(share["year"], share["female_share_ci_low_pct"],
                  share["female_share_ci_high_pct"], color=COUNT, lw=1, zorder=2)  # fmt: skip
        ax.plot(share["year"], share["female_share_pct"], "o", color=COUNT, ms=3.5, zorder=3)
        # the first year and the points the title names (wording.female_share_title): the
        # last year before the closure, the farthest from it after, the last year
        pre, post = share[~share["is_post_intervention"]], share[share["is_post_intervention"]]
        keys = [share.iloc[0], pre.iloc[-1]] if len(pre) else []
        if len(post):
            ref = float(pre.iloc[-1]["female_share_pct"]) if len(pre) else 50.0
            keys += [post.loc[(post["female_share_pct"] - ref).abs().idxmax()], share.iloc[-1]]
        for r in {int(k["year"]): k for k in keys}.values():
            y, v = int(r["year"]), float(r["female_share_pct"])
            high, low = (y, r["female_share_ci_high_pct"]), (y, r["female_share_ci_low_pct"])
            spots = [
                st.Spot(0, 2, "center", "bottom", xy=high),
                st.Spot(0, -2, "center", "top", xy=low),
                st.Spot(2, 2, "left", "bottom", xy=high),
                st.Spot(2, -2, "left", "top", xy=low),
                st.Spot(4, 0, "left", "center"),
                st.Spot(-4, 0, "right", "center"),
            ]
            st.want(ax, f"{v:.0f}%", (y, v), spots, names=[(y, v)], size=size.label)
        ax.set_ylim(0, 100)
        ax.set_yticks([0, 25, 50, 75, 100])
        ax.set_xlim(first_year - 1.2, last_year + 1.2)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5 if size.compact else 8,
                                                                 integer=True))  # fmt: skip
        st.y_title(ax, _("Women among arrivals (%)"), size)

    used = sex[sex["year"].astype(int).isin(share["year"])]
    return Chart(
        title=wording.female_share_title(
            share.to_dict("records"), head["parameters"]["intervention_year"], i18n.current()
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
        alt=wording.female_share_alt(head, share.to_dict("records"), i18n.current()),
        data=share,
        source_ids=list(used["male_source_id"]) + list(used["female_source_id"]),
        primary_name=ARRIVALS_PRIMARY,
        draw=draw,
    )


def fortifications(data: Path, results: Path) -> Chart:
    f = pd.read_csv(data / "fortifications.csv", keep_default_na=False).set_index("quantity")
    v = f["value"].astype(float)
    km = v["section_length"]
    km_text = f"{km:g}"
    text = i18n.current()

    def draw(ax: Axes, size: Size) -> None:
        rows = ["Mar 2019", "Apr 2022"] if text.language == "en" else ["2019년 3월", "2022년 4월"]
        tower, added = v["watchtowers"], v["guard_posts"]
        ax.barh(rows, [tower, tower], color=COUNT, height=0.6, zorder=2)
        ax.barh(rows[1], added, left=tower, color=ADDED, height=0.6, zorder=2)
        per_km = f"{v['structures_per_km_2019']:.1f}"
        towers = f"{tower:.0f}"
        said = _("{count} watchtowers ({per_km} per km)", count=towers, per_km=per_km)
        st.want(ax, said, (tower, 0),
                [(3, 0, "left", "center")], names=[(tower / 2, 0)], size=size.label)  # fmt: skip
        posts = f"{added:.0f}"
        said = _("{count} guard posts added", count=posts)
        st.want(ax, said, (tower + added / 2, 1),
                [(0, 0, "center", "center")], names=[(tower + added / 2, 1)],
                size=size.label, color=INK)  # fmt: skip
        total = v["structures_2022"]
        per_km = f"{v['structures_per_km_2022']:.1f}"
        all_count = f"{total:.0f}"
        said = _("{count} in all ({per_km} per km)", count=all_count, per_km=per_km)
        st.want(ax, said,
                (total, 1), [(3, 0, "left", "center")], names=[(total - added / 2, 1)],
                size=size.label, two_lines=True)  # fmt: skip
        ax.set_xlim(0, total * (1.6 if size.compact else 1.45))
        ax.set_ylim(1.6, -0.6)
        ax.set_xlabel(_("Structures on the {km} km section (count)", km=km_text))
        ax.grid(axis="y", visible=False)
        ax.grid(axis="x", visible=True)

    shown = {
        "km": km_text,
        "watchtowers": f"{v['watchtowers']:.0f}",
        "guard_posts": f"{v['guard_posts']:.0f}",
        "structures": f"{v['structures_2022']:.0f}",
        "per_km_2019": f"{v['structures_per_km_2019']:.1f}",
        "per_km_2022": f"{v['structures_per_km_2022']:.1f}",
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
        primary_ids=list(f["source_id"]),
        draw=draw,
        note=_("Per-km figures derived by the project."),
    )


# The timeline's rows: what an event did. A category not listed here goes to "Other".
EVENT_GROUPS = {
    N_("Punishment and border control"): (
        "punishment", "border_guards", "border", "permits", "exile", "law", "campaign",
    ),
    N_("Relations and diplomacy"): ("diplomacy", "international_law", "refugees", "incident"),
    N_("Reports"): ("report",),
    N_("Terms"): ("terminology",),
}  # fmt: skip
OTHER = N_("Other")
QUALIFIER_AT = {"early": 1 / 6, "mid": 1 / 2, "late": 5 / 6}  # where in a year or month
MONTHS = "January February March April May June July August September October November December"


def _event_x(ev: pd.DataFrame) -> pd.Series:
    """An event's place on a time axis: its day, or the middle of its month or year (the
    part the qualifier names: early, mid, late)."""
    start = _decimal_year(ev["date_start"])
    length = ev["date_precision"].map({"day": 0.0, "month": 1 / 12, "year": 1.0}).fillna(0.0)
    at = ev["date_qualifier"].map(QUALIFIER_AT).fillna(0.5)
    return start + length * at


def _when(date: str, qualifier: str = "") -> str:
    """A reported date in words: "16 February 2000", "July 2006", "late 2004" (in Korean,
    2000년 2월 16일, 2006년 7월; a qualifier in Korean is left out of the words)."""
    text = i18n.current()
    if text.language != "en":
        return text.date(date)
    parts = date.split("-")
    words = [str(int(parts[2]))] if len(parts) > 2 else []
    words += [MONTHS.split()[int(parts[1]) - 1]] if len(parts) > 1 else []
    return " ".join(([qualifier] if qualifier else []) + words + [parts[0]])


def _stack(rows: pd.Series, x: pd.Series, apart: float) -> list[int]:
    """A level per point: the lowest free one in its row, none closer than `apart` in x."""
    placed: dict[tuple[str, int], list[float]] = {}
    levels = []
    for row, at in zip(rows, x, strict=True):
        level = 0
        while any(abs(at - other) < apart for other in placed.get((row, level), [])):
            level += 1
        placed.setdefault((row, level), []).append(at)
        levels.append(level)
    return levels


def timeline(data: Path, results: Path) -> Chart:
    ev = _events(data)
    ev = ev[ev["x"] >= 2000].reset_index(drop=True)
    cats = list(dict.fromkeys(ev.sort_values("x")["category"]))[::-1]  # earliest on top
    group_of = {c: g for g, cs in EVENT_GROUPS.items() for c in cs}
    ev["group"] = ev["category"].map(group_of).fillna(OTHER)
    groups = [g for g in [*EVENT_GROUPS, OTHER] if (ev["group"] == g).any()]
    ev["label"] = _labels(ev)
    text = i18n.current()
    ev["at"] = _event_x(ev)
    # events that would touch in a row are stacked: a busy season reads as a stack, a quiet
    # stretch as empty
    # stacked last, a labelled event tops its stack, free for its label
    ev = ev.assign(labelled=ev["chart_label"] != "")
    ev = ev.sort_values(["labelled", "at", "event_id"], kind="mergesort")
    ev["stack"] = _stack(ev["group"], ev["at"], apart=0.45)
    ev = ev.sort_values(["at", "event_id"], kind="mergesort").reset_index(drop=True)
    step = 0.3
    row_height = (ev["stack"].max() + 1) * step + 0.9
    ev["y"] = [(len(groups) - 1 - groups.index(g)) * row_height + k * step
               for g, k in zip(ev["group"], ev["stack"], strict=True)]  # fmt: skip
    closure = json.loads((results / "headline.json").read_text())["parameters"]
    closure_year = closure["intervention_year"]
    years = sorted(set(ev["at"].astype(int)))
    gaps = list(zip(years[:-1], years[1:], strict=True))
    quiet = max(gaps, key=lambda p: (p[1] - p[0], -p[0]), default=(0, 0))  # the longest gap
    first_year, last_year = int(ev["at"].min()), int(ev["at"].max())

    def draw(ax: Axes, size: Size) -> None:
        # the closure event itself is labelled where it is: the shade needs no label
        st.mark_closure(ax, closure_year, last_year + 1.5, size, label=False)
        for r in ev.itertuples():
            ax.plot(r.at, r.y, "o", ms=5 if size.compact else 6, color=INK if r.chart_label
                    else CONTEXT, mec="white", mew=0.5, zorder=3)  # fmt: skip
        for r in ev[ev["chart_label"] != ""].itertuples():
            st.want(ax, r.label, (r.at, r.y),
                    [*st.around(4), *st.leaders(12, 20, 30, 45)], names=[(r.at, r.y)],
                    size=size.label, two_lines=True)  # fmt: skip
        for g in groups:
            y = (len(groups) - 1 - groups.index(g)) * row_height
            st.want(ax, text.translate(g), (first_year - 0.8, y - 0.35), [(0, 0, "left", "top")],
                    size=size.label, color=MUTED)  # fmt: skip
        if quiet[1] - quiet[0] >= 4:
            gap = "\n" if size.compact else " "
            mid = (quiet[0] + quiet[1] + 1) / 2
            said = _("no events in the table,{gap}{years}", gap=gap,
                     years=_years(quiet[0] + 1, quiet[1] - 1))  # fmt: skip
            st.want(ax, said,
                    (mid, (len(groups) - 1) * row_height / 2),
                    [st.Spot(0, 0, "center", "center", xy=(mid, (k + 0.5) * row_height))
                     for k in sorted(range(len(groups)), key=lambda k: abs(k - len(groups) / 2))],
                    size=size.label, color=MUTED, fontstyle="italic")  # fmt: skip
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        # room above the top row for labels of its stacks
        ax.set_ylim(-row_height * 0.55, (len(groups) - 1) * row_height + ev["y"].max() % row_height
                    + (1.6 if size.compact else 1.2))  # fmt: skip
        ax.set_xlim(first_year - 1, last_year + 1.5)
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(5))
        ax.xaxis.set_minor_locator(matplotlib.ticker.MultipleLocator(1))
        ax.grid(axis="y", visible=False)

    first, last = ev.iloc[0], ev.iloc[-1]
    en = text.language == "en"
    said = text.column("event", ev)  # event_ko in Korean (data, verbatim)
    # the categories are the data's slugs: a Korean reader gets the rows' names instead
    kinds = cats if en else [text.translate(g) for g in groups]
    span = (
        f"{first['date'][:4]}\u2013{last['date'][:4]}"
        if en
        else _years(first["date"][:4], last["date"][:4])
    )
    return Chart(
        title=_("{count} dated policy and border events, {years}", count=len(ev), years=span),
        subtitle=_("Events from the project's events table by category; labelled: marked events"),
        caption=_(
            "Each dot is a dated event, at its day or, when the source gives only a month or a "
            "year, in the middle of it (early, mid or late when the source says so); events of "
            "one row that would touch are stacked. Rows group the events table's categories."
        ),
        alt=_(
            "Timeline of {count} events from {first} ({first_event}) to {last} ({last_event}), "
            "in categories {categories}.",
            count=len(ev),
            first=first["date"] if en else text.date(first["date"]),
            first_event=first[said],
            last=last["date"] if en else text.date(last["date"]),
            last_event=last[said],
            categories=", ".join(kinds),
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
                "at",
                "y",
            ]
        ].rename(columns={"at": "position_year", "y": "position_row"}),  # fmt: skip
        source_ids=list(ev["source_id"]) + [i for i in ev["via_source_id"] if i],
        primary_ids=list(ev["source_id"]),
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

    def draw(ax: Axes, size: Size) -> None:
        ax.bar(t["year"], t["revision_count"], color=OTHER_VALUE, width=0.7, zorder=2)
        st.reference_line(ax, y=0, color=INK, lw=0.7)
        ax.spines["bottom"].set_visible(False)  # the zero line is the axis
        ax.tick_params(axis="x", length=0)
        biggest = t["revision_count"].abs().max()
        for r in t[t["revision_count"] != 0].itertuples():
            up = r.revision_count > 0
            spot = [(0, 2 if up else -2, "center", "bottom" if up else "top")]
            st.want(ax, st.signed(r.revision_count), (r.year, r.revision_count), spot,
                    size=size.label, required=abs(r.revision_count) == biggest)  # fmt: skip
        st.y_title(ax, _("Revision (people)"), size)
        low, high = t["revision_count"].min(), t["revision_count"].max()
        room = (high - min(low, 0)) * 0.25 + 1
        ax.set_ylim(min(low, 0) - room, max(high, 0) + room)
        ax.set_xlim(current.index.min() - 0.6, current.index.max() + 0.6)
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(10 if size.compact else 5))
        st.thousands(ax)

    by = int(big["revision_count"])
    by = f"{by:+d}" if i18n.current().language == "en" else st.signed(by)
    # a year without a bar was never revised (one value published, or published again the
    # same), which the chart alone cannot say
    revised = t.loc[t["revision_count"] != 0, "year"]
    never = current.index[~current.index.isin(revised)]
    first_count, now_count = (f"{int(big[k]):,}" for k in ("first_reported_count", "current_count"))
    return Chart(
        title=_(
            "{count} annual totals revised since first published; the largest, {year}, by {by}",
            count=int((t["revision_count"] != 0).sum()),
            year=_y(big["year"]),
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
            year=_y(big["year"]),
            first=first_count,
            current=now_count,
        ),
        data=t,
        source_ids=[i for ids in rev["source_ids"] for i in ids.split(";")],
        primary_name=ARRIVALS_PRIMARY,
        draw=draw,
        note=_("Years without a bar were never revised: {years}.", years=_runs(never))
        if len(never)
        else "",
    )


def _runs(years: pd.Series | pd.Index) -> str:
    """Years as runs of consecutive years: 1998–2000, 2017–2021 and 2023–2025."""
    ys = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for y in ys:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return _and([_years(r[0], r[-1]) if len(r) > 1 else _y(r[0]) for r in runs])


def break_scan(data: Path, results: Path) -> Chart:
    scan = pd.read_csv(results / "model_break_scan.csv")
    annual = pd.read_csv(data / "arrivals_annual.csv", keep_default_na=False)
    head = json.loads((results / "headline.json").read_text())
    best = scan[scan["is_best"]].iloc[0]
    iy = head["parameters"]["intervention_year"]

    def draw(ax: Axes, size: Size) -> None:
        ax.plot(scan["break_year"], scan["delta_deviance_scaled"], color=MODEL_DARK, marker="o",
                ms=3.5, lw=1.2, zorder=2)  # fmt: skip
        said: dict[int, list[str]] = {}
        for year, word in ((int(best["break_year"]), _("best fit")), (iy, _("closure")),
                           (2012, "2012")):  # fmt: skip
            if year in set(scan["break_year"]):
                said.setdefault(year, []).append(word)
        for year, texts in said.items():
            y = float(scan.loc[scan["break_year"] == year, "delta_deviance_scaled"].iloc[0])
            label = ", ".join(dict.fromkeys(t for t in texts if t != str(year)))
            label = f"{year}: {label}" if label else str(year)
            st.want(ax, label, (year, y), [*st.around(3), *st.above(3)[1:]], size=size.label)
        st.y_title(ax, _("Worse fit than the best year (scaled deviance)"), size)
        ax.set_xlabel(_("Candidate first year of the closure"))
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(5 if size.compact else 10,
                                                                 integer=True))  # fmt: skip
        top = float(scan["delta_deviance_scaled"].max())
        ax.set_ylim(-top * 0.12, top * 1.15)
        ax.set_xlim(scan["break_year"].min() - 0.8, scan["break_year"].max() + 0.8)

    years = scan["window_start_year"].iloc[0]
    return Chart(
        title=wording.break_scan_title(head, i18n.current()),
        subtitle=_(
            "Fit of a one-break trend model for each candidate year, window from {year}; lower "
            "is better",
            year=_y(years),
        ),
        caption=_(
            "Fit gap: deviance of the segmented count model for each break year minus the "
            "lowest, divided by the dispersion. A profile across years chosen after seeing the "
            "data, not a significance test."
        ),
        alt=wording.break_scan_alt(
            head, int(scan["break_year"].min()), int(scan["break_year"].max()), i18n.current()
        ),
        data=scan,
        source_ids=list(
            annual.loc[annual["year"].astype(int) >= years, "source_id"].replace("", pd.NA).dropna()
        ),
        draw=draw,
        note=_("Model estimates."),
        primary_name=ARRIVALS_PRIMARY,
        technical=True,
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
    missing_count = f"{miss['value']:,.0f}"

    def draw(ax: Axes, size: Size) -> None:
        years = fitted["year"]
        st.mark_closure(ax, iy - 0.5, years.max() + 0.6, size)
        ax.fill_between(post["year"], post["counterfactual_pred_low"],
                        post["counterfactual_pred_high"], color=MODEL, alpha=0.2, lw=0,
                        zorder=1)  # fmt: skip
        seen = obs.set_index("year")["arrivals_count"].astype(float)
        gap_obs = seen.reindex(post["year"]).to_numpy()
        # the missing arrivals: between the trend carried on and what was counted
        with plt.rc_context({"hatch.linewidth": 0.7}):
            ax.fill_between(post["year"], gap_obs, post["counterfactual_count"],
                            facecolor="none", edgecolor=MODEL, hatch="////", lw=0,
                            zorder=1.2)  # fmt: skip
        pre = fitted[~fitted["is_post_intervention"]]
        ax.plot(pre["year"], pre["fitted_count"], color=MODEL_DARK, lw=1.3, zorder=2)
        bridge = fitted[fitted["year"] >= iy - 1]
        ax.plot(bridge["year"], bridge["counterfactual_count"], color=MODEL_DARK, lw=1.3,
                ls="--", zorder=2)  # fmt: skip
        ax.plot(years, fitted["arrivals_count"], color=COUNT, lw=1.3, marker="o", ms=2.8,
                zorder=3)  # fmt: skip
        mid = post.iloc[len(post) // 2]
        gap_mid = (float(mid["counterfactual_count"]) + seen.get(mid["year"], 0.0)) / 2
        st.want(ax, _("about {count} missing", count=missing_count), (mid["year"], gap_mid),
                [(0, 0, "center", "center"), *st.above(4)[1:],
                 *st.leaders(14, 28, 45, 65, 90, 120)],
                names=[(mid["year"], gap_mid)],
                size=size.label, color=MODEL_DARK, fontweight="bold",
                bbox={"fc": "white", "ec": "none", "pad": 1})  # fmt: skip
        end = bridge.iloc[-1]
        st.want(ax, _("trend carried on"), (end["year"], end["counterfactual_pred_high"]),
                [(0, 3, "right", "bottom"), (0, 3, "center", "bottom"), (-4, 3, "right",
                 "bottom", True)], size=size.label, color=MODEL_DARK)  # fmt: skip
        mid_pre = pre.iloc[len(pre) // 2]
        st.want(ax, _("pre-closure trend"), (mid_pre["year"], mid_pre["fitted_count"]),
                [(0, -8, "center", "top", True), (0, -14, "center", "top", True),
                 (0, -8, "right", "top", True)], required=False, size=size.label,
                color=MODEL_DARK)  # fmt: skip
        peak = fitted.loc[fitted["arrivals_count"].idxmax()]
        st.want(ax, _("counted"), (peak["year"], peak["arrivals_count"]),
                [(0, 3, "center", "bottom"), (4, 0, "left", "center"), (0, 3, "left", "bottom"),
                 *st.around(3), *st.leaders(10, 18, 28)], size=size.label, color=COUNT)  # fmt: skip
        st.y_title(ax, _("Arrivals per year (people)"), size)
        ax.set_ylim(0, float(post["counterfactual_pred_high"].max()) * 1.2)
        ax.set_xlim(years.min() - 0.6, years.max() + 0.6)
        ax.xaxis.set_major_locator(matplotlib.ticker.MultipleLocator(4 if size.compact else 2))
        st.thousands(ax)

    text = i18n.current()
    said = wording.counterfactual_text(head, text)
    pre = head["parameters"]["pre_start_year"]
    pre_years = _years(pre, iy - 1)
    code = head["family"]["value"]
    # the model family in words: "quasi-Poisson" in English, the catalogue's in Korean
    family_words = (
        wording.FAMILY_WORDS.get(code, code)
        if text.language == "en"
        else text.translate(i18n.FAMILIES.get(code, code))
    )
    caption = _(
        "Observed annual arrivals, the {family} trend fitted to {pre}, and its continuation "
        "with a {level}% prediction interval (parameter, dispersion and count uncertainty). "
        "The trend is carried {horizon} years beyond {last_pre}; the pre-period back-tests it "
        "{tested} years ahead",
        family=family_words,
        pre=pre_years,
        level=lvl,
        horizon=horizon["value"],
        last_pre=_y(iy - 1),
        tested=horizon["tested_horizon"],
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
        primary_name=ARRIVALS_PRIMARY,
        draw=draw,
        note=_(
            "Orange: model estimates (trend, its {level}% interval, missing arrivals).", level=lvl
        ),
    )


# The border chart's areas (`place` in figures.csv), smallest first, and how each reads; a
# quantity's words (others are shown with their underscores as spaces).
BORDER_AREAS = {
    "Hoeryong section": N_("Hoeryong section"),
    "six areas": N_("Six border areas"),
    "North Korea northern border": N_("Whole northern border"),
}
BORDER_LENGTHS = ("section_length", "border_length")
BORDER_WORDS = {
    "primary_fence_improved": N_("Primary fence improved"),
    "secondary_fence_new": N_("New secondary fence"),
    "fenced_border_length": N_("Border fenced"),
    "fence_new": N_("New fencing"),
    "fence_enhanced": N_("Fences enhanced"),
    "border_with_new_security_infrastructure": N_("New fences, walls or posts"),
    "border_without_updated_imagery": N_("Not examined (no recent imagery)"),
}
QUALIFIED = {
    "at_least": N_("at least {amount}"),
    "at_most": N_("under {amount}"),
    "approximate": N_("about {amount}"),
}


def _period(start: str, end: str) -> str:
    """ "2019", "2019–March 2023": a reported period in words (in Korean with a tilde, as
    Korean newspapers print a range: 2019년~2023년 3월)."""
    start, end = str(start or ""), str(end or "")
    if not start or start == end:
        return _when(end)
    return i18n.current().span(_when(start), _when(end))


def border_areas(data: Path, results: Path) -> Chart:
    cat = pd.read_csv(data / "catalogue.csv", dtype=str, keep_default_na=False)
    rows = cat[(cat["table"] == "figures") & cat["place"].isin(list(BORDER_AREAS))
               & (cat["unit"] == "km") & (cat["quantity"] != "border_analysed")]  # fmt: skip
    # one figure per area, quantity and year: the row listed first (as for fortifications;
    # a differing figure from another source is in conflicts.csv)
    rows = rows.assign(end_year=rows["period_end"].str[:4])
    rows = rows.drop_duplicates(["place", "quantity", "end_year"])
    order = {a: i for i, a in enumerate(BORDER_AREAS)}  # the panels' order, top to bottom
    rows = rows.assign(value_km=rows["value"].astype(float), area=rows["place"].map(order))
    rows = rows.sort_values("area", kind="mergesort")
    areas = [a for a in BORDER_AREAS if (rows["place"] == a).any()]
    lengths = rows[rows["quantity"].isin(BORDER_LENGTHS)].drop_duplicates("place")
    length = lengths.set_index("place")
    bars = rows[~rows["quantity"].isin(BORDER_LENGTHS)]

    text = i18n.current()

    def amount(r: pd.Series) -> str:
        km = f"{st.num(r['value_km'], 0 if r['value_km'] >= 20 else 1)} km"
        return text.gettext(QUALIFIED.get(r["qualifier"], "{amount}"), amount=km)

    def words(quantity: str, lower: bool = False) -> str:
        if quantity in BORDER_WORDS:
            said = text.translate(BORDER_WORDS[quantity])
            return said.lower() if lower and text.language == "en" else said
        return quantity.replace("_", " ") if lower else quantity.replace("_", " ").capitalize()

    def draw(axes: list[Axes] | Axes, size: Size) -> None:
        if not areas:  # no figure in km for any area: the chart says so (it is still built)
            assert not isinstance(axes, list)
            axes.set_axis_off()
            axes.text(0.5, 0.5, _("No figures in kilometres for these areas in the data"),
                      ha="center", va="center", transform=axes.transAxes, color=MUTED)  # fmt: skip
            return
        assert isinstance(axes, list) or len(areas) == 1
        for ax, area in zip(axes if isinstance(axes, list) else [axes], areas, strict=True):
            mine = bars[bars["place"] == area].reset_index(drop=True)
            top = float(mine["value_km"].max()) if len(mine) else 0.0
            title = text.translate(BORDER_AREAS[area])
            ys = list(range(len(mine)))
            if area in length.index:  # the area's length, a grey track behind each bar
                track = length.loc[area]
                top = max(top, float(track["value_km"]))
                title += _(": {amount} of border", amount=amount(track))
                ax.barh(ys, [float(track["value_km"])] * len(ys), color=st.TRACK, height=0.38,
                        zorder=1.5)  # fmt: skip
            font = matplotlib.font_manager.FontProperties(
                family=matplotlib.rcParams["font.family"], size=size.label, weight="bold"
            )
            fig = ax.figure
            lines = st.wrap(title, fig.bbox.width * 0.9, font, fig.canvas.get_renderer())
            ax.set_title("\n".join(lines), loc="left", fontsize=size.label, fontweight="bold",
                         color=INK, pad=size.label * 0.5)  # fmt: skip
            ax.barh(ys, mine["value_km"], color=COUNT, height=0.38, zorder=2)
            for y, r in zip(ys, mine.itertuples(), strict=True):
                said = _("{what}, {period}", what=words(r.quantity),
                         period=_period(r.period_start, r.period_end))  # fmt: skip
                # on white: the gridlines pass behind the words, not through them
                st.want(ax, said, (0, y - 0.24),
                        [(0, 1, "left", "bottom")], coords=ax.get_yaxis_transform(),
                        size=size.label, color=MUTED, two_lines=True,
                        bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})  # fmt: skip
                st.want(ax, amount(r._asdict() | {"value_km": r.value_km}), (r.value_km, y),
                        [(3, 0, "left", "center"), (-3, 0, "right", "center")],
                        names=[(r.value_km / 2, y)], size=size.label)  # fmt: skip
            ax.set_ylim(len(mine) - 0.45, -0.8)
            ax.set_xlim(0, top * (1.55 if size.compact else 1.3))
            ax.set_yticks([])
            ax.spines["left"].set_visible(False)
            ax.grid(axis="y", visible=False)
            ax.grid(axis="x", visible=True)
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4 if size.compact else 6))
            st.thousands(ax, "x")
        (axes[-1] if isinstance(axes, list) else axes).set_xlabel(
            _("Kilometres (each area on its own scale)")
        )

    said = "; ".join(
        text.translate(BORDER_AREAS[a])
        + ": "
        + ", ".join(
            _(
                "{what} {amount} ({period})",
                what=words(r.quantity, lower=True),
                amount=amount(r._asdict() | {"value_km": r.value_km}),
                period=_period(r.period_start, r.period_end),
            )
            for r in bars[bars["place"] == a].itertuples()
        )
        for a in areas
    )
    rows = rows.assign(
        is_length=rows["quantity"].isin(BORDER_LENGTHS),
        label=[words(q) for q in rows["quantity"]],
    )
    data_cols = ["figure_id", "place", "quantity", "label", "is_length", "period_start",
                 "period_end", "value", "qualifier", "unit", "as_printed", "source_id",
                 "via_source_id"]  # fmt: skip
    return Chart(
        title=_(
            "Fences along North Korea's northern border, by area, {years}",
            years=_years(2019, 2023),
        ),
        subtitle=_(
            "Kilometres of fence and new border works reported for three areas, from a 7.4 km "
            "section to the whole border; each area on its own scale"
        ),
        caption=_(
            "Figures as reported from satellite imagery for each area, the first listed when "
            "several sources give one. The areas overlap (the Hoeryong section is one of the "
            "six areas, which are part of the whole border) and were measured by different "
            "studies, so they are never added or divided across areas. Fence length can "
            "exceed border length where fences are doubled. Grey: the area's length."
        ),
        alt=_(
            "Bar charts of fence and border-works lengths by area, each on its own scale. "
            "{figures}.",
            figures=said,
        ),
        data=rows[data_cols],
        source_ids=list(rows["source_id"]) + [i for i in rows["via_source_id"] if i],
        primary_ids=list(rows["source_id"]),
        draw=draw,
        panels=tuple(max(len(bars[bars["place"] == a]), 1) + 0.8 for a in areas) or (1.0,),
        taller=2.0,
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
    "border_areas": border_areas,
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
    parser.add_argument(
        "--term",
        default=i18n.DEFAULT_TERM,
        help=f"the Korean charts' term for the people counted: {', '.join(i18n.TERMS)} "
        "(default: the legal term; another needs --out DIR)",
    )
    args = parser.parse_args()
    check_term_folder(args.term, args.out)
    from analysis.raw import sources

    src = sources()
    for language in args.language or LANGUAGES:
        chart = build(args.name, args.data, args.results, src, Text(language, args.term))
        render(chart, args.name, src, args.out)


def check_term_folder(term: str, out: Path) -> None:
    """The shipped Korean charts (make's reports/figures) use the legal term, as the gallery
    and the README say; a chart in another term is drawn into a folder of its own, so it can
    neither be published as a shipped chart nor leave make's files out of date."""
    i18n.check_term(term)
    # anywhere in the stage is published by the next make report, and the published folders
    # are make's own: neither may hold a chart in another term
    owned = [paths.STAGE, *paths.PUBLISHED_ROOTS]
    where = out.resolve()
    if term != i18n.DEFAULT_TERM and any(where.is_relative_to(p.resolve()) for p in owned):
        raise InputError(
            f"error: --term {term} draws charts unlike the shipped ones (which use "
            f"{i18n.DEFAULT_TERM}); name a folder of your own with --out DIR, outside "
            f"{paths.STAGE}, {paths.PUBLISHED_PROCESSED} and {paths.PUBLISHED_REPORTS}"
        )


if __name__ == "__main__":
    run_step(main)
