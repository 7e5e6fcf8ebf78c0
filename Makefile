# The single entry point: demo, test, lint, bench.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fmt bench samples clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dangyuan check sample_ledgers
	$(BIN)/dangyuan run sample_ledgers --period 2025 -v
	@echo
	@echo "年终批处理完成。公示文件在 sample_ledgers/输出/2025/<党支部>/，汇总报告在 sample_ledgers/输出/2025/。"
	@echo "Year-end batch done: notices under sample_ledgers/输出/2025/<branch>/, the report in sample_ledgers/输出/2025/."

test: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check src tests scripts bench
	$(BIN)/ruff format --check src tests scripts bench

fmt: $(STAMP)
	$(BIN)/ruff check --fix src tests scripts bench
	$(BIN)/ruff format src tests scripts bench

samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py sample_ledgers

bench: $(STAMP)
	$(BIN)/python bench/bench_run.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
