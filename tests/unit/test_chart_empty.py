"""A chart whose data hold nothing it can draw is still built, and says so: the border chart
with no figure in kilometres for any of its areas (a unit written "km" plus other words is not
kilometres) drew nothing and failed on its empty source line, failing the whole build."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import charts, i18n, models
from analysis.io import write_csv


def test_the_border_chart_without_km_figures_is_drawn_and_says_so(
    tables: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    data = tmp_path / "processed"
    results = {k: v for k, v in tables.items() if k.startswith("model_") or k == "headline"}
    for name, table in tables.items():
        if name not in results:
            write_csv(table, data / f"{name}.csv")
    models.write(results, data)
    cat = tables["catalogue"].copy()
    figures = cat["table"] == "figures"
    cat.loc[figures, "unit"] = cat.loc[figures, "unit"] + " (as printed)"
    write_csv(cat, data / "catalogue.csv")

    src = tables["sources"]
    for text in (i18n.ENGLISH, i18n.Text("ko", i18n.DEFAULT_TERM)):
        chart = charts.build("border_areas", data, data, src, text)
        assert chart.data.empty
        charts.render(chart, "border_areas", src, tmp_path, sizes=("single",), formats=("svg",))
        assert charts.source_lines(chart, src) == [text.gettext("Source: {names}", names="\u2014")]
    assert (tmp_path / "border_areas-single.svg").exists()
    assert (tmp_path / "border_areas-ko-single.svg").exists()
