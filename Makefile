# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test
SOURCES := pyproject.toml

.PHONY: run test bench lint typecheck pytest coverage clean i18n i18n-extract i18n-update i18n-compile i18n-init

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(BIN)/pip install -q -e .
	touch $@

$(STAMP): $(BIN)/python $(SOURCES)
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
ifeq ($(strip $(ARGS)),)
	@$(BIN)/workshop-tui demo
	$(BIN)/workshop-tui
else
	$(BIN)/workshop-tui $(ARGS)
endif

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# A session may export PYTHONDONTWRITEBYTECODE: then every test worker and every child process it starts
# compiles the project (and pytest rewrites its asserts) from source again, about 6 s of CPU per worker.
unexport PYTHONDONTWRITEBYTECODE

# pytest-xdist workers: one more than the cores. Every test has its own tmp dir, free port and tmux
# session; the TUI tests sleep about a quarter of their time (Pilot waits for the app to go idle after
# each key), and the extra worker runs another test in those gaps. PYTEST_WORKERS=0: one process.
# xdist's default --dist load, not worksteal: worksteal first splits the tests into one contiguous run per
# worker, so the slow ones (sorted first) go to one worker and the others steal them last (in a run, each
# worker ended on slow tests: one on a 42 s and a 23 s test).
PYTEST_WORKERS ?= $(shell $(PY) -c 'import os; print((os.cpu_count() or 1) + 1)')

pytest: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

test: lint typecheck pytest

# Line and branch coverage of the whole suite, child processes (the xdist workers too) included.
coverage: $(STAMP)
	$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	$(BIN)/coverage combine -q
	$(BIN)/coverage report

bench: $(STAMP)
	$(BIN)/python -m bench --results bench/RESULTS.md $(ARGS)

# Translations (Babel): extract the marked messages into the template, merge it into every language's
# .po, compile the .mo files the package ships (committed, so a clean clone and its wheel need no step).
LOCALE := workshop_tui/locale
POT := $(LOCALE)/messages.pot
KEYWORDS := --no-default-keywords -k N_ -k NP_:1,2 -k gettext -k ngettext:1,2

i18n: i18n-extract i18n-update i18n-compile

i18n-extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --no-location --sort-output --omit-header -o $(POT) workshop_tui screens

i18n-update: $(STAMP)
	$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -w 100 --no-fuzzy-matching --ignore-obsolete

i18n-compile: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) --statistics

# A new language: `make i18n-init LANG_CODE=de`, then translate $(LOCALE)/de/LC_MESSAGES/messages.po.
i18n-init: $(STAMP)
	$(BIN)/pybabel init -i $(POT) -d $(LOCALE) -l $(LANG_CODE)

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .coverage .coverage.*
