# Gloss: `make site` builds the example site, `make test` runs every test. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)

.PHONY: setup site build test serve bench ab eval lint golden clean browser-deps screenshots fuzz docs

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

site: setup
	$(PY) build.py build

build: site

test: setup browser-deps
	$(PY) -m pytest -q

# What the browser tests need: Debian's chromium (driven by Playwright, never its own download) and axe-core.
browser-deps:
	@test -x /usr/bin/chromium || (apt-get update && apt-get install -y chromium)
	@test -f node_modules/axe-core/axe.min.js || npm install --no-save --no-audit --no-fund axe-core@4

# Screenshots of the built example site for the README, in docs/screenshots/.
screenshots: site browser-deps
	$(PY) tools/screenshots.py

serve: setup
	$(PY) build.py serve

$(VENV)/.bench-installed: requirements-bench.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	@touch $@

# Gloss against Hugo and Pelican on generated sites (BENCH_ARGS="--sizes 1000 --runs 1" for a quick look).
bench: setup $(VENV)/.bench-installed
	$(PY) -m bench $(BENCH_ARGS)

# Cold builds of revisions taking turns on one corpus, e.g. make ab REVS="HEAD~1 ." AB_ARGS="--hugo".
REVS ?= HEAD .
ab: setup $(VENV)/.bench-installed
	$(PY) -m bench.ab $(REVS) $(AB_ARGS)

# Recognition per article, then the site-level measure (EVAL_ARGS="--site-only --json run.json" for one part).
eval: setup
	$(PY) -m gloss.evaluate $(EVAL_ARGS)

# A long fuzz session: the properties of tests/test_fuzz.py with many more examples (GLOSS_FUZZ_EXAMPLES),
# and its worst-case inputs at GLOSS_FUZZ_BYTES and a quarter of it (CPU time and peak memory must grow
# linearly, under a memory limit); and the inputs refused at a limit (a 3 GB seed, a 4 MB article, a seed
# of 2,600 names), each refused before it is read whole.
GLOSS_FUZZ_EXAMPLES ?= 20000
GLOSS_FUZZ_BYTES ?= 1000000
FUZZ_LIMITS := "tests/test_robustness.py::test_a_three_gigabyte_seed_is_refused_by_its_size_without_being_read" \
	"tests/test_robustness.py::test_bad_input_gets_a_located_message_and_changes_nothing[article larger than 4 MB]" \
	"tests/test_robustness.py::test_bad_input_gets_a_located_message_and_changes_nothing[seed naming more new entities than an article has]"
fuzz: setup
	GLOSS_FUZZ_EXAMPLES=$(GLOSS_FUZZ_EXAMPLES) GLOSS_FUZZ_BYTES=$(GLOSS_FUZZ_BYTES) \
		$(PY) -m pytest -q -p no:cacheprovider tests/test_fuzz.py $(FUZZ_LIMITS) \
		--hypothesis-show-statistics

# The guide's generated pages: docs/reference/site-yml.md and cli.md (a test fails when they drift).
docs: setup
	$(PY) -m gloss.reference

lint: setup
	$(VENV)/bin/ruff check .

# Regenerate the golden output of tests/fixtures/mini after an intended change to the HTML.
golden: setup
	PYTHONPATH=.:tests $(PY) tests/golden.py

clean:
	rm -rf _site .gloss-cache .pytest_cache
