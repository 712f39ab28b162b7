# Concert: the commands a newcomer needs. `make run` and `make test` work on a
# fresh machine with Python 3.11+; everything else is set up on the way.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test lint check-migrations translations extract-messages browser pdf-libs clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d app/translations -f >/dev/null

## Serve the embedded default (SQLite, in-process jobs, demo data) on http://127.0.0.1:$(PORT)
PORT ?= 5000
run: $(STAMP) translations pdf-libs
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	@echo "Mail (invitations, reset links) is written to this log. Links use BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)}."
	BASE_URL=$${BASE_URL:-http://127.0.0.1:$(PORT)} $(FLASK) run --host 127.0.0.1 --port $(PORT)

## The whole suite: SQLite always; PostgreSQL with TEST_DATABASE_URL; Redis with REDIS_URL
test: $(STAMP) translations browser pdf-libs
	$(BIN)/python -m pytest

## Debian's Chromium for the browser tests (installed when missing and possible)
browser:
	@test -x /usr/bin/chromium || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; } ; } || \
	  echo "Chromium is not installed: the browser tests will be skipped."

## Pango, HarfBuzz's subsetter and DejaVu fonts, for PDF exports (WeasyPrint)
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $(PDF_LIBS) >/dev/null; } ; } || \
	  echo "Pango or HarfBuzz is missing: PDF exports will fail."

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Models and migrations agree (on a throw-away SQLite database)
check-migrations: $(STAMP)
	rm -f /tmp/concert-check.db
	DATABASE_URL=sqlite:////tmp/concert-check.db $(FLASK) db upgrade >/dev/null
	DATABASE_URL=sqlite:////tmp/concert-check.db $(FLASK) db check
	rm -f /tmp/concert-check.db

## Refresh the message catalogs after changing user-facing strings
extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -w 100

clean:
	rm -rf $(VENV) instance .pytest_cache
