# ntm-analysis: two commands do everything on a machine with only Python 3.11 and pip.
#   make reports   set up .venv, render the whole site into outputs/: 63 province reports and the national pages
#   make test      set up .venv, run the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup reports test lab bench bench-render bench-load clean-outputs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the package metadata changes: a second run starts in seconds.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

setup: $(STAMP)

# The 63 province reports and the pages of notebooks/site.yml (national overview, case studies, method
# validation), linked from outputs/index.html; a second run renders only what changed.
reports: $(STAMP)
	$(BIN)/ntm render --all

# The test suite, then every notebook executed as stored (nbval, lax: outputs are not compared).
test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --nbval-lax notebooks/

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

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
