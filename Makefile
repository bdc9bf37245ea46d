# OmniTraffick: `make run` serves the app, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
SANDBOX_PORT ?= 8001
export FLASK_APP := wsgi.py
# Python may cache bytecode (and pytest its rewritten test modules) even where the shell says
# not to: every test worker would otherwise compile the same files again on every run.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run sandbox worker test e2e test-worker mutate bench bench-compare lint format assets install clean lock lock-check import-graph

# Python packages come only from the lock files (uv pip compile, with hashes): .venv holds
# exactly requirements-dev.txt, rebuilt from scratch whenever the lock changes. The app runs
# from this checkout, so the project itself is not installed into the venv.
$(VENV)/.installed: requirements-dev.txt
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip --isolated --disable-pip-version-check install --quiet --no-deps --require-hashes -r requirements-dev.txt
	$(BIN)/python tools/lockcheck.py --venv-only
	touch $@

# Regenerate the locks after changing pyproject.toml (pins stay where they are unless they
# must move); `make lock UPGRADE=babel` moves one package to its newest allowed release,
# `make lock UPGRADE=--all` all of them. Review `git diff requirements*.txt`, then commit.
UPGRADE ?=
UV_LOCK = $(BIN)/uv pip compile --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet \
	$(if $(filter --all,$(UPGRADE)),--upgrade,$(addprefix --upgrade-package ,$(UPGRADE)))
UV_COMPILE = $(UV_LOCK) pyproject.toml
# Each lock is compiled into a copy of itself (uv keeps the pins it finds there) and replaced
# only when it changed, so an unchanged lock does not rebuild .venv.
lock: $(VENV)/.installed
	cp requirements.txt $(VENV)/requirements.txt
	$(UV_COMPILE) -o $(VENV)/requirements.txt
	cmp -s $(VENV)/requirements.txt requirements.txt || cp $(VENV)/requirements.txt requirements.txt
	cp requirements-dev.txt $(VENV)/requirements-dev.txt
	$(UV_COMPILE) --extra test -c requirements.txt -o $(VENV)/requirements-dev.txt
	cmp -s $(VENV)/requirements-dev.txt requirements-dev.txt || \
		cp $(VENV)/requirements-dev.txt requirements-dev.txt
	cp bench/requirements-admin.txt $(VENV)/requirements-admin.txt
	$(UV_LOCK) bench/requirements-admin.in -c requirements.txt -o $(VENV)/requirements-admin.txt
	cmp -s $(VENV)/requirements-admin.txt bench/requirements-admin.txt || \
		cp $(VENV)/requirements-admin.txt bench/requirements-admin.txt
	$(BIN)/python tools/lockcheck.py

# pyproject.toml and the locks agree (offline; CI runs it first).
lock-check: $(VENV)/.installed
	$(BIN)/python tools/lockcheck.py --installed

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

# The app, with the platform sandbox beside it: channels without credentials of their own
# (META_ACCESS_TOKEN, ...) send there, so tickets can be trafficked with no ad account.
# It serves plain http on this machine, so its cookies cannot be HTTPS-only.
run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	@echo ""
	@echo "  OmniTraffick is running at http://$(HOST):$(PORT)"
	@echo "  Sign in as admin@omnitraffick.test / omnitraffick-demo"
	@echo "  Platform sandbox at http://127.0.0.1:$(SANDBOX_PORT)"
	@echo ""
	$(BIN)/python -m omnitraffick.sandbox --host 127.0.0.1 --port $(SANDBOX_PORT) & \
	trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	PLATFORM_SANDBOX_URL=$${PLATFORM_SANDBOX_URL:-http://127.0.0.1:$(SANDBOX_PORT)} \
	OMNITRAFFICK_INSECURE_COOKIES=$${OMNITRAFFICK_INSECURE_COOKIES:-1} \
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - wsgi:app

# The platform sandbox alone (for a setup where the app runs elsewhere).
sandbox: install
	$(BIN)/python -m omnitraffick.sandbox --host 127.0.0.1 --port $(SANDBOX_PORT)

# A Celery worker for the send jobs; needs REDIS_URL, like the web processes that queue them.
worker: install
	$(BIN)/flask worker

# The suite runs on every core (pytest-xdist); each worker migrates a database of its own.
# `make test PYTEST_ARGS="-n 0 tests/qa"` runs part of it in one process.
test: lock-check assets
	$(BIN)/python -m pytest -m "not e2e and not worker" -n auto --dist worksteal $(PYTEST_ARGS)

# The worker lane: a real Celery worker against Redis (REDIS_URL, default 127.0.0.1:6379).
# It and the browser suite keep file order: their tests share long-lived processes (a worker,
# a live server and its database, a browser) through the run. `make test` runs in random order.
test-worker: $(VENV)/.installed assets
	$(BIN)/python -m pytest -p no:randomly -m worker $(PYTEST_ARGS)

e2e: $(VENV)/.installed assets
	$(BIN)/python -m pytest -p no:randomly -m e2e $(PYTEST_ARGS)

# Mutation testing of the modules that hold the rules (tests/mutation/config.toml lists them
# and the tests of each): a table per module, and a failure when one scores under its floor.
# `make mutate MUTATE_ARGS="--only omnitraffick/services/qa.py"` runs one module;
# MUTATE_ARGS="--changed-since origin/main" only the modules a branch touched.
MUTATE_ARGS ?=
mutate: $(VENV)/.installed assets
	$(BIN)/python -m tools.mutation $(MUTATE_ARGS)

bench: $(VENV)/.installed assets
	$(BIN)/python -m bench

# Our hot paths side by side with reference apps under the same gunicorn settings (bench/compare.py).
# Flask-Admin, one of them, goes into a venv of its own (locked with hashes in
# bench/requirements-admin.txt by `make lock`), never into the app's lock; wrk (the load
# generator) comes from Debian.
BENCH_VENV := .bench-venv
$(BENCH_VENV)/.installed: bench/requirements-admin.txt
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip --isolated --disable-pip-version-check install --quiet --no-deps \
		--require-hashes -r bench/requirements-admin.txt
	touch $@

bench-compare: $(VENV)/.installed assets $(BENCH_VENV)/.installed
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(BIN)/python -m bench.compare

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pylint --disable=all --enable=duplicate-code omnitraffick
	# Test files are split by feature: none over 600 lines.
	$(BIN)/pylint --disable=all --enable=too-many-lines --max-module-lines=600 tests
	$(BIN)/python tools/import_graph.py --check

# Redraw the import graph in the README after changing what imports what.
import-graph: $(VENV)/.installed
	$(BIN)/python tools/import_graph.py

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/vendor .pytest_cache
