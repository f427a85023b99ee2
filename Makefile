# Two commands do all the set-up on a fresh machine:
#   make build   -> installs into .venv and builds the seeds' graph into out/
#   make test    -> installs into .venv (with test tools) and Debian's chromium, then runs the whole test suite
# bash: the install checks pip's exit status through a pipe (PIPESTATUS).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
CAMEL_TOOLS := camel-tools==1.6.0
# One pip install, quiet. Its output is shown, and a line with ERROR or WARNING fails the install: a fresh
# install prints none, and CI, which installs from scratch, keeps it that way.
# setuptools prints "Editable installation. Please be careful with folders … with the same name" as a warning at
# every editable install of a package-dir mapping like ours (kg.schema = schema/): information, not a fault, and
# the one warning filtered out.
PIP_INSTALL = PYTHONWARNINGS="ignore:Editable installation" $(PY) -m pip install -q --disable-pip-version-check
define quiet_pip
@echo "pip install $(1)"
@$(PIP_INSTALL) $(1) 2>&1 | tee $(VENV)/pip.log; test "$${PIPESTATUS[0]}" = 0
@! grep -qE "ERROR|WARNING" $(VENV)/pip.log || { echo "error: pip printed the ERROR/WARNING lines above" >&2; exit 1; }
endef
# The browser tests drive Debian's chromium through Playwright; `playwright install` is never run.
CHROMIUM := /usr/bin/chromium

.PHONY: install install-test build test lint clean browser ner-model

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# --no-deps: camel-tools declares torch, transformers and a dozen more that the data-free parts we use never
# import (pyproject.toml declares the few they do). --no-warn-conflicts: pip would otherwise list each of those
# as missing, in red, at every later install; `pip check` still reports them on request.
$(VENV)/.installed: pyproject.toml Makefile
	test -x $(PY) || python3 -m venv $(VENV)
	$(call quiet_pip,--upgrade pip)
	$(call quiet_pip,--no-deps "$(CAMEL_TOOLS)")
	$(call quiet_pip,--no-warn-conflicts -e .)
	touch $@

# The test tools (pytest, ruff, playwright, nbclient, pandas …): `make test` only, never `make build`.
$(VENV)/.installed-test: $(VENV)/.installed
	$(call quiet_pip,--no-warn-conflicts -e ".[test]")
	touch $@

build: install
	$(VENV)/bin/kg build seeds --out out

# Rebuilds kg/data/ner/names.crfsuite and words.json from ../shared/ner (ANERcorp train, AQMAR); same data, same bytes.
ner-model: install
	$(VENV)/bin/kg ner train ../shared/ner

# Installs chromium with apt when it is missing (CI machines start bare; we run as root there).
browser:
	@test -x $(CHROMIUM) || { \
	  echo "$(CHROMIUM) is missing: installing Debian's chromium for the browser tests"; \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends chromium; \
	} || { echo "error: could not install chromium with apt-get; install Debian's chromium package" \
	  "(apt-get install chromium) so that $(CHROMIUM) exists, then run make test again" >&2; exit 1; }
	@test -x $(CHROMIUM) || { echo "error: $(CHROMIUM) still missing after apt-get install chromium" >&2; exit 1; }

test: install-test browser
	$(PY) -m ruff check kg loaders tests tools
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out build *.egg-info
