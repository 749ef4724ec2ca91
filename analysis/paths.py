"""Every path the pipeline reads or writes, relative to the project root (the working directory).

Generated outputs are built in a staging tree, STAGE, with the layout of the project
(build/stage/data/processed, build/stage/reports, ...). Every step writes there and every
report reads there; `analysis.publish` copies the stage into data/processed and reports/ only
when the whole build succeeded, so a failed build changes nothing a user sees. What a user
sees, and what outputs call each other (the tables a headline quotes, a notebook's
results_dir), are the published paths: `published()` maps a stage path to one, `staged()`
maps back.
"""

from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent

RAW = Path("data/raw")
TEMPLATES = Path("reports/templates")
PARAMS = Path("reports/params")
BUILD = Path("build")
BUILD_LOCK = BUILD / "build.lock"  # held by the build running in this folder
CUSTOM_SETS = BUILD / "custom-sets"  # names of the sets built by `make custom`, one a line

# the published homes of generated outputs, and their twins in the stage
PUBLISHED_PROCESSED = Path("data/processed")
PUBLISHED_REPORTS = Path("reports")
PUBLISHED_ROOTS = (PUBLISHED_PROCESSED, PUBLISHED_REPORTS)
# tracked files inside those homes: never built, published over or removed
PROTECTED = (TEMPLATES, PARAMS, PUBLISHED_PROCESSED / ".gitkeep")

STAGE = BUILD / "stage"  # the Makefile's S names the same folder
PROCESSED = STAGE / PUBLISHED_PROCESSED
REPORTS = STAGE / PUBLISHED_REPORTS
FIGURES = REPORTS / "figures"
NOTEBOOKS = REPORTS / "notebooks"

RAW_SOURCES = RAW / "sources.csv"
RAW_ARRIVALS = RAW / "arrivals.csv"
RAW_FIGURES = RAW / "figures.csv"
RAW_EVENTS = RAW / "events.csv"
RAW_TABLES = {
    "sources": RAW_SOURCES,
    "arrivals": RAW_ARRIVALS,
    "figures": RAW_FIGURES,
    "events": RAW_EVENTS,
}
VALIDATED = BUILD / "raw.validated"


def processed(name: str) -> Path:
    """A processed table, in the stage: processed("x") -> build/stage/data/processed/x.csv."""
    return PROCESSED / f"{name}.csv"


def is_under(path: Path, root: Path) -> bool:
    """path is root or inside it (compared as written, without touching the disk)."""
    return PurePosixPath(path.as_posix()).is_relative_to(root.as_posix())


def is_protected(path: Path) -> bool:
    """A tracked file among the published outputs (parameter sets, templates)."""
    return any(is_under(path, p) for p in PROTECTED)


def published(path: str | Path) -> Path:
    """Where a stage path is published: build/stage/reports/x.html -> reports/x.html."""
    path = Path(path)
    return path.relative_to(STAGE) if is_under(path, STAGE) else path


def staged(path: str | Path) -> Path:
    """The stage twin of a published output (reports/x.html -> build/stage/reports/x.html);
    any other path (raw data, templates, a path already in the stage) is returned as it is."""
    path = Path(path)
    if path.is_absolute() or is_protected(path):
        return path
    if any(is_under(path, root) for root in PUBLISHED_ROOTS):
        return STAGE / path
    return path
