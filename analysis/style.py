"""The house style of every chart, in one place: sizes, type, colours, the closure marking,
typography, the title block and the placing of labels.

Sizes. Print files are used at 100%: single column 8.8 cm, double column 18 cm; no text below
7 pt. Screen files: web 16 cm = 605 CSS px (the embed's width on a desktop page) and phone
375 CSS px. A reader on a screen reads 11 CSS px without zooming (Apple's smallest text style
is 11 pt, Material's 11 sp) and 12 px comfortably on a desktop page, so the web file keeps its
text at 12 px or more at its own width and at 11 px or more in the narrowest container that
shows it (PHONE_MAX_PX + 1); containers up to PHONE_MAX_PX wide show the phone file, drawn
for 375 px with its own type and layout (taller, fewer labels). Scaling one web chart down to
a phone would need 18 px type at 605 px to keep 11 px at 375 px: a phone layout reads better.

Colours (Okabe-Ito, safe with colour-blindness; each also differs in lightness or pattern, so
it survives greyscale), one meaning each:
- COUNT, blue: a count as published (the current value).
- ADDED, sky blue: what was added to an earlier count (structures built since).
- MODEL, orange: a model estimate (fitted trend, its continuation and interval, the gap).
- OTHER_VALUE, vermilion: a value that is not the current count (forecast, revision).
- CONTEXT, grey: events and reference lines; TRACK, light grey: the whole a bar is part of.
  The closure is marked one way only: a light grey shade from the closure on, labelled
  "Border closed".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.markers import MarkerStyle
from matplotlib.path import Path as MplPath
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from analysis import embed, fonts, i18n

fonts.register()  # NanumGothic known to matplotlib in this process

CM = 1 / 2.54
CSS_PX_PER_INCH = 96
PHONE_MAX_PX = embed.PHONE_MAX_PX  # containers up to this wide show NAME-phone.svg


@dataclass(frozen=True)
class Size:
    """One file size: its box, where it is used, and its type scale (points)."""

    name: str
    width_cm: float
    height_cm: float
    png_dpi: int  # print: 300; screen: twice the CSS pixels (sharp on high-density screens)
    formats: tuple[str, ...]
    title: float
    subtitle: float
    label: float  # data labels, event labels, legends
    tick: float  # tick labels and axis titles
    source: float  # source line and notes
    screen: bool = False

    @property
    def compact(self) -> bool:
        """Narrow sizes: fewer labels, fewer ticks."""
        return self.width_cm < 12


# Heights: the journals fix the width; the height gives the plot room under a two-line title.
SIZES = {
    "single": Size("single", 8.8, 7.3, 300, ("svg", "pdf", "png"), 9, 7.5, 7, 7, 7),
    "double": Size("double", 18.0, 10.0, 300, ("svg", "pdf", "png"), 11, 8.5, 7.5, 7.5, 7),
    "web": Size("web", 16.0, 9.0, 192, ("svg", "png"), 14, 10.5, 9.5, 9.5, 9, screen=True),
    # 375 x 469 CSS px (4:5), the width of most phones held upright
    "phone": Size("phone", 375 / 96 * 2.54, 469 / 96 * 2.54, 192, ("svg", "png"), 12.5, 9.5,
                  9, 9, 8.5, screen=True),
}  # fmt: skip

INK = "#222222"
MUTED = "#505050"  # subtitles, source lines, event labels (8:1 on white)
COUNT = "#0072B2"
ADDED = "#56B4E9"
MODEL = "#E69F00"
MODEL_DARK = "#B07800"  # MODEL's text and lines on white (orange text is too light to read)
OTHER_VALUE = "#D55E00"
CONTEXT = "#767676"  # 4.5:1 on white
CLOSURE_FILL = "#ebebeb"
TRACK = "#dcdcdc"  # the whole of which a bar is part (a border's length)
GRID = "#dddddd"

RC = {
    # English in DejaVu Sans, a Hangul glyph from NanumGothic (analysis.fonts); Korean charts
    # put NanumGothic first (charts.figure)
    "font.family": fonts.family("en"),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.linewidth": 0.6,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": GRID,
    "grid.linewidth": 0.5,
    "legend.frameon": False,
    "axes.unicode_minus": True,
    "svg.hashsalt": "nk-border-closure",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "figure.dpi": 100,
    # labels, publishers and titles come from the data: "$...$" is text, never mathtext
    "text.parse_math": False,
    "text.usetex": False,
}


def rc(size: Size) -> dict:
    """matplotlib settings for one size."""
    return RC | {
        "font.size": size.label,
        "axes.labelsize": size.tick,
        "xtick.labelsize": size.tick,
        "ytick.labelsize": size.tick,
        "legend.fontsize": size.label,
        "savefig.dpi": size.png_dpi,
    }


# --- typography ------------------------------------------------------------------------------

MINUS, EN_DASH = "\u2212", "\u2013"
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")
_RANGE = re.compile(r"(?<=\d)-(?=\d)")
_NEGATIVE = re.compile(r"(?<![\w.\-\u2212])-(?=\d)")


def typeset(text: str) -> str:
    """Typographic minus signs (U+2212) and en dashes in number ranges; ISO dates are kept as
    they are (charts should not print them)."""
    dates = _ISO_DATE.findall(text)
    held = _ISO_DATE.sub("\0", text)
    held = _NEGATIVE.sub(MINUS, _RANGE.sub(EN_DASH, held))
    for d in dates:
        held = held.replace("\0", d, 1)
    return held


def num(value: float, decimals: int = 0) -> str:
    """A number with thousands separators and a typographic minus."""
    return f"{value:,.{decimals}f}".replace("-", MINUS)


def signed(value: float, decimals: int = 0) -> str:
    """A change: +12, −38, 0."""
    text = num(abs(value), decimals)
    return text if round(value, decimals) == 0 else ("+" if value > 0 else MINUS) + text


def span(first: object, last: object) -> str:
    """A range of years or numbers with an en dash: 2019–2024."""
    return f"{first}{EN_DASH}{last}"


def y_title(ax: Axes, text: str, size: Size) -> None:
    """The y axis's title, level above the axis (read without turning the head, and it takes
    no width from a narrow chart)."""
    ax.set_title(typeset(text), loc="left", fontsize=size.tick, color=INK, pad=size.tick * 0.6)


def thousands(ax: Axes, axis: str = "y") -> None:
    """Tick labels with thousands separators and a typographic minus."""
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _pos: num(v, 0 if v == round(v) else 1))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


# --- roles: what the label placer and the layout treat as marks, lines and backgrounds -------

ROLE_ATTR = "nk_role"  # "background" | "reference"
NAMES_ATTR = "nk_names"  # a label's attribute: points (data coordinates) of the marks it names


def background(artist: matplotlib.artist.Artist) -> matplotlib.artist.Artist:
    setattr(artist, ROLE_ATTR, "background")
    return artist


def reference_line(ax: Axes, *, x: float | None = None, y: float | None = None, **kw) -> None:
    """A vertical or horizontal reference line (an event, a threshold, zero)."""
    kw = {"color": CONTEXT, "lw": 0.7, "zorder": 1.5} | kw
    line = ax.axvline(x, **kw) if x is not None else ax.axhline(y, **kw)
    setattr(line, ROLE_ATTR, "reference")


def mark_closure(
    ax: Axes, start: float, end: float, size: Size, where: str = "top", label: bool = True
) -> None:
    """The one closure marking: a light shade from the closure on, labelled at its edge."""
    background(ax.axvspan(start, end, color=CLOSURE_FILL, lw=0, zorder=0))
    if not label:
        return
    edge = ax.get_xaxis_transform()
    y, va, sign = (1, "top", -1) if where == "top" else (0, "bottom", 1)
    row = size.label * 1.3
    # inside the shade at its edge, a row further in if need be; only then just outside it (where
    # it could be read as naming the years before the closure)
    spots = [(dx, sign * (2 + i * row), ha, va) for dx, ha in ((3, "left"), (-3, "right"))
             for i in range(3)]  # fmt: skip
    said = i18n.gettext("Border closed")  # in the language the chart is drawn in
    want(ax, said, (start, y), spots, coords=edge, color=MUTED, size=size.label)


# --- labels placed where nothing collides ----------------------------------------------------


class Spot(NamedTuple):
    """A candidate position: offset (points) from the point, alignment, a leader line from the
    label to the point, and the point itself when it is not the label's (an interval's end)."""

    dx: float
    dy: float
    ha: str
    va: str
    leader: bool = False
    xy: tuple[float, float] | None = None


Candidate = Spot | tuple


@dataclass
class Wanted:
    """A label to place once the layout is final: the first candidate position that collides
    with nothing (marks it does not name, lines, other text, the axes' edge) is used."""

    ax: Axes
    text: str
    xy: tuple[float, float]
    candidates: list[Candidate]
    coords: object = "data"
    names: list[tuple[float, float]] = field(default_factory=list)  # data points it labels
    required: bool = True
    props: dict = field(default_factory=dict)
    # a stem: a vertical line from this point (data coordinates) up to the label's top, at the
    # label's x (an event's date): it marks the date without striking through the data
    stem_from: tuple[float, float] | None = None
    two_lines: bool = False  # may break at its middle space when one line fits nowhere


_WANTED = "_nk_wanted"
LEADER = {"arrowstyle": "-", "lw": 0.6, "color": CONTEXT, "shrinkA": 0.5, "shrinkB": 1.5}


def want(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    candidates: list[Candidate],
    *,
    coords: object = "data",
    names: Iterable[tuple[float, float]] = (),
    required: bool = True,
    size: float | None = None,
    stem_from: tuple[float, float] | None = None,
    two_lines: bool = False,
    **props,
) -> None:
    """Ask for a label; `figure_layout` places it after the layout (see Wanted)."""
    if size is not None:
        props["fontsize"] = size
    queue = ax.__dict__.setdefault(_WANTED, [])
    queue.append(
        Wanted(
            ax,
            typeset(text),
            xy,
            candidates,
            coords,
            list(names),
            required,
            props,
            stem_from,
            two_lines,
        )  # fmt: skip
    )


def above(gap: float = 2.0) -> list[Candidate]:
    """Above a point (a bar's top); failing that, higher with a leader line down to it."""
    return [(0, gap, "center", "bottom")] + [
        (dx, h, ha, "bottom", True)
        for h in (10, 17, 24)
        for dx, ha in ((0, "center"), (-4, "right"), (4, "left"))
    ]


def leaders(*reach: float) -> list[Candidate]:
    """Away from a point in eight directions, `reach` points off, with a leader line back."""
    out: list[Candidate] = []
    for r in reach:
        for dx, dy, ha, va in ((0, r, "center", "bottom"), (0, -r, "center", "top"),
                               (-r, 0, "right", "center"), (r, 0, "left", "center"),
                               (-r, -r, "right", "top"), (r, -r, "left", "top"),
                               (-r, r, "right", "bottom"), (r, r, "left", "bottom")):  # fmt: skip
            out.append(Spot(dx, dy, ha, va, True))
    return out


def headroom(size: Size, rows: int, share: float = 0.55) -> float:
    """The factor on a y axis's top that leaves `rows` label rows free above the data
    (the plot is about `share` of the figure's height)."""
    plot_pt = size.height_cm * CM * 72 * share
    band = rows * size.label * 1.3 + size.label
    return 1 / max(1 - band / plot_pt, 0.4)


def around(gap: float = 2.5) -> list[Candidate]:
    """Above, below, right, left of a point, `gap` points away."""
    return [
        (0, gap, "center", "bottom"),
        (0, -gap, "center", "top"),
        (gap + 1, 0, "left", "center"),
        (-gap - 1, 0, "right", "center"),
        (-gap, gap, "left", "bottom"),  # above or below, running right or left from it
        (gap, gap, "right", "bottom"),
        (-gap, -gap, "left", "top"),
        (gap, -gap, "right", "top"),
    ]


def _is_drawn(a: matplotlib.artist.Artist) -> bool:
    return a.get_visible()


@dataclass
class _Mark:
    path: MplPath  # display pixels
    filled: bool
    discrete: bool  # a bar or a marker: what one label names
    key: object  # the artist, or (line, index) for a marker
    own: bool = False  # named by the label being placed
    ext: Bbox = field(init=False)

    def __post_init__(self) -> None:
        self.ext = self.path.get_extents()


def _obstacles(ax: Axes, renderer) -> tuple[list[_Mark], list[MplPath]]:  # noqa: ANN001
    """The marks and the lines (axis lines, reference lines) of an axes, in display pixels.
    Backgrounds are neither."""
    marks: list[_Mark] = []
    lines: list[MplPath] = []
    for spine in ax.spines.values():
        if spine.get_visible():
            lines.append(spine.get_transform().transform_path(spine.get_path()))
    for p in ax.patches:
        if not _is_drawn(p) or getattr(p, ROLE_ATTR, None) == "background":
            continue
        path = p.get_transform().transform_path(p.get_path())
        marks.append(_Mark(path, bool(p.get_fill()) and p.get_facecolor()[3] > 0, True, p))
    for line in ax.lines:
        if not _is_drawn(line):
            continue
        if getattr(line, ROLE_ATTR, None) == "reference":
            lines.append(line.get_transform().transform_path(line.get_path()))
            continue
        xy = line.get_transform().transform(np.column_stack(line.get_data()).astype(float))
        if line.get_linestyle() not in ("None", "", " ", "none"):
            marks.append(_Mark(MplPath(xy), False, False, line))
        if line.get_marker() not in ("None", None, "", " "):
            marker = MarkerStyle(line.get_marker())
            scale = renderer.points_to_pixels(line.get_markersize())
            shape = marker.get_path().transformed(marker.get_transform().scale(scale))
            ext = shape.get_extents().padded(renderer.points_to_pixels(1))
            for i, (px, py) in enumerate(xy):
                box = Bbox.from_extents(ext.x0 + px, ext.y0 + py, ext.x1 + px, ext.y1 + py)
                square = MplPath.unit_rectangle().transformed(_box_to(box))
                marks.append(_Mark(square, True, True, (line, i)))
    for c in ax.collections:
        if not _is_drawn(c) or getattr(c, ROLE_ATTR, None) == "background":
            continue
        filled = isinstance(c, PolyCollection)
        if filled or isinstance(c, LineCollection):
            for path in c.get_paths():
                marks.append(_Mark(c.get_transform().transform_path(path), filled, False, c))
    return marks, lines


def _box_to(box: Bbox) -> matplotlib.transforms.Transform:
    return matplotlib.transforms.BboxTransformTo(box)


def _named_keys(marks: list[_Mark], points: np.ndarray) -> set:
    """The marks (their keys) at these display points: a bar or marker whose box holds one, an
    area that holds one, a line that passes within a pixel or two of one."""
    tol = 1.5
    named: set = set()
    if not len(points):
        return named
    for m in marks:
        e = m.ext
        near = ((points[:, 0] >= e.x0 - tol) & (points[:, 0] <= e.x1 + tol)
                & (points[:, 1] >= e.y0 - tol) & (points[:, 1] <= e.y1 + tol))  # fmt: skip
        if not near.any():
            continue
        if m.discrete:
            hit = True
        elif m.filled:
            hit = any(m.path.contains_point(pt, radius=tol) for pt in points[near])
        else:
            hit = any(_near_polyline(m.path.vertices, pt, tol) for pt in points[near])
        if hit:
            named.add(m.key)
    # a label of a bar or a point names that mark, not the line through it
    discrete = {m.key for m in marks if m.discrete and m.key in named}
    return discrete or named


def _near_polyline(xy: np.ndarray, point: np.ndarray, tol: float) -> bool:
    """A point within tol pixels of a polyline."""
    a, b = xy[:-1], xy[1:]
    if not len(a):
        return bool(len(xy) and np.hypot(*(xy[0] - point)) <= tol)
    d = b - a
    t = np.clip(((point - a) * d).sum(1) / np.maximum((d * d).sum(1), 1e-12), 0, 1)
    nearest = a + t[:, None] * d
    return bool((np.hypot(*(nearest - point).T) <= tol).any())


def _distance(ext: Bbox, box: Bbox) -> float:
    dx = max(ext.x0 - box.x1, box.x0 - ext.x1, 0.0)
    dy = max(ext.y0 - box.y1, box.y0 - ext.y1, 0.0)
    return float(np.hypot(dx, dy))


def _conflicts(
    box: Bbox, ax: Axes, marks: list[_Mark], lines: list, texts: list[Bbox], gap: float,
    leader: bool,
) -> int:  # fmt: skip
    """How many things a label's box collides with (0: the label may go there): marks it
    does not name, lines, other texts, the axes' edge, and a mark as near as its own."""
    n = 0
    inner = Bbox.from_extents(box.x0 + 0.5, box.y0 + 0.5, box.x1 - 0.5, box.y1 - 0.5)
    frame = ax.get_window_extent()
    if box.x0 < frame.x0 or box.x1 > frame.x1 or box.y0 < frame.y0 or box.y1 > frame.y1:
        n += 1
    padded = box.padded(gap)
    n += sum(m.path.intersects_bbox(inner, filled=m.filled) for m in marks
             if not m.own and m.ext.overlaps(box))  # fmt: skip
    n += sum(path.intersects_bbox(padded, filled=False) for path in lines)
    n += sum(inner.overlaps(t) for t in texts)
    own = [_distance(m.ext, box) for m in marks if m.own and m.discrete]
    others = [_distance(m.ext, box) for m in marks if m.discrete and not m.own]
    if own and others and not leader and min(others) <= min(own) + 2 * gap:
        n += 1  # a reader would take it for the label of the nearer mark
    return n


def place_labels(fig: Figure) -> None:
    """Place every wanted label (see `want`) at its first candidate that collides with nothing.
    A label that fits nowhere is dropped if optional, else put where it collides least. When
    some label fits nowhere, the labels are placed once more with those first."""
    renderer = fig.canvas.get_renderer()
    texts = [text_box(t, renderer) for t in fig.findobj(Text) if _shown(t)]
    for ax in fig.axes:
        wanted = ax.__dict__.pop(_WANTED, [])
        if not wanted:
            continue
        marks, lines = _obstacles(ax, renderer)
        failed, drawn, boxes = _place_all(ax, wanted, marks, lines, texts, renderer)
        if failed:
            order = [w for w in wanted if id(w) in failed] + [
                w for w in wanted if id(w) not in failed
            ]
            for artist in drawn:
                artist.remove()
            again, drawn2, boxes2 = _place_all(ax, order, marks, lines, texts, renderer)
            if len(again) > len(failed):
                for artist in drawn2:
                    artist.remove()
                _, _, boxes = _place_all(ax, wanted, marks, lines, texts, renderer)
            else:
                boxes = boxes2
        texts.extend(boxes)


def _place_all(
    ax: Axes, wanted: list[Wanted], marks: list[_Mark], lines: list, texts: list[Bbox], renderer
) -> tuple[set[int], list, list[Bbox]]:  # noqa: ANN001
    """Place labels in this order; returns the ids of the required ones that fit nowhere, what
    was drawn (labels, stems) and the labels' boxes."""
    gap = renderer.points_to_pixels(1.5)
    lines = list(lines)
    texts = list(texts)
    failed: set[int] = set()
    drawn: list = []
    boxes: list[Bbox] = []
    for w in wanted:
        points = ax.transData.transform(np.asarray(w.names or [w.xy], float).reshape(-1, 2))
        if not w.names and w.coords != "data":
            points = np.empty((0, 2))
        named = _named_keys(marks, points)
        for m in marks:
            m.own = m.key in named
        best: tuple[int, Text, MplPath | None] | None = None
        texts_to_try = [w.text] + ([_halves(w.text)] if w.two_lines and " " in w.text else [])
        spots = [Spot(*c) for c in w.candidates]
        # next to the point on one line or two before any place that needs a leader line
        tries = [(text, spot) for led in (False, True) for text in texts_to_try
                 for spot in spots if spot.leader == led]  # fmt: skip
        for text, spot in tries:
            arrow = {"arrowprops": LEADER} if spot.leader else {}
            t = ax.annotate(text, spot.xy or w.xy, xycoords=w.coords,
                            xytext=(spot.dx, spot.dy), textcoords="offset points",
                            ha=spot.ha, va=spot.va, **arrow, **w.props)  # fmt: skip
            box = text_box(t, renderer)  # the words, not the leader
            n = _conflicts(box, ax, marks, lines, texts, gap, bool(arrow))
            if spot.leader and w.coords == "data":  # a leader crosses no words, no mark
                end = ax.transData.transform(spot.xy or w.xy)
                start = (min(max(end[0], box.x0), box.x1), min(max(end[1], box.y0), box.y1))
                leader = MplPath([start, end])
                n += sum(leader.intersects_bbox(b.padded(gap / 2), filled=False) for b in texts)
                n += sum(m.discrete and not m.own and leader.intersects_bbox(m.ext)
                         for m in marks)  # fmt: skip
            stem = _stem(ax, w, box) if w.stem_from else None
            if stem is not None:  # a stem starts above the labels below it
                (sx, _), (_, sy1) = stem.vertices
                stem = MplPath([(sx, _lift(stem, texts, gap)), (sx, sy1)])
                n += sum(stem.intersects_bbox(b.padded(gap), filled=False) for b in texts)
                n += stem.vertices[0][1] >= box.y0  # no room left for it
            if best is None or n < best[0]:
                if best is not None:
                    best[1].remove()
                best = (n, t, stem)
            else:
                t.remove()
            if n == 0:
                break
        assert best is not None
        n, label, stem = best
        if n and not w.required:
            label.remove()
            continue
        if n:
            failed.add(id(w))
        drawn.append(label)
        if w.names or w.coords == "data":
            setattr(label, NAMES_ATTR, w.names or [w.xy])
        if stem is not None:
            ends = ax.transData.inverted().transform(stem.vertices)
            line = ax.plot(ends[:, 0], ends[:, 1], color=CONTEXT, lw=0.8, ls=":", zorder=1.5)[0]
            setattr(line, ROLE_ATTR, "reference")
            lines.append(line.get_transform().transform_path(line.get_path()))
            drawn.append(line)
        boxes.append(text_box(label, renderer))
        texts.append(boxes[-1])
    return failed, drawn, boxes


def _halves(text: str) -> str:
    """The text on two lines, broken at the space nearest its middle."""
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return text[:cut] + "\n" + text[cut + 1 :]


def _stem(ax: Axes, w: Wanted, box: Bbox) -> MplPath:
    """The stem's path in display pixels: from stem_from up to the top of the label's box."""
    assert w.stem_from is not None
    x, y = ax.transData.transform(w.stem_from)
    return MplPath([(x, y), (x, box.y1)])


def _lift(stem: MplPath, texts: list[Bbox], gap: float) -> float:
    """The stem's lowest point, raised above any text it would cross (a data label)."""
    (x, y0), (_, y1) = stem.vertices
    for b in sorted(texts, key=lambda b: b.y1):
        if b.x0 - gap <= x <= b.x1 + gap and y0 - gap <= b.y1 and b.y0 <= y1:
            y0 = max(y0, b.y1 + gap)
    return y0


def text_box(t: Text, renderer) -> Bbox:  # noqa: ANN001
    """The box of a text's words, in display pixels (an annotation's own extent would also
    cover its leader line)."""
    if isinstance(t, Annotation):
        t.update_positions(renderer)
    return Text.get_window_extent(t, renderer)


def _shown(t: Text) -> bool:
    return t.get_visible() and bool(t.get_text().strip()) and t.figure is not None


# --- the title block, the plot and the source line -------------------------------------------


def wrap(text: str, width_px: float, font: FontProperties, renderer) -> list[str]:  # noqa: ANN001
    """Greedy word wrap to a measured width (each word measured once)."""

    def width(t: str) -> float:
        return renderer.get_text_width_height_descent(t, font, ismath=False)[0]

    space = width("a a") - width("aa")
    lines: list[str] = []
    for para in text.split("\n"):
        words = para.split()
        sizes = [width(w) for w in words]
        line, used = [], 0.0
        for word, w in zip(words, sizes, strict=True):
            if line and used + space + w > width_px:
                lines.append(" ".join(line))
                line, used = [word], w
            else:
                used += (space if line else 0) + w
                line.append(word)
        lines.append(" ".join(line))
    return lines


def margin_px(size: Size, renderer) -> float:  # noqa: ANN001
    """The figure's margin, in pixels."""
    return renderer.points_to_pixels(6 if size.compact else 8)


def text_width_px(width_px: float, size: Size, renderer) -> float:  # noqa: ANN001
    """The width the title block and footer wrap to (a little short of the margins: hinting
    makes text in some PNG sizes a little wider than measured)."""
    return (width_px - 2 * margin_px(size, renderer)) * 0.95


@dataclass
class Block:
    """Texts stacked from an edge of the figure: (text, size in points, weight, colour)."""

    parts: list[tuple[str, float, str, str]]


def figure_layout(
    fig: Figure,
    axes: list[Axes],
    size: Size,
    header: Block,
    footer: Block,
    heights: list[float] | None = None,
) -> None:
    """Title block at the top, footer at the bottom, both at one left margin, and the axes
    (stacked top to bottom) fitted between them so that their tick labels start at the same
    margin. Then every wanted label is placed."""
    renderer = fig.canvas.get_renderer()
    width_px, height_px = fig.bbox.width, fig.bbox.height
    pad = margin_px(size, renderer)
    text_width = text_width_px(width_px, size, renderer)
    y = height_px - pad
    for text, pt, weight, colour in header.parts:
        font = FontProperties(family=matplotlib.rcParams["font.family"], size=pt, weight=weight)
        lines = wrap(text, text_width, font, renderer)
        t = fig.text(pad / width_px, y / height_px, "\n".join(lines), fontproperties=font,
                     color=colour, ha="left", va="top", linespacing=1.2)  # fmt: skip
        y = t.get_window_extent(renderer).y0 - renderer.points_to_pixels(pt * 0.35)
    top = y - renderer.points_to_pixels(4)
    yb = pad
    for text, pt, weight, colour in reversed(footer.parts):
        font = FontProperties(family=matplotlib.rcParams["font.family"], size=pt, weight=weight)
        lines = wrap(text, text_width, font, renderer)
        t = fig.text(pad / width_px, yb / height_px, "\n".join(lines), fontproperties=font,
                     color=colour, ha="left", va="bottom", linespacing=1.2)  # fmt: skip
        yb = t.get_window_extent(renderer).y1 + renderer.points_to_pixels(pt * 0.35)
    bottom = yb + renderer.points_to_pixels(4)
    # the axes share the space between, in proportion to their heights
    ratios = np.asarray(heights or [1.0] * len(axes), float)
    gaps = renderer.points_to_pixels(10) * (len(axes) - 1)
    spans = (top - bottom - gaps) * ratios / ratios.sum()
    y_top = top
    for ax, h in zip(axes, spans, strict=True):
        _fit(ax, Bbox.from_extents(pad, y_top - h, width_px - pad, y_top), fig, renderer)
        y_top -= h + renderer.points_to_pixels(10)
    # one left edge for the stacked plots: the widest tick labels decide
    if len(axes) > 1:
        left = max(ax.get_position().x0 for ax in axes)
        for ax in axes:
            p = ax.get_position()
            ax.set_position([left, p.y0, p.x1 - left, p.height])
    place_labels(fig)


def _fit(ax: Axes, region: Bbox, fig: Figure, renderer) -> None:  # noqa: ANN001
    """Move the axes so that it, its tick labels and axis titles fill `region` (pixels)."""
    w, h = fig.bbox.width, fig.bbox.height
    ax.set_position([region.x0 / w, region.y0 / h, region.width / w, region.height / h])
    for _ in range(3):  # tick labels change with the axes' size: settle in a few steps
        tight = ax.get_tightbbox(renderer, for_layout_only=True)
        off = np.array([region.x0 - tight.x0, tight.x1 - region.x1,
                        region.y0 - tight.y0, tight.y1 - region.y1])  # fmt: skip
        if np.abs(off).max() < 0.5:
            break
        pos = ax.get_window_extent(renderer)
        x0, x1, y0, y1 = pos.x0 + off[0], pos.x1 - off[1], pos.y0 + off[2], pos.y1 - off[3]
        ax.set_position([x0 / w, y0 / h, max(x1 - x0, 1) / w, max(y1 - y0, 1) / h])
