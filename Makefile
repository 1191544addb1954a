# Gyrfalcon. `make run` starts the console on http://127.0.0.1:8000; `make test` runs
# every test. Both install what they need first and are safe to run twice.
SHELL := /bin/bash
.DEFAULT_GOAL := help
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
UI_SOURCES := $(shell find ui/src ui/index.html ui/vite.config.ts ui/package.json ui/tsconfig*.json -type f 2>/dev/null)
UI_BUILD := src/gyrfalcon/static/index.html
# The Resque-compatible worker the job tests run (node-resque, from npm).
JOB_WORKERS := tests/jobs/resque_app/node_modules/.package-lock.json
PYTEST_ARGS ?=

.PHONY: help run test deps uv ui system-deps runtime-deps services test-python test-ui test-e2e lint \
        bench api-client docs clean

help:
	@echo "make run    install everything and start Gyrfalcon with a demo cluster on http://127.0.0.1:8000"
	@echo "make test   install everything and run every test (Python, UI, browser)"
	@echo "make lint | bench | api-client | docs | clean"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet --disable-pip-version-check uv

deps: uv
	@test -x .venv/bin/gyrfalcon || echo "Installing the Python packages into .venv (the first time takes a minute or two)..."
	@$(UV) sync --frozen --compile-bytecode
	@$(UV) run python -m compileall -q src >/dev/null

ui/node_modules/.package-lock.json: ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund --loglevel=error

$(UI_BUILD): ui/node_modules/.package-lock.json $(UI_SOURCES)
	cd ui && npm run build

ui: $(UI_BUILD)

$(JOB_WORKERS): tests/jobs/resque_app/package-lock.json
	cd tests/jobs/resque_app && npm ci --no-audit --no-fund --loglevel=error

system-deps:
	@bash scripts/install-system-deps.sh test

runtime-deps:
	@bash scripts/install-system-deps.sh run

services:
	@bash scripts/ensure-services.sh

# The console and its demo cluster (`gyrfalcon demo`; `gyrfalcon serve` is the console
# alone). They run from .venv directly: `uv run` answers Ctrl-C with status 130 even when
# everything stops cleanly, and make would report that as an error.
run: runtime-deps deps ui
	@.venv/bin/gyrfalcon demo

test: system-deps deps ui services $(JOB_WORKERS)
	@bash scripts/test-all.sh

test-python: deps services $(JOB_WORKERS)
	$(UV) run pytest -m "not e2e" $(PYTEST_ARGS)

test-ui: ui/node_modules/.package-lock.json
	cd ui && npm run check:api && npm test

test-e2e: deps ui
	$(UV) run pytest -m e2e $(PYTEST_ARGS)

lint: deps
	$(UV) run ruff check src tests bench
	$(UV) run ruff format --check src tests bench
	$(UV) run mypy

bench: system-deps deps services ui
	@bash scripts/bench-all.sh

api-client: deps ui/node_modules/.package-lock.json
	$(UV) run gyrfalcon openapi --output ui/src/api/openapi.json
	cd ui && npm run gen:api

docs: deps
	$(UV) run gyrfalcon config docs --output docs/configuration.md

clean:
	rm -rf .venv ui/node_modules src/gyrfalcon/static test-output
