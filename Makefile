# The two commands (see README):
#   make demo   set up .venv and run the main job
#   make test   set up .venv (and LibreOffice when run as root) and run the tests
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: demo test bench setup system-deps clean lock

demo: $(STAMP) system-deps
	$(VENV)/bin/sibc demo

test: $(STAMP) system-deps
	$(PY) -m pytest

bench: $(STAMP)
	$(PY) scripts/benchmark.py
	$(PY) scripts/benchmark_server.py

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test,server]'
	@touch $(STAMP)

system-deps:
	@bash scripts/install-system-deps.sh

# Re-pin constraints.txt from a fresh resolution of pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check '.[test,server]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^sociale-investeringer' > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis out
