# FibroBot: `make run` to try it, `make test` to check everything. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
E2E_STAMP := tests/e2e/node_modules/.installed

.PHONY: run test lint typecheck unit e2e bench deps e2e-deps pg-deps systemd-deps clean

run: $(STAMP)
	@$(BIN)/fibrobot

test: $(STAMP) e2e-deps pg-deps systemd-deps lint typecheck
	FIBROBOT_REQUIRE_PG=1 FIBROBOT_REQUIRE_E2E=1 FIBROBOT_REQUIRE_SYSTEMD=1 $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy bot handlers

unit: $(STAMP)
	$(BIN)/pytest -q -m "not e2e"

e2e: $(STAMP) e2e-deps
	$(BIN)/pytest -q -m e2e

bench: $(STAMP)
	$(BIN)/python -m tests.bench

deps: $(STAMP) e2e-deps pg-deps systemd-deps

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

# systemd-analyze, to verify deploy/fibrobot.service (no service is started).
systemd-deps:
	@bash tests/systemd_install.sh

clean:
	rm -rf $(VENV) tests/e2e/node_modules .pytest_cache .mypy_cache .ruff_cache
