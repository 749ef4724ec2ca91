"""Small helpers the report notebooks call to turn computed results into prose and tables.

Kept light (no pandas, no matplotlib) so a report kernel starts quickly.
"""

from __future__ import annotations

import csv
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from IPython.display import SVG, Markdown

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


def read_json(path: str | Path) -> Any:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def read_rows(path: str | Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def n(value: float, digits: int = 0) -> str:
    """A number as printed in prose: thousands separators, fixed digits."""
    return f"{value:,.{digits}f}"


def interval(entry: dict[str, Any], digits: int = 0) -> str:
    level = round(100 * entry["level"])
    low, high = n(entry["low"], digits), n(entry["high"], digits)
    return f"{n(entry['value'], digits)} ({level}% interval {low} to {high})"


def md(text: str) -> Markdown:
    return Markdown(text)


def figure(figures_dir: str | Path, name: str, size: str = "web") -> SVG:
    return SVG(filename=str(Path(figures_dir) / f"{name}-{size}.svg"))


def caption(figures_dir: str | Path, name: str) -> Markdown:
    meta = read_json(Path(figures_dir) / f"{name}.json")
    return Markdown(f"*{meta['caption']}* {meta['source_line']}")


def table(rows: list[dict[str, Any]], columns: dict[str, str]) -> Markdown:
    """A Markdown table of the given columns (key -> header)."""
    head = "| " + " | ".join(columns.values()) + " |"
    rule = "|" + "---|" * len(columns)
    body = ["| " + " | ".join(str(r.get(k, "")) for k in columns) + " |" for r in rows]
    return Markdown("\n".join([head, rule, *body]))


def sources_used(source_ids: set[str]) -> tuple[Markdown, str]:
    """The Sources section for these ids, and the latest publication date among them."""
    rows = [r for r in read_rows(paths.processed("sources")) if r["source_id"] in source_ids]
    rows.sort(key=lambda r: (r["publisher"], r["published"], r["source_id"]))
    lines = [f"- `{r['source_id']}`: {r['citation']}" for r in rows]
    as_of = max((r["published"] for r in rows), default="")
    return Markdown("\n".join(lines)), as_of


def versions() -> Markdown:
    rows = [{"package": p, "version": metadata.version(p)} for p in KEY_PACKAGES]
    return table(rows, {"package": "Package", "version": "Version"})
