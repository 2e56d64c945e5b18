# bulletin-warehouse. `make run` builds the warehouse, `make test` runs the tests; both set up
# everything they need (virtualenv + pinned packages) on a fresh machine with Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export DAGSTER_HOME := $(CURDIR)/.dagster_home
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export UV_COMPILE_BYTECODE := 1
export PYTHONDONTWRITEBYTECODE :=
# The venv's tools (dbt for dagster-dbt's manifest preparation under `dagster dev`) first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: install run rebuild test test-fast test-ui test-incremental reliability ui ingest coverage reconcile confusion agreement match-report validate bench bench-tasks lint hooks lock clean report sql docs docs-build

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==0.13.8
	@# opencc (official) replaced opencc-python-reimplemented; both install the module `opencc`.
	-$(BIN)/uv pip uninstall -q -p $(BIN)/python opencc-python-reimplemented 2>/dev/null
	$(BIN)/uv pip install -q -p $(BIN)/python --reinstall-package opencc -r requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

install: $(STAMP)

## Build the whole warehouse from data/sources into data/warehouse.duckdb (Dagster, headless).
run: $(STAMP)
	$(BIN)/python -m orchestration.build

## Rebuild only what changed since the last build (changed/added sources; no-op when nothing did).
rebuild: $(STAMP)
	$(BIN)/python -m orchestration.incremental

## All tests (unit, parsers on the real seeds, dbt, GX checks, Dagster graph and UI).
# On every core (pytest-xdist): the workers share one seed build (tests/conftest.py), and each
# test file runs whole on one worker, so a module fixture (test_dbt_models' dbt build) is built
# once. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not ui and not reliability and not incremental"

## A scoped rebuild (one source edited, one added, one removed) equals a full refresh of every mart (~1.5 min).
test-incremental: $(STAMP)
	$(BIN)/pytest -q -m incremental

## The UI keeping itself fresh: one partition materialised, automation refreshes marts and published (minutes).
test-ui: $(STAMP)
	$(BIN)/pytest -q -s -m ui

## Quick tests only (no dbt/Dagster end-to-end build).
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not slow and not ui and not reliability and not incremental"

## The reliability battery: bad inputs and faults (SIGKILL at failpoints, two builds at once); its
## table goes to .reliability/battery.md (minutes).
reliability: $(STAMP)
	$(BIN)/pytest -q -s -m reliability

## The Dagster UI on http://127.0.0.1:3000
ui: $(STAMP)
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

## Parse every registered source and print its line coverage (no warehouse needed).
coverage: $(STAMP)
	$(BIN)/bulletins coverage

validate: $(STAMP)
	$(BIN)/bulletins validate

## Stated totals vs parsed counts (needs `make run` first).
reconcile: $(STAMP)
	$(BIN)/bulletins reconcile

## Inferred vs reported status on bulletins that print a status (needs `make run` first).
confusion: $(STAMP)
	$(BIN)/bulletins confusion

## Inferred status vs the labelled reading (tests/data/status_reading.csv) and the print; no warehouse.
agreement: $(STAMP)
	$(BIN)/bulletins agreement

## Task links (issue #11) against the hand-made answer keys of tests/data/task_matching; no warehouse.
match-report: $(STAMP)
	$(BIN)/python -m ingestion.task_eval

## The HTML report of the published warehouse -> data/report/index.html (needs `make run` first).
report: $(STAMP)
	$(BIN)/python -m reporting

## A read-only SQL shell on the published warehouse (`bulletins sql`; `.tables`, `.quit`).
sql: $(STAMP)
	$(BIN)/bulletins sql

## dbt docs (models, columns, lineage) built into dbt_project/target, then served on 127.0.0.1:8080.
## The catalog is read from a scratch copy of the published warehouse (dbt opens its file read-write).
DBT_DIRS := --project-dir dbt_project --profiles-dir dbt_project
DOCS_DB  := dbt_project/target/docs_catalog.duckdb
docs-build: $(STAMP)
	@test -f data/published/warehouse.duckdb || { echo "no data/published/warehouse.duckdb: run make run first"; exit 2; }
	mkdir -p dbt_project/target && cp data/published/warehouse.duckdb $(DOCS_DB)
	$(BIN)/dbt docs generate $(DBT_DIRS) --vars '{"warehouse_path": "$(CURDIR)/$(DOCS_DB)"}'
docs: docs-build
	$(BIN)/dbt docs serve $(DBT_DIRS) --host 127.0.0.1 --port 8080 --no-browser

## Issue #13's figures in one table: build vs bare Dagster+dbt, parse vs read+split, incremental
## and no-op rebuilds, one-source vs full build at 100 sources, the raw lake (200 sources staged by
## 1 and 2 processes, one-writer load), queries at 1 M / 10 M rows, 100 / 1,000 / 10,000 sources
## (~10 min on a quiet machine, plus three 100-source builds for the one-source figure).
## BENCH_ARGS="--skip-scale --skip-incremental-100 --query-rows 1000000" for a shorter run,
## BENCH_ARGS="--only incremental100" for the 100-source rebuilds alone, "--only lake" for the lake,
## --help for every flag.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py $(BENCH_ARGS)

## Task matching at scale (synthetic jurisdictions, 4 periods each); BENCH_TASKS_ARGS to change the size.
bench-tasks: $(STAMP)
	$(BIN)/python benchmarks/bench_tasks.py $(BENCH_TASKS_ARGS)

## Lint: ruff (incl. import order and complexity), mypy ([tool.mypy] files), sqlfluff on the dbt models.
LINT_PY := ingestion orchestration expectations reporting tests benchmarks
lint: $(STAMP)
	$(BIN)/ruff check $(LINT_PY)
	$(BIN)/mypy
	$(BIN)/sqlfluff lint dbt_project/models --nocolor --disable-progress-bar

## Install the git hooks of .pre-commit-config.yaml (they run the venv's tools).
hooks: $(STAMP)
	$(BIN)/pre-commit install

## Re-resolve pinned versions after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev -p 3.11 -o requirements.lock

clean:
	rm -rf data/warehouse.duckdb* data/published data/export data/report dbt_project/target .dagster_home/storage .dagster_home/history .dagster_home/schedules .dagster_home/logs
