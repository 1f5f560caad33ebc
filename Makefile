# Set-up and checks for Oscar Omni. Needs only Python 3.11+, make and a package index.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python sandbox/manage.py
PYTEST_ARGS ?= -n auto
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed-sandbox: $(BIN)/python setup.cfg pyproject.toml
	$(PIP) install -e ".[sandbox]"
	touch $@

# The browser tests drive Debian's Chromium, the edge tests Debian's Varnish and the Redis
# outage test a redis-server of its own: installed here when missing (as root, on Debian).
$(VENV)/.installed-test: $(BIN)/python setup.cfg pyproject.toml
	(command -v chromium && command -v varnishd && command -v redis-server) >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		chromium varnish redis-server >/dev/null) || \
		echo "Chromium, Varnish or Redis could not be installed: the browser, edge or Redis outage tests will be skipped."
	$(PIP) install -e ".[test]"
	touch $@

# The push tests send to web-push-testing, a push service that runs on Node: installed here
# (the version package-lock.json pins) when npm is present.
PEER := tests/push/peer
$(PEER)/node_modules/.package-lock.json: $(PEER)/package.json $(PEER)/package-lock.json
	(command -v npm >/dev/null && npm ci --prefix $(PEER) --no-audit --no-fund --silent) || \
		echo "npm is missing or failed: the tests against web-push-testing will be skipped."

## demo: install into .venv, migrate SQLite, seed the demo shop and serve it on 0.0.0.0:8000
demo: $(VENV)/.installed-sandbox
	$(MANAGE) migrate --noinput
	$(MANAGE) omni_demo
	$(MANAGE) runserver 0.0.0.0:8000

## test: install what the tests need, check the layers and run the whole suite (DATABASE_URL / REDIS_URL select the backends)
test: $(VENV)/.installed-test $(PEER)/node_modules/.package-lock.json
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)
