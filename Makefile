# Two commands a newcomer needs: `make run` and `make test`. Everything else is here to serve them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test lint typecheck check worker lock browser-deps bench-deps bench-pages bench-load clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

run: $(STAMP)
	ALONGSIDE_ENV=development $(BIN)/python manage.py migrate --noinput
	ALONGSIDE_ENV=development $(BIN)/python manage.py load_demo
	@echo "Serving http://127.0.0.1:8000 with a task worker beside it (Ctrl+C stops both)."
	ALONGSIDE_ENV=development sh -c '$(BIN)/python manage.py db_worker & worker=$$!; \
		trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
		$(BIN)/python manage.py runserver 127.0.0.1:8000'

worker: $(STAMP)
	ALONGSIDE_ENV=development $(BIN)/python manage.py db_worker

# axe-core comes from npm; without npm the browser tests say they were skipped (CI requires them).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; touch $(AXE); \
	else echo "npm not found: browser tests will be skipped"; fi

browser-deps: $(AXE)

test: $(STAMP)
	@$(MAKE) --no-print-directory browser-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Benchmarks (see benchmarks/README.md and docs/performance.md). The load test drives gunicorn
# with wrk, a Debian package. Both need DATABASE_URL pointing at a database seeded with
# `manage.py seed_demo --scale N`, or pass BENCH_ARGS / LOAD_ARGS (e.g. --quick).
bench-deps:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk; }

bench-pages: $(STAMP)
	$(BIN)/python benchmarks/pages.py $(BENCH_ARGS)

bench-load: $(STAMP) bench-deps
	$(BIN)/python benchmarks/load.py $(LOAD_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

check: lint typecheck test

# Re-pin after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu -o requirements.lock

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
