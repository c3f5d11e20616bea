# Two commands on a fresh machine: `make run` and `make test`. Each sets up .venv itself.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
OUT := out/seeds.jsonl
STORE := out/presspipe.db
PORT ?= 8000

.PHONY: run test lint typecheck install clean

$(BIN)/presspipe: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(BIN)/presspipe

# Process seeds/ with the news pipeline, then serve the results on PORT (make run PORT=8001;
# Ctrl-C stops the server).
run: install
	$(BIN)/presspipe run pipelines/news.yaml seeds/ --out $(OUT)
	$(BIN)/presspipe serve --store $(STORE) --ingest $(OUT) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy cannot follow setuptools' package-dir mapping, so it checks a tree of links that
# mirrors the installed layout (core/ as presspipe, plugins/ as presspipe.plugins).
typecheck: install
	rm -rf build/typecheck && mkdir -p build/typecheck/presspipe
	ln -s $(CURDIR)/core/*.py $(CURDIR)/core/store $(CURDIR)/core/api build/typecheck/presspipe/
	ln -s $(CURDIR)/plugins build/typecheck/presspipe/plugins
	MYPYPATH=build/typecheck $(BIN)/mypy -p presspipe

test: lint typecheck
	$(BIN)/pytest

clean:
	rm -rf $(VENV) build out
