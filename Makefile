# skillplan — the two commands of the README, and a few chores.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint messages worker clean-db

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: set up on SQLite with demo data, start the task worker and the web server.
run: $(STAMP)
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Starting the task worker and the web server at http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: the whole suite (browser tests included when Chromium is installed).
test: $(STAMP)
	$(PY) -m pytest

worker: $(STAMP)
	$(PY) manage.py db_worker

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

## make messages: refresh the zh_Hans catalog after changing user-facing strings (needs gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var
	$(PY) scripts/compile_messages.py

clean-db:
	rm -f var/skillplan.sqlite3 var/skillplan.sqlite3-wal var/skillplan.sqlite3-shm
