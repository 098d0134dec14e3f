# Gương Sáng — two commands do all the set-up: `make serve` (or `make site`) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0
# `make site` is reproducible: its "today" is the last commit's date, never the clock
# (a SOURCE_DATE_EPOCH given in the environment wins; outside a Git checkout, the clock).
# `make serve` and `make preview` use today's date, so a story dated today shows.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null)

.PHONY: all site serve preview test test-fast check bench chromium browser-deps clean

all: site

# Debian's python3 makes virtual environments only with python3-venv: installed when missing.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq python3-venv; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Debian's chromium for browser tests (never a browser download; the tests drive
# /usr/bin/chromium), and npm for axe-core: installed with apt-get when missing.
APT_PACKAGES := $(if $(wildcard /usr/bin/chromium),,chromium fonts-noto-core) $(if $(shell command -v npm),,nodejs npm)
chromium:
	@if [ -n "$(strip $(APT_PACKAGES))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); fi

node_modules/axe-core/axe.min.js: package.json
	npm install --no-audit --no-fund --silent
	touch $@

browser-deps: chromium node_modules/axe-core/axe.min.js

# Build into a temporary folder; swap into site/ only when the build succeeded.
# Never --quiet: MkDocs then makes no warnings, and --strict would pass them.
site: $(BIN)/.installed
	rm -rf .site-new
	SOURCE_DATE_EPOCH=$(SOURCE_DATE_EPOCH) $(BIN)/mkdocs build --strict --site-dir .site-new || { rm -rf .site-new; exit 1; }
	rm -rf .site-old; if [ -d site ]; then mv site .site-old; fi
	mv .site-new site; rm -rf .site-old
	@echo "Trang đã dựng trong site/ (ngày dựng theo SOURCE_DATE_EPOCH=$(or $(SOURCE_DATE_EPOCH),đồng hồ máy))"

serve: $(BIN)/.installed
	$(BIN)/mkdocs serve

# Preview drafts and stories under review, with the "BẢN NHÁP" banner.
preview: $(BIN)/.installed
	GUONGSANG_PREVIEW=1 $(BIN)/mkdocs serve

check: $(BIN)/.installed
	$(BIN)/guongsang check

test: $(BIN)/.installed browser-deps
	$(BIN)/python -m pytest -q

test-fast: $(BIN)/.installed
	$(BIN)/python -m pytest -q -m "not browser"

bench: $(BIN)/.installed
	$(BIN)/python tests/bench/bench.py

clean:
	rm -rf site .site-new .site-old $(VENV) node_modules
