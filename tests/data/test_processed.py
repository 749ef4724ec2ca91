"""Data tests on the tables built (in memory) from the shipped raw CSVs."""

from __future__ import annotations

import pandas as pd


def test_annual_years_contiguous_and_unique(tables: dict[str, pd.DataFrame]) -> None:
    years = tables["arrivals_annual"]["year"]
    assert years.is_unique
    assert years.tolist() == list(range(1998, years.max() + 1))


def test_published_figures_are_the_current_values(tables: dict[str, pd.DataFrame]) -> None:
    annual = tables["arrivals_annual"].set_index("year")["arrivals_count"]
    assert annual[2019] == 1047 and annual[2020] == 229 and annual[2021] == 63
    assert annual[2009] == 2914  # revised from 2,952 (first release)
    assert (annual[2022], annual[2023], annual[2024]) == (67, 196, 236)
    assert pd.isna(annual[2025])  # one quarter counted so far, no full-year count


def test_typo_and_partial_values_are_not_selected(tables: dict[str, pd.DataFrame]) -> None:
    sex = tables["arrivals_sex"].set_index("year")
    # 2024 female: 216 in two sources is a typo (26 + 216 != 236); 159 is part of the year
    assert (sex.loc[2024, "male_count"], sex.loc[2024, "female_count"]) == (26, 210)


def test_a_forecast_then_a_count_is_not_a_revision(tables: dict[str, pd.DataFrame]) -> None:
    annual = tables["arrivals_annual"].set_index("year")
    assert not annual.loc[2022, "is_revised"]  # "below 50" then 67
    rev = tables["arrivals_revisions"].set_index(["year", "period", "measure", "value"])
    assert rev.loc[(2022, "year", "total", 50), "status"] == "forecast"
    assert rev.loc[(2022, "year", "total", 67), "is_first_reported"]


def test_quarter_keys_unique(tables: dict[str, pd.DataFrame]) -> None:
    q = tables["arrivals_quarterly"]
    assert not q.duplicated(["year", "period"]).any()
    assert q.set_index(["year", "period"]).loc[(2022, "Q2"), "arrivals_count"] == 8


def test_counts_non_negative(tables: dict[str, pd.DataFrame]) -> None:
    for name in ("arrivals_annual", "arrivals_quarterly", "arrivals_cumulative"):
        values = (
            tables[name]
            .filter(like="_count")
            .drop(columns=["values_reported_count", "distinct_values_count"])
            .stack()
        )
        assert (values >= 0).all(), name


def test_female_share_is_a_percentage(tables: dict[str, pd.DataFrame]) -> None:
    share = tables["arrivals_sex"]["female_share_pct"].dropna()
    assert share.between(0, 100).all()


def test_forecast_kept_as_forecast(tables: dict[str, pd.DataFrame]) -> None:
    rep = tables["arrivals_reported"]
    said = (rep["year"] == 2022) & (rep["period"] == "year") & (rep["measure"] == "total")
    row = rep[said & (rep["source_id"] == "dw-2022-12-04")].iloc[0]
    assert (row["qualifier"], row["basis"], bool(row["is_selected"])) == (
        "at_most",
        "forecast",
        False,
    )


def test_every_figure_has_a_resolvable_source(tables: dict[str, pd.DataFrame]) -> None:
    cat = tables["catalogue"]
    assert cat["figure_id"].is_unique
    assert cat["citation"].notna().all()
    via = set(cat["via_source_id"].dropna()) - {""}
    assert via <= set(tables["sources"]["source_id"])


def test_reference_rows_all_present(tables: dict[str, pd.DataFrame]) -> None:
    rep = tables["arrivals_reported"]
    # the reference collections (to 2022-12-04, then to 2025) plus the DW rows
    assert len(rep) == 311 + 280 + 5
    assert (rep["flags"] != "").sum() == 101 + 41


def test_fortifications_keep_additions_apart_and_derive_totals() -> None:
    from analysis import figures, raw

    fort = figures.fortifications(raw.load("figures")).set_index("quantity")
    assert fort.loc["guard_posts", "nature"] == "addition"  # 169 added, not a total
    assert fort.loc["structures_2022", "value"] == 5 + 169
    assert bool(fort.loc["structures_2022", "is_derived"])
    assert fort.loc["structures_per_km_2022", "value"] == round(174 / 7.4, 3)
    assert not fort.loc[fort["is_derived"], "formula"].eq("").any()


def test_two_sources_disagree_on_defectors_in_the_south(tables: dict[str, pd.DataFrame]) -> None:
    conf = tables["conflicts"]
    south = conf[conf["quantity"] == "defectors_settled"]
    assert {"rfa-2020-07-29", "ibtimes-sg-2020-08"} <= set(south["source_id"])
    assert set(conf["quantity"]) >= {"border_analysed"}
    # an arrivals cell with a row flagged `conflict` lists every value given for it
    q2 = conf[(conf["quantity"] == "arrivals_male") & (conf["reference_period"] == "2022-06")]
    assert set(q2["value"]) == {1, 7} and q2["is_flagged_conflict"].sum() == 1
    # an arrivals key whose values differ only across dates is a revision, not a conflict
    assert not ((conf["quantity"] == "arrivals_total") & (conf["reference_period"] == "2009")).any()


def test_later_border_studies_conflict_where_their_figures_differ(
    tables: dict[str, pd.DataFrame],
) -> None:
    conf = tables["conflicts"]
    six = conf[conf["place"] == "six areas"].set_index(["quantity", "figure_id"])["value"]
    # HRW's study as reported by NHK against a secondary report of the same study
    assert set(six.loc["fence_new"]) == {500, 282}
    assert set(six.loc["guard_structures"]) == {6820, 6500}


def test_areas_are_never_combined(tables: dict[str, pd.DataFrame]) -> None:
    cat = tables["catalogue"].set_index("figure_id")
    fort = tables["fortifications"]
    # the Hoeryong table holds one place only; its derived figures come from that place alone
    reported = fort[~fort["is_derived"]]["quantity"]
    assert set(cat[cat["place"] == "Hoeryong section"]["quantity"]) == set(reported)
    assert "six areas" in set(cat["place"]) and "North Korea northern border" in set(cat["place"])
    assert (fort["period_end"].astype(str) <= "2022-04").all()
