"""What a reader hears and sees on hover or focus, for every bar and point of a chart.

Each chart's marks are built from the data it plots (its NAME.csv and the processed tables)
and say, in words, the value, the year and the source: never a column name, a flag code or a
source id. `place` turns them into boxes on the drawn figure (after its layout), which
analysis.embed writes into the SVG as focusable, labelled elements with a tooltip.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.i18n import ENGLISH, N_, Text

MINUS = "\u2212"
DASH = "\u2013"
# flags of a reported value, as a reader would say them
FLAG_WORDS = {
    "preliminary": N_("preliminary"),
    "bucket": N_("a total of several years"),
    "typo": N_("contradicted by its own source"),
    "conflict": N_("at odds with every other source"),
    "partial": N_("part of the year only"),
    "date_approx": N_("publication date inferred"),
}
STATUS_WORDS = {
    "superseded": N_("earlier figure"),
    "excluded": N_("not used"),
    "forecast": N_("forecast"),
}
POINT_RADIUS_PT = 6  # hit area around a point


@dataclass(frozen=True)
class Mark:
    """One bar or point, in data coordinates. kind "column": a vertical bar or the one point
    at this x (the hit area is the column over the plot's height); "row": a horizontal bar
    (the band across the plot); "point": a single marker."""

    text: str
    x: float
    y: float
    kind: str = "column"
    panel: int = 0  # which of a chart's stacked panels (axes) the mark is on


@dataclass(frozen=True)
class Placed:
    """A mark's hit area and anchor in SVG user units (points, origin top left)."""

    text: str
    shape: str  # "rect" or "circle"
    x: float
    y: float
    width: float
    height: float
    anchor_x: float
    anchor_y: float


def km(value: float) -> str:
    """A length as the border chart labels it: one decimal below 20 km (9.5 km, not 10)."""
    return f"{value:,.{0 if value >= 20 else 1}f} km".replace("-", MINUS)


def count(value: float) -> str:
    """A whole number with separators and a typographic minus."""
    return f"{value:,.0f}".replace("-", MINUS)


def signed(value: float) -> str:
    return ("+" if value > 0 else "") + count(value)


def pct(value: float) -> str:
    return f"{value:.0f}%".replace("-", MINUS)


def labels(sources: pd.DataFrame, tx: Text = ENGLISH) -> dict[str, str]:
    """source_id -> "Publisher (date)", the short label a reader can look up (in Korean with
    the publisher's Korean name, publisher_ko)."""
    who = sources[tx.column("publisher", sources)]
    names = who + " (" + sources["published"] + ")"
    return dict(zip(sources["source_id"], names, strict=True))


def cited(ids: Any, label: dict[str, str], tx: Text = ENGLISH) -> str:
    """'Source: A; B' for one or several ';'-separated ids (unknown ids are left out)."""
    names = list(dict.fromkeys(label[i] for i in str(ids).split(";") if i in label))
    if not names:
        return ""
    if len(names) > 1:
        return tx.gettext("Sources: {sources}.", sources="; ".join(names))
    return tx.gettext("Source: {sources}.", sources=names[0])


def _text(chart: Any) -> Text:
    """The language a chart is in (English for a chart that does not say)."""
    return getattr(chart, "text", ENGLISH)


def _y(year: int, tx: Text) -> str:
    return str(year) if tx.language == "en" else tx.year(year)


# --- one builder per chart ---------------------------------------------------------------------


def _arrivals(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    tx = _text(chart)
    _ = tx.gettext
    plotted = chart.data
    rev = pd.read_csv(data / "arrivals_revisions.csv", dtype={"flags": str}, keep_default_na=False)
    rev = rev[(rev["period"] == "year") & (rev["measure"] == "total")]
    rev = rev[rev["status"] != "selected"]
    test = pd.read_csv(results / "model_prediction_test.csv", keep_default_na=False)
    marks = []
    for r in plotted.itertuples():
        year = int(r.year)
        if pd.notna(r.arrivals_count):
            text = _(
                "{year}: {count} arrivals. {source}",
                year=_y(year, tx),
                count=count(r.arrivals_count),
                source=cited(r.source_id, label, tx),
            )
            said = []
            for v in (
                rev[rev["year"] == year]
                .sort_values("first_published", kind="mergesort")
                .itertuples()
            ):
                when = (
                    v.first_published
                    if v.last_published == v.first_published
                    else _("{first} to {last}", first=v.first_published, last=v.last_published)
                )
                publications = (
                    _("{count} publications", count=v.sources_count)
                    if v.sources_count > 1
                    else _("{count} publication", count=1)
                )
                what = tx.translate(STATUS_WORDS.get(v.status, N_("other figure")))
                flags = "".join(
                    "; " + tx.translate(FLAG_WORDS.get(f, N_("flagged")))
                    for f in v.flags.split(";")
                    if f
                )
                said.append(f"{count(v.value)} ({what}, {publications}, {when}{flags})")
            if said:
                text += " " + _("Also published: {values}.", values="; ".join(said))
            marks.append(Mark(text, year, float(r.arrivals_count)))
            continue
        rows = test[(test["year"] == year) & test["what"].isin(["forecast", "quarters counted"])]
        if rows.empty:
            continue
        parts = [_("{year}: no full-year count yet.", year=_y(year, tx))]
        for t in rows.itertuples():
            if t.what == "quarters counted":
                quarters = tx.quarters(t.note.removeprefix("sum of "))
                parts.append(
                    _(
                        "{count} counted in {quarters}.",
                        count=count(float(t.value)),
                        quarters=quarters,
                    )
                )
            elif t.qualifier == "at_most":
                parts.append(
                    _(
                        "Support groups forecast below {count} (not a count).",
                        count=count(float(t.high)),
                    )
                )
            parts.append(cited(t.source_id, label, tx))
        top = pd.to_numeric(rows["high"], errors="coerce").max()
        top = top if pd.notna(top) else pd.to_numeric(rows["value"]).max()
        marks.append(Mark(" ".join(p for p in parts if p), year, float(top)))
    return marks


def _counterfactual(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    annual = pd.read_csv(data / "arrivals_annual.csv", dtype={"arrivals_count": "Int64"})
    fitted = chart.data.set_index("year")
    head = json.loads((results / "headline.json").read_text())
    tx = _text(chart)
    _ = tx.gettext
    lvl = round(100 * head["missing_arrivals"]["level"])
    iy = head["parameters"]["intervention_year"]
    pre = head["parameters"]["pre_start_year"]
    years = f"{pre}{DASH}{iy - 1}" if tx.language == "en" else tx.years(pre, iy - 1)
    marks = []
    # the chart shows the years the trend was fitted to and carried on
    shown = annual.dropna(subset=["arrivals_count"])
    for r in shown[shown["year"].isin(fitted.index)].itertuples():
        text = _("{year}: {count} arrivals.", year=_y(r.year, tx), count=count(r.arrivals_count))
        if r.year in fitted.index:
            f = fitted.loc[r.year]
            if f["is_post_intervention"]:
                text += " " + _(
                    "The {years} trend carried on: {count} ({level}% interval {low} to {high}), "
                    "a model estimate.",
                    years=years,
                    count=count(f["counterfactual_count"]),
                    level=lvl,
                    low=count(f["counterfactual_pred_low"]),
                    high=count(f["counterfactual_pred_high"]),
                )
            else:
                text += " " + _(
                    "Fitted {years} trend: {count}.", years=years, count=count(f["fitted_count"])
                )
        said = f"{text} {cited(r.source_id, label, tx)}"
        marks.append(Mark(said, r.year, float(r.arrivals_count)))
    return marks


def _quarterly(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    tx = _text(chart)
    _ = tx.gettext
    marks = []
    for i, r in enumerate(chart.data.itertuples()):  # drawn at x = 0, 1, 2, ...
        when = f"{_y(r.year, tx)} {tx.quarters(r.period)}"
        if pd.isna(r.arrivals_count):
            marks.append(Mark(_("{when}: no published count.", when=when), i, 0.0))
        else:
            text = _(
                "{year}: {count} arrivals. {source}",
                year=when,
                count=count(r.arrivals_count),
                source=cited(r.source_id, label, tx),
            )
            marks.append(Mark(text, i, float(r.arrivals_count)))
    return marks


def _female_share(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    sex = pd.read_csv(data / "arrivals_sex.csv", dtype=str, keep_default_na=False)
    ids = sex.set_index(sex["year"].astype(int))
    marks = []
    for r in chart.data.itertuples():
        year = int(r.year)
        both = ["female_source_id", "male_source_id"]
        src = ";".join(ids.loc[year, both]) if year in ids.index else ""
        text = _text(chart).gettext(
            "{year}: women were {share} of the {count} arrivals whose sex was published "
            "({level}% interval {low} to {high}). {source}",
            year=_y(year, _text(chart)),
            share=pct(r.female_share_pct),
            count=count(r.sex_known_count),
            level=round(100 * r.confidence_level),
            low=pct(r.female_share_ci_low_pct),
            high=pct(r.female_share_ci_high_pct),
            source=cited(src, label, _text(chart)),
        )
        marks.append(Mark(text, year, float(r.female_share_pct)))
    return marks


def _fortifications(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    f = chart.data.set_index("quantity")
    v = f["value"].astype(float)
    tx = _text(chart)
    km = f"{v['section_length']:g}"
    src = cited(f.loc["watchtowers", "source_id"], label, tx)
    per_km = {y: f"{v[f'structures_per_km_{y}']:.1f}" for y in (2019, 2022)}
    return [
        Mark(
            tx.gettext(
                "March 2019: {watchtowers} watchtowers on the {km} km section near Hoeryong "
                "({per_km} per km). {source}",
                watchtowers=count(v["watchtowers"]),
                km=km,
                per_km=per_km[2019],
                source=src,
            ),
            v["watchtowers"],
            0,
            "row",
        ),
        Mark(
            tx.gettext(
                "April 2022: {guard_posts} guard posts added to the {watchtowers} watchtowers, "
                "{structures} structures in all ({per_km} per km, derived). {source}",
                guard_posts=count(v["guard_posts"]),
                watchtowers=count(v["watchtowers"]),
                structures=count(v["structures_2022"]),
                per_km=per_km[2022],
                source=src,
            ),
            v["structures_2022"],
            1,
            "row",
        ),
    ]


def _timeline(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    ev = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    ev = ev.set_index("event_id")
    marks = []
    tx = _text(chart)
    said = tx.column("event", ev.columns)  # event_ko in Korean
    for r in chart.data.itertuples():  # each event where the chart drew it
        e = ev.loc[r.event_id]
        when = f"{e['date_qualifier']} {r.date}".strip()
        if tx.language != "en":
            when = tx.gettext(QUALIFIED.get(e["date_qualifier"], "{date}"), date=tx.date(r.date))
        text = f"{when}: {e[said]}. {cited(r.source_id, label, tx)}"
        marks.append(Mark(text, float(r.position_year), float(r.position_row), "point"))
    return marks


# a date the source qualifies, said in the chart's language ("late 2004": 2004년 말)
QUALIFIED = {
    "early": N_("early {date}"),
    "mid": N_("mid-{date}"),
    "late": N_("late {date}"),
    "around": N_("around {date}"),
    "by": N_("by {date}"),
}


def _revisions(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    rev = pd.read_csv(data / "arrivals_revisions.csv", keep_default_na=False)
    rev = rev[(rev["measure"] == "total") & (rev["period"] == "year")]
    marks = []
    for r in chart.data.itertuples():
        rows = rev[rev["year"] == r.year]
        first = rows[rows["is_first_reported"] == True]["source_ids"]  # noqa: E712
        now = rows[rows["status"] == "selected"]["source_ids"]
        tx = _text(chart)
        year = _y(int(r.year), tx)
        if r.revision_count == 0:
            text = tx.gettext(
                "{year}: {count}, unchanged since first published.",
                year=year,
                count=count(r.current_count),
            )
        else:
            text = tx.gettext(
                "{year}: first published as {first}, now {count} ({change} people).",
                year=year,
                first=count(r.first_reported_count),
                count=count(r.current_count),
                change=signed(r.revision_count),
            )
        ids = ";".join([*first, *now])
        said = f"{text} {cited(ids, label, tx)}"
        marks.append(Mark(said, int(r.year), float(r.revision_count)))
    return marks


def _break_scan(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    scan = chart.data
    best = int(scan.loc[scan["is_best"], "break_year"].iloc[0])
    marks = []
    for r in scan.itertuples():
        gap = r.delta_deviance_scaled
        _ = _text(chart).gettext
        year = _y(int(r.break_year), _text(chart))
        gap_text = f"{gap:.1f}"
        text = (
            _("Break in {year}: the best fit of the years scanned.", year=year)
            if r.break_year == best
            else _(
                "Break in {year}: fits {gap} scaled deviance units worse than a break in {best}.",
                year=year,
                gap=gap_text,
                best=_y(best, _text(chart)),
            )
        )
        said = text + " " + _("Model estimate from the annual arrivals.")
        marks.append(Mark(said, r.break_year, gap))
    return marks


def _border_areas(chart: Any, data: Path, results: Path, label: dict[str, str]) -> list[Mark]:
    """Each bar of each area's panel, drawn top to bottom in the order of chart.data."""
    marks = []
    panels = list(dict.fromkeys(chart.data["place"]))  # one panel per area, in this order
    bars = chart.data[~chart.data["is_length"]]
    for place, rows in bars.groupby("place", sort=False):
        panel = panels.index(place)
        for y, r in enumerate(rows.itertuples()):
            if _text(chart).language != "en":
                marks.append(Mark(_area_said(r, label, _text(chart)), float(r.value), float(y),
                                  "row", panel))  # fmt: skip
                continue
            same = r.period_start in ("", r.period_end)
            when = r.period_end if same else f"{r.period_start} to {r.period_end}"
            bound = r.qualifier.replace("_", " ") if r.qualifier not in ("", "exact") else ""
            via = cited(r.via_source_id, label).replace("Source: ", "read in ", 1).rstrip(".")
            text = (
                f"{r.place}: {r.label.lower()}, {when}: {km(float(r.value))}"
                f"{f' ({bound})' if bound else ''}. {cited(r.source_id, label)}"
                f"{f' ({via})' if via else ''}"
            )
            marks.append(Mark(text, float(r.value), float(y), "row", panel))
    return marks


def _area_said(r: Any, label: dict[str, str], tx: Text) -> str:
    """A border-area bar's hover text in another language than English: the area, what and
    when in words, the amount as the English one rounds it, the source and where it was read
    (the English text keeps its own wording)."""
    from analysis.charts import BORDER_AREAS, QUALIFIED

    place = tx.translate(BORDER_AREAS.get(r.place, r.place))
    start, end = str(r.period_start), str(r.period_end)
    when = tx.span(tx.date(start), tx.date(end)) if start and start != end else tx.date(end)
    if len(start) == len(end) == 4 and start != end:
        when = tx.years(int(start), int(end))  # 2019~2023년: the unit once
    amount = tx.gettext(QUALIFIED.get(r.qualifier, "{amount}"), amount=km(float(r.value)))
    values = {
        "place": place,
        "what": r.label,
        "period": when,
        "amount": amount,
        "source": cited(r.source_id, label, tx),
    }
    via = "; ".join(label[i] for i in str(r.via_source_id).split(";") if i in label)
    if via:
        return tx.gettext(AREA_READ_IN, via=via, **values)
    return tx.gettext(AREA, **values)


AREA = N_("{place}: {what}, {period}: {amount}. {source}")
AREA_READ_IN = N_("{place}: {what}, {period}: {amount}. {source} Read in {via}.")


BUILDERS: dict[str, Callable[[Any, Path, Path, dict[str, str]], list[Mark]]] = {
    "arrivals": _arrivals,
    "counterfactual": _counterfactual,
    "quarterly": _quarterly,
    "female_share": _female_share,
    "fortifications": _fortifications,
    "timeline": _timeline,
    "revisions": _revisions,
    "break_scan": _break_scan,
    "border_areas": _border_areas,
}


def build(name: str, chart: Any, data: Path, results: Path, sources: pd.DataFrame) -> list[Mark]:
    """The marks of chart `name` (none for a chart without a builder: the tests list those)."""
    builder = BUILDERS.get(name)
    return builder(chart, data, results, labels(sources, _text(chart))) if builder else []


# --- where the marks are on the drawn figure ---------------------------------------------------


def _slot(values: list[float]) -> float:
    """The spacing of a row of bars: the smallest gap between neighbours (1 if alone)."""
    gaps = [b - a for a, b in zip(values, values[1:], strict=False) if b - a > 1e-9]
    return min(gaps, default=1.0)


def place(fig: Any, ax: Any, marks: list[Mark]) -> list[Placed]:
    """Each mark's hit area in SVG user units, once the figure is laid out (call after a draw).

    SVG user units are points with the origin at the top left; matplotlib's display units are
    pixels at the figure's dpi with the origin at the bottom left.
    """
    height_pt = fig.get_figheight() * 72
    scale = 72 / fig.dpi

    def pt(x: float, y: float) -> tuple[float, float]:
        dx, dy = ax.transData.transform((x, y))
        return dx * scale, height_pt - dy * scale

    box = ax.get_window_extent()
    left, right = box.x0 * scale, box.x1 * scale
    top, bottom = height_pt - box.y1 * scale, height_pt - box.y0 * scale
    col = _slot(sorted({m.x for m in marks if m.kind == "column"}))
    row = _slot(sorted({m.y for m in marks if m.kind == "row"}))
    placed = []
    for m in marks:
        ax_pt, ay_pt = pt(m.x, m.y)
        if m.kind == "column":
            x0, _ = pt(m.x - col / 2, m.y)
            x1, _ = pt(m.x + col / 2, m.y)
            x0, x1 = max(min(x0, x1), left), min(max(x0, x1), right)
            shape = ("rect", x0, top, x1 - x0, bottom - top)
        elif m.kind == "row":
            _, y0 = pt(m.x, m.y - row / 2)
            _, y1 = pt(m.x, m.y + row / 2)
            y0, y1 = max(min(y0, y1), top), min(max(y0, y1), bottom)
            shape = ("rect", left, y0, right - left, y1 - y0)
        else:
            r = POINT_RADIUS_PT
            shape = ("circle", ax_pt - r, ay_pt - r, 2 * r, 2 * r)
        ay_pt = min(max(ay_pt, top), bottom)  # a mark past the axis (clipped) anchors at its edge
        placed.append(Placed(m.text, *shape, anchor_x=ax_pt, anchor_y=ay_pt))
    return placed
