"""Stage 4b: one manifest of every chart, and a gallery page to browse and download them.

Input: reports/figures/NAME.json and the chart files. Output: reports/figures/manifest.json
and reports/gallery.html (self-contained: the web SVGs are inlined as data URIs; download
links point to the files beside it, so it works offline from the reports folder).

    python -m analysis.gallery NAME [NAME ...]
"""

from __future__ import annotations

import argparse
import base64
import html
import json
from pathlib import Path

from PIL import Image

from analysis import paths
from analysis.io import atomic_open, run_step, write_json


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
        svg = (figures / f"{c['name']}-web.svg").read_bytes()
        uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
        links = " ".join(
            f'<a href="{rel}/{e(f["file"])}" download>{e(f["file"].split("-", 1)[-1])}</a>'
            for f in c["files"]
        )
        parts.append(
            f'<section id="{e(c["name"])}">\n'
            f'<img src="{uri}" alt="{e(c["alt_text"])}">\n'
            f"<p><strong>{e(c['title'])}</strong> {e(c['caption'])}</p>\n"
            f"<p class=small>{e(c['source_line'])}</p>\n"
            f"<details><summary>Alt text</summary><p>{e(c['alt_text'])}</p></details>\n"
            f"<details><summary>Embed</summary><pre>{e(c['embed_html'])}</pre></details>\n"
            f"<p class=small>Download: {links}</p>\n</section>"
        )
    style = (
        "body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
        "color:#222}img{max-width:100%;height:auto}section{margin:2.5rem 0;border-top:1px "
        "solid #ddd;padding-top:1rem}.small{font-size:.85rem;color:#444}pre{white-space:"
        "pre-wrap;font-size:.8rem;background:#f6f6f6;padding:.5rem}"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<title>Chart gallery: North Korea's border closure</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n"
        "<h1>Chart gallery</h1>\n<p>Every chart in three sizes (single column 8.8 cm, double "
        "column 18 cm, web 16:9) as SVG, PDF and PNG (300 dpi), with the data behind it (CSV). "
        'Manifest: <a href="'
        + rel
        + '/manifest.json">manifest.json</a>.</p>\n'
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
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
