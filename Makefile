# The two commands the README promises: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: venv demo test bench bench-quick model eval clean screenshot loadtest

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,bench]'
	touch $@

demo: venv  ## analyse the bundled example corpus into out/
	rm -rf out
	$(BIN)/khabar analyze examples/corpus --out out
	@echo "open out/report.html, or run: $(BIN)/khabar serve --db out/khabar.db"

test: venv  ## the whole test suite
	$(BIN)/pytest -q

bench: venv  ## speed and memory on ../shared/data/saudinewsnet -> BENCHMARKS.md
	$(BIN)/python -m khabar.bench --tail-repeats 3

bench-quick: venv
	$(BIN)/python -m khabar.bench --quick

LOAD_DB ?= khabar.db
LOAD_ARGS ?=
loadtest: venv  ## web UI + API under load on loopback against LOAD_DB -> BENCHMARKS.md (LOAD_ARGS: --requests N --concurrency C --variant NAME)
	$(BIN)/python -m khabar.loadtest --db $(LOAD_DB) --write BENCHMARKS.md $(LOAD_ARGS)

model: venv  ## retrain the bundled NER model
	$(BIN)/khabar train ner

clean:
	rm -rf out .pytest_cache .hypothesis

screenshot: venv  ## docs/dossier.png from the example corpus (needs chromium)
	bash scripts/ci_browser_deps.sh
	$(BIN)/python scripts/screenshot.py

# ---- stress (issue 10): longer reliability checks, not part of `make test` ----
FUZZ_SECONDS ?= 60
FUZZ_DIR := .cache/fuzz
.PHONY: stress
stress: venv  ## 20 SIGKILLs of analyze + resume (same store), then $(FUZZ_SECONDS) s of atheris on the ingest parsers
	KHABAR_CRASH_KILLS=20 $(BIN)/pytest -q tests/test_crash.py
	$(BIN)/python -c "import atheris" 2>/dev/null || $(BIN)/pip install -q 'atheris>=2.3,<4'
	$(BIN)/python fuzz/fuzz_ingest.py --seeds $(FUZZ_DIR)/corpus
	mkdir -p $(FUZZ_DIR)/crashes
	$(BIN)/python fuzz/fuzz_ingest.py -max_total_time=$(FUZZ_SECONDS) -artifact_prefix=$(FUZZ_DIR)/crashes/ $(FUZZ_DIR)/corpus
