# Twombly: `make run` serves the blog, `make test` runs the whole suite.
# Both create .venv and install what they need on first use.
VENV   := .venv
PYTHON ?= python3
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app app

.PHONY: run test freeze serve bench lighthouse lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	TWOMBLY_SHOW_DRAFTS=true $(FLASK) run --debug --extra-files site.toml --host 127.0.0.1 --port 5000

# Lighthouse's test needs Node; without npm it skips (and fails under CI=true, as .ci/run
# installs npm first).
test: $(VENV)/.installed-test
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_TOOLS); \
	else echo "npm not found: the Lighthouse test will not run"; fi
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

freeze: $(VENV)/.installed
	$(FLASK) freeze

serve: $(VENV)/.installed
	$(BIN)/gunicorn --config gunicorn.conf.py app:app

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# Lighthouse from bench/package-lock.json; it drives Debian's chromium (CHROME_PATH), and no
# package may download a browser of its own.
NODE_TOOLS := bench/node_modules/.installed
$(NODE_TOOLS): bench/package.json bench/package-lock.json
	cd bench && PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

lighthouse: $(VENV)/.installed-test $(NODE_TOOLS)
	CHROME_PATH=$${CHROME_PATH:-$$(command -v chromium)} $(BIN)/python bench/lighthouse.py

# The shared private-API checker (beside the project, in ../shared) must print nothing.
PRIVATE_API_CHECK := ../shared/tools/private-api-check

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@if [ -f $(PRIVATE_API_CHECK) ]; then $(BIN)/python $(PRIVATE_API_CHECK); \
	else echo "$(PRIVATE_API_CHECK) not found: private-API check skipped"; fi

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) build .pytest_cache
