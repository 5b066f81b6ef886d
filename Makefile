# Council Archive — the project's front door. `make run` and `make test` do all set-up.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run serve worker test lint format eval-parse bench bench-ingest bench-search bench-pages bench-load stop-db clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# axe-core (accessibility checks in the browser tests), pinned; skipped with a note when npm is absent.
AXE_VERSION := 4.14.1
AXE := node_modules/axe-core/axe.min.js
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-save --no-package-lock --no-audit --no-fund axe-core@$(AXE_VERSION) || echo "axe-core install failed: the axe checks will skip"; \
	else echo "npm not found: the axe-core browser checks will skip"; fi

# A developer's settings, written once (git-ignored, readable by you only): DEBUG=1 and a new
# SECRET_KEY. settings.py reads it, so every `manage.py` command in the README works as printed.
.env:
	@umask 077; printf 'DEBUG=1\nSECRET_KEY=%s\n' \
	  "$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')" > $@
	@echo "wrote $@ (DEBUG=1 and a generated SECRET_KEY; local only, git-ignored)"

# Install, migrate, load the sample packs (skipped when already loaded), start worker + web server.
run: install .env
	$(MANAGE) migrate --noinput
	$(MANAGE) ingest fixtures/packs
	$(MANAGE) recover_stale --minutes 0
	$(MANAGE) db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver --noreload $(HOST):$(PORT)

# The whole test suite against a real PostgreSQL (embedded unless DATABASE_URL is set).
test: install $(AXE)
	$(VENV)/bin/ruff check .
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest; status=$$?; \
	echo "Browser screenshots (1280 and 390 px): $(CURDIR)/test-output/screenshots/"; exit $$status

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The parser scored against hand-checked expectations (tests/ingest/expected/): one line per file,
# precision/recall/F1 per field, silent files. EVAL_FLAGS=-v lists every wrong fact.
eval-parse: install
	$(PY) bench/eval_parse.py $(EVAL_FLAGS)

bench: bench-ingest bench-search bench-pages

bench-ingest: install
	$(PY) bench/bench_ingest.py

# Server time and SQL queries per page type (in-process), then load: wrk (apt-get install wrk)
# against gunicorn on loopback, CONNECTIONS connections for DURATION seconds. In its own
# database (councilarchive_pagebench), loaded with the sample packs on first use.
DURATION ?= 60
CONNECTIONS ?= 50
bench-pages: install
	DURATION=$(DURATION) CONNECTIONS=$(CONNECTIONS) $(PY) bench/bench_pages.py

# Just the load half: a mix of search, meeting and councillor pages; requests/s, p95, errors.
bench-load: install
	DURATION=$(DURATION) CONNECTIONS=$(CONNECTIONS) $(PY) bench/bench_pages.py --load-only

stop-db: install
	$(PY) -c "from pathlib import Path; from councilarchive.ops.embedded_db import stop_server; stop_server(Path('var'))"

clean:
	rm -rf $(VENV) var/staticfiles .pytest_cache

# Search at scale: PAGES=N synthetic pages recombined from the sample packs, against SQLite FTS5.
PAGES ?= 100000
bench-search: install
	$(PY) bench/bench_search.py --pages $(PAGES)

# PDF fuzzing at length (a bounded run is part of `make test`): FUZZ_COUNT mutated sample-pack PDFs
# through extract + parse under a time and memory limit; prints inputs tried, crashes, timeouts.
FUZZ_COUNT ?= 1000
fuzz: install
	FUZZ_COUNT=$(FUZZ_COUNT) $(PY) -m tests.fuzz.run_fuzz

# Backup and restore (see README): one folder backups/<UTC timestamp>/ with a pg_dump of the
# database, a tar of MEDIA_ROOT and a manifest; restore refuses a non-empty archive unless FORCE=1.
.PHONY: backup restore
backup: install
	DEBUG=$(or $(DEBUG),1) $(MANAGE) backup_archive --output-dir $(or $(BACKUP_DIR),backups)

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/<timestamp> [FORCE=1]"; exit 2; }
	DEBUG=$(or $(DEBUG),1) $(MANAGE) restore_archive "$(BACKUP)" $(if $(FORCE),--force)
