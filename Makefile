# Two commands do all the set-up on a fresh machine:
#   make build   -> installs into .venv and builds the seeds' graph into out/
#   make test    -> installs into .venv (with test tools) and runs the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
CAMEL_TOOLS := camel-tools==1.6.0

.PHONY: install build test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# --no-deps: camel-tools declares torch and transformers, which the data-free parts we use never import.
	$(PY) -m pip install -q --no-deps "$(CAMEL_TOOLS)"
	$(PY) -m pip install -q -e ".[test]"
	touch $@

build: install
	$(VENV)/bin/kg build seeds --out out

test: install
	$(PY) -m ruff check kg loaders tests tools
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out build *.egg-info
