# Two commands: `make run` sets up and serves; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install install-dev run test lint services

install: $(RUNTIME_STAMP)

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

install-dev: $(DEV_STAMP)

$(DEV_STAMP): $(RUNTIME_STAMP) pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: install
	$(BIN)/crosscheck setup
	$(BIN)/crosscheck serve

services:
	bash scripts/test-services.sh

lint: install-dev
	$(BIN)/ruff check app tests benchmarks
	$(BIN)/ruff format --check .
	$(BIN)/mypy app

# The whole suite on SQLite, then every database-touching test again on PostgreSQL
# (scripts/test-services.sh starts the server and writes its URL to .services/postgres-url).
test: install-dev services lint
	$(BIN)/pytest
	@if [ -f .services/postgres-url ]; then \
		echo "PostgreSQL pass: $$(cat .services/postgres-url)"; \
		CROSSCHECK_TEST_DATABASE_URL="$$(cat .services/postgres-url)" \
			$(BIN)/pytest -m "not browser and not postgres and not sqlite"; \
	else echo "PostgreSQL pass skipped (CROSSCHECK_SKIP_POSTGRES=1)"; fi
