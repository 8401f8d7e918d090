# Lantern. The two commands: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# The PostgreSQL server the second test run uses (pytest-django creates test_<db> on it).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

.PHONY: install migrate demo run test test-sqlite test-postgres lint typecheck format worker beat \
	examples screenshots bench migrations-check clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

# Load the bundled example project and serve it, readable without an account.
demo: migrate
	$(PY) manage.py ingest examples/artifacts --environment demo
	ANONYMOUS_READ=true $(PY) manage.py runserver $(HOST):$(PORT)

run: migrate
	$(PY) manage.py runserver $(HOST):$(PORT)

# Lint and type-check, then the whole suite on SQLite, then again on PostgreSQL when it answers
# (always with CI=true). The SQLite test database is a file, so a Celery worker can share it.
test: lint typecheck migrations-check test-sqlite test-postgres

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

clean:
	rm -rf $(VENV) staticfiles lantern.sqlite3*
