"""Small helpers the report notebooks call to turn computed results into prose and tables.

Data is never code: every value that comes from data/raw or a parameter file (titles,
publishers, event texts, ...) reaches the report as text, never as Markdown or HTML. Tables,
source lists and chart captions are built here as HTML with every value escaped, and links come
only from the validated `url` column. A template's own prose stays Markdown (`md`), and a value
placed in it goes through `esc`, which makes it inert Markdown that shows verbatim.

Kept light (no pandas, no matplotlib) so a report kernel starts quickly.
"""

from __future__ import annotations

import base64
import csv
import html
import json
import string
from importlib import metadata
from pathlib import Path
from typing import Any

from IPython.display import HTML, Markdown, display

from analysis import paths

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


def _img(figures_dir: str | Path, name: str, size: str, style: str) -> str:
    """An <img> of a chart's SVG as a data URI, with the chart's alt text."""
    svg = paths.staged(Path(figures_dir) / f"{name}-{size}.svg").read_bytes()
    alt = html.escape(read_json(Path(figures_dir) / f"{name}.json")["alt_text"])
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return f'<img src="{uri}" alt="{alt}" style="{style}">'


def chart(figures_dir: str | Path, name: str, size: str = "web") -> HTML:
    """Show a chart with its alt text; return its caption and Source line to show below it."""
    display(HTML(_img(figures_dir, name, size, "max-width:100%;height:auto")))
    meta = read_json(Path(figures_dir) / f"{name}.json")
    return HTML(f"<p><em>{_h(meta['caption'])}</em> {_h(meta['source_line'])}</p>")


def figure_row(figures_dir: str | Path, names: list[str], size: str = "single") -> HTML:
    """Several charts side by side (for the one-page brief), each with its alt text."""
    cells = "".join(_img(figures_dir, n, size, "width:33%;height:auto") for n in names)
    return HTML(f'<div style="display:flex;gap:0.3%">{cells}</div>')


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
