"""The data and model steps and the chart drawing, in this process, against the working
directory's data/raw: what `make data charts` does, without make and without the warm server."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path
from unittest import mock

from analysis import catalogue, charts, figures, models, paths, raw, series, style, validate
from analysis.io import write_csv


def build_in_process(chart_dir: Path | None = None) -> dict:
    """Validate, build data/processed, fit the default models, draw every chart (one size, a
    coarse PNG); returns the default models' results.

    Bad input raises InputError from validation; anything else raised is a gap between what
    validation accepts and what the pipeline handles."""
    validate.validate_all()
    tables = {**series.build(), "sources": raw.sources(), **catalogue.build(), **figures.build()}
    for name, table in tables.items():
        write_csv(table, paths.processed(name))
    results = models.run(models.ModelParams(), **models.inputs())
    models.write(results, paths.PROCESSED)
    out = chart_dir or paths.FIGURES
    sources = raw.sources()
    # every text is laid out and drawn as in a real build; a coarse PNG is enough for that
    coarse = {name: dataclasses.replace(s, png_dpi=40) for name, s in style.SIZES.items()}
    with mock.patch.dict(style.SIZES, coarse):
        for name in charts.CHARTS:
            chart = charts.build(name, paths.PROCESSED, paths.PROCESSED, sources)
            charts.render(chart, name, sources, out, sizes=("single",), formats=("png",))
    return results  # the default models' results, for callers that reuse them


def copy_raw(root: Path) -> Path:
    """A copy of the project's data/raw under root; returns root."""
    shutil.copytree(paths.ROOT / "data" / "raw", root / "data" / "raw")
    return root
