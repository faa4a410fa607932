# One entry point: `make demo` sets up and runs sitrep on examples/, `make test` runs what CI runs.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup demo test lint typecheck unit bench bench-store bench-gazetteer clean

$(STAMP): pyproject.toml requirements/model.txt scripts/setup.sh
	./scripts/setup.sh
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(BIN)/sitrep process examples/ --published 2018-08-23 --db sqlite:///sitrep.db

lint: setup
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest

test: lint typecheck unit

clean:
	rm -rf $(VENV) sitrep.db .pytest_cache .mypy_cache .ruff_cache

bench: setup
	$(BIN)/python bench/throughput.py --pages 2000 --out bench/results/throughput.json

bench-store: setup
	$(BIN)/python bench/store_compare.py --documents 2000

bench-gazetteer: setup
	$(BIN)/python bench/gazetteer.py --rows 2000000 --out bench/results/gazetteer.json
