# One command each: `make report` (set up if needed, then the main job) and `make test`.
# The environment is a virtualenv in .venv built from pyproject.toml; it is rebuilt when
# pyproject.toml changes. Windows users without make: see README, "Without make".

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KERNEL := jinkouhe-women
READY  := $(VENV)/.ready

.PHONY: help setup report test lab catalog clean

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(READY): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m ipykernel install --user --name $(KERNEL) --display-name "Python (金口河妇女纲要监测)"
	touch $(READY)

setup: $(READY)  ## create .venv, install the package and register the Jupyter kernel

report: $(READY)  ## the main job on the data in data/raw (YEAR=2024 to choose the year)
	$(PY) -m analysis catalog

test: $(READY)  ## the whole test suite (pytest for analysis/, nbval for notebooks/)
	$(PY) -m pytest

catalog: $(READY)  ## one-line summary of the indicator catalog
	$(PY) -m analysis catalog

lab: $(READY)  ## open JupyterLab in notebooks/
	$(VENV)/bin/jupyter lab notebooks/

clean:  ## delete derived outputs (data/processed, reports); data/raw is never touched
	rm -rf data/processed/* reports/*
