"""The Korean catalogue covers every wrapped string with the same placeholders, and numbers and
dates come out as a Korean newspaper prints them."""

from __future__ import annotations

import pytest

from analysis import i18n
from analysis.io import InputError
from tests.conftest import ROOT

KO, EN = i18n.Text("ko"), i18n.ENGLISH


def test_every_wrapped_string_has_a_korean_translation() -> None:
    assert i18n.problems(i18n.extract(ROOT), i18n.catalogue("ko")) == []


def test_the_catalogue_holds_only_strings_the_code_uses() -> None:
    unused = set(i18n.catalogue("ko")) - set(i18n.extract(ROOT))
    assert unused == set(), "run `python -m analysis.i18n update`"


def test_the_check_names_what_is_missing() -> None:
    found = {
        "{count} arrivals": ["analysis/x.py:3"],
        "Shown in {year}": ["analysis/x.py:4"],
        "Fine": ["analysis/x.py:5"],
        "": ["x.py:6: warning: Skipping f-string"],
    }
    lines = i18n.problems(found, {"Shown in {year}": "표시", "Fine": "좋음", "x": "y"})
    assert len(lines) == 3
    assert any("no translation for '{count} arrivals'" in ln for ln in lines)
    assert any("drops ['year']" in ln for ln in lines)
    assert any("f-string" in ln for ln in lines)
    # {term} may be added: Korean names the people where English need not
    assert i18n.problems({"Arrivals": ["a:1"]}, {"Arrivals": "{term} 입국"}) == []


def test_korean_numbers_and_dates() -> None:
    assert KO.gettext("{count}", count=KO.number(1047)) + "명" == "1,047명"
    assert KO.year(2019) == "2019년"
    assert KO.date("2026-02-04") == "2026년 2월 4일"
    assert KO.date("2025-04") == "2025년 4월"
    assert KO.years(2020, 2024) == "2020~2024년"
    assert KO.span(KO.number(2431), KO.number(5482)) == "2,431~5,482"
    assert KO.percent(37.4) == "37%" and KO.percent(94.56, 1) == "94.6%"
    assert KO.signed(-38) == "\u221238" and KO.signed(14) == "+14"
    assert KO.number(0.1254, 3) == "0.125"


def test_english_numbers_and_dates() -> None:
    assert EN.number(1047) == "1,047" and EN.year(2019) == "2019"
    assert EN.date("2026-02-04") == "4 February 2026" and EN.date("2025-04") == "April 2025"
    assert EN.years(2020, 2024) == "2020\u20132024" and EN.years(2024, 2024) == "2024"
    assert EN.gettext("{count} arrivals", count=EN.number(1047)) == "1,047 arrivals"


def test_language_and_term_are_checked() -> None:
    with pytest.raises(InputError, match="language 'fr'"):
        i18n.Text("fr")
    with pytest.raises(InputError, match="term '탈북자'"):
        i18n.Text("ko", term="탈북자")
    assert i18n.Text("ko", term="탈북민").gettext("{term}") == "탈북민"
