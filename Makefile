# The two commands of the README:
#   make lab    install everything and open the quickstart notebook
#   make test   install everything and run every check and test suite
# Both need only Python 3.10+ and Node 20+ on the machine.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.memwidget-installed
LAB_ARGS ?=

.PHONY: lab test install build lint format test-python test-js test-browser bench clean

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/quickstart.ipynb $(LAB_ARGS)

test: lint test-js test-python

# Reinstall only when the dependencies change. Installing the package builds
# the frontend bundle (hatch-jupyter-builder runs `npm run build` in js/).
$(STAMP): pyproject.toml js/package.json js/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	cd js && npm ci --no-audit --no-fund
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	cd js && npm run build

lint: $(STAMP)
	$(BIN)/ruff format --check memwidget tests benchmarks notebooks
	$(BIN)/ruff check memwidget tests benchmarks notebooks
	$(BIN)/mypy
	cd js && npm run typecheck && npm run lint

format: $(STAMP)
	$(BIN)/ruff format memwidget tests benchmarks notebooks
	$(BIN)/ruff check --fix memwidget tests benchmarks notebooks
	cd js && npm run format

test-js: build
	cd js && npm test

# Python unit and integration tests, then the real-browser tests.
test-python: build
	$(BIN)/python -m pytest

test-browser: build
	$(BIN)/python -m pytest tests/browser

bench: build
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) js/node_modules memwidget/static test-artifacts
