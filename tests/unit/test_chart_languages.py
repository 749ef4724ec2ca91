"""A chart says the same numbers in every language: its Korean variant's title, subtitle,
caption, alt text, note, source line, values on hover and every text drawn hold
the same numbers as the English one (dates compared as numbers, signs aside). Axis tick labels
are left out: where ticks fall depends on the room the title block leaves. Drawing them, no
text of any size or language may miss a glyph (matplotlib's "Glyph N missing from font(s)"
warning fails the test)."""

from __future__ import annotations

import calendar
import dataclasses
import os
import re
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text as Drawn

from analysis import charts, fonts, i18n, models, paths, style
from analysis.io import InputError, write_csv

MONTHS = {n: i for i in range(1, 13) for n in (calendar.month_name[i], calendar.month_abbr[i])}
MONTH = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def numbers(text: str) -> Counter:
    """The numbers in a text: 1,047 and 1047 alike; an English month name as its number
    (March 2019 / 2019년 3월); 2000-02-16 as 2000, 2, 16."""
    text = MONTH.sub(lambda m: f" {MONTHS[m.group(1)]} ", text)
    return Counter(float(n.replace(",", "")) for n in NUMBER.findall(text))


@pytest.fixture(scope="module")
def processed(tables: dict[str, Any], tmp_path_factory: pytest.TempPathFactory):
    """The default build's processed tables and model results on disk, in a scratch folder."""
    root = tmp_path_factory.mktemp("languages")
    cwd = Path.cwd()
    os.chdir(root)
    try:
        paths.PROCESSED.mkdir(parents=True)
        for name, table in tables.items():
            if isinstance(table, pd.DataFrame) and not name.startswith("model_"):
                write_csv(table, paths.processed(name))
        models.write(
            {k: v for k, v in tables.items() if k.startswith("model_") or k == "headline"},
            paths.PROCESSED,
        )
        yield root / paths.PROCESSED, tables["sources"]
    finally:
        os.chdir(cwd)


SAID: dict[tuple[str, str], dict] = {}  # each chart drawn once per language for every test


def said(name: str, processed: Path, sources: pd.DataFrame, language: str, out: Path) -> dict:
    """Everything a chart says in one language: its words, its marks, and what every size
    draws (recorded as each figure is closed)."""
    if (name, language) not in SAID:
        SAID[name, language] = _said(name, processed, sources, language, out)
    return SAID[name, language]


def _said(name: str, processed: Path, sources: pd.DataFrame, language: str, out: Path) -> dict:
    text = i18n.Text(language)
    chart = charts.build(name, processed, processed, sources, text)
    drawn: list[str] = []
    close = plt.close

    def record(fig: Any = None) -> None:
        ticks = {id(t) for ax in fig.axes for t in ax.get_xticklabels() + ax.get_yticklabels()}
        drawn.extend(
            t.get_text() for t in fig.findobj(Drawn) if t.get_visible() and id(t) not in ticks
        )
        close(fig)

    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mp.setattr(plt, "close", record)
        coarse = {k: dataclasses.replace(v, png_dpi=30) for k, v in style.SIZES.items()}
        mp.setattr(style, "SIZES", style.SIZES | coarse)
        mp.setattr(charts, "SIZES", style.SIZES)
        # one size: every size draws the same words, only wrapped to its width
        charts.render(chart, name, sources, out, sizes=("single",), formats=("png",))
    missing = [str(w.message) for w in caught if fonts.MISSING_GLYPH in str(w.message)]
    assert missing == [], f"{name} ({language}): {missing}"
    return {
        "title": chart.title,
        "subtitle": chart.subtitle,
        "caption": chart.caption,
        "alt": chart.alt,
        "note": chart.note,
        "source line": charts.pick_source_line(chart, sources),
        "marks": " | ".join(m.text for m in chart.marks),
        "drawn": " | ".join(sorted(drawn)),
    }


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_korean_and_english_variants_say_the_same_numbers_in_every_glyph(
    name: str, processed: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    folder, sources = processed
    english = said(name, folder, sources, "en", tmp_path)
    korean = said(name, folder, sources, "ko", tmp_path)
    assert korean["title"] != english["title"]  # a translation, not a copy
    for part in english:
        assert numbers(korean[part]) == numbers(english[part]), (
            f"{name} {part}:\n en: {english[part]}\n ko: {korean[part]}"
        )


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_korean_charts_name_publishers_and_events_in_korean(
    name: str, processed: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    """Where data/raw gives a publisher's Korean name (publisher_ko) or an event's Korean text
    (event_ko), the Korean chart never prints the English one: not in its source line, alt
    text, caption, hover texts or anything drawn."""
    folder, sources = processed
    events = pd.read_csv(folder / "events.csv", dtype=str, keep_default_na=False)
    english = [
        *sources.loc[sources["publisher"] != sources["publisher_ko"], "publisher"],
        *events.loc[events["event"] != events["event_ko"], "event"],
    ]
    korean = said(name, folder, sources, "ko", tmp_path)
    shown = {part: [e for e in english if e in words] for part, words in korean.items()}
    assert {part: found for part, found in shown.items() if found} == {}


def test_the_comparison_sees_a_changed_number() -> None:
    assert numbers("1,047 in March 2019") == numbers("2019년 3월 1,047명")
    assert numbers("1,047 in 2019") != numbers("2019년 1,074명")


def test_a_korean_chart_says_the_term_it_is_drawn_with(
    processed: tuple[Path, pd.DataFrame], tmp_path: Path
) -> None:
    """The shipped Korean charts use the legal term; `python -m analysis.charts NAME --term
    탈북민 --out DIR` draws them with another, and never into the shipped folders."""
    folder, sources = processed
    for term in i18n.TERMS:
        chart = charts.build("arrivals", folder, folder, sources, i18n.Text("ko", term))
        assert term in chart.title
        assert all(other not in chart.title for other in set(i18n.TERMS) - {term})
    charts.check_term_folder(i18n.DEFAULT_TERM, paths.FIGURES)
    charts.check_term_folder("탈북민", tmp_path)
    for shipped in (
        paths.FIGURES,
        paths.PUBLISHED_REPORTS / "figures",
        paths.NOTEBOOKS / "brief-ko",  # in the stage: the next publish would copy it
        paths.PUBLISHED_PROCESSED / "mine",
    ):
        with pytest.raises(InputError, match="--out DIR"):
            charts.check_term_folder("탈북민", shipped)
    with pytest.raises(InputError, match="is not one of"):
        charts.check_term_folder("탈북자", tmp_path)
