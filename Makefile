# Two commands do all set-up on a fresh Debian/Ubuntu machine with Python 3.11:
#   make run    create .venv if missing, install, check Qt's system libraries, open the app
#   make test   the same set-up, then the whole test suite headless
# Qt's window plugin needs a few X11 libraries of the system (a fresh Debian 12 desktop
# lacks libxcb-icccm4 and libxcb-keysyms1): `make qt-libs` installs them with apt-get
# when run as root, otherwise it prints the one command to run.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test slow lint bench clean demo qt-libs

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

qt-libs: $(STAMP)
	$(PY) -m branchdesk.qtlibs --install

run: qt-libs
	$(VENV)/bin/branchdesk

demo: qt-libs
	$(VENV)/bin/branchdesk --demo

# The qt-libs step may fail (not root): the test suite then says what is missing
# (tests/test_qt_libs.py) while every other test still runs.
test: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	-$(PY) -m branchdesk.qtlibs --install
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# Stress tests kept out of `make test`: 200 SIGKILLs of a writer (3–5 minutes).
slow: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks tools
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist .pytest_cache
