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
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from IPython.display import HTML, Markdown

from analysis import embed, paths, wording
from analysis.i18n import ENGLISH, N_, Text

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


MINUS, DASH = "\u2212", "\u2013"


def n(value: float, digits: int = 0) -> str:
    """A number as printed: thousands separators, fixed digits, a typographic minus, and no
    "-0.00" (a value that rounds to zero has no sign)."""
    text = f"{value:,.{digits}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    return text.replace("-", MINUS)


def pct(value: Any, digits: int = 0, signed: bool = False) -> str:
    """A percentage, e.g. "−87%" ("+12%" when signed); empty when the value is (a change on a
    year with no arrivals has no percentage)."""
    if value in ("", None):
        return ""
    text = n(float(value), digits) + "%"
    return ("+" + text) if signed and not text.startswith((MINUS, "0%")) else text


def p_value(p: float) -> str:
    """A p-value as a reader can take it in: never in scientific notation."""
    if p != p:  # NaN: no test was possible
        return "no test"
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def plain(text: str) -> str:
    """Text from the models with any "p = 6.4e-31" written as a reader takes it."""
    return re.sub(r"p = (\d\.?\d*e[-+]\d+)", lambda m: p_value(float(m.group(1))), text)


def span(years: list[int] | tuple[int, ...]) -> str:
    """'2020' or '2020–2024' (an en dash between years)."""
    return (
        f"{years[0]}"
        if len(years) == 1 or years[0] == years[-1]
        else f"{years[0]}{DASH}{years[-1]}"
    )


def interval(entry: dict[str, Any], digits: int = 0) -> str:
    level = round(100 * entry["level"])
    low, high = n(entry["low"], digits), n(entry["high"], digits)
    return f"{n(entry['value'], digits)} ({level}% interval {low} to {high})"


def between(low: Any, high: Any, digits: int = 0) -> str:
    """An interval as a table cell: "0.07 to 0.22"; empty when either end is."""
    if low in ("", None) or high in ("", None):
        return ""
    return f"{n(float(low), digits)} to {n(float(high), digits)}"


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
    with its caption. The source line is drawn in the chart; the caption does not repeat it.
    Where the build drew the chart's phone layout too, both are inlined and the page shows the
    one that reads at the figure's width (embed.layouts)."""
    meta = read_json(Path(figures_dir) / f"{name}.json")
    drawn = [size] + [s for s in (embed.PHONE,) if s != size and s in meta["sizes_cm"]]
    # at most the drawn width in CSS px; a phone layout grows with its column
    widths = {
        s: embed.PHONE_MAX_PX if s == embed.PHONE else round(meta["sizes_cm"][s][0] / 2.54 * 96)
        for s in drawn
    }
    svgs = {
        s: paths.staged(Path(figures_dir) / f"{name}-{s}.svg").read_text(encoding="utf-8")
        for s in drawn
    }
    body = embed.layouts(svgs, name, widths)
    text = f"<figcaption>{_h(meta['caption'])}</figcaption>" if caption else ""
    return (
        f'<figure class="nk-chart nk-{_h(size)}" style="{embed.FIGURE_STYLE};'
        f'max-width:{max(widths.values())}px">\n{body}{text}</figure>'
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


WIDE_CHARS = 32  # a text column with longer values is a "wide" one


def table(
    rows: list[dict[str, Any]],
    columns: dict[str, str],
    digits: dict[str, int | Callable[[dict[str, Any]], int]] | None = None,
    caption: str = "",
) -> HTML:
    """An HTML table of the given columns (key -> header, with its unit), numbers rounded per
    column (or per row, where a column's digits are a function of the row: a count and a
    length in one column) and aligned right, every cell escaped (a `|` or a newline in a value
    stays inside its cell). It scrolls sideways in its own box when it is wider than the page
    (a phone), and that box can be reached and scrolled from the keyboard."""
    digits = digits or {}
    # a column of long text keeps a readable width (the table scrolls instead of wrapping it
    # into one word a line)
    wide = {
        k
        for k in columns
        if k not in digits and max((len(str(r.get(k) or "")) for r in rows), default=0) > WIDE_CHARS
    }

    def kind(k: str) -> str:
        return ' class="num"' if k in digits else ' class="wide"' if k in wide else ""

    def places(k: str, row: dict[str, Any]) -> int | None:
        d = digits.get(k)
        return d(row) if callable(d) else d

    head = "".join(f"<th{kind(k)}>{_h(h)}</th>" for k, h in columns.items())
    body = "".join(
        "<tr>"
        + "".join(f"<td{kind(k)}>{_h(cell(r.get(k, ''), places(k, r)))}</td>" for k in columns)
        + "</tr>\n"
        for r in rows
    )
    name = caption or ", ".join(h for h in columns.values() if h)
    cap = f"<caption>{_h(caption)}</caption>" if caption else ""
    return HTML(
        f'<div class="nk-table" tabindex="0" role="region" aria-label="{_h(name)}">\n'
        f"<table>{cap}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>\n</div>"
    )


# Model words as a reader says them (the tables' codes stay in the CSVs)
PHASES = {"pre": "before the closure", "closure": "closure", "reopening": "partial reopening"}
FAMILIES = wording.FAMILY_WORDS
QUALIFIERS = {
    "exact": "count",
    "estimate": "model estimate",
    "at_most": "upper bound",
    "at_least": "lower bound",
    "approximate": "approximate",
    "range": "range",
}
VARIED = {
    "chosen": "none (the chosen fit)",
    "pre_start_year": "start of the pre-period",
    "intervention_year": "first closure year",
    "reopening_year": "first reopening year",
    "left_out_year": "one pre-closure year left out",
    "family": "model family",
}


def words(code: str) -> str:
    """A code from a table ("guard_posts", "international_law") as words ("guard posts")."""
    return code.replace("_", " ")


def coefficient(row: dict[str, str], pre_start_year: int) -> dict[str, str]:
    """A model coefficient as a reader takes it: what it estimates, in words, with its value
    and interval in the unit that says it (a count, a change per year, a ratio)."""
    ratio, low, high = (float(row[k]) for k in ("ratio", "ratio_ci_low", "ratio_ci_high"))
    model, term = row["model"], row["term"]
    family = FAMILIES.get(row["family"], row["family"])
    if model == "its" and term == "const":  # exp(constant): the trend's count in its first year
        what, value = f"Arrivals on the trend in {pre_start_year} (people)", n(ratio)
        ci = f"{n(low)} to {n(high)}"
    elif model == "its" and term == "trend":
        what = "Change per year before the closure"
        value = pct(100 * (ratio - 1), 1, signed=True)
        ci = f"{pct(100 * (low - 1), 1, signed=True)} to {pct(100 * (high - 1), 1, signed=True)}"
    else:
        words = {
            ("its", "closure_level"): "Arrivals during the closure, times the trend",
            ("its", "reopening_level"): "Arrivals after the partial reopening, times the trend",
            ("female_share", "const"): "Odds that an arrival was a woman, before the closure",
            ("female_share", "closure"): "Those odds during the closure, times before (odds ratio)",
        }
        what = words.get((model, term), f"{term.replace('_', ' ')} ({row['ratio_kind']})")
        value, ci = n(ratio, 2), f"{n(low, 2)} to {n(high, 2)}"
    return {"what": what, "value": value, "ci": ci, "family": family}


def publisher(row: dict[str, str], text: Text = ENGLISH) -> str:
    """A source's publisher in the language of `text` (publisher_ko in Korean)."""
    return row[text.column("publisher", row)]


def source_names(ids: str, text: Text = ENGLISH) -> str:
    """'Publisher, date; ...' for ';'-separated source ids (ids never reach a reader)."""
    by_id = {r["source_id"]: r for r in read_rows(paths.processed("sources"))}
    return "; ".join(
        f"{publisher(by_id[i], text)}, {by_id[i]['published']}"
        for i in ids.split(";")
        if i in by_id
    )


def chart_sources(figures_dir: str | Path, names: list[str]) -> set[str]:
    """Every source cited by these charts (their data's sources)."""
    return {
        i for name in names for i in read_json(Path(figures_dir) / f"{name}.json")["source_ids"]
    }


def citation(row: dict[str, str], language: Text = ENGLISH) -> str:
    """A source's citation as HTML: its text escaped, its address (the validated url column,
    http or https only) the one link, shown by its site's name (an address can be a line of
    percent-escapes). In Korean it names the publisher by its Korean name (citation_ko)."""
    url = row["url"]
    said = row[language.column("citation", row)]
    text = _h(said.removesuffix(" " + url) if url else said)
    site = urlsplit(url).hostname or url if url else ""
    return text + (f' <a href="{_h(url)}">{_h(site.removeprefix("www."))}</a>' if url else "")


# Who counted what a group of sources reports: the primary source, named before the
# publications that carried its figures.
PRIMARY = {"arrivals": N_("the Ministry of Unification (South Korea), which counts arrivals")}
CITING = re.compile(r"\((?:citing|republication of)\s+([^)]+)\)")
CARRIED = re.compile(r"^(.+?)\s+(?:via|quoted by)\s+")
# the same in the Korean names of data/raw/sources.csv (publisher_ko, README): "연합뉴스(한국경제
# 게재)" carried by, "(… 재인용)" quoted by, "(… 사본)" a copy on; "IANS(연합뉴스 인용, …)" citing,
# "reporter.am(자유아시아방송 전재)" a republication of
CITING_KO = re.compile(r"\(([^(),]+?) (?:인용|전재)[,)]")
CARRIED_KO = re.compile(r"^(.+)\([^()]* (?:게재|재인용|사본)\)$")


def originator(publisher: str) -> str:
    """Whose text a publication carries: "Yonhap via Hankyung" -> "Yonhap"; "IANS (citing
    Yonhap) via Daijiworld" -> "Yonhap"; "UPI (copy on oddonion.com)" -> "UPI"; in Korean,
    "연합뉴스(한국경제 게재)" -> "연합뉴스"."""
    m = CITING.search(publisher) or CARRIED.match(publisher)
    if m:
        return m.group(1).strip()
    m = CITING_KO.search(publisher) or CARRIED_KO.match(publisher)
    if m:
        return m.group(1).strip()
    return re.sub(r"\s*\(copy on [^)]*\)$", "", publisher)


def reprints(rows: list[dict[str, str]], who: str, text: Text = ENGLISH) -> str:
    """How many of these publications of `who`'s text were carried by others: " (3 reprints)",
    " (4: 3 reprints)", or nothing when `who` published the one alone."""
    _ = text.gettext
    carried = sum(r["publisher"] != who for r in rows)
    if not carried:
        return _(" ({count})", count=len(rows)) if len(rows) > 1 else ""
    word = _("{count} reprints", count=carried) if carried > 1 else _("{count} reprint", count=1)
    if carried == len(rows):
        return f" ({word})"
    return _(" ({count}: {reprints})", count=len(rows), reprints=word)


def data_sources(figures_dir: str | Path, names: list[str]) -> set[str]:
    """The sources of the values these charts plot (their data's source_id column), without
    the sources of what is marked on them (events, forecasts)."""
    ids: set[str] = set()
    for name in names:
        for r in read_rows(Path(figures_dir) / f"{name}.csv"):
            ids.update(i for i in r.get("source_id", "").split(";") if i)
    return ids


@dataclass
class Sources:
    """A report's sources: who they are, in a few lines (primary first, reprints counted), the
    full list, and the date of the newest."""

    summary: HTML
    listing: HTML
    as_of: str
    count: int


def sources(
    groups: dict[str, set[str]], what: dict[str, str] | None = None, text: Text = ENGLISH
) -> Sources:
    """The sources of each group of figures (group name -> source ids; `what` names each group
    for a reader, e.g. "Arrival counts"). The summary names a group's primary source (PRIMARY)
    first, then the publications that carried the figures, grouped by whose text they carry,
    with a count; the listing cites every publication once, by publisher and date."""
    what = what or {}
    by_id = {r["source_id"]: r for r in read_rows(paths.processed("sources"))}
    lines = []
    for group, ids in groups.items():
        rows = [by_id[i] for i in sorted(ids) if i in by_id]
        if not rows:
            continue
        by: dict[str, list[dict[str, str]]] = {}
        for r in rows:
            by.setdefault(originator(r["publisher"]), []).append(r)
        # grouped and ranked by the English names, so both languages count the same; named in
        # the report's language (the originator in the Korean name of one of its rows)
        ranked = sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        named = [
            _h(originator(publisher(rs[0], text)) if text.language != "en" else who)
            + reprints(rs, who, text)
            for who, rs in ranked
        ]
        n_pub = (
            text.gettext("{count} publications", count=len(rows))
            if len(rows) > 1
            else text.gettext("{count} publication", count=1)
        )
        label = _h(what.get(group, group))
        primary = PRIMARY.get(group)
        lead = (
            text.gettext(
                "<strong>{label}</strong>: {primary}, as published in {publications}: ",
                label=label,
                primary=_h(text.translate(primary)),
                publications=n_pub,
            )
            if primary
            else f"<strong>{label}</strong>: {n_pub}: "
        )
        lines.append(f"<li>{lead}{'; '.join(named)}.</li>")
    cited = {i for ids in groups.values() for i in ids if i in by_id}
    rows = sorted((by_id[i] for i in cited), key=lambda r: (r["publisher"], r["published"]))
    items = "".join(f"<li>{citation(r, text)}</li>\n" for r in rows)
    return Sources(
        summary=HTML(f'<ul class="nk-sources-summary">\n{"".join(lines)}\n</ul>'),
        listing=HTML(f'<ol class="nk-sources">\n{items}</ol>'),
        as_of=max((r["published"] for r in rows), default=""),
        count=len(rows),
    )


def term_note(text: Text = ENGLISH) -> str:
    """How the Korean text names the people counted, and why: the term chosen (the `term`
    parameter), the Ministry's change of term and the objections to it, with their sources.
    Markdown, every value escaped."""
    from analysis.i18n import TERM_SOURCES, TERMS

    table = {r["source_id"]: r for r in read_rows(paths.processed("sources"))}
    cites = {
        what: esc(
            "; ".join(
                f"{publisher(table[i], text)}, {table[i]['published']}" for i in ids if i in table
            )
        )
        for what, ids in TERM_SOURCES.items()
    }
    return text.gettext(
        "Terms: the Korean edition calls North Korean defectors {term}, {why}. In September "
        "2025 the Ministry of Unification said it was reviewing a new name for the legal term "
        "북한이탈주민 ({review}); by December 2025 it used 북향민 in its own documents, and "
        "several defectors' organisations had objected publicly ({use}). Tables keep the names "
        "the Ministry gives them.",
        term=esc(text.term),
        why=text.translate(TERMS[text.term]),
        **cites,
    )


def versions_line(text: Text = ENGLISH) -> HTML:
    names = ", ".join(f"{p} {metadata.version(p)}" for p in KEY_PACKAGES)
    said = text.gettext("Software: {packages}.", packages=_h(names))
    return HTML(f'<p class="nk-software">{said}</p>')


def versions() -> HTML:
    return versions_line()
