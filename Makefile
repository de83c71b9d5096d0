# Two commands matter: `make build` and `make test`. Everything else is for editors and developers.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Material prints an end-of-life banner on every build; silence it.
export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# One-language preview: `make serve ONLY=ar` (static-i18n's build_only_locale).
ONLY ?=
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build release serve test check bench fonts venv sysdeps-build sysdeps-bench sysdeps-test clean

build: $(STAMP) sysdeps-build
	$(PY) -m scripts build

# Build for publishing: first refuses placeholders, an empty site_url and stale `checked` dates (see README)
release: $(STAMP) sysdeps-build
	$(PY) -m scripts.checks.release && $(PY) -m scripts build

serve: $(STAMP)
	BUILD_ONLY_LOCALE=$(ONLY) $(VENV)/bin/mkdocs serve --livereload

test: $(STAMP) sysdeps-build sysdeps-test node_modules/.installed
	$(PY) -m ruff check scripts tests overrides
	$(PY) -m pytest

# Translation status: missing, outdated, orphaned and unsafe translations (see README)
check: $(STAMP)
	$(PY) -m scripts status

bench: $(STAMP) sysdeps-build sysdeps-bench
	$(PY) -m scripts bench

fonts: $(STAMP) sysdeps-build
	$(PY) -m scripts fonts

venv: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $@

# System fonts the PDFs need (Debian fonts-noto-core: Noto Sans, Arabic, Ethiopic); without them Arabic,
# Persian, Pashto and Tigrinya PDFs would show empty boxes. Not fatal when apt is not usable here.
NOTO := /usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf
sysdeps-build:
	@test -f $(NOTO) || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-noto-core; } || \
	  echo "warning: could not install fonts-noto-core; PDFs in ar, fa, ps, ti will lack their fonts" >&2

# Hugo, the bench's yardstick (the same Markdown built by the fastest generator); the bench says
# "skipped" without it
sysdeps-bench:
	@command -v hugo >/dev/null || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends hugo; } || \
	  echo "warning: could not install hugo; the bench shows no Hugo figures" >&2

# System packages the tests need (Debian): the real Chromium for browser tests, Java and npm for
# the Nu HTML Checker (vnu-jar) and axe-core, poppler-utils (pdftoppm) to look at generated PDFs,
# nginx to serve the built site through the deploy/nginx recipe (tests/test_deploy.py starts its own),
# hugo for the bench's yardstick (tests/test_bench_hugo.py).
SYSPKGS := $(if $(shell command -v chromium),,chromium) $(if $(shell command -v java),,default-jre-headless) \
           $(if $(shell command -v npm),,npm) $(if $(shell command -v pdftoppm),,poppler-utils) \
           $(if $(wildcard /usr/sbin/nginx),,nginx) $(if $(shell command -v hugo),,hugo)
sysdeps-test:
	@if [ -n "$(strip $(SYSPKGS))" ]; then $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(SYSPKGS); fi

# Validators for the tests (exact versions in package.json; no lock file, see .npmrc)
node_modules/.installed: package.json | sysdeps-test
	npm install --no-save --silent
	@touch $@

clean:
	rm -rf site .site-* $(VENV) node_modules
