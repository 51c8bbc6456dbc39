# Two commands for a fresh machine:
#   make run    install into .venv and run the 2016 scenario (results in results/2016/)
#   make test   install into .venv (with test tools) and run the test suite
#   make app    install the page's extra and open the interactive page (python -m sim app)
#   make docs   build the documentation site into site/ (mkdocs, --strict)
#
# Python 3.12 or newer is needed (Mesa 3.4+). With pyenv, the .python-version file at the
# root selects 3.12; otherwise set PYTHON=/path/to/python3.12.

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python

.PHONY: run test test-slow lint bench clean app docs

run: $(VENV)/.installed
	$(PY) -m sim scenarios/2016.yaml

# The test command: style (ruff), types (mypy), then the suite, which also checks the
# import-linter contracts (tests/test_layers.py).
test: $(VENV)/.installed-test
	$(PY) -m ruff check sim tests benchmarks notebooks
	$(PY) -m mypy sim
	$(PY) -m pytest

app: $(VENV)/.installed-test
	$(PY) -m sim app scenarios/2016.yaml

docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(PY) -m mkdocs build --strict

# The slow studies (marked `slow`: notebooks run top to bottom, the browser, the flip
# search on 2016, the validation on the data set, a killed sweep resumed). CI runs them too.
test-slow: $(VENV)/.installed-test
	$(PY) -m pytest -m slow

lint: $(VENV)/.installed-test
	$(PY) -m ruff check sim tests benchmarks notebooks

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_2016.py
	$(PY) benchmarks/bench_game.py

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || \
	  { echo "error: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); sim needs 3.12 or newer (set PYTHON=...)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	touch $@

# Up to 0.1.0 the distribution was named "sim"; it is now retaliation-sim. An old "sim"
# left in the environment would still answer importlib.metadata, so it goes first.
$(VENV)/.installed: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip uninstall --quiet --yes sim 2>/dev/null || true
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.python-ok pyproject.toml
	$(PY) -m pip uninstall --quiet --yes sim 2>/dev/null || true
	$(PY) -m pip install --quiet -e '.[test,app,docs,browser-tests]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .venv-3.13 results .pytest_cache site
