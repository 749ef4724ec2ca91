"""Stage 4c: a contact sheet, every chart at print size and every report at phone width on one
page, so a reviewer sees everything at once.

Input: reports/figures/manifest.json and the reports. Output: reports/contact-sheet.html. The
page shows the chart files and the reports themselves (images and frames beside it), not
screenshots, so its bytes depend only on the list of charts and reports: the same build gives
the same page, and what it shows is always the current files.

    python -m analysis.contact SET [SET ...]
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

from analysis import paths
from analysis.io import atomic_open, run_step

PHONE_PX = (390, 844)  # a phone's screen in CSS pixels (width, height)
FRAME_HEIGHT_PX = 2600  # each report's first screens; the frame scrolls for the rest
# the charts in the order print uses them, each at its size in centimetres
SIZES = ("single", "double", "web", "phone")
GALLERIES = ("gallery", "gallery-ko")  # analysis/gallery.py, one page per language
CSP = (
    "default-src 'none'; img-src 'self' data:; frame-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'"
)
STYLE = (
    "body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1b1b1b;background:#f3f3f3}"
    "main{padding:1rem 1.5rem 3rem}h1{font-size:1.5rem;margin:.2rem 0}"
    "h2{font-size:1.15rem;margin:2rem 0 .6rem;border-top:1px solid #ccc;padding-top:1rem}"
    "p{max-width:50em}.chart{background:#fff;padding:.8rem;margin:0 0 1rem;display:flex;"
    "flex-wrap:wrap;gap:1.2rem;align-items:flex-start}.chart h3{flex:1 0 100%;margin:0;"
    # a chart wider than the screen (print size on a phone) scrolls in its own box, not the page
    "font-size:.95rem}figure{margin:0;min-width:0;max-width:100%;overflow-x:auto}"
    "figcaption{font-size:.75rem;color:#555}"
    "img{display:block;background:#fff;outline:1px dashed #bbb}"
    ".phones{display:flex;flex-wrap:wrap;gap:1.2rem;align-items:flex-start}"
    "iframe{border:1px solid #888;background:#fff;display:block}"
    "@media (max-width:600px){main{padding:1rem .5rem 3rem}.chart{padding:.5rem}}"
)


def page(man: dict, sets: list[str], figures: Path) -> str:
    e = html.escape
    rel = figures.relative_to(paths.REPORTS).as_posix()
    charts = []
    for c in man["charts"]:
        cells = []
        # every language's files, English first: a reviewer sees each translation drawn
        for version in [c, *c.get("translations", {}).values()]:
            lang = version["language"]
            base = c["name"] if lang == "en" else f"{c['name']}-{lang}"
            for size in SIZES:
                w_cm, h_cm = version["sizes_cm"][size]
                cells.append(
                    f'<figure lang="{e(lang)}"><img src="{rel}/{e(base)}-{size}.svg" '
                    f'style="width:{w_cm:g}cm;height:{h_cm:g}cm" alt="{e(version["alt_text"])}">'
                    f"<figcaption>{e(base)}: {e(size)}, {w_cm:g} \u00d7 {h_cm:g} cm</figcaption>"
                    "</figure>"
                )
        charts.append(
            f'<section class="chart" id="chart-{e(c["name"])}"><h3>{e(c["name"])}: '
            f"{e(c['title'])}</h3>{''.join(cells)}</section>"
        )
    w, h = PHONE_PX
    frames = [
        f'<figure><iframe src="{e(name)}.html" width="{w}" height="{FRAME_HEIGHT_PX}" '
        f'title="{e(name)} at {w} px" loading="eager"></iframe>'
        f"<figcaption>{e(name)}.html at {w} px (a phone screen is {h} px tall)</figcaption>"
        "</figure>"
        for name in [*sets, *GALLERIES]
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        "<title>Contact sheet: every chart and report</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Contact sheet</h1>\n<p>Every chart in every language at print size (1 cm here "
        "is a CSS centimetre: exact on paper, close on most screens) and every report at phone "
        "width. Each frame scrolls; open a report for the whole of it.</p>\n"
        f'<h2>Reports at phone width ({w} px)</h2>\n<div class="phones">\n'
        + "\n".join(frames)
        + "\n</div>\n<h2>Charts at print size</h2>\n"
        + "\n".join(charts)
        + "\n</main>\n</body>\n</html>\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sets", nargs="+", help="the reports' parameter sets")
    args = parser.parse_args()
    man = json.loads((paths.FIGURES / "manifest.json").read_text(encoding="utf-8"))
    with atomic_open(paths.REPORTS / "contact-sheet.html") as fh:
        fh.write(page(man, sorted(args.sets), paths.FIGURES))


if __name__ == "__main__":
    run_step(main)
