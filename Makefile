# Two commands on a fresh machine (Python 3.11+ and make): `make run` and `make test`.
# Both are idempotent: they reuse .venv and only reinstall when the pins change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs are development runs unless the environment says otherwise.
export DJANGO_DEBUG ?= 1

.PHONY: run test test-postgres setup install migrate seed static lint format bench clean messages

run: setup ## set up and serve on http://$(HOST):$(PORT) (make run PORT=8001)
	$(PY) manage.py runserver $(HOST):$(PORT)

# Two pytest-xdist workers: on an idle two-core machine the suite finishes in about two thirds of
# the time (each worker sets up its own test database). `make test PYTEST_ARGS="-n 0"` runs it in
# one process, which wins on a machine that is busy with other work.
PYTEST_ARGS ?= -n 2

test: install ## set up and run every test (engine, views, admin, API, browser)
	bash scripts/ensure_chromium.sh
	$(PY) -m pytest $(PYTEST_ARGS)

test-postgres: install ## every test again on a throwaway PostgreSQL on 127.0.0.1
	bash scripts/with_postgres.sh $(MAKE) test

setup: install migrate seed static

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_profiles
	$(PY) manage.py seed_collateral
	$(PY) manage.py seed_whopays
	$(PY) manage.py seed_incidents
	$(PY) manage.py seed_markets

# collectstatic compresses every static file (brotli and gzip): only when a static file changed.
STATIC_STAMP := staticfiles/staticfiles.json
$(STATIC_STAMP): $(STAMP) $(shell find static -type f 2>/dev/null)
	$(PY) manage.py collectstatic --noinput --verbosity 0

static: $(STATIC_STAMP)

# mypy imports the settings (django-stubs): DJANGO_DEBUG=1 lets them load without a secret.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_DEBUG=1 $(BIN)/mypy
	$(BIN)/djlint templates --lint

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## timing figures for BENCHMARKS.md
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles var

# Translations (locale/): extract every marked string into the .po catalogues, then compile the
# .mo files, which are committed so `make run` needs no gettext. Extraction needs GNU gettext
# (Debian: gettext); tests/i18n checks the catalogues without it.
LOCALES := zh_Hans ru ko tr vi es pt_BR uk
messages: install
	$(PY) manage.py makemessages --no-location --no-obsolete --ignore='tests/*' --ignore='staticfiles/*' --ignore='var/*' --ignore='scripts/*' $(addprefix -l ,$(LOCALES))
	$(PY) manage.py compilemessages --ignore='.venv'
