# One command to set up and run the main job, one to set up and run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TABLE ?= fixtures/events.csv
OUT ?= out

.PHONY: run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

## make run: set up, validate the bundled table, and export it to out/
run: $(VENV)/.installed
	$(BIN)/toolkit validate $(TABLE)
	$(BIN)/toolkit export $(TABLE) --out $(OUT)

## make test: set up, lint, and run the whole test suite
test: $(VENV)/.installed lint
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check toolkit tests bench
	$(BIN)/ruff format --check toolkit tests bench
	$(BIN)/mypy

## make bench: the full benchmark (minutes; writes bench/results/latest.json)
bench: $(VENV)/.installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
