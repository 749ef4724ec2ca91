# North Korea border closure: cited figures -> models -> charts -> reports.
# Every target is a file; each recipe's script is one of its prerequisites. Every output is
# built in the stage, $(S) (the project's layout under build/, see analysis/paths.py); the
# last step publishes it into data/processed and reports/ once everything is built.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
MAKEFLAGS += --warn-undefined-variables --no-builtin-rules --output-sync=target \
  --jobs=$(shell nproc 2>/dev/null || echo 2)
.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := help

# --- environment: uv bootstrapped into .tools, packages locked in uv.lock -------------------
UV_VERSION := >=0.13,<0.14
UV := .tools/bin/uv
VENV := .venv/.synced
export UV_PYTHON_DOWNLOADS := never
# bytecode written at install, as pip does: where PYTHONDONTWRITEBYTECODE is set (containers,
# CI) every step would otherwise compile the libraries it imports again (cold here: 47 s -> 35-39 s)
export UV_COMPILE_BYTECODE := 1
export MPLBACKEND := Agg
# Each step runs in a child forked from one warm process (see analysis/runner.py).
RUN := .venv/bin/python -m analysis.runner
S := build/stage

# One build at a time in this folder: a second `make` waits for the first to end, saying so in
# one line (the lock is held for the life of this make; see analysis/publish.py).
ifneq ($(filter-out help test proof bench,$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
export NKB_BUILD_LOCK := $(shell python3 -S -m analysis.publish lock $$PPID)
ifneq ($(.SHELLSTATUS),0)
$(error could not take the build lock build/build.lock)
endif
endif

$(UV):
	python3 -m pip install --quiet --disable-pip-version-check --target .tools "uv$(UV_VERSION)"

$(VENV): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python python3 --quiet
	touch $@

# --- 1. validate the raw CSVs ----------------------------------------------------------------
RAW := $(wildcard data/raw/*.csv)
build/raw.validated: analysis/validate.py analysis/schema.py $(RAW) | $(VENV)
	$(RUN) analysis.validate

# --- 2. processed tables (data/processed) ----------------------------------------------------
P := $(S)/data/processed
SERIES := $(addprefix $(P)/,$(addsuffix .csv,arrivals_reported arrivals_annual \
  arrivals_quarterly arrivals_sex arrivals_sex_quarterly arrivals_cumulative arrivals_revisions \
  arrivals_checks arrivals_changes))
$(SERIES) &: analysis/series.py analysis/raw.py data/raw/arrivals.csv data/raw/sources.csv | build/raw.validated
	$(RUN) analysis.series

# sources.csv has its own rule so that editing a figure does not redraw charts of other data
$(P)/sources.csv: analysis/catalogue.py analysis/raw.py data/raw/sources.csv | build/raw.validated
	$(RUN) analysis.catalogue sources
CATALOGUE := $(P)/catalogue.csv $(P)/conflicts.csv
$(CATALOGUE) &: analysis/catalogue.py analysis/raw.py $(RAW) | build/raw.validated
	$(RUN) analysis.catalogue figures

FIGURES := $(P)/fortifications.csv $(P)/events.csv
$(FIGURES) &: analysis/figures.py analysis/raw.py data/raw/figures.csv data/raw/events.csv | build/raw.validated
	$(RUN) analysis.figures

# --- 3. models with the default parameters ---------------------------------------------------
# the catalogue of user-facing strings and its Korean translations (analysis/i18n.py)
I18N := analysis/i18n.py analysis/locale/ko/LC_MESSAGES/messages.po
$(P)/datapackage.json: analysis/datapackage.py $(I18N) | $(VENV)
	$(RUN) analysis.datapackage

MODELS := $(addprefix $(P)/model_,$(addsuffix .csv,coefficients fitted changes female_share \
  break_scan sensitivity prediction_test forecast_scores influence placebo)) $(P)/headline.json
MODEL_CODE := $(wildcard analysis/models/*.py)
$(MODELS) &: $(MODEL_CODE) $(P)/arrivals_annual.csv \
  $(P)/arrivals_quarterly.csv $(P)/arrivals_sex.csv $(P)/arrivals_reported.csv
	$(RUN) analysis.models

# --- 4. charts (reports/figures) -------------------------------------------------------------
R := $(S)/reports
F := $(R)/figures
# every chart in English (NAME-...) and in Korean (NAME-ko-...): print sizes in SVG, PDF and
# PNG, screen sizes (web, phone) in SVG and PNG (see analysis/style.py); one CSV of its data
CHART_FILES = $(foreach l,$(1) $(1)-ko,\
  $(foreach s,single double,$(foreach f,svg pdf png,$(F)/$(l)-$(s).$(f))) \
  $(foreach s,web phone,$(foreach f,svg png,$(F)/$(l)-$(s).$(f))) \
  $(F)/$(l).json $(F)/$(l)-embed.html) $(F)/$(1).csv
# every chart is drawn by charts.py in the house style (style.py) with words from wording.py
# and the catalogue (i18n.py), in the project's fonts (fonts.py); its marks (values on hover)
# come from marks.py and embed.py
CHART_CODE := analysis/charts.py analysis/style.py analysis/wording.py analysis/marks.py \
  analysis/embed.py analysis/fonts.py $(I18N)
A := $(P)/arrivals_annual.csv $(P)/sources.csv
$(call CHART_FILES,arrivals) &: $(CHART_CODE) $(A) $(P)/events.csv \
  $(P)/arrivals_revisions.csv $(MODELS)
	$(RUN) analysis.charts arrivals
$(call CHART_FILES,counterfactual) &: $(CHART_CODE) $(A) $(MODELS)
	$(RUN) analysis.charts counterfactual
$(call CHART_FILES,quarterly) &: $(CHART_CODE) $(A) $(P)/arrivals_quarterly.csv $(MODELS)
	$(RUN) analysis.charts quarterly
$(call CHART_FILES,female_share) &: $(CHART_CODE) $(A) $(P)/arrivals_sex.csv $(MODELS)
	$(RUN) analysis.charts female_share
$(call CHART_FILES,fortifications) &: $(CHART_CODE) $(P)/fortifications.csv $(P)/sources.csv
	$(RUN) analysis.charts fortifications
# the timeline marks the closure year, a model parameter (headline.json)
$(call CHART_FILES,timeline) &: $(CHART_CODE) $(P)/events.csv $(P)/sources.csv $(P)/headline.json
	$(RUN) analysis.charts timeline
$(call CHART_FILES,revisions) &: $(CHART_CODE) $(A) $(P)/arrivals_revisions.csv
	$(RUN) analysis.charts revisions
$(call CHART_FILES,break_scan) &: $(CHART_CODE) $(A) $(MODELS)
	$(RUN) analysis.charts break_scan
$(call CHART_FILES,border_areas) &: $(CHART_CODE) $(CATALOGUE) $(P)/sources.csv
	$(RUN) analysis.charts border_areas
CHART_NAMES := arrivals counterfactual quarterly female_share fortifications timeline revisions \
  break_scan border_areas
CHARTS := $(foreach c,$(CHART_NAMES),$(call CHART_FILES,$(c)))

# one manifest of every chart, and a gallery page to browse and download them
$(F)/manifest.json $(R)/gallery.html $(R)/gallery-ko.html &: analysis/gallery.py \
  analysis/embed.py $(I18N) $(CHARTS)
	$(RUN) analysis.gallery $(CHART_NAMES)

# --- 5. reports (one per parameter set in reports/params) ------------------------------------
PARAM_SETS := $(basename $(notdir $(wildcard reports/params/*.yaml)))
TEMPLATES := $(basename $(notdir $(wildcard reports/templates/*.py)))
TEMPLATE_NBS := $(TEMPLATES:%=build/templates/%.ipynb)
REPORTS := $(PARAM_SETS:%=$(R)/%.html)
# the sets' names, rewritten only when a set is added or removed: the contact sheet and the
# publish depend on it, so a YAML deleted from reports/params takes its report with it
SET_LIST := build/param-sets
ifneq ($(file <$(SET_LIST)),$(PARAM_SETS))
$(shell mkdir -p build)
$(file >$(SET_LIST),$(PARAM_SETS))
endif

.SECONDARY: $(TEMPLATE_NBS)
build/templates/%.ipynb: reports/templates/%.py analysis/report.py | $(VENV)
	$(RUN) analysis.report template $*

# a report with the default model copies the results and the charts the model and chart steps
# made (report.stock_results, charts.already_drawn)
$(R)/%.html $(R)/notebooks/%.ipynb &: reports/params/%.yaml $(TEMPLATE_NBS) \
  reports/templates/html_offline/index.html.j2 analysis/report.py analysis/narrate.py \
  $(MODEL_CODE) $(CHART_CODE) $(SERIES) $(CATALOGUE) $(FIGURES) $(P)/sources.csv $(MODELS) \
  $(CHARTS)
	$(RUN) analysis.report build $<

# a contact sheet: every chart at print size and every report at phone width, on one page
$(R)/contact-sheet.html: analysis/contact.py $(F)/manifest.json $(REPORTS) $(R)/gallery.html $(SET_LIST)
	$(RUN) analysis.contact $(PARAM_SETS)

# the one-page brief also as PDF, printed by headless Chromium where it is installed
CHROMIUM := $(shell command -v chromium || command -v chromium-browser)
PRINTED := brief brief-ko
PDFS := $(if $(CHROMIUM),$(PRINTED:%=$(R)/%.pdf))
$(PRINTED:%=$(R)/%.pdf): $(R)/%.pdf: $(R)/%.html analysis/report.py analysis/fonts.py
	$(RUN) analysis.report pdf $< $@
ifeq ($(CHROMIUM),)
ifneq ($(filter report,$(MAKECMDGOALS)),)
$(info note: chromium is not installed, so reports/brief.pdf is skipped (apt-get install chromium))
endif
endif

# --- 6. publish: the stage into data/processed and reports/, once every output is built -------
DATA := $(SERIES) $(P)/sources.csv $(CATALOGUE) $(FIGURES) $(MODELS) $(P)/datapackage.json
ALL := $(DATA) $(CHARTS) $(F)/manifest.json $(R)/gallery.html $(R)/gallery-ko.html $(REPORTS) \
  $(PDFS) $(R)/contact-sheet.html
PUBLISH := .venv/bin/python -m analysis.publish
build/published: analysis/publish.py $(ALL) $(SET_LIST)
	$(PUBLISH)

# --- commands --------------------------------------------------------------------------------
.PHONY: help report custom data charts test proof bench clean
STAGE_ONLY = @echo "note: built in $(S)/ only; make report publishes data/processed and reports/"

help: ## list the commands
	@grep -hE '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z]+):.*## /  make \1\t/' | expand -t 16

data: $(DATA) ## validate the raw CSVs and build the processed tables (in the stage)
	$(STAGE_ONLY)

charts: $(CHARTS) $(F)/manifest.json ## draw every chart, with the gallery (in the stage)
	$(STAGE_ONLY)

report: build/published ## build everything and publish it (first run creates the environment)

# a parameter set kept anywhere: make custom PARAMS=path/to/NAME.yaml -> reports/NAME.html
# (NAME: lower-case letters, digits, hyphens; never a shipped set's name, gallery or figures).
# The path reaches the shell as an environment variable, quoted, never spliced into the recipe.
# Every shipped output is brought up to date too: a publish is always of a whole build.
export PARAMS ?=
custom: $(ALL) $(TEMPLATE_NBS) ## build one report from any YAML: make custom PARAMS=my.yaml
	@test -n "$$PARAMS" || { echo "error: name the file: make custom PARAMS=path/to/set.yaml" >&2; exit 2; }
	$(RUN) analysis.report build "$$PARAMS"
	$(PUBLISH)

test: $(VENV) ## lint, then run the test suite (unit, data and end-to-end)
	.venv/bin/ruff check analysis tests
	.venv/bin/ruff format --check analysis tests
	.venv/bin/python -m pytest -m "not proof"

proof: $(VENV) ## slow checks: two-folder byte-identical builds, builds killed mid-way (minutes)
	.venv/bin/python -m pytest -m proof

bench: $(VENV) ## time builds, N parameter sets and set-up against the import floor
	.venv/bin/python -m analysis.bench

clean: ## remove generated files (never data/raw)
	find build -mindepth 1 -maxdepth 1 ! -name build.lock -exec rm -rf {} +
	rm -rf reports/figures reports/notebooks reports/*.html reports/*.pdf
	find data/processed -mindepth 1 ! -name .gitkeep -delete
