"""Stage 2e: the data dictionary -- one description of every processed table, written as a
Frictionless Data Package (data/processed/datapackage.json) and as the README's dictionary.

One concept, one name: a column name means the same thing, with the same type and unit, in
every table that has it, so each name is described once in FIELDS and tables list names.

    python -m analysis.datapackage            write data/processed/datapackage.json
    python -m analysis.datapackage --readme   rewrite the dictionary section of README.md
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from analysis import paths
from analysis.io import atomic_open, run_step, write_json

# name: (Table Schema type, unit or "", description)
FIELDS: dict[str, tuple[str, str, str]] = {
    # keys and periods
    "year": ("integer", "year", "calendar year the figure refers to"),
    "period": ("string", "", "`year` for a whole year, `Q1`-`Q4` for a quarter"),
    "measure": ("string", "", "`total`, `male`, `female` or `cumulative` arrivals"),
    "reference_period": ("string", "", "period compared: YYYY, or YYYY-MM for a quarter's end"),
    "period_start": ("string", "", "start of the period the figure covers (YYYY[-MM[-DD]])"),
    "period_end": ("string", "", "end of the period, or the date of a level (YYYY[-MM[-DD]])"),
    # counts
    "arrivals_count": ("integer", "people", "defectors arriving in South Korea (selected value)"),
    "male_count": ("integer", "people", "male arrivals (selected value)"),
    "female_count": ("integer", "people", "female arrivals (selected value)"),
    "cumulative_count": ("integer", "people", "arrivals since records began, at the period's end"),
    "sex_known_count": ("integer", "people", "male + female arrivals"),
    "value": ("number", "", "the figure as reported (its unit is in `unit`, or people)"),
    "value_high": ("number", "", "upper end of a reported range"),
    "values_reported_count": ("integer", "values", "rows reported for this cell, all sources"),
    "distinct_values_count": ("integer", "values", "different values reported for this cell"),
    "sources_count": ("integer", "sources", "sources giving this value"),
    "expected": ("integer", "people", "the selected total the check compares with"),
    "found": ("integer", "people", "the sum of the parts"),
    "difference": ("integer", "people", "found - expected"),
    "change_count": ("integer", "people", "arrivals minus the previous year's arrivals"),
    "change_since_reference_count": ("integer", "people", "arrivals minus the reference year's"),
    "fitted_count": ("number", "people", "expected arrivals under the fitted model"),
    "counterfactual_count": ("number", "people", "expected arrivals had the pre-trend continued"),
    "counterfactual_mean_low": ("number", "people", "lower bound of counterfactual_count"),
    "counterfactual_mean_high": ("number", "people", "upper bound of counterfactual_count"),
    "counterfactual_pred_low": ("number", "people", "lower prediction bound (with count noise)"),
    "counterfactual_pred_high": ("number", "people", "upper prediction bound (with count noise)"),
    "missing_count": ("number", "people", "counterfactual minus observed arrivals"),
    "low": ("number", "", "lower bound (prediction interval or reported bound)"),
    "high": ("number", "", "upper bound (prediction interval or reported bound)"),
    "bound_low": ("number", "", "lowest value the figure allows (approximate: -10%)"),
    "bound_high": ("number", "", "highest value the figure allows (approximate: +10%; inf)"),
    # shares and ratios
    "female_share_pct": ("number", "percent", "female_count / (male_count + female_count)"),
    "female_share_ci_low_pct": ("number", "percent", "exact (Clopper-Pearson) lower bound"),
    "female_share_ci_high_pct": ("number", "percent", "exact (Clopper-Pearson) upper bound"),
    "change_pct": ("number", "percent", "change on the previous year"),
    "change_since_reference_pct": ("number", "percent", "change on the reference year"),
    "rate_ratio_previous": ("number", "ratio", "arrivals / previous year's arrivals"),
    "rate_ratio_previous_ci_low": ("number", "ratio", "exact conditional lower bound"),
    "rate_ratio_previous_ci_high": ("number", "ratio", "exact conditional upper bound"),
    "rate_ratio_reference": ("number", "ratio", "arrivals / reference year's arrivals"),
    "rate_ratio_reference_ci_low": ("number", "ratio", "exact conditional lower bound"),
    "rate_ratio_reference_ci_high": ("number", "ratio", "exact conditional upper bound"),
    "rate_ratio_previous_adj_ci_low": (
        "number",
        "ratio",
        "lower bound allowing for overdispersion (variance = dispersion x mean, t on df_resid)",
    ),
    "rate_ratio_previous_adj_ci_high": ("number", "ratio", "upper bound, the same way"),
    "rate_ratio_reference_adj_ci_low": (
        "number",
        "ratio",
        "lower bound allowing for overdispersion (variance = dispersion x mean, t on df_resid)",
    ),
    "rate_ratio_reference_adj_ci_high": ("number", "ratio", "upper bound, the same way"),
    "step_rate_ratio": (
        "number",
        "ratio",
        "closure phase against the trend carried on: exp(closure_level)",
    ),
    "step_rate_ratio_ci_low": ("number", "ratio", "lower confidence bound"),
    "step_rate_ratio_ci_high": ("number", "ratio", "upper confidence bound"),
    "reopening_rate_ratio": (
        "number",
        "ratio",
        "reopening phase against the trend carried on: exp(reopening_level); empty: no phase",
    ),
    "observed_ratio": ("number", "ratio", "observed / counterfactual arrivals"),
    "observed_ratio_low": ("number", "ratio", "observed / upper bound of counterfactual mean"),
    "observed_ratio_high": ("number", "ratio", "observed / lower bound of counterfactual mean"),
    "missing_low": ("number", "people", "lower prediction bound of missing_count"),
    "missing_high": ("number", "people", "upper prediction bound of missing_count"),
    "horizon_years": ("integer", "years", "years after the last pre-closure year (0: pre)"),
    "is_beyond_tested_horizon": (
        "boolean",
        "",
        "horizon_years exceeds what the pre-period can back-test (pre years - min_pre_years)",
    ),
    "phase": ("string", "", "`pre`, `closure` or `reopening`"),
    "reopening_year": ("integer", "year", "first year of the reopening phase (0: none)"),
    "left_out_year": ("integer", "year", "year left out of the fit (0: none)"),
    "is_misspecified": (
        "boolean",
        "",
        "dispersion above the chosen fit's times the 95% point of F(df variant, df chosen)",
    ),
    "in_range": ("boolean", "", "counted in the headline range of specifications"),
    "estimate": ("number", "", "coefficient on the link scale (log or logit)"),
    "std_error": ("number", "", "standard error (scaled by the dispersion for quasi families)"),
    "ci_low": ("number", "", "lower Wald confidence bound of `estimate`"),
    "ci_high": ("number", "", "upper Wald confidence bound of `estimate`"),
    "ratio": ("number", "ratio", "exp(estimate): a rate ratio or an odds ratio, see ratio_kind"),
    "ratio_ci_low": ("number", "ratio", "exp(ci_low)"),
    "ratio_ci_high": ("number", "ratio", "exp(ci_high)"),
    "ratio_kind": ("string", "", "`rate ratio` (count models) or `odds ratio` (share model)"),
    "confidence_level": ("number", "probability", "level of the intervals in the row"),
    "pearson_residual": ("number", "", "(observed - fitted) / sqrt(fitted variance)"),
    "deviance": ("number", "", "-2 log-likelihood of the fit"),
    "delta_deviance": ("number", "", "deviance minus the lowest deviance of the scan"),
    "delta_deviance_scaled": ("number", "", "delta_deviance / dispersion of the best fit"),
    "dispersion": ("number", "", "Pearson chi-square / residual df of the Poisson fit"),
    "df_resid": ("number", "df", "residual degrees of freedom the dispersion rests on"),
    "pearson_chi2_share": (
        "number",
        "proportion",
        "the year's share of the main Poisson fit's Pearson chi-square",
    ),
    "p_value": ("number", "probability", "two-sided p-value of the level (t on the residual df)"),
    "is_level_shift": ("boolean", "", "the rate ratio's interval excludes 1"),
    "critical_value": (
        "number",
        "",
        "the level's point of F(1, df_resid of the best fit), or of chi-square(1) for Poisson",
    ),
    "is_in_confidence_set": (
        "boolean",
        "",
        "delta_deviance_scaled < critical_value: cannot be told apart from the best year",
    ),
    # model settings
    "model": ("string", "", "`its` (arrivals) or `female_share`"),
    "term": ("string", "", "model term: const, trend, closure_level, reopening_level, closure"),
    "family": ("string", "", "count model family used"),
    "break_year": ("integer", "year", "candidate first year of the new regime"),
    "window_start_year": ("integer", "year", "first year of the window fitted"),
    "pre_start_year": ("integer", "year", "first year of the pre-intervention trend"),
    "intervention_year": ("integer", "year", "first year of the intervention (closure)"),
    "reference_year": ("integer", "year", "year compared against (the last pre-closure year)"),
    "previous_year": ("integer", "year", "the year compared with"),
    "lowest_since_year": (
        "integer",
        "year",
        "last earlier year with as few arrivals (empty: none)",
    ),
    "varied": ("string", "", "setting changed from the chosen one"),
    "what": ("string", "", "model prediction, forecast, quarters counted or official count"),
    "official_count": ("number", "people", "the year's official (selected) annual count"),
    "is_inside": ("boolean", "", "official_count within [low, high] (empty: no interval)"),
    "tail": ("string", "", "`low` or `high`: the side of the prediction the count fell on"),
    "tail_probability": (
        "number",
        "probability",
        "under the model fitted to the years before, P(count <= official) on the low side, "
        "P(count >= official) on the high side",
    ),
    "model_probability": (
        "number",
        "probability",
        "under the model fitted to the years before, the probability the bound holds",
    ),
    # flags
    "is_revised": ("boolean", "", "more than one distinct value was reported"),
    "is_selected": ("boolean", "", "this row is the current value of its cell"),
    "is_first_reported": ("boolean", "", "the value first published for the cell"),
    "is_post_intervention": ("boolean", "", "year >= intervention_year"),
    "is_derived": ("boolean", "", "computed by the project from reported figures"),
    "is_best": ("boolean", "", "the candidate with the lowest deviance"),
    "is_intervention_year": ("boolean", "", "the candidate equals intervention_year"),
    "is_series_low": ("boolean", "", "fewer arrivals than in every earlier year"),
    "is_peak": ("boolean", "", "the highest annual arrivals"),
    "is_flagged_conflict": ("boolean", "", "the row carries the `conflict` flag"),
    "bounds_overlap": ("boolean", "", "all figures for the quantity can be true at once"),
    "sex_sum_matches_total": ("boolean", "", "male_count + female_count = arrivals_count"),
    # sources and provenance
    "source_id": ("string", "", "source of the figure (see sources.csv)"),
    "source_ids": ("string", "", "`;`-separated source_ids"),
    "via_source_id": ("string", "", "where the originator's text was read, when different"),
    "male_source_id": ("string", "", "source of male_count"),
    "female_source_id": ("string", "", "source of female_count"),
    "source_label": ("string", "", "short citation of source_id"),
    "published": ("string", "", "publication date of the source (YYYY[-MM[-DD]])"),
    "first_published": ("string", "", "earliest publication giving this value"),
    "last_published": ("string", "", "latest publication giving this value"),
    "publisher": ("string", "", "publisher or originator"),
    "publisher_ko": ("string", "", "publisher in Korean (as written where none is given)"),
    "title": ("string", "", "title of the source"),
    "url": ("string", "", "where the source can be read"),
    "author": ("string", "", "author(s)"),
    "kind": ("string", "", "kind of source (news, report, government, ...)"),
    "language": ("string", "", "language of the source (ISO 639-1)"),
    "accessed": ("string", "", "date the source was read (YYYY-MM-DD)"),
    "citation": ("string", "", "full citation"),
    "label": ("string", "", "short citation for chart source lines"),
    "citation_ko": ("string", "", "full citation, with publisher_ko"),
    "label_ko": ("string", "", "short citation for Korean charts, with publisher_ko"),
    "locator": ("string", "", "where in the source the figure is"),
    "note": ("string", "", "remarks"),
    # figure descriptions
    "figure_id": ("string", "", "identifier of a reported figure"),
    "table": ("string", "", "raw table the figure comes from"),
    "topic": ("string", "", "subject of the figure"),
    "quantity": ("string", "", "what is counted or measured"),
    "place": ("string", "", "where"),
    "unit": ("string", "", "unit of `value`"),
    "qualifier": ("string", "", "exact, approximate, at_least, at_most or range"),
    "nature": ("string", "", "level, addition, flow or derived"),
    "basis": ("string", "", "count, estimate or forecast"),
    "flags": ("string", "", "`;`-separated: preliminary, bucket, typo, conflict, ..."),
    "as_printed": ("string", "", "the figure's words in the source"),
    "exclusion": ("string", "", "why the row cannot be the current value (empty: it can)"),
    "status": ("string", "", "selected, superseded, excluded or forecast (not a revision)"),
    "change_kind": ("string", "", "new, revision or forecast_vs_outcome"),
    "previous_value": ("integer", "people", "the cell's value before changes_since"),
    "previous_source_id": ("string", "", "source of previous_value"),
    "changes_since": ("string", "", "date from which publications count as changes"),
    "reason": ("string", "", "why the value has its status"),
    "check": ("string", "", "the identity checked"),
    "formula": ("string", "", "how a derived figure is computed"),
    "assumption": ("string", "", "what a derived figure assumes"),
    # events
    "event_id": ("string", "", "identifier of the event"),
    "date": ("string", "", "date as reported (YYYY[-MM[-DD]])"),
    "date_qualifier": ("string", "", "empty (as dated), early, mid, late, around or by"),
    "end_date": ("string", "", "end of a lasting event, if reported"),
    "date_start": ("date", "", "first day of `date`"),
    "date_precision": ("string", "", "day, month or year"),
    "category": ("string", "", "punishment, report, border, campaign, diplomacy, ..."),
    "event": ("string", "", "what happened, in the project's words"),
    "event_ko": ("string", "", "event in Korean (as event where none is given)"),
    "chart_label": ("string", "", "short label marking the event on charts (empty: none)"),
    "chart_label_ko": ("string", "", "chart_label in Korean, for the Korean charts (empty: none)"),
}

SOURCE_FK = [{"fields": "source_id", "reference": {"resource": "sources", "fields": "source_id"}}]

# name: (description, columns, primary key, foreign keys)
TABLES: dict[str, tuple[str, list[str], list[str], list[dict]]] = {}


def _table(name: str, description: str, key: list[str], cols: str, fk: bool = False) -> None:
    TABLES[name] = (description, cols.split(), key, SOURCE_FK if fk else [])


_table(
    "arrivals_reported",
    "Every reported arrivals value with its source, and whether it is the current value.",
    ["year", "period", "measure", "source_id"],
    "year period measure value source_id published flags qualifier basis note exclusion "
    "is_selected",
    fk=True,
)
_SELECTED = (
    "source_id published source_label values_reported_count distinct_values_count is_revised"
)
_table(
    "arrivals_annual",
    "Current annual arrivals, one row per year (empty where no valid value).",
    ["year"],
    f"year arrivals_count {_SELECTED}",
    fk=True,
)
_table(
    "arrivals_quarterly",
    "Current quarterly arrivals, one row per quarter.",
    ["year", "period"],
    f"year period arrivals_count {_SELECTED}",
    fk=True,
)
_SEX = "male_count female_count male_source_id female_source_id female_share_pct "
_SEX += "sex_sum_matches_total"
_table("arrivals_sex", "Annual arrivals by sex.", ["year"], f"year arrivals_count {_SEX}")
_table(
    "arrivals_sex_quarterly",
    "Quarterly arrivals by sex.",
    ["year", "period"],
    f"year period arrivals_count {_SEX}",
)
_table(
    "arrivals_cumulative",
    "Current cumulative arrivals at each year's end.",
    ["year"],
    f"year cumulative_count {_SELECTED}",
    fk=True,
)
_table(
    "arrivals_revisions",
    "Every cell reported with more than one value: one row per value.",
    ["year", "period", "measure", "value"],
    "year period measure value sources_count source_ids first_published last_published flags "
    "status reason is_first_reported",
)
_table(
    "arrivals_changes",
    "What the publications of the last year changed: new cells, revisions, forecasts then "
    "counts (from one year before the newest publication).",
    ["year", "period", "measure"],
    "year period measure change_kind value source_id published previous_value "
    "previous_source_id changes_since",
    fk=True,
)
_table(
    "arrivals_checks",
    "Sums among current values that do not add up (warnings; the data are kept).",
    ["year", "period", "check"],
    "year period check expected found difference",
)
_table(
    "sources",
    "Every source, with a full citation and a short label.",
    ["source_id"],
    "source_id publisher title url published author kind language accessed note publisher_ko "
    "citation label citation_ko label_ko",
)
_table(
    "catalogue",
    "Every reported figure (arrivals and other figures) with its qualifier and source.",
    ["figure_id"],
    "figure_id table topic quantity place period_start period_end value value_high unit "
    "qualifier nature basis flags as_printed source_id via_source_id locator note citation",
    fk=True,
)
_table(
    "conflicts",
    "Figures for one quantity and period that differ between sources.",
    ["figure_id"],
    "topic quantity place reference_period figure_id value value_high qualifier as_printed flags "
    "source_id via_source_id bound_low bound_high bounds_overlap is_flagged_conflict note",
    fk=True,
)
_table(
    "fortifications",
    "The Hoeryong border section: reported figures, then derived ones with formula and assumption.",
    ["quantity"],
    "quantity value unit nature period_start period_end source_id via_source_id is_derived "
    "formula assumption",
    fk=True,
)
_table(
    "events",
    "Dated policy and border events, with date precision.",
    ["event_id"],
    "event_id date date_qualifier end_date category event source_id via_source_id locator note "
    "chart_label chart_label_ko event_ko date_start date_precision",
    fk=True,
)
_table(
    "model_coefficients",
    "Coefficients of the interrupted time series and the female-share model.",
    ["model", "term"],
    "model term estimate std_error ci_low ci_high ratio ratio_ci_low ratio_ci_high ratio_kind "
    "family confidence_level",
)
_table(
    "model_fitted",
    "Observed, fitted and counterfactual arrivals per year of the model window.",
    ["year"],
    "year arrivals_count is_post_intervention phase fitted_count pearson_residual "
    "counterfactual_count counterfactual_mean_low counterfactual_mean_high "
    "counterfactual_pred_low counterfactual_pred_high horizon_years is_beyond_tested_horizon "
    "observed_ratio observed_ratio_low observed_ratio_high missing_count missing_low "
    "missing_high",
)
_table(
    "model_changes",
    "Year-on-year and since-reference changes with exact (Poisson) and overdispersion-adjusted "
    "rate-ratio intervals.",
    ["year"],
    "year arrivals_count change_since_reference_count change_since_reference_pct "
    "rate_ratio_reference rate_ratio_reference_ci_low rate_ratio_reference_ci_high "
    "rate_ratio_reference_adj_ci_low rate_ratio_reference_adj_ci_high "
    "lowest_since_year is_series_low is_peak previous_year change_count change_pct "
    "rate_ratio_previous rate_ratio_previous_ci_low rate_ratio_previous_ci_high "
    "rate_ratio_previous_adj_ci_low rate_ratio_previous_adj_ci_high reference_year "
    "confidence_level dispersion df_resid",
)
_table(
    "model_female_share",
    "Female share of arrivals per year with exact binomial intervals.",
    ["year"],
    "year female_count sex_known_count female_share_pct female_share_ci_low_pct "
    "female_share_ci_high_pct is_post_intervention confidence_level",
)
_table(
    "model_break_scan",
    "The phase model fitted for every candidate first closure year.",
    ["break_year"],
    "break_year deviance dispersion df_resid step_rate_ratio step_rate_ratio_ci_low "
    "step_rate_ratio_ci_high delta_deviance delta_deviance_scaled is_best critical_value "
    "is_in_confidence_set is_intervention_year window_start_year family",
)
_table(
    "model_sensitivity",
    "The closure-phase estimate and missing arrivals as one setting at a time varies.",
    ["varied", "pre_start_year", "intervention_year", "reopening_year", "left_out_year", "family"],
    "varied pre_start_year intervention_year reopening_year left_out_year family dispersion "
    "step_rate_ratio step_rate_ratio_ci_low step_rate_ratio_ci_high reopening_rate_ratio "
    "missing_count is_misspecified in_range",
)
_table(
    "model_prediction_test",
    "The model's prediction for the test year and for every year with a published forecast, "
    "beside the forecasts, partial and official counts.",
    ["year", "what", "source_id"],
    "year what value low high qualifier source_id note",
)
_table(
    "model_influence",
    "Each year of the model window left out in turn: the closure and reopening rate ratios, the "
    "dispersion and the missing arrivals, and the year's share of the Pearson chi-square.",
    ["left_out_year"],
    "left_out_year is_post_intervention pearson_chi2_share dispersion step_rate_ratio "
    "step_rate_ratio_ci_low step_rate_ratio_ci_high reopening_rate_ratio missing_count",
)
_table(
    "model_placebo",
    "Placebo closures: the closure model fitted to the pre-closure years only, with a made-up "
    "closure year.",
    ["break_year"],
    "break_year window_start_year dispersion step_rate_ratio step_rate_ratio_ci_low "
    "step_rate_ratio_ci_high p_value is_level_shift family confidence_level",
)
_table(
    "model_forecast_scores",
    "Every model prediction and published forecast or bound of a year with an official count, "
    "scored against the count.",
    ["year", "what", "source_id"],
    "year what value low high qualifier source_id official_count is_inside tail "
    "tail_probability model_probability confidence_level",
)


TITLE = "North Korea's border closure: reported figures, series and models"
LANGUAGES = ["en", "ko"]  # English descriptions, and Korean ones as `description_ko`
UNIT = "unit"  # the catalogue's context for unit names ("year" the unit, not the period)


def strings() -> list[tuple[str, str | None]]:
    """Every text of the dictionary that is translated, with its catalogue context."""
    texts = [(d, None) for _, _, d in FIELDS.values()] + [(t[0], None) for t in TABLES.values()]
    texts += [(u, UNIT) for _, u, _ in FIELDS.values() if u] + [(TITLE, None)]
    return list(dict.fromkeys(texts))


def korean() -> Any:
    from analysis.i18n import Text

    return Text("ko")


def field(name: str) -> dict[str, Any]:
    type_, unit, description = FIELDS[name]
    out: dict[str, Any] = {"name": name, "type": type_, "description": description}
    out["description_ko"] = korean().translate(description)
    if unit:
        out["unit"] = unit
    if type_ == "boolean":
        out |= {"trueValues": ["True"], "falseValues": ["False"]}
    if type_ == "number":
        out["bareNumber"] = True
    return out


def package() -> dict[str, Any]:
    resources = []
    for name, (description, cols, key, fks) in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [field(c) for c in cols],
            "missingValues": [""],
        }
        if key:
            schema["primaryKey"] = key
        if fks:
            schema["foreignKeys"] = fks
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "encoding": "utf-8",
                "description": description,
                "description_ko": korean().translate(description),
                "schema": schema,
            }
        )
    return {
        "name": "north-korea-border-closure",
        "title": TITLE,
        "title_ko": korean().translate(TITLE),
        "languages": LANGUAGES,
        "licenses": [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"}],
        "resources": resources,
    }


BEGIN = "<!-- data dictionary: generated by `python -m analysis.datapackage --readme` -->"
END = "<!-- end of data dictionary -->"


def markdown() -> str:
    lines = [BEGIN, ""]
    for name, (description, cols, key, _) in TABLES.items():
        lines += [
            f"#### `{name}.csv`",
            "",
            f"{description} Key: {', '.join(f'`{k}`' for k in key)}.",
            "",
            "| column | type | unit | description |",
            "|---|---|---|---|",
        ]
        for c in cols:
            type_, unit, text = FIELDS[c]
            lines.append(f"| `{c}` | {type_} | {unit} | {text} |")
        lines.append("")
    lines += korean_markdown()
    lines.append(END)
    return "\n".join(lines)


def korean_markdown() -> list[str]:
    """The dictionary again in Korean (folded, so the English one stays easy to scan)."""
    ko = korean()
    lines = [
        '<details lang="ko"><summary>데이터 사전 (한국어)</summary>',
        "",
        f"{ko.translate(TITLE)}. 열 이름과 값의 코드는 영어 그대로입니다.",
        "",
    ]
    for name, (description, cols, key, _) in TABLES.items():
        lines += [
            f"#### `{name}.csv`",
            "",
            f"{ko.translate(description)} 키: {', '.join(f'`{k}`' for k in key)}.",
            "",
            "| 열 | 형식 | 단위 | 설명 |",
            "|---|---|---|---|",
        ]
        for c in cols:
            type_, unit, text = FIELDS[c]
            shown = ko.translate(unit, UNIT) if unit else ""
            lines.append(f"| `{c}` | {type_} | {shown} | {ko.translate(text)} |")
        lines.append("")
    return [*lines, "</details>", ""]


def readme_with_dictionary(readme: str) -> str:
    """The README text with its dictionary section replaced by the current one."""
    start, end = readme.index(BEGIN), readme.index(END) + len(END)
    return readme[:start] + markdown() + readme[end:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readme", action="store_true", help="rewrite README.md's dictionary")
    args = parser.parse_args()
    if args.readme:
        readme = Path("README.md")
        text = readme_with_dictionary(readme.read_text(encoding="utf-8"))
        with atomic_open(readme) as fh:
            fh.write(text)
    else:
        write_json(package(), paths.PROCESSED / "datapackage.json")


if __name__ == "__main__":
    run_step(main)
