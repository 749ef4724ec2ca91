"""Synthetic later publications, and the whole pipeline run in-process on them.

A scenario says where the data end (cut the shipped rows after a year, or append synthetic
years up to it), how many quarters of the next year are already counted, and which old year a
later table revises. Its rows are written to a scratch copy of data/raw only; the shipped files
are never touched. `run_pipeline` then runs every stage the way `make report` does: validation,
the processed tables, the models, every chart and every shipped report template (cells executed
in this process, with the parameters of each shipped YAML file injected).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import shutil
from pathlib import Path
from typing import Any

from tests.pipeline import copy_raw

ROOT = Path(__file__).resolve().parent.parent
QUARTERS = ("Q1", "Q2", "Q3", "Q4")


@dataclasses.dataclass(frozen=True)
class Scenario:
    """Annual counts for the synthetic years after 2024 (empty: the shipped data, perhaps cut)."""

    end_year: int  # last year with a full-year count
    counts: tuple[int, ...] = ()  # counts for 2025..end_year when end_year > 2024
    next_quarters: int = 0  # quarters of end_year + 1 already counted (0-3)
    revise_year: int | None = None  # an old year whose total a later table restates

    def rows(self) -> tuple[list[list[str]], list[list[str]]]:
        """Sources and arrivals rows (contract columns only) this scenario appends."""
        sources, arrivals = [], []

        def source(sid: str, published: str) -> str:
            sources.append(
                [sid, "Synthetic ministry table", f"Scenario figures {sid}", "", published]
            )
            return sid

        years = range(2025, self.end_year + 1) if self.end_year > 2024 else range(0)
        for year, count in zip(years, self.counts, strict=True):
            sid = source(f"synthetic-{year}", f"{year + 1}-01-20")
            arrivals.append([str(year), "year", "total", str(count), sid])
            women = count * 4 // 5  # a sex split that adds up
            arrivals.append([str(year), "year", "female", str(women), sid])
            arrivals.append([str(year), "year", "male", str(count - women), sid])
            for q, part in zip(QUARTERS, _split(count), strict=True):
                arrivals.append([str(year), q, "total", str(part), sid])
        nxt = self.end_year + 1
        for i, q in enumerate(QUARTERS[: self.next_quarters]):
            sid = source(f"synthetic-{nxt}-{q.lower()}", f"{nxt}-{3 * i + 4:02d}-20")
            arrivals.append([str(nxt), q, "total", str(7 * (i + 1)), sid])
        if self.revise_year is not None:
            sid = source("synthetic-revision", f"{nxt}-06-30")
            arrivals.append([str(self.revise_year), "year", "total", "1000", sid])
        return sources, arrivals


def _split(count: int) -> list[int]:
    base, rest = divmod(count, 4)
    return [base + (1 if i < rest else 0) for i in range(4)]


def write_scenario(raw: Path, s: Scenario) -> None:
    """Cut the copied raw arrivals after the scenario's data end, then append its rows."""
    path = raw / "arrivals.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        table = list(csv.reader(fh))
    header, body = table[0], table[1:]
    if s.end_year < 2024:  # the data end earlier: drop what later years said
        body = [r for r in body if _kept(r, s)]
    sources, arrivals = s.rows()
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(body)
    w.writerows(arrivals)
    path.write_text(out.getvalue(), encoding="utf-8")
    with open(raw / "sources.csv", "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(sources)


def _kept(row: list[str], s: Scenario) -> bool:
    """Rows up to the data's end, and the counted quarters of the year after it."""
    year, period = int(row[0]), row[1]
    if year <= s.end_year:
        return True
    return year == s.end_year + 1 and period in QUARTERS[: s.next_quarters]


def project_copy(dest: Path) -> Path:
    """The raw data, report templates and parameter sets in a scratch folder; returns data/raw."""
    copy_raw(dest)
    for part in ("reports/templates", "reports/params"):
        shutil.copytree(ROOT / part, dest / part)
    return dest / "data" / "raw"


def run_pipeline() -> dict[str, Any]:
    """Every stage of `make report` on the data in the working directory, in this process.

    Returns what the reports would quote (each set's headline.json) for the caller to check.
    """
    from analysis import models, paths
    from tests.pipeline import build_in_process

    default = build_in_process()
    fitted: dict = {models.ModelParams(): default}  # sets with the same settings share a fit
    data = models.inputs()
    return {p.stem: run_template(p, data, fitted) for p in sorted(paths.PARAMS.glob("*.yaml"))}


def run_template(params_path: Path, data: dict, fitted: dict) -> dict:
    """One shipped parameter set: the checks of `report build`, its models and charts, then the
    template's cells executed with the set's parameters injected."""
    import jupytext

    from analysis import charts, models, paths, raw, report

    params = report.load_params(params_path)
    values = report.check_params(params_path, params)
    mp = report.model_params(values)
    report.model_problems(
        params_path, values, mp, data["annual"].dropna(subset=["arrivals_count"])["year"]
    )
    work = paths.NOTEBOOKS / params_path.stem
    if mp not in fitted:
        fitted[mp] = models.run(mp, **data)
    models.write(fitted[mp], work)
    nb = jupytext.read(report.template_path(params["template"]))
    size = report.declared(nb, "CHART_SIZE", "web")
    for chart in report.declared(nb, "CHARTS", []):
        drawn = fitted.setdefault(("chart", mp, chart, size), work)  # same inputs, same files
        if drawn == work:
            src = raw.sources()
            charts.render(
                charts.build(chart, paths.PROCESSED, work, src),
                chart,
                src,
                work,
                sizes=report.chart_sizes(size),
                formats=("svg",),
                interactive=report.screen_sizes(report.chart_sizes(size)),
            )
        else:
            for f in drawn.glob(f"{chart}[-.]*"):
                shutil.copy2(f, work / f.name)
    scope: dict[str, Any] = {}
    injected = values | {"results_dir": str(work), "figures_dir": str(work)}
    with contextlib.redirect_stdout(io.StringIO()):  # IPython's display() prints outside Jupyter
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            exec(compile(cell.source, f"{params_path.stem}:{cell.id}", "exec"), scope)
            if "parameters" in cell.metadata.get("tags", []):
                scope.update(injected)
    return models_headline(work)


def models_headline(work: Path) -> dict:
    import json

    return json.loads((work / "headline.json").read_text(encoding="utf-8"))
