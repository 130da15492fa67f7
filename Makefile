# The two Quick start commands are `make run` and `make test` (see README.md).
VENV ?= .venv
PY := $(VENV)/bin/python
TRIBUNE := $(VENV)/bin/tribune

.PHONY: run install test test-deps system-packages lint messages bench

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

install: $(PY)
	$(PY) -m pip install -q -e .

# Install, migrate, load the demo and serve http://127.0.0.1:8000 on SQLite.
run: install
	$(TRIBUNE) migrate --noinput
	$(TRIBUNE) demo
	@echo "To sign in at http://127.0.0.1:8000/admin/ create an account: $(TRIBUNE) createsuperuser"
	$(TRIBUNE) serve

# Debian packages the tests and benchmarks use; installed only when missing.
system-packages:
	@bash .ci/system-packages

test-deps: $(PY) system-packages
	$(PY) -m pip install -q -e ".[test]"

# Lint, then the whole suite on SQLite, then again on PostgreSQL + Redis when reachable.
test: test-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q
	@services="$$($(PY) -m tribune.testing.services)"; \
	if [ -n "$$services" ]; then \
		echo "== again with $$services"; \
		env $$services $(PY) -m pytest -q; \
	else \
		echo "== PostgreSQL and Redis are not reachable: the suite ran on SQLite only"; \
	fi

# After changing or adding translatable strings: update the .po files, then translate.
messages: $(PY)
	cd tribune && ../$(TRIBUNE) makemessages -l de -l en --no-obsolete
	cd tribune && ../$(TRIBUNE) compilemessages

bench: test-deps
	$(PY) bench/throughput.py
