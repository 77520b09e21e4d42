# linqdocs — `make help` lists the targets.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
HOST   ?= 127.0.0.1
PORT   ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run serve test test-postgres lint format bench check migrations-check clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(PY):
	@py=$$(sh bin/find-python) && echo "creating $(VENV) with $$py" && "$$py" -m venv $(VENV)

$(STAMP): $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP) ## create .venv, install pinned requirements, migrate the database
	@$(PY) manage.py migrate --noinput --verbosity 0

run: install ## set up and serve the site on http://127.0.0.1:8000 (SQLite, no other service)
	$(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## production-like: gunicorn, fingerprinted static files (README "Deploying")
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py createcachetable
	PORT=$(PORT) $(VENV)/bin/gunicorn --config linqdocs/gunicorn.conf.py linqdocs.wsgi

test: install ## run the whole test suite (browser tests need Debian's chromium)
	$(PY) -m pytest

test-postgres: install ## the database-backed tests against DATABASE_URL (a PostgreSQL)
	@test -n "$(DATABASE_URL)" || { echo "set DATABASE_URL=postgres://user:password@host:5432/name"; exit 2; }
	DATABASE_URL=$(DATABASE_URL) $(PY) -m pytest -m "not e2e" tests/support tests/linqdocs/test_health.py

lint: install ## ruff check, ruff format check, mypy (config in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: install ## Django system checks, content validation included
	$(PY) manage.py check

migrations-check: install ## fail if a model change has no migration
	$(PY) manage.py makemigrations --check --dry-run

BENCH ?= --codes 9000
bench: install ## routes, first view, pastes, 48 vs 9,000 codes, the support queue; ratios from one run
	$(PY) bench/run.py $(BENCH)
	$(PY) bench/support_queue.py

clean: ## remove the virtualenv and generated files
	rm -rf $(VENV) staticfiles .pytest_cache .mypy_cache
