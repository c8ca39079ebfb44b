# Two commands do all the set-up on a fresh machine:
#   make site   build the site from the bundled playbook into site/
#   make test   run every check: lint, types, unit, build, git and browser tests
#   make check  the fast loop: lint, types, import contracts and the tests without a browser
# Each creates the virtual environment (.venv) it needs, from the lock files with hashes
# (requirements/lock.txt: what building needs; requirements/dev.txt: that, the test tools, Zensical
# and the release tools), then the package itself, editable, with --no-deps: what runs here is
# exactly what was locked. `site` and `serve` install only the first; `test`, `lint`, `golden`
# and `bench` the second.
#   make dist   build the wheel and the sdist into dist/ (what is uploaded to the package index)
#   make lock   rewrite the lock files from pyproject.toml, keeping each pin that still fits
#               (`make lock UPGRADE=1`: the newest versions the ranges allow)
#   make lowest install the lowest versions the ranges allow (constraints/lowest.txt) into
#               .venv-lowest and run a representative slice of the tests there
#   make golden rewrites every golden file from the current output and prints the diff of each
#   make codes  runs the fuzz tests and the corpus and prints how often each problem code was reported
#   make mutate mutation testing of the core (mutmut, scripts/mutate.py): prints killed, survived and
#               the score per module (`make mutate GROUPS="health csp"`: only those)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The package and its dependencies (enough to build and serve); the same and the `test` extra.
SITE_STAMP := $(VENV)/.site-stamp
STAMP      := $(VENV)/.installed-stamp
LOCK       := requirements/lock.txt
DEV_LOCK   := requirements/dev.txt
# The tests `make lowest` runs at the lowest versions: loading, rendering, both engines' builds, init, and the spreadsheet readers (python-calamine).
LOWEST_TESTS := tests/test_load.py tests/test_render.py tests/test_build.py tests/test_engines.py tests/test_init.py tests/test_csp.py \
	tests/test_import_results.py tests/test_import_hostile.py tests/test_survey_import.py

.PHONY: site test check serve bench lint golden codes dist clean lock lowest mutate

$(SITE_STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(SITE_STAMP)

$(STAMP): pyproject.toml $(DEV_LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check
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

mutate: $(STAMP)
	$(BIN)/python scripts/mutate.py $(GROUPS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist

# --python-version 3.11.5: the oldest Python the locked set installs on (pymdown-extensions 13 needs
# 3.11.5; the package itself installs on any 3.11 with an older one).
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11.5 --generate-hashes \
	--annotation-style line --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)

lock: $(STAMP)
	$(UV_COMPILE) pyproject.toml -o $(LOCK)
	$(UV_COMPILE) --extra test --extra zensical --extra release pyproject.toml -o $(DEV_LOCK)

# The lowest versions the ranges allow, each pinned by constraints/lowest.txt, with the test tools.
lowest:
	rm -rf .venv-lowest
	$(PYTHON) -m venv .venv-lowest
	.venv-lowest/bin/python -m pip install --quiet -c constraints/lowest.txt -e '.[test,zensical]'
	.venv-lowest/bin/python -m pip check
	.venv-lowest/bin/python tests/tools/lowest_check.py
	.venv-lowest/bin/pytest -q -n 2 --dist loadfile -p no:cacheprovider $(LOWEST_TESTS)

clean:
	rm -rf $(VENV) .venv-lowest site dist .pytest_cache .mypy_cache .ruff_cache
