# Two commands do all the set-up on a fresh machine:
#   make build   -> installs into .venv and builds the seeds' graph into out/
#   make test    -> installs into .venv (with test tools) and Debian's chromium, then runs the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
CAMEL_TOOLS := camel-tools==1.6.0
# The browser tests drive Debian's chromium through Playwright; `playwright install` is never run.
CHROMIUM := /usr/bin/chromium

.PHONY: install build test lint clean browser ner-model

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

test: install browser
	$(PY) -m ruff check kg loaders tests tools
	$(PY) -m pytest

clean:
	rm -rf $(VENV) out build *.egg-info
