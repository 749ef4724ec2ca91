"""Every path the pipeline reads or writes, relative to the project root (the working directory)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RAW = Path("data/raw")
PROCESSED = Path("data/processed")
REPORTS = Path("reports")
FIGURES = REPORTS / "figures"
NOTEBOOKS = REPORTS / "notebooks"
TEMPLATES = REPORTS / "templates"
PARAMS = REPORTS / "params"
BUILD = Path("build")

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
    """Path of a processed table: processed("x") -> data/processed/x.csv."""
    return PROCESSED / f"{name}.csv"
