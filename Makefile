# The two commands a new user needs:  make ui   and   make test
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EXTRAS := ui,st,llm,docs,eval,test

.PHONY: install ui test test-fast eval bench clean-index

install: $(STAMP)

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

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow and not browser"

# the full question set under every configuration -> eval/reports/<timestamp>/
eval: install
	$(BIN)/civilqa eval

# figures, not tests: cold/warm latency, ingest, synthetic 100k and 1M chunks (~30 min)
bench: install
	$(BIN)/civilqa bench --scale 100000 --scale 1000000

clean-index:
	rm -rf .civilqa/index
