# One command each: `make report` (set up if needed, then the main job) and `make test`.
# The environment is a virtualenv in .venv built from pyproject.toml; it is rebuilt when
# pyproject.toml changes. Windows users without make: see README, "Without make".

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KERNEL := jinkouhe-women
READY  := $(VENV)/.ready
# The backtest's peer library (statsforecast) lives in its own virtualenv, so a benchmark never
# changes the packages (e.g. pandas) of the environment the reports run in.
BACKTEST_VENV ?= .venv-backtest
BACKTEST_READY := $(BACKTEST_VENV)/.ready

.PHONY: help setup report test lab catalog ingest template backtest benchmark clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (金口河妇女纲要监测)"
	touch $(READY)

setup: $(READY)  ## create .venv, install the package and register the Jupyter kernel

report: $(READY)  ## the main job: ingest data/raw, run every notebook, write the Word report (YEAR=2024)
	$(PY) -m analysis run $(if $(YEAR),--year $(YEAR))
	$(PY) -m analysis document $(if $(YEAR),--year $(YEAR))

test: $(READY)  ## the whole test suite (pytest for analysis/, nbval for notebooks/)
	$(PY) -m pytest

catalog: $(READY)  ## one-line summary of the indicator catalog
	$(PY) -m analysis catalog

ingest: $(READY)  ## check every file in data/raw and load it into the monitoring database
	$(PY) -m analysis ingest

template: $(READY)  ## write the data-entry workbook for member units
	$(PY) -m analysis template

$(BACKTEST_READY): pyproject.toml
	$(PYTHON) -m venv $(BACKTEST_VENV)
	$(BACKTEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BACKTEST_VENV)/bin/python -m pip install --quiet -e ".[benchmark]"
	touch $(BACKTEST_READY)

backtest: $(BACKTEST_READY)  ## rolling-origin backtest and 2011-2020 replay, in .venv-backtest (.venv untouched)
	$(BACKTEST_VENV)/bin/python -m analysis backtest

benchmark: $(READY)  ## time the engine on the shipped series and a 10,000-series panel
	$(PY) benchmarks/assess_speed.py

lab: $(READY)  ## open JupyterLab in notebooks/
	$(VENV)/bin/jupyter lab notebooks/

clean:  ## delete derived outputs (data/processed, reports except examples); data/raw is never touched
	rm -rf data/processed/*
	find reports -mindepth 1 -maxdepth 1 ! -name examples ! -name .gitkeep -exec rm -rf {} +
