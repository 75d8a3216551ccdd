# The course's commands. Each one creates the environment in .venv on first use.
#   make lab        set up and open the course in JupyterLab
#   make test       set up and run every test: the library's unit tests and every notebook (nbval)
#   make notebooks  re-execute and store every notebook (NB=chapters/02_activations.ipynb for one)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test notebooks clean

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=. chapters/01_structure.ipynb

test: $(STAMP)
	$(BIN)/python -m pytest

notebooks: $(STAMP)
	$(BIN)/python -m tools.execute_notebooks $(NB)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -e ".[course]"
	@# A kernel named after the project, so JupyterLab runs the chapters in this environment.
	$(BIN)/python -m ipykernel install --sys-prefix --name dlbook --display-name "Python (dlbook)"
	touch $(STAMP)

clean:
	rm -rf $(VENV)
