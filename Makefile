# The two commands a newcomer needs: `make lab` and `make test`. The rest are for the curious.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
READY := $(VENV)/.ready

.PHONY: lab test up down status logs setup bench lint clean

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt -e .
	touch $(READY)

## lab: set everything up and open JupyterLab (on the embedded LocalStack unless one already answers)
lab: $(READY)
	$(PY) -m labkit lab

## test: set everything up and run every test, notebooks included
test: $(READY)
	$(PY) -m labkit setup
	$(PY) -m pytest

## up / down / status / logs: the embedded LocalStack
up: $(READY)
	$(PY) -m labkit up
down: $(READY)
	$(PY) -m labkit down
status: $(READY)
	$(PY) -m labkit status
logs: $(READY)
	$(PY) -m labkit logs

## setup: create the emulator's environments without starting it
setup: $(READY)
	$(PY) -m labkit setup

## bench: measure start-up and Lambda latency (restarts the embedded LocalStack)
bench: $(READY)
	$(PY) -m labkit bench

lint: $(READY)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## clean: stop the emulator and remove every environment (they are rebuilt on demand)
clean:
	-$(PY) -m labkit down
	rm -rf $(VENV) .emulator
