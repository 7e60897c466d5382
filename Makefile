# Two commands: `make serve` and `make test`. Both create .venv and install what they need;
# `make test` also installs (as root on Debian) or names the system packages its tests drive.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test lint system-packages bench bench-httpcache bench-page bench-fuzz bench-sweep bench-load bench-abuse bench-classroom bench-class-screens clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/layerwarp serve

lint: $(STAMP)
	$(BIN)/ruff check app layerwarp tests bench
	$(BIN)/ruff format --check app layerwarp tests bench

system-packages:
	@scripts/system-packages

# Two pytest processes (pytest-xdist), each with its own server and Chromium on free ports: the
# browser tests mostly wait for paced streams, so two of them share the 2 cores well. The slowest
# tests are listed at the end. TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2

test: system-packages lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --durations=25

bench: $(STAMP)
	$(BIN)/layerwarp bench

bench-stream: $(STAMP)
	$(BIN)/python -m bench.stream

bench-httpcache: $(STAMP)
	$(BIN)/python -m bench.httpcache

bench-page: $(STAMP)
	$(BIN)/python -m bench.page

bench-fuzz: $(STAMP)
	$(BIN)/python -m bench.fuzz

bench-sweep: $(STAMP)
	$(BIN)/python -m bench.sweep

bench-load: $(STAMP)
	$(BIN)/python -m bench.load

bench-abuse: $(STAMP)
	$(BIN)/python -m bench.abuse

bench-classroom: $(STAMP)
	$(BIN)/python -m bench.classroom

bench-class-screens: $(STAMP)
	$(BIN)/python -m bench.class_screens

clean:
	rm -rf $(VENV)
