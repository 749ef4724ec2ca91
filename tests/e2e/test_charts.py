"""Charts read back: the data behind each one against the processed tables, every file, the
fonts in the PDFs, byte-identical re-renders, and alt text that quotes the data."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
NAMES = [
    "arrivals",
    "counterfactual",
    "quarterly",
    "female_share",
    "fortifications",
    "timeline",
    "revisions",
    "break_scan",
    "border_areas",
]
FORMATS = {"single": ("svg", "pdf", "png"), "double": ("svg", "pdf", "png"), "web": ("svg", "png"),
           "phone": ("svg", "png")}  # fmt: skip
DPI = {"single": 300, "double": 300, "web": 192, "phone": 192}


def processed(built: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(built / "data/processed" / f"{name}.csv")


def chart_data(built: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(built / "reports/figures" / f"{name}.csv")


def test_manifest_lists_every_chart_and_file(built: Path) -> None:
    man = json.loads((built / "reports/figures/manifest.json").read_text())
    assert [c["name"] for c in man["charts"]] == NAMES
    for c in man["charts"]:
        files = {f["file"] for f in c["files"]}
        for size, formats in FORMATS.items():
            for fmt in formats:
                assert f"{c['name']}-{size}.{fmt}" in files
        for f in c["files"]:
            assert (built / "reports/figures" / f["file"]).stat().st_size == f["bytes"]
            if f["file"].endswith(".png"):  # print at 300 dpi, screens at twice their pixels
                assert f["dpi"] == DPI[f["file"].rsplit("-", 1)[1].removesuffix(".png")]
        assert c["alt_text"] and c["caption"] and c["source_line"].startswith("Source: ")
        embed = (built / "reports/figures" / f"{c['name']}-embed.html").read_text()
        assert "<svg" in embed and "<desc" in embed and "<figcaption" in embed


def test_png_sizes_match_print_widths(built: Path) -> None:
    man = json.loads((built / "reports/figures/manifest.json").read_text())
    for c in man["charts"]:
        px = {f["file"]: f["pixels"] for f in c["files"] if f["file"].endswith(".png")}
        for size, (w_cm, h_cm) in c["sizes_cm"].items():
            w, h = px[f"{c['name']}-{size}.png"]
            dpi = DPI[size]
            assert abs(w - w_cm / 2.54 * dpi) <= 2 and abs(h - h_cm / 2.54 * dpi) <= 2


def test_data_behind_charts_equals_processed_tables(built: Path) -> None:
    annual = processed(built, "arrivals_annual")
    drawn = chart_data(built, "arrivals")
    pd.testing.assert_series_equal(drawn["arrivals_count"], annual["arrivals_count"])
    # the year under way shows its counted quarters; a forecast retires once its year is counted
    assert drawn.set_index("year").loc[2025, "quarters_counted_count"] == 38
    assert "forecast_at_most_count" not in drawn.columns
    quarterly = processed(built, "arrivals_quarterly").set_index(["year", "period"])
    for r in chart_data(built, "quarterly").dropna(subset=["arrivals_count"]).itertuples():
        assert quarterly.loc[(r.year, r.period), "arrivals_count"] == r.arrivals_count
    pd.testing.assert_frame_equal(
        chart_data(built, "female_share"), processed(built, "model_female_share")
    )
    pd.testing.assert_frame_equal(
        chart_data(built, "break_scan"), processed(built, "model_break_scan")
    )
    pd.testing.assert_frame_equal(
        chart_data(built, "counterfactual"), processed(built, "model_fitted")
    )
    fort = processed(built, "fortifications").set_index("quantity")["value"]
    for r in chart_data(built, "fortifications").itertuples():
        assert fort[r.quantity] == r.value
    current = annual.set_index("year")["arrivals_count"]
    for r in chart_data(built, "revisions").itertuples():
        assert current[r.year] == r.current_count
    events = processed(built, "events").set_index("event_id")
    for r in chart_data(built, "timeline").itertuples():
        assert events.loc[r.event_id, "date"] == r.date


def test_pdfs_embed_truetype_fonts(built: Path) -> None:
    for name in NAMES:
        pdf = (built / f"reports/figures/{name}-single.pdf").read_bytes()
        assert b"/FontFile2" in pdf, name  # an embedded TrueType font program
        assert b"/Type3" not in pdf, name


@pytest.mark.proof  # every chart drawn again: make proof
def test_rerender_is_byte_identical(built: Path, tmp_path: Path) -> None:
    for name in ("arrivals", "timeline"):
        subprocess.run(
            [".venv/bin/python", "-m", "analysis.charts", name, "--out", str(tmp_path)],
            cwd=built,
            check=True,
            env={"NKB_RUNNER": "inline", "PATH": "/usr/bin:/bin"},
        )
        for f in tmp_path.glob(f"{name}*"):
            assert f.read_bytes() == (built / "reports/figures" / f.name).read_bytes(), f.name


def test_alt_text_quotes_the_latest_value(built: Path) -> None:
    annual = processed(built, "arrivals_annual").dropna(subset=["arrivals_count"])
    latest = annual.iloc[-1]
    meta = json.loads((built / "reports/figures/arrivals.json").read_text())
    assert f"{int(latest['arrivals_count']):,} in {int(latest['year'])}" in meta["alt_text"]
    share = processed(built, "model_female_share").iloc[-1]
    alt = json.loads((built / "reports/figures/female_share.json").read_text())["alt_text"]
    assert f"{share['female_share_pct']:.0f}% in {int(share['year'])}" in alt


def test_gallery_is_self_contained(built: Path) -> None:
    html = (built / "reports/gallery.html").read_text()
    # each chart's web layout and its phone layout (shown in a narrow column), both with marks
    layouts = 2 * len(NAMES)
    assert html.count("<svg") == layouts and html.count('class="nkc-marks') == layouts
    assert "<script" not in html and "http://" not in html and "https://" not in html
