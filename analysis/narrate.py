"""Small helpers the report notebooks call to turn computed results into prose and tables.

Data is never code: every value that comes from data/raw or a parameter file (titles,
publishers, event texts, ...) reaches the report as text, never as Markdown or HTML. Tables,
source lists and chart captions are built here as HTML with every value escaped, and links come
only from the validated `url` column. A template's own prose stays Markdown (`md`), and a value
placed in it goes through `esc`, which makes it inert Markdown that shows verbatim.

Kept light (no pandas, no matplotlib) so a report kernel starts quickly.
"""

from __future__ import annotations

import csv
import html
import json
import string
from importlib import metadata
from pathlib import Path
from typing import Any

from IPython.display import HTML, Markdown

from analysis import embed, paths

KEY_PACKAGES = (
    "pandas",
    "numpy",
    "scipy",
    "statsmodels",
    "matplotlib",
    "papermill",
    "frictionless",
)


# Every read goes through paths.staged: a report names published paths (its results_dir, say)
# and reads what the build has just made in the stage.


def read_json(path: str | Path) -> Any:
    return json.loads(paths.staged(path).read_text(encoding="utf-8"))


def read_rows(path: str | Path) -> list[dict[str, str]]:
    with open(paths.staged(path), encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def n(value: float, digits: int = 0) -> str:
    """A number as printed in prose: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}"


def interval(entry: dict[str, Any], digits: int = 0) -> str:
    level = round(100 * entry["level"])
    low, high = n(entry["low"], digits), n(entry["high"], digits)
    return f"{n(entry['value'], digits)} ({level}% interval {low} to {high})"


def esc(value: Any) -> str:
    """A value as Markdown text that shows verbatim: every ASCII punctuation mark and control
    character (newlines included) becomes a numeric character reference, which CommonMark shows
    as the character and never reads as syntax (no emphasis, code, link, table cell, HTML tag or
    line break). Letters, digits, spaces and non-ASCII text are left as they are."""
    return "".join(
        f"&#{ord(c)};" if c in string.punctuation or c < " " or c == "\x7f" else c
        for c in str(value)
    )


def md(text: str) -> Markdown:
    """A template's own Markdown prose; any data value in it must go through `esc`."""
    return Markdown(text)


def _h(value: Any) -> str:
    return html.escape(str(value))


def _figure(figures_dir: str | Path, name: str, size: str, caption: bool = True) -> str:
    """A chart inline (its SVG, with the title and alt text a screen reader reads and, where
    it was drawn for the screen, a value per bar and point on hover and focus) in a <figure>,
    with its caption. The source line is drawn in the chart; the caption does not repeat it."""
    meta = read_json(Path(figures_dir) / f"{name}.json")
    svg = paths.staged(Path(figures_dir) / f"{name}-{size}.svg").read_text(encoding="utf-8")
    width = round(meta["sizes_cm"][size][0] / 2.54 * 96)  # drawn width in CSS px
    body = embed.inline(svg, f"{name}-{size}", width)
    text = f"<figcaption>{_h(meta['caption'])}</figcaption>" if caption else ""
    return (
        f'<figure class="nk-chart nk-{_h(size)}" style="{embed.FIGURE_STYLE};'
        f'max-width:{width}px">\n{body}{text}</figure>'
    )


def chart(figures_dir: str | Path, name: str, size: str = "web") -> HTML:
    """A chart with its caption."""
    return HTML(_figure(figures_dir, name, size))


def figure_row(figures_dir: str | Path, names: list[str], size: str = "single") -> HTML:
    """Several charts (for the one-page brief) in a row that wraps: side by side where they
    fit at their drawn width, one above the other on a phone."""
    cells = "".join(_figure(figures_dir, n, size, caption=False) for n in names)
    return HTML(f'<div class="nk-row">{cells}</div>')


def style(css: str) -> HTML:
    """A style sheet for this report (the HTML export keeps it; no scripts, no requests)."""
    return HTML(f"<style>{css}</style>")


def cell(value: Any, digits: int | None) -> str:
    """A table cell: numbers rounded to `digits` with separators; empty stays empty."""
    if digits is None or value in ("", None):
        return str(value if value is not None else "")
    try:
        return n(float(value), digits)
    except ValueError:
        return str(value)


def table(
    rows: list[dict[str, Any]], columns: dict[str, str], digits: dict[str, int] | None = None
) -> HTML:
    """An HTML table of the given columns (key -> header), numbers rounded per column, every
    cell escaped (a `|` or a newline in a value stays inside its cell)."""
    digits = digits or {}
    head = "".join(f"<th>{_h(h)}</th>" for h in columns.values())
    body = "".join(
        "<tr>"
        + "".join(f"<td>{_h(cell(r.get(k, ''), digits.get(k)))}</td>" for k in columns)
        + "</tr>\n"
        for r in rows
    )
    return HTML(f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>")


def chart_sources(figures_dir: str | Path, names: list[str]) -> set[str]:
    """Every source cited by these charts (their data's sources)."""
    return {
        i for name in names for i in read_json(Path(figures_dir) / f"{name}.json")["source_ids"]
    }


def citation(row: dict[str, str]) -> str:
    """A source's citation as HTML: its text escaped, its address (the validated url column,
    http or https only) the one link."""
    url = row["url"]
    text = _h(row["citation"].removesuffix(" " + url) if url else row["citation"])
    return text + (f' <a href="{_h(url)}">{_h(url)}</a>' if url else "")


def sources_used(source_ids: set[str]) -> tuple[HTML, str]:
    """The Sources section for these ids, and the latest publication date among them."""
    rows = [r for r in read_rows(paths.processed("sources")) if r["source_id"] in source_ids]
    rows.sort(key=lambda r: (r["publisher"], r["published"], r["source_id"]))
    items = "".join(f"<li><code>{_h(r['source_id'])}</code>: {citation(r)}</li>\n" for r in rows)
    as_of = max((r["published"] for r in rows), default="")
    return HTML(f"<ul>\n{items}</ul>"), as_of


def versions_line() -> Markdown:
    return Markdown("Software: " + ", ".join(f"{p} {metadata.version(p)}" for p in KEY_PACKAGES))


def versions() -> HTML:
    rows = [{"package": p, "version": metadata.version(p)} for p in KEY_PACKAGES]
    return table(rows, {"package": "Package", "version": "Version"})
