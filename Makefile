# Two commands do all the set-up on a fresh machine:
#   make site   build the site from the bundled playbook into site/
#   make test   run every check: lint, types, unit, build, git and browser tests
#   make check  the fast loop: lint, types, import contracts and the tests without a browser
# Each creates the virtual environment (.venv) it needs: `site` and `serve` install only what
# building needs (the package), `test`, `lint`, `golden` and `bench` also the test tools.
#   make dist   build the wheel and the sdist into dist/ (what is uploaded to the package index)
#   make golden rewrites every golden file from the current output and prints the diff of each
#   make codes  runs the fuzz tests and the corpus and prints how often each problem code was reported

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The package and its dependencies (enough to build and serve); the same and the `test` extra.
SITE_STAMP := $(VENV)/.site-stamp
STAMP      := $(VENV)/.installed-stamp

.PHONY: site test check serve bench lint golden codes dist clean

$(SITE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(SITE_STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $(SITE_STAMP)

site: $(SITE_STAMP)
	$(BIN)/playbook build

serve: $(SITE_STAMP)
	$(BIN)/playbook serve

# What every change must pass: lint, format, types (mypy --strict) and the import contracts.
lint: $(STAMP)
	$(BIN)/ruff check $(wildcard generator tests bench)
	$(BIN)/ruff format --check $(wildcard generator tests bench)
	$(BIN)/mypy generator
	$(BIN)/lint-imports --no-logo

# The fast loop while working: lint, then every test but the browser's and the slow ones.
check: lint
	$(BIN)/pytest -q -n 2 --dist loadfile --ignore=tests/browser -m "not slow"

test: $(STAMP)
	bash scripts/ensure-chromium
	bash scripts/ensure-node-tools
	bash scripts/ensure-libreoffice
	$(MAKE) lint
	$(BIN)/pytest -n 2 --dist loadfile

golden: $(STAMP)
	$(BIN)/pytest tests/test_render.py tests/test_diff.py "tests/test_errors.py::test_the_readme_shows_what_validate_prints_for_each_slip" --update-golden

codes: $(STAMP)
	$(BIN)/pytest -q -n 2 tests/test_fuzz.py tests/test_errors.py --code-counts

bench: $(STAMP)
	$(BIN)/python bench/run.py

dist: $(SITE_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[release]'
	rm -rf dist
	$(BIN)/python -m build --outdir dist

clean:
	rm -rf $(VENV) site dist .pytest_cache .mypy_cache .ruff_cache
