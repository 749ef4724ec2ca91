"""The house style's typography and source lines, as functions."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import charts, style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-38", "\u221238"),
        ("a change of -0.5 (from -3 to -2)", "a change of \u22120.5 (from \u22123 to \u22122)"),
        ("1998-2025", "1998\u20132025"),
        ("interval 2,431-5,482).", "interval 2,431\u20135,482)."),
        ("COVID-19 and face-to-face", "COVID-19 and face-to-face"),  # hyphens in words stay
        ("on 2020-01-15 and in 2021-10", "on 2020-01-15 and in 2021-10"),  # ISO dates kept
        ("+12", "+12"),
    ],
)
def test_typeset_uses_minus_signs_and_en_dashes(text: str, expected: str) -> None:
    assert style.typeset(text) == expected


def test_numbers_are_signed_with_a_minus_sign() -> None:
    assert style.num(-1234.5, 1) == "\u22121,234.5"
    assert style.signed(-38) == "\u221238" and style.signed(12) == "+12" and style.signed(0) == "0"
    assert style.span(2019, 2024) == "2019\u20132024"


def _chart(primary: str, ids: list[str], primary_ids: list[str] | None = None) -> charts.Chart:
    return charts.Chart("t", "s", "c", "a", pd.DataFrame(), ids, lambda ax, size: None,
                        primary_name=primary, primary_ids=primary_ids or [])  # fmt: skip


SOURCES = pd.DataFrame(
    {
        "source_id": [f"s{i}" for i in range(14)],
        "publisher": ["Yonhap"] * 3 + [f"Paper {i}" for i in range(11)],
    }
)


def test_the_source_line_names_the_primary_source_first() -> None:
    chart = _chart("Ministry of Unification", [f"s{i}" for i in range(14)])
    lines = charts.source_lines(chart, SOURCES)
    assert lines[-1] == "Source: Ministry of Unification, via 12 publications"
    assert "Source: Ministry of Unification, via Yonhap and 11 others" in lines
    # the fullest line that fits two lines at every size is the one every file prints
    chosen = charts.pick_source_line(chart, SOURCES)
    assert chosen in lines
    assert all(charts.source_line_count(chosen, s) <= 2 for s in style.SIZES.values())


def test_originators_come_before_where_they_were_read() -> None:
    chart = _chart("", ["s0", "s3", "s3"], primary_ids=["s3", "s3"])
    assert charts.source_lines(chart, SOURCES)[0] == "Source: Paper 0, via Yonhap"
