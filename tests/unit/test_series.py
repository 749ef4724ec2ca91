"""The selection rule and the shape of the current series."""

from __future__ import annotations

import pandas as pd

from analysis import series

SOURCES = pd.DataFrame(
    {
        "source_id": ["a-2010", "b-2012", "c-2012", "d-2014", "e-2012-05"],
        "published": ["2010-01-05", "2012-03-01", "2012-03-01", "2014", "2012-05"],
        "label": ["A", "B", "C", "D", "E"],
    }
)


def rows(*records: tuple) -> pd.DataFrame:
    df = pd.DataFrame(records, columns=["year", "period", "measure", "value", "source_id", "flags"])
    for col, default in (("qualifier", "exact"), ("basis", "count"), ("note", "")):
        df[col] = default
    df["value"] = df["value"].astype("Int64")
    return df


def selected(df: pd.DataFrame) -> pd.DataFrame:
    rep = series.reported(df, SOURCES)
    return rep[rep["is_selected"]]


def test_latest_published_wins() -> None:
    got = selected(
        rows(
            (2009, "year", "total", 2952, "a-2010", "preliminary"),
            (2009, "year", "total", 2914, "d-2014", ""),
        )
    )
    assert got["value"].tolist() == [2914]


def test_flagged_rows_never_win_even_if_latest() -> None:
    for flag in ("typo", "bucket", "conflict", "partial"):
        got = selected(
            rows(
                (2001, "year", "total", 583, "a-2010", ""),
                (2001, "year", "total", 1043, "d-2014", flag),
            )
        )
        assert got["value"].tolist() == [583], flag


def test_forecasts_and_bounds_are_not_counts() -> None:
    df = rows((2022, "year", "total", 50, "d-2014", ""))
    df.loc[0, ["qualifier", "basis"]] = ["at_most", "forecast"]
    rep = series.reported(df, SOURCES)
    assert not rep["is_selected"].any()
    assert rep["exclusion"].iloc[0] == "a forecast, not a count"


def test_tie_prefers_non_preliminary_then_support_then_id() -> None:
    got = selected(
        rows(
            (2011, "year", "total", 2706, "b-2012", "preliminary"),
            (2011, "year", "total", 2737, "c-2012", ""),
        )
    )
    assert got["source_id"].tolist() == ["c-2012"]
    got = selected(
        rows(
            (2011, "year", "total", 2706, "c-2012", ""), (2011, "year", "total", 2737, "b-2012", "")
        )
    )
    assert got["source_id"].tolist() == ["b-2012"]  # same date and support: smaller id


def test_month_precision_counts_from_first_day() -> None:
    # 2012-05 (from 1 May) is later than 2012-03-01
    got = selected(
        rows((2011, "year", "total", 1, "b-2012", ""), (2011, "year", "total", 2, "e-2012-05", ""))
    )
    assert got["value"].tolist() == [2]


def test_row_order_does_not_matter() -> None:
    a = rows(
        (2011, "year", "total", 2706, "c-2012", ""), (2011, "year", "total", 2737, "b-2012", "")
    )
    assert selected(a)["value"].tolist() == selected(a.iloc[::-1])["value"].tolist()


def test_years_without_valid_value_are_empty_rows() -> None:
    df = rows(
        (1999, "year", "total", 148, "a-2010", ""), (2002, "year", "total", 7, "a-2010", "typo")
    )
    rep = series.reported(df, SOURCES)
    annual = series.current(rep, "total", ("year",), "arrivals_count", 2002)
    assert annual["year"].tolist() == list(range(series.FIRST_YEAR, 2003))
    assert annual.set_index("year").loc[2002, "values_reported_count"] == 1
    assert pd.isna(annual.set_index("year").loc[2002, "arrivals_count"])


def test_revisions_name_the_selected_value() -> None:
    rep = series.reported(
        rows(
            (2009, "year", "total", 2952, "a-2010", "preliminary"),
            (2009, "year", "total", 2914, "d-2014", ""),
        ),
        SOURCES,
    )
    rev = series.revisions(rep).set_index("value")
    assert rev.loc[2914, "status"] == "selected"
    assert rev.loc[2952, "status"] == "superseded"
    assert bool(rev.loc[2952, "is_first_reported"])


def test_years_before_1998_stay_in_the_series() -> None:
    rep = series.reported(rows((1995, "year", "total", 41, "a-2010", "")), SOURCES)
    annual = series.current(rep, "total", ("year",), "arrivals_count", 1999)
    assert annual["year"].tolist() == list(range(1995, 2000))
    assert annual.set_index("year").loc[1995, "arrivals_count"] == 41
