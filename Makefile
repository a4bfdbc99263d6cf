# Two commands do everything on a fresh machine:
#   make run    set up, migrate, load the demo mailbox and serve on http://127.0.0.1:8000
#   make test   set up with test dependencies, start the servers the suite needs, run it, stop them
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml 2>/dev/null | sha1sum | cut -c1-12)
TEST_STAMP := $(STAMP)-test

.PHONY: install install-test run test services-start services-stop clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: anything else makes pip fetch a multi-GB CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e .
	@rm -f $(VENV)/.installed-*
	@touch $@

install-test: $(TEST_STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: install
	$(BIN)/mailassist setup
	exec $(BIN)/mailassist serve

test: install-test
	@scripts/test-env.sh install
	@scripts/test-env.sh run $(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) data .services
