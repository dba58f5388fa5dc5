# FibroBot: `make run` to try it, `make test` to check everything. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: run test lint typecheck unit unit-shifted e2e bench deps e2e-deps pg-deps faketime-deps systemd-deps clean

# How far ahead `make test` moves the clock for a second run of the unit and handler tests:
# every test must pass on any date, not only on the day it was written.
CLOCK_SHIFT ?= +400d
# make test fails, rather than skips, when a tool the tests need is missing.
REQUIRE := FIBROBOT_REQUIRE_PG=1 FIBROBOT_REQUIRE_E2E=1 FIBROBOT_REQUIRE_SYSTEMD=1

run: $(STAMP)
	@$(BIN)/fibrobot

test: $(STAMP) e2e-deps pg-deps faketime-deps systemd-deps lint typecheck
	$(REQUIRE) $(BIN)/pytest -q -n 2 -m "not e2e"
	$(REQUIRE) $(BIN)/pytest -q -m e2e
	$(MAKE) --no-print-directory unit-shifted

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot handlers

unit: $(STAMP)
	$(BIN)/pytest -q -m "not e2e"

# The unit and handler tests again, under libfaketime with the clock CLOCK_SHIFT ahead.
unit-shifted: $(STAMP) faketime-deps
	@echo "Unit and handler tests with the clock at: $$(faketime -f '$(CLOCK_SHIFT)' date -u)"
	faketime -f '$(CLOCK_SHIFT)' $(BIN)/pytest -q -p no:cacheprovider -n 2 -m "not e2e and not postgres"

e2e: $(STAMP) e2e-deps
	$(BIN)/pytest -q -m e2e

bench: $(STAMP)
	$(BIN)/python -m tests.bench

deps: $(STAMP) e2e-deps pg-deps faketime-deps systemd-deps

# The virtual environment, rebuilt when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	@touch $@

# The npm Bot API emulator for the end-to-end tests, in tests/e2e/node_modules.
e2e-deps: $(E2E_STAMP)
$(E2E_STAMP): tests/e2e/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm)
	npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error
	@touch $@

# A PostgreSQL server for the database tests (the tests start a throwaway one on loopback).
pg-deps:
	@bash tests/pg_install.sh

# libfaketime, for the shifted-clock run.
faketime-deps:
	@bash tests/deb_install.sh faketime faketime

# systemd-analyze, to verify deploy/fibrobot.service (no service is started).
systemd-deps:
	@bash tests/deb_install.sh systemd-analyze systemd

clean:
	rm -rf $(VENV) tests/e2e/node_modules .pytest_cache .mypy_cache .ruff_cache
