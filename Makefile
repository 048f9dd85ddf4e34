# ntm-analysis: two commands do everything on a machine with only Python 3.11 and pip.
#   make reports   set up .venv, render the whole site into outputs/: 63 province reports (English and Vietnamese)
#                  and the national pages
#   make test      set up .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup chromium reports test lab bench bench-render bench-load clean-outputs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the package metadata changes: a second run starts in seconds.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP) chromium

# Headless Chromium for the browser tests (tests/site): when no chromium is on the PATH and apt-get exists, Debian's
# package is installed here, once, quietly (as root, or through sudo). CI runs as root on Debian (.ci/run). Elsewhere
# install Chromium yourself; the browser tests fail (never skip) without it.
chromium:
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then \
	  if command -v apt-get >/dev/null 2>&1; then \
	    if [ "$$(id -u)" -eq 0 ]; then SUDO=; else SUDO=sudo; fi; \
	    echo "make: installing Chromium for the browser tests (apt-get install chromium)"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 update && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -qq -o DPkg::Lock::Timeout=300 install -y \
	      --no-install-recommends chromium >/dev/null; \
	  else \
	    echo "make: chromium is not installed and apt-get is missing: install Chromium for the browser tests" >&2; \
	  fi; \
	fi

# The 63 province reports in English and in Vietnamese and the pages of notebooks/site.yml (national overview, case
# studies, method validation), listed on outputs/index.html and outputs/index.vi.html; a second run renders only
# what changed (the national pages are rendered once: the second command finds them up to date).
reports: $(STAMP)
	$(BIN)/ntm render --all
	$(BIN)/ntm render --all --lang vi

# The whole test suite in one pytest session (each notebook executed once, inside it: tests/notebooks).
# One layer only: make test PYTEST_ARGS='-m "data or intake"'. Every notebook as stored, at full size (not run here):
# .venv/bin/python -m pytest --nbval-lax notebooks/
test: $(STAMP) chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Jupyter refuses to start as root (most containers) without --allow-root: add it only then.
LAB_FLAGS = $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(LAB_FLAGS)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_data.py
	$(BIN)/python benchmarks/bench_models.py

bench-render: $(STAMP)
	$(BIN)/python benchmarks/bench_render.py

# 500+ report jobs on warm kernels (reduced notebook): worker memory flat, no leaked kernels or temporary files.
bench-load: $(STAMP)
	$(BIN)/python benchmarks/bench_load.py

clean-outputs:
	find outputs -mindepth 1 ! -name .gitkeep ! -name README.md -delete
