"""Stage 4b: one manifest of every chart, and a gallery page to browse and download them.

Input: reports/figures/NAME.json and the chart files. Output: reports/figures/manifest.json
and reports/gallery.html (self-contained: the web SVGs are inline, with their values on hover
and focus, and no script; download links point to the files beside it, so it works offline
from the reports folder).

    python -m analysis.gallery NAME [NAME ...]
"""

from __future__ import annotations

import argparse
import html
import json
from pathlib import Path

from PIL import Image

from analysis import embed, paths
from analysis.io import atomic_open, run_step, write_json

# nothing is loaded and no script runs; styles are inline
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def manifest(names: list[str], figures: Path) -> dict:
    charts = []
    for name in names:
        meta = json.loads((figures / f"{name}.json").read_text(encoding="utf-8"))
        files = []
        for f in meta["files"]:
            entry = {"file": f, "bytes": (figures / f).stat().st_size}
            if f.endswith(".png"):
                with Image.open(figures / f) as im:
                    entry["pixels"] = list(im.size)
                    entry["dpi"] = round(im.info.get("dpi", (0, 0))[0])
            files.append(entry)
        charts.append({k: v for k, v in meta.items() if k != "files"} | {"files": files})
    return {"charts": charts}


def page(man: dict, figures: Path) -> str:
    e = html.escape
    rel = figures.relative_to(paths.REPORTS).as_posix()
    parts = []
    for c in man["charts"]:
        name = c["name"]
        width = round(c["sizes_cm"]["web"][0] / 2.54 * 96)  # drawn width in CSS px
        svg = (figures / f"{name}-web.svg").read_text(encoding="utf-8")
        links = " ".join(
            f'<a href="{rel}/{e(f["file"])}" download>{e(f["file"].split("-", 1)[-1])}</a>'
            for f in c["files"]
        )
        parts.append(
            f'<section id="{e(c["name"])}">\n'
            f'<figure class="nk-chart" style="{embed.FIGURE_STYLE};margin:0;max-width:{width}px">\n'
            f"{embed.inline(svg, f'g-{name}', width)}"
            f"<figcaption>{e(c['caption'])}</figcaption>\n</figure>\n"
            f"<details><summary>Alt text</summary><p>{e(c['alt_text'])}</p></details>\n"
            f'<p class=small>To embed: paste the contents of <a href="{rel}/{e(name)}-embed.html"'
            f" download>{e(name)}-embed.html</a> (the chart inline, with its values on hover "
            "and keyboard focus; it loads nothing).</p>\n"
            f"<p class=small>Download: {links}</p>\n</section>"
        )
    style = (
        "body{font-family:system-ui,sans-serif;margin:0}main{max-width:42rem;margin:2rem auto;"
        "padding:0 1rem;"
        "color:#222;line-height:1.45}section{margin:2.5rem 0;border-top:1px solid #ddd;"
        "padding-top:1rem}p,figcaption,summary{max-width:34em}"
        ".small{font-size:.85rem;color:#444}figcaption{font-size:.9rem;"
        "margin-top:.4rem}a{overflow-wrap:anywhere}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Chart gallery: North Korea's border closure</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n<main>\n"
        "<h1>Chart gallery</h1>\n<p>Every chart in four sizes: for print, single column "
        "8.8 cm and double column 18 cm as SVG, PDF and PNG (300 dpi); for screens, web "
        "(605 px) and phone (375 px) as SVG and PNG (twice their pixels); with the data behind "
        "it (CSV). "
        "Point at a bar or a point, or move to it with the Tab key, to read its value, year and "
        'source. Manifest: <a href="'
        + rel
        + '/manifest.json">manifest.json</a>.</p>\n'
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    man = manifest(args.names, paths.FIGURES)
    write_json(man, paths.FIGURES / "manifest.json")
    with atomic_open(paths.REPORTS / "gallery.html") as fh:
        fh.write(page(man, paths.FIGURES))


if __name__ == "__main__":
    run_step(main)
