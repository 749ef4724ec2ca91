"""No printed claim contradicts its own test.

The default models' headline (built in memory from data/raw), the chart texts (titles,
subtitles, alt texts, captions) and the reports' prose (the arrivals report and the brief,
their cells executed in this process) are walked: every comparison the wording module words is
decided again here from the test numbers in headline.json, independently of analysis.wording;
the sentence of the other side of each rule, and the phrases that would claim a difference the
test does not support, appear nowhere; and every claim is printed in the arrivals report.
"""

from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from scipy import stats

from analysis import charts, models, paths, wording
from analysis.io import write_csv

CLAIM_CHARTS = ["arrivals", "counterfactual", "quarterly", "female_share", "break_scan"]


@pytest.fixture(scope="module")
def printed(tables: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every text a reader sees, by where it is printed."""
    root = tmp_path_factory.mktemp("claims")
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
        out = {}
        for name in CLAIM_CHARTS:
            c = charts.CHARTS[name](paths.PROCESSED, paths.PROCESSED)
            out[f"chart {name}"] = "\n".join([c.title, c.subtitle, c.caption, c.alt])
        for template in ("arrivals", "brief"):
            out[f"report {template}"] = _report_text(template)
    finally:
        os.chdir(cwd)
    return {where: " ".join(text.split()) for where, text in out.items()}  # lines rejoined


def _report_text(template: str) -> str:
    """The template's cells run here with the default parameters; what nr.md and the Markdown
    cells would print (charts and source lists are left out: their texts are checked above)."""
    import jupytext

    from analysis import narrate as nr

    nb = jupytext.read(paths.ROOT / paths.TEMPLATES / f"{template}.py")
    said: list[str] = []
    patches = {
        "md": lambda text: said.append(text),
        "chart": lambda *a, **k: None,
        "figure_row": lambda *a, **k: None,
        "chart_sources": lambda *a, **k: set(),
        "data_sources": lambda *a, **k: set(),
        "sources": lambda *a, **k: nr.Sources("", "", "2025-01-01", 0),
        "versions": lambda: None,
        "versions_line": lambda *a, **k: None,
        "style": lambda css: None,
    }
    scope: dict[str, Any] = {}
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(io.StringIO()):
        for name, fake in patches.items():
            mp.setattr(nr, name, fake)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                said.append(cell.source)
            elif cell.cell_type == "code":
                exec(compile(cell.source, f"{template}:{cell.id}", "exec"), scope)
    return "\n".join(said)


def _excludes_one(e: dict) -> bool:
    return e["low"] > 1 or e["high"] < 1


def decide(head: dict, claim: wording.Claim, fitted: pd.DataFrame) -> bool:
    """The test's verdict on the claim, from headline.json (and the residuals it tests)."""
    key = claim.key
    if key == "residual_autocorrelation":
        from statsmodels.stats.diagnostic import acorr_ljungbox

        e = head[key]
        lb = acorr_ljungbox(fitted["pearson_residual"].to_numpy(), lags=[1])
        assert e["p_value"] == pytest.approx(float(lb["lb_pvalue"].iloc[0]), abs=1e-6)
        return e["p_value"] < 1 - e["level"]
    if key == "break_year_set":
        e = head[key]
        crit = (
            stats.f.ppf(e["level"], 1, e["df"])
            if e["family"] == "quasipoisson"
            else stats.chi2.ppf(e["level"], 1)
        )
        assert e["critical_value"] == pytest.approx(crit, abs=1e-5)
        in_set = sorted(int(y) for y, gap in e["gaps"].items() if gap < crit)
        assert in_set == e["value"]
        return in_set == [e["best"]]
    if key == "seasonality_p_value":
        e = head[key]
        if not e["years"]:
            return False
        adjusted = stats.f.sf(e["chi2"] / e["df"] / e["dispersion"], e["df"], e["dispersion_df"])
        assert e["adjusted_p_value"] == pytest.approx(adjusted, abs=1e-6)
        assert e["method"] == ("adjusted" if head["dispersion"]["is_evident"] else "poisson")
        p = adjusted if e["method"] == "adjusted" else e["poisson_p_value"]
        return p < 1 - e["level"]
    if key.startswith("missing_arrivals"):
        e = head[key]
        return e["low"] > 0 or e["high"] < 0
    if key.startswith("forecast_scores/"):
        _, year, what = key.split("/")
        (s,) = [
            s
            for s in head["forecast_scores"]["value"]
            if s["year"] == int(year) and s["what"] == what
        ]
        return not (s["low"] <= s["official_count"] <= s["high"])
    e = head[key]
    if key in wording.CHANGE_KEYS:
        # the quoted interval is the adjusted one exactly when overdispersion is evident
        method = "adjusted" if head["dispersion"]["is_evident"] else "poisson"
        assert (e["method"], e["low"], e["high"]) == (
            method,
            e[f"{method}_low"],
            e[f"{method}_high"],
        )
    return _excludes_one(e)


def real_phrases(head: dict, claim: wording.Claim) -> list[str]:
    """Words that claim the difference: allowed only when the test supports it."""
    key = claim.key
    if key == "break_year_set":
        return ["place the break"]
    if key == "residual_autocorrelation":
        return ["are autocorrelated"]
    if key == "seasonality_p_value":
        return ["seasonal pattern, or", "differ by more than noise"]
    if key == "missing_arrivals":
        return ["fell far below", "fewer arrivals in"]
    if key == "reopening_on_closure_rate_ratio":
        return ["partial recovery"]
    if key == "female_share_odds_ratio":
        return ["smaller share since", "larger share", "differ from before"]
    if key in wording.CHANGE_KEYS:
        e = head[key]
        pair = f"from {e['base_count']:,} in {e['base_year']} to {e['count']:,} in {e['year']}"
        return [f"fell {pair}", f"rose {pair}"] + (
            [f"back up to {e['count']:,} in {e['year']}"]
            if key == "rate_ratio_latest_on_low"
            else []
        )
    return []


# words that hedge a difference: not allowed when its test supports it
HEDGES = {"break_year_set": ["cannot separate adjacent years", "cannot tell a break"]}


def test_every_claim_follows_its_test_and_nothing_printed_contradicts_it(
    tables: dict[str, Any], printed: dict[str, str]
) -> None:
    head = models._rounded(tables["headline"])  # as written to headline.json
    claims = wording.claims(head)
    keys = [c.key for c in claims]
    assert len(keys) == len(set(keys))
    assert {"break_year_set", "seasonality_p_value", "rate_ratio_latest_on_previous"} <= set(keys)
    for c in claims:
        real = decide(head, c, tables["model_fitted"])
        assert c.is_real == real, (c.key, c.text)
        if c.tested:
            assert (wording.CANNOT in c.text) == (not real), c.text
        assert c.text in printed["report arrivals"], f"{c.key} is not printed: {c.text}"
        for where, text in printed.items():
            assert c.other not in text, (where, c.other)
            for phrase in HEDGES.get(c.key, []) if real else real_phrases(head, c):
                assert phrase not in text, (where, c.key, phrase)


def test_chart_titles_are_the_wording_modules(tables: dict[str, Any], printed: dict) -> None:
    head = models._rounded(tables["headline"])
    assert wording.break_scan_title(head) in printed["chart break_scan"]
    assert wording.counterfactual_title(head) in printed["chart counterfactual"]
    assert wording.quarterly_title(head) in printed["chart quarterly"]
    assert wording.arrivals_title(head) in printed["chart arrivals"]
    assert "nan" not in " ".join(printed.values()).lower().split()
