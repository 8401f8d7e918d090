# Lantern. The two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the second test run uses (pytest-django creates test_<db> on it).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install migrate demo run test test-sqlite test-postgres lint typecheck format worker beat \
	examples screenshots bench migrations-check clean mcp

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# dbt-mcp, dbt's MCP server, in a venv of its own: it needs Python 3.12, Lantern runs on 3.11.
# tests/catalog/graphql/test_dbt_mcp.py drives its Discovery tools against a live Lantern (they
# are skipped without this venv, and fail with CI=true). It and everything it installs are pinned
# in $(MCP_REQUIREMENTS); a change there makes the venv anew.
MCP_PYTHON ?= $(or $(shell ls -d $(HOME)/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -1),python3.12)
MCP_VENV := .venv-mcp
MCP_REQUIREMENTS := tests/catalog/graphql/mcp/requirements.txt

$(MCP_VENV)/.installed: $(MCP_REQUIREMENTS)
	@if ! command -v $(MCP_PYTHON) >/dev/null; then \
		echo "No Python 3.12 for dbt-mcp at '$(MCP_PYTHON)' (set MCP_PYTHON): its tests are skipped, and fail with CI=true"; \
		[ "$$CI" != "true" ]; exit $$?; \
	fi; \
	set -e; echo "== making $(MCP_VENV) for dbt-mcp with $(MCP_PYTHON)"; rm -rf $(MCP_VENV); \
	$(MCP_PYTHON) -m venv $(MCP_VENV); \
	$(MCP_VENV)/bin/python -m pip install --quiet --upgrade pip; \
	$(MCP_VENV)/bin/python -m pip install --quiet -r $(MCP_REQUIREMENTS); \
	touch $@

mcp: $(MCP_VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

# Load the bundled example project and serve it, readable without an account.
demo: migrate
	$(PY) manage.py ingest examples/artifacts --environment demo
	ANONYMOUS_READ=true LANTERN_GRAPHQL_ANONYMOUS_READ=true LANTERN_TILES_PUBLIC=true \
		$(PY) manage.py runserver $(HOST):$(PORT)

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# Lint and type-check, then the whole suite on SQLite, then again on PostgreSQL when it answers
# (always with CI=true). The SQLite test database is a file, so a Celery worker can share it.
test: lint typecheck migrations-check mcp test-sqlite test-postgres

test-sqlite: install
	@db=$$(mktemp -u /tmp/lantern-test-XXXXXX.sqlite3); \
	SQLITE_TEST_NAME=$$db $(PY) -m pytest; rc=$$?; rm -f $$db $$db-wal $$db-shm; exit $$rc

test-postgres: install
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(TEST_DATABASE_URL)'.replace('postgres://','postgresql://',1), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== PostgreSQL run ($(TEST_DATABASE_URL))"; \
		DATABASE_URL=$(TEST_DATABASE_URL) $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is required with CI=true and does not answer at $(TEST_DATABASE_URL)"; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $(TEST_DATABASE_URL): its run is skipped (CI=true requires it)"; \
	fi

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: install
	$(PY) -m mypy

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

worker: install
	$(VENV)/bin/celery -A lantern worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A lantern beat --loglevel=info

# Regenerate examples/artifacts with real dbt-core + dbt-duckdb (own venv: .venv-dbt).
examples:
	bash examples/generate.sh

# The README's screenshots, taken in headless Chromium (/usr/bin/chromium).
screenshots: install
	$(PY) examples/screenshot.py

# The budgets of PRODUCT.md, on synthetic projects (10k models).
bench: install
	$(PY) bench/ingest.py
	$(PY) bench/pages.py
	$(PY) bench/search.py
	$(PY) bench/lineage.py
	$(PY) bench/first_paint.py
	$(PY) bench/discovery.py
	$(PY) bench/history.py
	$(PY) bench/column_lineage.py
	$(PY) bench/sync.py

clean:
	rm -rf $(VENV) $(MCP_VENV) staticfiles lantern.sqlite3*
