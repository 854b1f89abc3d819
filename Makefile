# Gloss: `make site` builds the example site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: setup site build test serve bench eval lint golden clean

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

site: setup
	$(PY) build.py build

build: site

test: setup
	$(PY) -m pytest -q

serve: setup
	$(PY) build.py serve

bench: setup
	$(PY) -m bench

eval: setup
	$(PY) -m gloss.evaluate

lint: setup
	$(VENV)/bin/ruff check .

# Regenerate the golden output of tests/fixtures/mini after an intended change to the HTML.
golden: setup
	PYTHONPATH=.:tests $(PY) tests/golden.py

clean:
	rm -rf _site .gloss-cache .pytest_cache
