# Two commands do all the set-up on a fresh machine:
#   make site   build the site from the bundled playbook into site/
#   make test   run every check: lint, types, unit, build, git and browser tests
# Each creates the virtual environment (.venv) it needs.
#   make golden rewrites every golden file from the current output and prints the diff of each
#   make codes  runs the fuzz tests and the corpus and prints how often each problem code was reported

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: site test serve bench lint golden codes clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/playbook build

serve: $(STAMP)
	$(BIN)/playbook serve

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard generator tests bench)
	$(BIN)/mypy generator

test: $(STAMP)
	bash scripts/ensure-chromium
	bash scripts/ensure-node-tools
	$(BIN)/ruff check $(wildcard generator tests bench)
	$(BIN)/mypy generator
	$(BIN)/pytest -n 2 --dist loadfile

golden: $(STAMP)
	$(BIN)/pytest tests/test_render.py tests/test_diff.py --update-golden

codes: $(STAMP)
	$(BIN)/pytest -q -n 2 tests/test_fuzz.py tests/test_errors.py --code-counts

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
