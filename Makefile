# The course's commands. Each one creates the environment in .venv on first use.
#   make lab        set up and open the course in JupyterLab
#   make test       set up and run every test: the library's unit tests and every notebook (nbval)
#   make notebooks  re-execute and store every notebook (NB=chapters/02_activations.ipynb for one)
#   make html       render the course with its stored outputs to a static site in build/site/
#   make test-browser  run every chapter in JupyterLab in headless Chromium (installs Debian's
#                      chromium with apt-get if /usr/bin/chromium is missing: needs root)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test notebooks html clean

# JupyterLab refuses to start as root (containers, CI) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. chapters/01_structure.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python -m tools.execute_notebooks $(NB)

html: $(STAMP)
	$(BIN)/python -m tools.build_site

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -e ".[course]"
	@# A kernel named after the project, so JupyterLab runs the chapters in this environment.
	$(BIN)/python -m ipykernel install --sys-prefix --name dlbook --display-name "Python (dlbook)"
	touch $(STAMP)

# The browser test: Playwright (the `browser` extra) drives the system Chromium; no browser download.
CHROMIUM      := /usr/bin/chromium
BROWSER_STAMP := $(VENV)/.installed-browser

.PHONY: test-browser

test-browser: $(BROWSER_STAMP) $(CHROMIUM)
	$(BIN)/python -m pytest tests/browser --run-browser --chromium=$(CHROMIUM)

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[course,browser]"
	touch $(BROWSER_STAMP)

$(CHROMIUM):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

clean:
	rm -rf $(VENV)
