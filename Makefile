# OmniTraffick: `make run` serves the app, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export FLASK_APP := wsgi.py

.PHONY: run test e2e bench lint format assets install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Front-end libraries come from npm and are served from our own static folder.
static/vendor/.copied: node_modules/.package-lock.json
	mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js
	cp node_modules/@picocss/pico/css/pico.min.css static/vendor/pico.min.css
	cp node_modules/sortablejs/Sortable.min.js static/vendor/Sortable.min.js
	touch $@

assets: static/vendor/.copied

install: $(VENV)/.installed assets

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	@echo ""
	@echo "  OmniTraffick is running at http://$(HOST):$(PORT)"
	@echo "  Sign in as admin@omnitraffick.test / omnitraffick-demo"
	@echo ""
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

test: $(VENV)/.installed-test assets
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

e2e: $(VENV)/.installed-test assets
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

bench: $(VENV)/.installed-test assets
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
