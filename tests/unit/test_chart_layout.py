"""Every chart at every size, drawn in this process and measured with matplotlib's own text
extents: type large enough at the size each file is used, and nothing colliding (two texts,
text off the figure, text crossed by an axis or reference line, a label on a mark it does not
name or nearer another mark than its own)."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.colors import to_hex, to_rgba_array
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path as MplPath
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox, BboxTransformTo

from analysis import charts, i18n, models, style
from analysis.io import write_csv

PX_PER_PT = 96 / 72  # CSS pixels per point at 100% zoom
EPS_PX = 0.5  # boxes that only touch (anti-aliasing, rounding) do not collide
NEAREST_MARGIN_PT = 1.0  # a label's own mark is nearer than any other by this much
LINE_GAP_PT = 1.0  # an axis or reference line keeps this far from any text's box
PRINT_MIN_PT = 7.0  # single and double columns printed at 100%
WEB_MIN_PX = 11.0  # smallest text read on a screen without zooming (see analysis/style.py)
WEB_EMBED_MIN_PX = 12.0  # at the web chart's own width, on a desktop page


@pytest.fixture(scope="module")
def processed(tables: dict, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The processed tables and model results as a build writes them, in a scratch folder."""
    out = tmp_path_factory.mktemp("processed")
    results = {k: v for k, v in tables.items() if k.startswith("model_") or k == "headline"}
    for name, table in tables.items():
        if name not in results:
            write_csv(table, out / f"{name}.csv")
    models.write(results, out)
    return out


@dataclass
class Drawn:
    """What one chart at one size drew: its texts (with their sizes and boxes in pixels at the
    figure's dpi), the figure's box, its data marks, reference lines and labels."""

    name: str
    size: str
    dpi: float
    width_px: float
    figure_box: Bbox
    texts: list[tuple[str, float, Bbox]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    figure_texts: list[tuple[str, Bbox]] = field(default_factory=list)  # title block, footer
    colours: set[str] = field(default_factory=set)  # of every mark, background and line
    shades: int = 0  # period shades (the closure marking) across the axes


_CACHE: dict[tuple[str, str, str], Drawn] = {}


_CHARTS: dict[tuple[str, str], charts.Chart] = {}
_LINES: dict[tuple[str, str], str] = {}


def chart_of(processed: Path, name: str, language: str = "en") -> charts.Chart:
    key = (name, language)
    if key not in _CHARTS:
        text = i18n.Text(language)
        with i18n.using(text):  # the chart's words in this language (analysis.charts.build)
            chart = charts.CHARTS[name](processed, processed)
        chart.text = text
        _CHARTS[key] = chart
    return _CHARTS[key]


def drawn(processed: Path, name: str, size: str, language: str = "en") -> Drawn:
    key = (name, size, language)
    if key not in _CACHE:
        chart = chart_of(processed, name, language)
        if (name, language) not in _LINES:  # the source line is chosen once for every size
            _LINES[(name, language)] = charts.pick_source_line(chart, _sources())
        fig = charts.figure(chart, _sources(), size, _LINES[(name, language)])
        try:
            _CACHE[key] = inspect(fig, name, size)
        finally:
            plt.close(fig)
    return _CACHE[key]


_SOURCES: list[pd.DataFrame] = []


def _sources() -> pd.DataFrame:
    if not _SOURCES:
        from analysis import raw

        _SOURCES.append(raw.sources())
    return _SOURCES[0]


# --- measuring a drawn figure ----------------------------------------------------------------


def inspect(fig: Figure, name: str, size: str) -> Drawn:
    """Draw the figure once, recording every text the renderer actually drew, then check it."""
    renderer = fig.canvas.get_renderer()  # the figure is laid out: one draw records it
    seen: list[Text] = []
    original = Text.draw

    def record(self: Text, renderer) -> None:  # noqa: ANN001
        original(self, renderer)
        if self.get_visible() and self.get_text().strip() and self not in seen:
            seen.append(self)

    with mock.patch.object(Text, "draw", record):
        fig.draw(renderer)
    out = Drawn(name, size, fig.dpi, fig.bbox.width, fig.bbox)
    for t in seen:
        out.texts.append((t.get_text(), t.get_fontsize(), words(t, renderer)))
    out.problems = collisions(fig, seen, renderer)
    out.figure_texts = [(t.get_text(), words(t, renderer)) for t in fig.texts if t in seen]
    out.colours, out.shades = colours(fig)
    return out


def colours(fig: Figure) -> tuple[set[str], int]:
    """Every colour the axes draw with (faces, edges, lines, hatches), and how many shades
    spanning an axes' whole height there are."""
    found: set[str] = set()
    shades = 0

    def add(rgba: object) -> None:
        for c in np.atleast_2d(np.asarray(to_rgba_array(rgba))):
            if c[3] > 0:
                found.add(to_hex(c[:3]))

    for ax in fig.axes:
        box = ax.bbox
        for p in ax.patches:
            add(p.get_facecolor() if p.get_fill() else "none")
            add(p.get_edgecolor() if p.get_linewidth() else "none")
            ext = p.get_window_extent()
            shades += ext.height >= box.height - 1
        for line in ax.lines:
            add(line.get_color())
        for c in ax.collections:
            add(c.get_facecolor())
            if c.get_hatch():
                add(c.get_edgecolor())
    return found, shades


def words(t: Text, renderer) -> Bbox:  # noqa: ANN001
    """The box of a text's words (an annotation's own extent also covers its leader line)."""
    if isinstance(t, Annotation):
        t.update_positions(renderer)
    return Text.get_window_extent(t, renderer)


def _shrunk(b: Bbox) -> Bbox:
    return Bbox.from_extents(b.x0 + EPS_PX, b.y0 + EPS_PX, b.x1 - EPS_PX, b.y1 - EPS_PX)


def _short(text: str) -> str:
    one = " ".join(text.split())
    return one if len(one) <= 40 else one[:37] + "..."


def _is_reference(line: Line2D) -> bool:
    """An axhline/axvline-like line: two points, constant in x or in y, no markers."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    if len(x) != 2 or line.get_marker() not in ("None", None, "", " "):
        return False
    return bool(x[0] == x[1] or y[0] == y[1])


@dataclass
class Mark:
    """A data mark in display pixels: a filled area, an outline or line (path), or a point."""

    what: str
    path: MplPath
    filled: bool
    discrete: bool  # a bar or a marker: something one label names

    def hits(self, box: Bbox) -> bool:
        return self.path.intersects_bbox(_shrunk(box), filled=self.filled)

    def contains(self, xy: tuple[float, float], tol: float = 1.0) -> bool:
        """The point is on the mark: inside an area or a box, or on a line."""
        if self.filled:
            return bool(self.path.contains_point(xy, radius=tol)) or self._in_box(xy, tol)
        v = self.path.vertices
        a, b = v[:-1], v[1:]
        if not len(a):
            return self._in_box(xy, tol)
        d = b - a
        t = np.clip(((np.asarray(xy) - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
        return bool((np.hypot(*(a + t[:, None] * d - xy).T) <= tol).any())

    def _in_box(self, xy: tuple[float, float], tol: float) -> bool:
        ext = self.path.get_extents()
        return ext.x0 - tol <= xy[0] <= ext.x1 + tol and ext.y0 - tol <= xy[1] <= ext.y1 + tol

    def distance(self, box: Bbox) -> float:
        ext = self.path.get_extents()
        dx = max(ext.x0 - box.x1, box.x0 - ext.x1, 0.0)
        dy = max(ext.y0 - box.y1, box.y0 - ext.y1, 0.0)
        return float(np.hypot(dx, dy))


def marks(ax: plt.Axes, renderer) -> list[Mark]:  # noqa: ANN001
    """Every data mark of an axes, except backgrounds (spans over its whole height or width)."""
    out: list[Mark] = []
    box = ax.get_window_extent(renderer)
    for p in ax.patches:
        if not p.get_visible():
            continue
        path = p.get_transform().transform_path(p.get_path())
        ext = path.get_extents()
        if ext.height >= box.height - 1 or ext.width >= box.width - 1:
            continue  # a shaded period behind the data
        filled = p.get_fill() and p.get_facecolor()[3] > 0
        out.append(Mark(f"{type(p).__name__} at {ext.x0:.0f},{ext.y0:.0f}", path, filled, True))
    for line in ax.lines:
        if not line.get_visible() or _is_reference(line):
            continue
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        if line.get_linestyle() not in ("None", "", " ", "none"):
            out.append(Mark(f"line {line.get_label()}", MplPath(xy), False, False))
        if line.get_marker() not in ("None", None, "", " "):
            # the marker's own outline at its size, widened by half its edge
            style_ = MarkerStyle(line.get_marker())
            scale = renderer.points_to_pixels(line.get_markersize())
            shape = style_.get_path().transformed(style_.get_transform().scale(scale))
            ext = shape.get_extents().padded(
                renderer.points_to_pixels(line.get_markeredgewidth()) / 2
            )
            for px, py in xy:
                box = Bbox.from_extents(ext.x0 + px, ext.y0 + py, ext.x1 + px, ext.y1 + py)
                out.append(
                    Mark(
                        f"marker at {px:.0f},{py:.0f}",
                        MplPath.unit_rectangle().transformed(BboxTransformTo(box)),
                        True,
                        True,
                    )
                )
    for c in ax.collections:
        if not c.get_visible():
            continue
        filled = isinstance(c, PolyCollection)
        if not (filled or isinstance(c, LineCollection)):
            continue
        for path in c.get_paths():
            path = c.get_transform().transform_path(path)
            if len(path.vertices):
                out.append(Mark(type(c).__name__, path, filled, False))
    return out


def lines_across(fig: Figure, renderer) -> list[tuple[str, MplPath]]:  # noqa: ANN001
    """Axis lines (visible spines) and reference lines (axhline/axvline), in display pixels."""
    out = []
    for ax in fig.axes:
        for side, spine in ax.spines.items():
            if spine.get_visible():
                out.append(
                    (f"{side} axis line", spine.get_transform().transform_path(spine.get_path()))
                )
        for line in ax.lines:
            if line.get_visible() and _is_reference(line):
                path = line.get_transform().transform_path(line.get_path())
                out.append(("reference line", path))
    return out


def collisions(fig: Figure, texts: list[Text], renderer) -> list[str]:  # noqa: ANN001
    problems = []
    # the words' box (an annotation's own extent would include its leader line)
    boxes = [(t, words(t, renderer)) for t in texts]
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        if _shrunk(ba).overlaps(_shrunk(bb)):
            problems.append(f"'{_short(a.get_text())}' overlaps '{_short(b.get_text())}'")
    page = fig.bbox
    for t, b in boxes:
        if (
            b.x0 < page.x0 - EPS_PX
            or b.y0 < page.y0 - EPS_PX
            or b.x1 > page.x1 + EPS_PX
            or (b.y1 > page.y1 + EPS_PX)
        ):
            problems.append(f"'{_short(t.get_text())}' leaves the figure")
    gap = renderer.points_to_pixels(LINE_GAP_PT)
    for what, path in lines_across(fig, renderer):
        for t, b in boxes:
            if path.intersects_bbox(b.expanded(1, 1).padded(gap), filled=False):
                problems.append(f"a {what} crosses or touches '{_short(t.get_text())}'")
    margin = renderer.points_to_pixels(NEAREST_MARGIN_PT)
    for ax in fig.axes:
        data_marks = marks(ax, renderer)
        labels: list[tuple[str, Bbox, object]] = [
            (t.get_text(), b, t) for t, b in boxes if t in ax.texts
        ]
        legend = ax.get_legend()
        if legend is not None and legend.get_visible():
            labels.append(("the legend", legend.get_window_extent(renderer), None))
        for text, box, artist in labels:
            named = _named(artist, data_marks, renderer)
            for m in data_marks:
                if m not in named and m.hits(box):
                    problems.append(f"'{_short(text)}' sits on {m.what}, which it does not name")
            # a reader takes a label for the nearest mark's: its own must be clearly nearest
            others = [m.distance(box) for m in data_marks if m.discrete and m not in named]
            own = [m.distance(box) for m in named if m.discrete]
            if own and others and not _has_leader(artist) and min(others) <= min(own) + margin:
                problems.append(f"'{_short(text)}' is as near another mark as the one it names")
    return problems


def _named(artist: object, data_marks: list[Mark], renderer) -> list[Mark]:  # noqa: ANN001
    """The marks a label names: those at an annotation's point, or those a chart declared."""
    declared = getattr(artist, style.NAMES_ATTR, None)
    if declared is not None:  # points in data coordinates
        points = artist.axes.transData.transform(np.asarray(declared, dtype=float).reshape(-1, 2))
    elif isinstance(artist, Annotation) and artist.xycoords == "data":
        points = artist.axes.transData.transform([artist.xy])
    else:
        return []
    named = [m for m in data_marks if any(m.contains(tuple(xy)) for xy in points)]
    # a label of a bar or a point names that mark, not a line drawn through it
    return [m for m in named if m.discrete] or named


def _has_leader(artist: object) -> bool:
    return isinstance(artist, Annotation) and artist.arrow_patch is not None


# --- the tests -------------------------------------------------------------------------------

CASES = [(n, s) for n in charts.CHARTS for s in charts.SIZES]
# type size and collisions also in Korean (its labels are measured as drawn, like English)
# (make test: Korean at the two tightest sizes, single column and phone; make proof: all)
LANGUAGE_CASES = [
    pytest.param(
        n, s, lang, marks=[pytest.mark.proof] if lang != "en" and s in ("double", "web") else []
    )
    for lang in i18n.LANGUAGES
    for n, s in CASES
]


def shown_at(width_px: float) -> str:
    """The web file a page shows in a container this wide (the embed's switch)."""
    return "phone" if "phone" in charts.SIZES and width_px <= style.PHONE_MAX_PX else "web"


def smallest_px(d: Drawn, shown_width_px: float) -> tuple[float, str]:
    """The smallest text, in CSS pixels, when the file is shown this wide."""
    size_pt, text = min((pt, text) for text, pt, _ in d.texts)
    design_px = d.width_px / d.dpi * 96
    return size_pt * PX_PER_PT * shown_width_px / design_px, text


@pytest.mark.parametrize(("name", "size", "language"), LANGUAGE_CASES)
def test_type_is_large_enough_where_the_file_is_used(
    processed: Path, name: str, size: str, language: str
) -> None:
    d = drawn(processed, name, size, language)
    assert d.texts, "nothing drawn"
    if size in ("single", "double"):
        small = [(round(pt, 2), _short(t)) for t, pt, _ in d.texts if pt < PRINT_MIN_PT - 1e-9]
        assert not small, f"below {PRINT_MIN_PT} pt at 100%: {small}"
        return
    if size == "web":
        # at its own width on a desktop page, and in the narrowest container that shows it
        checks = [(d.width_px / d.dpi * 96, WEB_EMBED_MIN_PX)]
        if "phone" in charts.SIZES:
            checks.append((style.PHONE_MAX_PX + 1, WEB_MIN_PX))
    else:
        checks = [(375.0, WEB_MIN_PX)]
    for width, floor in checks:
        px, text = smallest_px(d, width)
        assert px >= floor - 1e-9, f"'{_short(text)}' is {px:.1f} px at {width:.0f} px wide"


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_a_phone_shows_readable_type(processed: Path, name: str) -> None:
    """At 375 px, the file the embed shows there has no text below the web minimum."""
    d = drawn(processed, name, shown_at(375))
    px, text = smallest_px(d, 375)
    assert px >= WEB_MIN_PX, f"'{_short(text)}' is {px:.1f} px on a 375 px phone"


@pytest.mark.parametrize(("name", "size", "language"), LANGUAGE_CASES)
def test_nothing_collides(processed: Path, name: str, size: str, language: str) -> None:
    problems = drawn(processed, name, size, language).problems
    assert not problems, "\n".join(problems)


# --- the house style, as drawn ----------------------------------------------------------------

HOUSE_COLOURS = {
    c.lower()
    for c in (style.COUNT, style.ADDED, style.MODEL, style.MODEL_DARK, style.OTHER_VALUE,
              style.CONTEXT, style.CLOSURE_FILL, style.TRACK, style.INK, style.MUTED, "#ffffff")
}  # fmt: skip
HYPHEN_MINUS = re.compile(r"(?<![A-Za-z])-(?=\d)")  # "-38", "2019-2024"; not "COVID-19"


@pytest.mark.parametrize(("name", "size"), CASES)
def test_house_style_as_drawn(processed: Path, name: str, size: str) -> None:
    """Only the house colours; at most one shade (the closure) per panel; typographic minus
    signs and dashes in every text; title, subtitle and footer at one left margin; the source
    line on at most two lines."""
    d = drawn(processed, name, size)
    assert d.colours <= HOUSE_COLOURS, (
        f"colours outside the house style: {d.colours - HOUSE_COLOURS}"
    )
    assert d.shades <= len(chart_of(processed, name).panels)
    hyphens = [t for t, _, _ in d.texts if HYPHEN_MINUS.search(t)]
    assert not hyphens, f"ASCII hyphen-minus before a digit: {hyphens}"
    lefts = {round(b.x0) for _, b in d.figure_texts}
    assert len(lefts) == 1, f"title block and footer start at {sorted(lefts)} px"
    source = [t for t, _ in d.figure_texts if t.startswith("Source: ")]
    assert len(source) == 1 and source[0].count("\n") <= 1, source


@pytest.mark.parametrize("name", list(charts.CHARTS))
def test_the_source_line_is_the_same_at_every_size(processed: Path, name: str) -> None:
    lines = {
        " ".join(t.split())
        for size in charts.SIZES
        for t, _ in drawn(processed, name, size).figure_texts
        if t.startswith("Source: ")
    }
    assert len(lines) == 1, lines


@pytest.mark.parametrize("closure", [2019, 2021])
def test_charts_that_mark_the_closure_draw_for_another_closure_year(
    processed: Path, tmp_path: Path, closure: int
) -> None:
    """The closure year is a parameter: a year without quarterly counts before it (2018) or
    with fewer after it still draws (make bench's parameter sets found the first)."""
    for f in processed.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    head = json.loads((tmp_path / "headline.json").read_text())
    head["parameters"]["intervention_year"] = closure
    (tmp_path / "headline.json").write_text(json.dumps(head))
    for name in ("arrivals", "quarterly", "timeline"):
        fig = charts.figure(charts.CHARTS[name](tmp_path, tmp_path), _sources(), "phone")
        assert fig.axes, name
        plt.close(fig)
