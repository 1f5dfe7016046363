# Kuiwen Civic Assistant: install, index, run, lint, test, eval.
# Everything runs from the virtual environment in .venv (created by `make install`).

PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
BIOME    := node_modules/.bin/biome
HOST     ?= 127.0.0.1
PORT     ?= 8000
EVAL_SET ?= ../shared/eval/dev.jsonl

.DEFAULT_GOAL := help
.PHONY: help install index run lint format-js test test-fast test-deploy eval eval-cmrc bench bench-quick attack clean fit

help:
	@echo "make install  create .venv and install the project with its dev tools"
	@echo "make index    build the search index from docs_corpus/"
	@echo "make run      install, index, and serve on http://$(HOST):$(PORT)/"
	@echo "make lint     ruff check, ruff format --check, mypy; biome (lint + format check) on web/static/*.js"
	@echo "make test     install, lint, then run every test"
	@echo "make test-fast  the unit tests only (pytest -m unit: no real model, server, subprocess or browser), under a minute"
	@echo "make test-deploy  deploy/ on this machine: two app processes, nginx, PostgreSQL, Redis (needs them installed)"
	@echo "make fit      fit the answer engine's models on eval/fit.json's training sets"
	@echo "make eval     score the assistant on $(EVAL_SET)"
	@echo "make eval-cmrc  score it on CMRC 2018 (../shared/benchmarks/cmrc2018/; index under var/cmrc2018/)"
	@echo "make bench    full benchmark (needs wrk): writes docs/BENCHMARKS.md and docs/benchmarks.json"
	@echo "make bench-quick  the same in small (under 2 minutes) into var/bench-quick/"
	@echo "make attack   the attack pass (issue 16) against a live server on the built index, as a table"
	@echo "make clean    remove var/, test-output/ and caches (keeps .venv)"

install: $(STAMP)

# Re-runs only when pyproject.toml changes (or .venv was removed).
# torch is pinned to 2.13.0, the CPU wheel; install with pip, not uv or poetry.
# Editable install: the server serves web/ from the repository.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[dev,postgres,redis]'
	touch $@

# Biome (pinned in package.json, exact versions in package-lock.json) lints and format-checks web/static/*.js.
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

index: install
	$(BIN)/assistant index

run: install index
	$(BIN)/assistant serve --host $(HOST) --port $(PORT)

lint: install $(NPM_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/mypy --strict benchmarks
	$(BIOME) ci --colors=off .

# Rewrites web/static/*.js (and biome.json) in Biome's format.
format-js: $(NPM_STAMP)
	$(BIOME) format --write .

# pytest exits 5 when it collects no tests; that fails the build like any other non-zero exit.
# The quick benchmark runs once so that it cannot rot; slow figures never fail it, errors do.
test: lint
	$(BIN)/pytest
	$(BIN)/python benchmarks/bench.py --quick

# A contributor's loop: no lint, no real model, server, subprocess or browser (the markers in pyproject.toml).
test-fast: install
	$(BIN)/pytest -m unit -q

# The reference deployment (deploy/) started on this machine and checked; plain `pytest` skips it.
test-deploy: install
	$(BIN)/pytest tests/test_deploy.py --deploy -q

# Benchmarks start servers and wrk (Debian package `wrk`); the full run takes a quarter of an hour or more.
bench: install
	$(BIN)/python benchmarks/bench.py

bench-quick: install
	$(BIN)/python benchmarks/bench.py --quick

# Fits the engine's ranking, clause and decision models on the training sets in eval/fit.json and writes
# src/assistant/answer/model.json with the figures of the fit (a few minutes; indexes under var/fit/).
fit: install
	$(BIN)/python -m assistant.fit

eval: install
	$(BIN)/assistant eval $(EVAL_SET)

# Converts the set into var/cmrc2018/ (corpus, questions.jsonl), indexes it there and scores it;
# the figures go to var/cmrc2018/results.json. A few minutes on two cores.
eval-cmrc: install
	$(BIN)/python benchmarks/cmrc2018.py

# Starts `assistant serve` on var/index (run `make index` first); ATTACK_ARGS=--quick for a small run.
attack: install
	$(BIN)/python benchmarks/attack.py $(ATTACK_ARGS)

clean:
	rm -rf var test-output .pytest_cache .mypy_cache .ruff_cache
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +
