# One task runner: people and CI call the same targets.
# `make lab` opens the course; `make test` installs everything and runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HUB_STAMP := $(VENV)/.installed-hub
NODE_DIR := .node
CHP := $(NODE_DIR)/node_modules/.bin/configurable-http-proxy
CHROMIUM ?= /usr/bin/chromium
PORT ?= 8888

.PHONY: help venv course lab git-filters test test-fast lint format hub grade system-deps apt-deps browser-deps hub-deps strip clean

help:
	@echo "make course - set everything up and open the course (pages, no code) on the welcome page"
	@echo "make lab    - the same server, opened in JupyterLab (for notebooks and instructors)"
	@echo "make test   - set everything up and run every test"
	@echo "make lint   - ruff check;  make format - ruff format + fix"
	@echo "make hub    - start a workshop JupyterHub on 127.0.0.1 (see hub/HOSTS.md)"
	@echo "             (HUB_CONFIG=FILE for other settings; HUB_ARGS for the command line)"
	@echo "make grade  - the instructor's pipeline (see course/INSTRUCTORS.md)"

# The venv is (re)built when pyproject.toml changes: `make venv` with the [dev] extra
# (tests, linter); `make hub` with the [hub] extra only (no test tools on a host).
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m endtrafficking.course_view.install
	@touch $(STAMP) $(HUB_STAMP)

$(HUB_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[hub]'
	$(BIN)/python -m endtrafficking.course_view.install
	@touch $(HUB_STAMP)

venv: $(STAMP) git-filters

# Outputs never reach git: notebooks are saved without outputs by the course's server
# extension, and this filter strips any that a notebook gets another way (nbgrader's
# metadata and cell ids are kept). Set in this clone's own .git only.
NB_EXTRA_KEYS := --extra-keys 'metadata.language_info.codemirror_mode \
	metadata.language_info.file_extension metadata.language_info.mimetype \
	metadata.language_info.nbconvert_exporter metadata.language_info.pygments_lexer \
	metadata.language_info.version'
git-filters:
	@if [ -e .git ] && [ -x $(BIN)/nbstripout ]; then \
		attrs="$$(git rev-parse --git-path info/attributes)"; \
		mkdir -p "$$(dirname "$$attrs")"; \
		git config filter.nbstripout.clean "'$(abspath $(BIN))/nbstripout' --keep-id $(NB_EXTRA_KEYS)"; \
		git config filter.nbstripout.smudge cat; \
		git config diff.ipynb.textconv "'$(abspath $(BIN))/nbstripout' --keep-id -t"; \
		grep -qs 'filter=nbstripout' "$$attrs" || \
			printf '*.ipynb filter=nbstripout\n*.ipynb diff=ipynb\n' >> "$$attrs"; \
	fi

# Jupyter refuses to run as root unless told to (containers and CI machines often are root).
ALLOW_ROOT := $(shell [ "$$(id -u)" = 0 ] && echo --allow-root)

# The course view: Voila renders each module as a page on the same server as JupyterLab.
COURSE_VIEW := /voila/render/modules/00_welcome.ipynb
# A warm kernel waits for the next page (course_view/kernel_pool.py).
SERVE := $(BIN)/jupyter lab --ServerApp.ip=127.0.0.1 --ServerApp.port=$(PORT) \
	--ServerApp.root_dir=$(CURDIR) $(ALLOW_ROOT) \
	--ServerApp.kernel_manager_class=endtrafficking.course_view.kernel_pool.PooledKernelManager

course: $(STAMP) git-filters
	$(SERVE) --LabApp.default_url=$(COURSE_VIEW) $(LAB_ARGS)

lab: $(STAMP) git-filters
	$(SERVE) $(LAB_ARGS) modules/00_welcome.ipynb

# Browser tests need Debian's Chromium; hub tests need configurable-http-proxy from npm.
# Debian packages the tests drive: Chromium (browser tests), LibreOffice Calc
# (a template filled and saved by a real spreadsheet program) and bubblewrap (the
# sandbox of every graded kernel). One apt run.
apt-deps:
	@missing=""; \
	[ -x $(CHROMIUM) ] || missing="$$missing chromium"; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-calc"; \
	command -v bwrap >/dev/null || missing="$$missing bubblewrap"; \
	if [ -n "$$missing" ]; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			echo "Installing with apt:$$missing ..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends $$missing >/dev/null; \
		else echo "Missing:$$missing and apt-get unavailable (not root?): those tests will say so."; fi; \
	fi

browser-deps: apt-deps
	@test -f $(NODE_DIR)/node_modules/axe-core/axe.min.js || npm install --silent --prefix $(NODE_DIR) axe-core@4 >/dev/null || echo "npm missing: accessibility tests will say so."

# configurable-http-proxy from npm (npm itself from apt when root on Debian/Ubuntu), and
# bubblewrap, which `endtrafficking grade` needs on the hub as anywhere else.
hub-deps:
	@if ! command -v bwrap >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		echo "Installing bubblewrap (the grading sandbox) with apt..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends bubblewrap >/dev/null; \
	fi
	@if [ ! -x $(CHP) ]; then \
		if ! command -v npm >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			echo "Installing npm with apt..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				--no-install-recommends npm >/dev/null; \
		fi; \
		if command -v npm >/dev/null; then \
			echo "Installing configurable-http-proxy with npm..."; \
			npm install --silent --prefix $(NODE_DIR) configurable-http-proxy@^5 >/dev/null; \
		else echo "npm missing: hub tests will say so."; fi; \
	fi

system-deps: browser-deps hub-deps

# The workshop hub (hub/HOSTS.md): checks hub/workshop.yaml (or HUB_CONFIG=FILE), prepares
# the host (a shared environment learners can run, folders, codes, gradebook), then serves.
HUB_CONFIG ?= hub/workshop.yaml
HUB_RUN = PATH="$(CURDIR)/$(NODE_DIR)/node_modules/.bin:$$PATH" $(BIN)/python -m endtrafficking_hub
hub: $(HUB_STAMP) hub-deps
	$(HUB_RUN) --config $(HUB_CONFIG) $(HUB_ARGS) run

test: $(STAMP) system-deps
	PATH="$(CURDIR)/$(NODE_DIR)/node_modules/.bin:$$PATH" $(BIN)/python -m pytest $(PYTEST_ARGS)

# Unit tests only: no notebooks, nbgrader, browser or hub.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not notebooks and not nbgrader and not browser and not hub and not slow" $(PYTEST_ARGS)

# The instructor's grading run (course/INSTRUCTORS.md); options go in GRADE_ARGS, e.g.
# make grade GRADE_ARGS="--assignment 03_context --from-zip ~/Downloads/submissions.zip"
grade: $(STAMP)
	$(BIN)/endtrafficking grade $(GRADE_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Strip outputs from every committed notebook; nbgrader's cell metadata is kept.
strip: $(STAMP)
	git ls-files '*.ipynb' | xargs -r $(BIN)/nbstripout --keep-id

clean:
	rm -rf $(VENV) $(NODE_DIR) .pytest_cache test-artifacts
