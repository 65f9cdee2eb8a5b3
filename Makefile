# The two commands of the README:
#   make run   set up and start Sanbao with the demo county (SQLite, database task queue, files on disk)
#   make test  set up and run ruff and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint browser-deps vendor-static messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	SANBAO_DEMO=1 $(BIN)/sanbao migrate --noinput
	SANBAO_DEMO=1 $(BIN)/sanbao demo --if-empty
	SANBAO_DEMO=1 $(BIN)/sanbao serve --port $(PORT)

# Browser tests drive Debian's chromium; CJK fonts make the Chinese UI render.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "noto.*cjk" || { \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

test: $(VENV)/.installed-test browser-deps
	$(BIN)/ruff check .
	$(BIN)/sanbao makemigrations --check --dry-run --settings=sanbao.test_settings >/dev/null
	$(BIN)/pytest $(PYTEST_ARGS)

# Re-vendor front-end libraries from the npm registry at the pinned versions.
vendor-static:
	scripts/vendor-static.sh

# Re-extract and compile translations (needs Debian's gettext).
messages: $(VENV)/.installed
	for locale in sanbao/*/locale; do \
		(cd $$(dirname $$locale) && $(CURDIR)/$(BIN)/sanbao makemessages -l zh_Hans --ignore "test_*" --ignore "tests/*" && \
		 $(CURDIR)/$(BIN)/sanbao compilemessages) || exit 1; \
	done

clean:
	rm -rf $(VENV) var/test
