# news-dataset: `make pipeline` builds the dataset, `make test` runs the suite.
# Both create .venv on first use from pyproject.toml + requirements.lock, and reinstall only
# when one of those two files changes.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
RAW    ?= raw
OUT    ?= processed
PYTEST_ARGS ?=
SOURCES ?= sources.toml
INTERVAL ?= 3600

.PHONY: install pipeline refresh serve test versions report repair bench lock clean-venv

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $(STAMP)

pipeline: $(STAMP)
	$(PY) -m pipeline run --raw $(RAW) --out $(OUT)

# Fetch the registry's sources (sources.toml) into RAW, then build a version if anything changed.
refresh: $(STAMP)
	$(PY) -m pipeline refresh --raw $(RAW) --out $(OUT) $(if $(wildcard $(SOURCES)),--sources $(SOURCES))

# The same on a schedule (every INTERVAL seconds) as a Prefect deployment; Ctrl-C stops it.
serve: $(STAMP)
	$(PY) -m pipeline serve --raw $(RAW) --out $(OUT) --interval $(INTERVAL) $(if $(wildcard $(SOURCES)),--sources $(SOURCES))

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

versions: $(STAMP)
	$(PY) -m pipeline versions --out $(OUT)

report: $(STAMP)
	$(PY) -m pipeline report --out $(OUT) $(if $(VERSION),--version $(VERSION))

ARTICLES  ?= 5000
BENCH_OUT ?= bench-out
bench: $(STAMP)
	$(PY) -m pipeline bench --articles $(ARTICLES) --out $(BENCH_OUT)

repair: $(STAMP)
	$(PY) -m pipeline repair --out $(OUT)

# Re-pin every dependency after editing pyproject.toml (needs network to the package index).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --disable-pip-version-check -e '.[dev]'
	.lock-venv/bin/pip freeze --exclude-editable | grep -v '^news-dataset' > requirements.lock
	rm -rf .lock-venv

clean-venv:
	rm -rf $(VENV)
