# Two entry points: `make run` (a seeded demo on http://127.0.0.1:$(PORT)) and `make test` (the whole suite,
# on SQLite and on a PostgreSQL it starts itself, browser tests included).
PYTHON ?= python3
VENV ?= .venv
PORT ?= 5000
BIN := $(VENV)/bin
export FLASK_APP := matchmaker

.PHONY: run test install install-test system-deps translations migrate seed serve lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(MAKE) --no-print-directory translations

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(MAKE) --no-print-directory translations

translations:
	$(BIN)/pybabel compile -d matchmaker/translations -f >/dev/null

instance/config.py:
	mkdir -p instance
	printf 'SECRET_KEY = "%s"\n' "$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(32))')" > $@

migrate: instance/config.py
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

serve:
	$(BIN)/gunicorn --workers 2 --threads 4 --reuse-port --preload --limit-request-line 8190 --bind 127.0.0.1:$(PORT) --access-logfile - wsgi:app

run: install seed serve

# Debian packages the tests need: a browser, a CJK font for screenshots, a PostgreSQL server, Redis (job queue).
system-deps:
	@if ! command -v chromium >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! fc-list 2>/dev/null | grep -qi wenquanyi || ! command -v redis-server >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-wqy-microhei postgresql redis-server >/dev/null; \
	fi

test: install-test system-deps
	bash scripts/test.sh

lint: install-test
	$(BIN)/ruff check matchmaker tests bench
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/mypy --strict --follow-imports=silent matchmaker/engine matchmaker/planning matchmaker/excel

bench: install-test
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/speed.py

clean:
	rm -rf $(VENV) instance/*.sqlite* instance/index test-artifacts
