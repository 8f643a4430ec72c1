# Beslutsarkivet — build, test and run. `make` alone lists the commands.
#
# Set-up is shared by every target and done once, tracked by stamp files in .venv/:
#   .venv/.stamp-system  missing Debian packages installed (scripts/system-deps.sh)
#   .venv/.stamp-venv    .venv created with Python >= 3.12 (scripts/find-python.sh)
#   .venv/.stamp-deps    requirements-dev.txt installed (redone when a requirements file changes)

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV   := .venv
PY     := $(VENV)/bin/python
RUFF   := $(VENV)/bin/ruff
STAMP_SYSTEM := $(VENV)/.stamp-system
STAMP_VENV   := $(VENV)/.stamp-venv
STAMP_DEPS   := $(VENV)/.stamp-deps

export DJANGO_SETTINGS_MODULE := config.settings
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export DEBIAN_FRONTEND := noninteractive

.PHONY: help setup run test lint format bench clean

help: ## List the commands
	@echo "Beslutsarkivet — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-z-]*:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "Options: make run PORT=8001   make test PYTEST_ARGS='-k parser -x'   make bench BENCH='parser'"

setup: $(STAMP_SYSTEM) $(STAMP_DEPS) ## Install system packages, create .venv, install requirements-dev.txt

run: setup ## Set up, migrate, load the sample minutes and serve on http://127.0.0.1:8000/ (SQLite)
	@PORT="$(or $(PORT),8000)" scripts/run.sh

test: setup ## Set up and run ruff, the migrations check and the whole suite (PostgreSQL + SQLite)
	@scripts/test.sh $(PYTEST_ARGS)

lint: $(STAMP_DEPS) ## ruff check + ruff format --check
	$(RUFF) check .
	$(RUFF) format --check .

format: $(STAMP_DEPS) ## Apply ruff's safe fixes and formatting
	$(RUFF) check --fix .
	$(RUFF) format .

bench: setup ## Run every bench/bench_*.py (with a throwaway PostgreSQL cluster)
	@scripts/bench.sh $(BENCH)

clean: ## Remove .venv (and its stamps), the SQLite db, media, collected static files, caches
	-@scripts/pg-test-cluster.sh stop >/dev/null 2>&1
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles .pg .bench .pytest_cache .ruff_cache
	find . -path ./.git -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# --- set-up, tracked by stamps -------------------------------------------------

$(STAMP_SYSTEM): scripts/system-deps.sh
	@scripts/system-deps.sh
	@mkdir -p $(VENV) && touch $@

# Keep an existing venv if its Python is new enough; otherwise (re)create it with
# the interpreter scripts/find-python.sh finds.
$(STAMP_VENV): scripts/find-python.sh | $(STAMP_SYSTEM)
	@if [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
		echo "setup: using existing $(VENV) ($$($(PY) -V))"; \
	else \
		python=$$(scripts/find-python.sh) || exit 1; \
		echo "setup: creating $(VENV) with $$python ($$($$python -V))"; \
		"$$python" -m venv --clear $(VENV) || exit 1; \
		touch $(STAMP_SYSTEM); \
	fi
	@touch $@

$(STAMP_DEPS): requirements.txt requirements-dev.txt $(STAMP_VENV)
	@echo "setup: pip install -r requirements-dev.txt"
	@$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@
