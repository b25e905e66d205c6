# Interclusters — `make run` serves the portal, `make test` runs the whole suite.
# Both work from a fresh clone: they create .venv, install, start a project-local
# PostgreSQL when DATABASE_URL is unset, migrate and load the reference data.

SHELL := /bin/bash
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
# Management commands of the set-up run in development mode (no SECRET_KEY needed).
DEV := DEBUG=1
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

# The interpreter: the one .python-version names where pyenv is present, else
# python3.13 or python3.12 from PATH. It must be Python 3.12 or newer (Django 6.1).
PYTHON := $(shell \
	if command -v pyenv >/dev/null 2>&1 && pyenv which python3 >/dev/null 2>&1; then \
		pyenv which python3; \
	else \
		for candidate in python3.13 python3.12 python3; do \
			if command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
				command -v $$candidate; break; \
			fi; \
		done; \
	fi)

.PHONY: run test setup venv db db-stop migrate messages makemessages reference demo lint format check-chromium bench profile two-instances clean

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ] || ! "$(PYTHON)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "No suitable Python found: Interclusters needs Python 3.12 or 3.13."; \
		echo "Install one (pyenv install 3.13, or apt-get install python3.13 / brew install python@3.13),"; \
		echo "then run make again."; \
		exit 1; \
	fi
	@if [ ! -x "$(PY)" ]; then echo "Creating $(VENV) with $(PYTHON)"; "$(PYTHON)" -m venv $(VENV); fi
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

venv: $(STAMP)

db: venv
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "Using DATABASE_URL"; \
	else \
		$(PY) -m interclusters.localdb start; \
	fi

db-stop:
	@python3 -m interclusters.localdb stop

migrate: db
	$(DEV) $(MANAGE) migrate --noinput

messages: venv
	@command -v msgfmt >/dev/null 2>&1 || { \
		echo "gettext is missing (msgfmt): apt-get install gettext, or brew install gettext."; exit 1; }
	@$(DEV) $(MANAGE) compilemessages --ignore=$(VENV) --ignore=var -v 0

makemessages: venv
	$(DEV) $(MANAGE) makemessages -l en --ignore=$(VENV) --ignore=var --no-obsolete

reference: migrate
	$(DEV) $(MANAGE) load_reference_data
	$(DEV) $(MANAGE) load_surveys

setup: venv db migrate messages reference

demo: setup
	$(DEV) $(MANAGE) load_demo_data

# The web server and a worker (background tasks and scheduled jobs); Ctrl-C stops both.
run: demo
	@export SITE_URL=http://$(HOST):$(PORT) $(DEV); \
	$(MANAGE) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

check-chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Chromium is missing ($(CHROMIUM)): the browser tests need it."; \
		echo "Install it with: apt-get install -y chromium   (or set CHROMIUM=/path/to/chromium)"; \
		exit 1; \
	fi

lint: venv
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup check-chromium
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(DEV) $(MANAGE) makemigrations --check --dry-run
	@$(DEV) $(MANAGE) collectstatic --noinput -v 0
	CHROMIUM=$(CHROMIUM) $(BIN)/pytest $(PYTEST_ARGS)

# make bench: one URL per page kind (ab); make bench MODE=long-tail: thousands of
# distinct URLs (wrk), page cache off and on, against a static file.
bench: setup
	@for tool in ab:apache2-utils wrk:wrk; do \
		command -v $${tool%%:*} >/dev/null 2>&1 && continue; \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -qq $${tool##*:}; \
		else echo "$${tool%%:*} is missing: apt-get install $${tool##*:}"; exit 1; fi; \
	done
	@$(DEV) $(MANAGE) collectstatic --noinput -v 0
	$(PY) bench/run.py $(if $(filter long-tail,$(MODE)),--long-tail) $(BENCH_ARGS)

# make profile URL=/pratiques/?region=84: where one fresh render spends its time
# (BENCH_ARGS="--sql" lists its queries instead).
profile: setup
	@test -n "$(URL)" || { echo 'Usage: make profile URL=/pratiques/?region=84'; exit 1; }
	$(PY) bench/profile_page.py "$(URL)" $(BENCH_ARGS)

two-instances: setup
	@$(DEV) $(MANAGE) collectstatic --noinput -v 0
	$(PY) bench/two_instances.py

clean: db-stop
	rm -rf var $(VENV)
