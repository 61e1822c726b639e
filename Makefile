# Two entry points for a fresh machine: `make demo` and `make test` (CI runs `make test`).
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: demo test setup lint typecheck pytest bench clean

demo:  ## set up a lean Python environment (the SDK and the home reconcilers) and run the demo on the embedded dev server
	@EXTRAS=home bash scripts/setup.sh --python-only
	@$(VENV)/bin/colonies-sdk demo

test:  ## install everything (Python deps, Mosquitto, helm, Home Assistant, Chromium) and run lint + types + tests
	@bash scripts/setup.sh
	@bash scripts/test.sh

setup:
	@bash scripts/setup.sh

lint:
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

typecheck:
	@$(VENV)/bin/mypy

pytest:
	@$(VENV)/bin/pytest

bench:
	@bash scripts/setup.sh --python-only
	@$(PY) -m bench

clean:
	rm -rf $(VENV) .venv-ha .tools .mypy_cache .pytest_cache .ruff_cache build *.egg-info
