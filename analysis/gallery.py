"""Stage 4b: one manifest of every chart, and a gallery page to browse and download them.

Input: reports/figures/NAME.json, NAME-ko.json and the chart files. Output:
reports/figures/manifest.json and reports/gallery.html with its Korean twin gallery-ko.html
(each links to the other; self-contained: the web SVGs are inline, with their values on hover
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
from analysis.charts import stem
from analysis.i18n import ENGLISH, LANGUAGES, Text
from analysis.io import atomic_open, run_step, write_json

PAGES = {"en": "gallery.html", "ko": "gallery-ko.html"}
SWITCH = {"en": "English", "ko": "한국어"}  # each language named in itself

# nothing is loaded and no script runs; styles are inline
CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def _described(meta: dict, figures: Path) -> dict:
    files = []
    for f in meta["files"]:
        entry = {"file": f, "bytes": (figures / f).stat().st_size}
        if f.endswith(".png"):
            with Image.open(figures / f) as im:
                entry["pixels"] = list(im.size)
                entry["dpi"] = round(im.info.get("dpi", (0, 0))[0])
        files.append(entry)
    return {k: v for k, v in meta.items() if k != "files"} | {"files": files}


def manifest(names: list[str], figures: Path) -> dict:
    """Every chart in English, with its other languages under `translations`."""
    charts = []
    for name in names:
        described = {}
        for language in LANGUAGES:
            path = figures / f"{stem(name, Text(language))}.json"
            described[language] = _described(json.loads(path.read_text(encoding="utf-8")), figures)
        english = described.pop("en")
        charts.append(english | {"translations": described})
    return {"charts": charts}


def page(man: dict, figures: Path, text: Text = ENGLISH) -> str:
    e = html.escape
    _ = text.gettext
    rel = figures.relative_to(paths.REPORTS).as_posix()
    parts = []
    for chart in man["charts"]:
        c = chart if text.language == "en" else chart["translations"][text.language]
        name = c["name"]
        base = stem(name, text)
        width = round(c["sizes_cm"]["web"][0] / 2.54 * 96)  # drawn width in CSS px
        # the web chart, and in a narrow column (a phone) its phone layout, as an embed shows
        shown = [s for s in ("web", embed.PHONE) if s in c["sizes_cm"]]
        svgs = {s: (figures / f"{base}-{s}.svg").read_text(encoding="utf-8") for s in shown}
        widths = {"web": width, embed.PHONE: embed.PHONE_MAX_PX}
        links = " ".join(
            f'<a href="{rel}/{e(f["file"])}" download>'
            f"{e(f['file'].removeprefix(base + '-').split('-', 1)[-1])}</a>"
            for f in c["files"]
        )
        alt_label = _("Alt text")
        download = _("Download: {links}", links=links)
        embed_file = f'<a href="{rel}/{e(base)}-embed.html" download>{e(base)}-embed.html</a>'
        parts.append(
            f'<section id="{e(name)}">\n'
            f'<figure class="nk-chart" style="{embed.FIGURE_STYLE};margin:0;max-width:{width}px">\n'
            f"{embed.layouts(svgs, f'g-{base}', widths)}"
            f"<figcaption>{e(c['caption'])}</figcaption>\n</figure>\n"
            f"<details><summary>{alt_label}</summary><p>{e(c['alt_text'])}</p></details>\n"
            "<p class=small>"
            + _(
                "To embed: paste the contents of {file} (the chart inline, with its values on "
                "hover and keyboard focus; it loads nothing).",
                file=embed_file,
            )
            + "</p>\n"
            f"<p class=small>{download}</p>\n</section>"
        )
    other = [lang for lang in LANGUAGES if lang != text.language]
    switch = " · ".join(
        f'<a href="{PAGES[lang]}" hreflang="{lang}" lang="{lang}">{SWITCH[lang]}</a>'
        for lang in other
    )
    korean = (
        ':lang(ko){font-family:"Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR",'
        '"Noto Sans CJK KR",NanumGothic,system-ui,sans-serif;word-break:keep-all}'
    )
    style = korean + (
        "body{font-family:system-ui,sans-serif;margin:0}main{max-width:42rem;margin:2rem auto;"
        "padding:0 1rem;"
        "color:#222;line-height:1.45}section{margin:2.5rem 0;border-top:1px solid #ddd;"
        "padding-top:1rem}p,figcaption,summary{max-width:34em}"
        ".small{font-size:.85rem;color:#444}figcaption{font-size:.9rem;"
        "margin-top:.4rem}a{overflow-wrap:anywhere}"
        # on a phone a chart takes the screen's width (its phone layout is drawn for 375 px)
        "@media screen and (max-width:480px){figure.nk-chart{width:calc(100% + 2rem);"
        "margin:0 -1rem!important}figure.nk-chart figcaption{padding:0 1rem}}"
    )
    title = _("Chart gallery: North Korea's border closure")
    heading = _("Chart gallery")
    manifest_link = f'<a href="{rel}/manifest.json">manifest.json</a>'
    return (
        f'<!DOCTYPE html>\n<html lang="{text.language}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n"
        f"<style>{style}</style>\n</head>\n<body>\n<main>\n"
        f"<p class=small>{switch}</p>\n<h1>{heading}</h1>\n<p>"
        + _(
            "Every chart in four sizes: for print, single column 8.8 cm and double column 18 cm "
            "as SVG, PDF and PNG (300 dpi); for screens, web (605 px) and phone (375 px) as SVG "
            "and PNG (twice their pixels); with the data behind it (CSV). Point at a bar or a "
            "point, or move to it with the Tab key, to read its value, year and source. "
            "Manifest: {manifest}.",
            manifest=manifest_link,
        )
        + "</p>\n"
        + "\n".join(parts)
        + "\n</main>\n</body>\n</html>\n"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="+")
    args = parser.parse_args()
    man = manifest(args.names, paths.FIGURES)
    write_json(man, paths.FIGURES / "manifest.json")
    for language in LANGUAGES:
        with atomic_open(paths.REPORTS / PAGES[language]) as fh:
            fh.write(page(man, paths.FIGURES, Text(language)))


if __name__ == "__main__":
    run_step(main)
