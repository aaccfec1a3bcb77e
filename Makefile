# NightWatch: `make run` starts the app on the embedded SQLite; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
ADDRESS ?= 0.0.0.0

.PHONY: run test reliability bench install install-test upgrade seed clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamps re-install only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run

install-test: $(VENV)/.installed-test

run: install
	$(PY) -m nightwatch prepare
	$(PY) -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

test: install-test
	$(PY) -m pytest

# The reliability tests at full scale; writes the scorecard to docs/reliability.md.
reliability: install-test
	NIGHTWATCH_RELIABILITY=full $(PY) -m pytest -m reliability -p no:cacheprovider --scorecard=docs/reliability.md

# The benchmark suite on a synthetic city (SCALE=small|city); writes the table to docs/benchmarks.md.
# Its dependencies (duckdb, psutil) are in requirements-test.txt: `make test` runs it at small scale.
SCALE ?= small
bench: install-test
	$(PY) -m nightwatch bench --scale $(SCALE)

upgrade: install
	$(PY) -m nightwatch upgrade

seed: install
	$(PY) -m nightwatch seed

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
