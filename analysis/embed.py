"""Charts as self-contained, accessible SVG: labelled marks with tooltips, inlined into pages.

A chart's text is drawn as outlines (`svg.fonttype: path`), so the SVG itself says nothing to a
screen reader. `annotate` gives it a <title> (the chart's title) and <desc> (its alt text), and
an overlay of one focusable element per bar or point, named by its text (value, year, source),
with a tooltip shown on hover and on keyboard focus. The tooltips are CSS only: no script runs,
so the reports keep a Content-Security-Policy without scripts, an embed works where a CMS strips
<script>, and the printed page is the drawn chart (tooltips are hidden until hovered).

`inline` makes the SVG part of an HTML page: ids get a prefix (several charts on one page would
otherwise share matplotlib's ids), the size follows the container, nothing is loaded. Kept free
of pandas and matplotlib: the report kernels import it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
TIP_WIDTH_SHARE = 0.5  # a tooltip is at most this share of the chart's width
TIP_GAP_PT = 6
# Tooltip and focus styles, the same text in every chart (so repeats on a page do no harm).
# The tooltip's font is set in SVG units, which scale with the chart; in a narrow container
# (a phone) larger units keep it readable (the figure is a size container, see FIGURE_STYLE).
CSS = (
    ".nkc-hit{fill:#000;fill-opacity:0;pointer-events:all}"
    ".nkc-mark{outline:none}"
    ".nkc-mark:hover .nkc-hit,.nkc-mark:focus .nkc-hit{fill-opacity:.08}"
    ".nkc-mark:focus-visible .nkc-hit{stroke:#111;stroke-width:1.5;stroke-opacity:1}"
    ".nkc-tip{display:none;pointer-events:none;overflow:visible}"
    ".nkc-mark:hover .nkc-tip,.nkc-mark:focus .nkc-tip{display:inline}"
    ".nkc-wrap{display:flex;height:100%}.nkc-end{justify-content:flex-end}"
    ".nkc-box{box-sizing:border-box;max-width:100%;height:max-content;padding:.35em .5em;"
    "background:#fff;color:#111;border:1px solid #555;border-radius:2px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.25);font:10px/1.3 system-ui,-apple-system,'Segoe UI',"
    "Roboto,'Noto Sans','Noto Sans CJK KR',sans-serif;text-align:left}"
    ".nkc-nw{white-space:nowrap}@media print{.nkc-tip{display:none!important}}"
)
TIP_PX = 13  # the tooltip's type on screen, in CSS pixels
# container widths (CSS px) below which the chart is shown smaller than drawn: the width each
# step assumes, so that the tooltip's type stays about TIP_PX on screen
NARROW_STEPS_PX = ((520, 460), (400, 360), (320, 300))
FIGURE_STYLE = "container:nk-chart/inline-size"
PHONE_MAX_PX = 560  # containers up to this width show a chart's phone layout (style.py)
PHONE = "phone"
# Which of a chart's layouts a page shows, in CSS (the same rules for every chart, so repeats
# on a page do no harm). The figure is a size container (FIGURE_STYLE): a web layout gives way
# to the phone layout in a column up to PHONE_MAX_PX wide, whatever the screen; a print layout
# (single, double column) is printed, and on screen the phone layout stands in for it (print
# type shown on a screen reads at ~9 px).
LAYOUT_CSS = (
    ".nk-layout-phone{display:none}"
    f"@container nk-chart (max-width:{PHONE_MAX_PX}px){{.nk-layout-web{{display:none}}"
    ".nk-layout-web+.nk-layout-phone{display:block}}"
    "@media screen{.nk-layout-single,.nk-layout-double{display:none}"
    ".nk-layout-single+.nk-layout-phone,.nk-layout-double+.nk-layout-phone{display:block}}"
    "@media print{.nk-layout-phone{display:none!important}"
    ".nk-layout-web,.nk-layout-single,.nk-layout-double{display:block!important}}"
)


DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def tip_css(width_pt: float) -> str:
    """Type sizes of the tooltips of a chart this wide. SVG units scale with the chart, so the
    size that reads as TIP_PX on screen depends on how wide the chart is shown: the drawn width
    (4/3 CSS px per point) by default, less in a narrow container (the figure is a size
    container named nk-chart, see FIGURE_STYLE)."""
    scope = f".nkc-w{round(width_pt)} .nkc-box"
    rules = [f"{scope}{{font-size:{TIP_PX * 0.75:.2f}px}}"]
    for limit, shown in NARROW_STEPS_PX:
        if shown < width_pt * 4 / 3:
            size = TIP_PX * width_pt / shown
            rules.append(
                f"@container nk-chart (max-width:{limit}px){{{scope}{{font-size:{size:.2f}px}}}}"
            )
    return "".join(rules)


def overlay(placed: Iterable[Any], width_pt: float, height_pt: float) -> str:
    """The marks as SVG: per mark a focusable group named by its text, a transparent hit area
    and a tooltip beside the mark (on the side with more room), inside the chart's box."""
    tip_w = width_pt * TIP_WIDTH_SHARE
    parts = [
        f"<style>{CSS}{tip_css(width_pt)}</style>",
        f'<g class="nkc-marks nkc-w{round(width_pt)}">',
    ]
    for p in placed:
        if p.shape == "circle":
            r = p.width / 2
            hit = f'<circle class="nkc-hit" cx="{p.x + r:.2f}" cy="{p.y + r:.2f}" r="{r:.2f}"/>'
        else:
            hit = (
                f'<rect class="nkc-hit" x="{p.x:.2f}" y="{p.y:.2f}" '
                f'width="{p.width:.2f}" height="{p.height:.2f}"/>'
            )
        right = p.anchor_x < width_pt / 2  # the tooltip goes where there is more room
        edge = (p.x + p.width) if p.shape == "rect" else p.anchor_x + p.width / 2
        start = (p.x if p.shape == "rect" else p.anchor_x - p.width / 2) - TIP_GAP_PT
        x0 = min(edge + TIP_GAP_PT, width_pt - tip_w) if right else max(start - tip_w, 0)
        top = p.y if p.shape == "rect" else max(p.anchor_y - 40, 0)
        top = min(top, height_pt / 2)
        text = _e(p.text)
        shown = DATE.sub(r'<span class="nkc-nw">\g<0></span>', text)  # no break inside a date
        parts.append(
            f'<g class="nkc-mark" tabindex="0" role="img" aria-label="{text}">{hit}'
            f'<foreignObject class="nkc-tip" x="{x0:.2f}" y="{top:.2f}" width="{tip_w:.2f}" '
            f'height="{height_pt - top:.2f}" aria-hidden="true">'
            f'<div xmlns="{XHTML_NS}" class="nkc-wrap{"" if right else " nkc-end"}">'
            f'<div class="nkc-box">{shown}</div></div></foreignObject></g>'
        )
    parts.append("</g>")
    return "\n".join(parts) + "\n"


def annotate(svg: str, title: str, desc: str, marks_svg: str = "") -> str:
    """The SVG with a title and description a screen reader announces (the drawn text is
    outlines) and, before its end, the marks overlay."""
    head = re.search(r"<svg\b[^>]*>", svg)
    if head is None:
        raise ValueError("not an SVG document")
    tag = head.group(0)[:-1] + ' role="group" aria-labelledby="title" aria-describedby="desc">'
    named = f'\n <title id="title">{_e(title)}</title>\n <desc id="desc">{_e(desc)}</desc>'
    body = svg[head.end() :]
    end = body.rindex("</svg>")
    return svg[: head.start()] + tag + named + body[:end] + marks_svg + body[end:]


ID_ATTR = re.compile(r'\b(id|aria-labelledby|aria-describedby)="([^"]+)"')
XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')
ID_REF = re.compile(r'(xlink:href|href)="#([^"]+)"|url\(#([^)]+)\)')


def inline(svg: str, prefix: str, max_width_px: int | None = None) -> str:
    """An SVG file as an element of an HTML page: no XML prolog or metadata, every id prefixed
    (and every reference to one), scaled to its container's width (at most max_width_px)."""
    start = svg.index("<svg")
    body = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[start:], count=1, flags=re.S)

    def ids(m: re.Match) -> str:
        return f'{m.group(1)}="{" ".join(f"{prefix}-{i}" for i in m.group(2).split())}"'

    def refs(m: re.Match) -> str:
        if m.group(1):
            return f'{m.group(1)}="#{prefix}-{m.group(2)}"'
        return f"url(#{prefix}-{m.group(3)})"

    body = ID_REF.sub(refs, ID_ATTR.sub(ids, body))
    body = XMLNS.sub("", body)  # the HTML parser places SVG and its foreign HTML itself
    limit = f"max-width:{max_width_px}px;" if max_width_px else ""
    return (
        re.sub(
            r'<svg\b([^>]*?) width="[^"]*" height="[^"]*"',
            rf'<svg\1 style="display:block;width:100%;height:auto;{limit}"',
            body,
            count=1,
        ).rstrip()
        + "\n"
    )


def layouts(svgs: dict[str, str], prefix: str, widths_px: dict[str, int]) -> str:
    """A chart's layouts (size name -> SVG file text: the main size, then perhaps the phone
    size) inline, each at most its width in widths_px and in its own box, with the rules that
    show one at a time (LAYOUT_CSS)."""
    if len(svgs) == 1:
        ((size, svg),) = svgs.items()
        return inline(svg, f"{prefix}-{size}", widths_px[size])
    boxes = "".join(
        f'<div class="nk-layout-{_e(size)}">\n'
        f"{inline(svg, f'{prefix}-{size}', widths_px[size])}</div>\n"
        for size, svg in svgs.items()
    )
    return f"<style>{LAYOUT_CSS}</style>\n{boxes}"


def figure(svg_inline: str, name: str, caption: str, max_width_px: int) -> str:
    """A <figure> to paste into any page: the chart inline (nothing to load; its title, source
    line and note are drawn in it and named in its <title> and <desc>) and its caption."""
    return (
        f'<figure class="nk-chart" id="chart-{_e(name)}" style="{FIGURE_STYLE};margin:1em 0;'
        f'max-width:{max_width_px}px">\n'
        f"{svg_inline}"
        f'<figcaption style="font-size:.9em;line-height:1.35">{_e(caption)}</figcaption>\n'
        "</figure>\n"
    )
