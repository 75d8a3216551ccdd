# The course's commands. Each one creates the environment in .venv on first use.
#   make lab        set up and open the course in JupyterLab
#   make lab-ko     the same for the Korean edition (한국어판): ko/chapters/01_structure.ipynb
#   make test       set up and run every test: the library's unit tests and every notebook of both
#                   editions (nbval), in two processes (JOBS=1 for one)
#   make test-kernels  every notebook again under nbval with OpenBLAS forced to another CPU kernel
#                   (KERNELS="Haswell" by default: AVX2, what most laptops run; x86 only)
#   make notebooks  re-execute and store every English chapter (NB=chapters/02_activations.ipynb for
#                   one, NB=ko/chapters for the Korean ones)
#   make translations  refresh the Korean catalogs ko/po/*.po from the English chapters (changed
#                   English marks its translation stale)
#   make korean     build the Korean chapters ko/chapters/ from the English ones and the catalogs,
#                   then execute and store those whose code changed (RERUN=1: all of them;
#                   CHAPTERS="05_dropout 06_normalization" for some)
#   make figures    redraw every figure in img/ with dlbook's plotting code (same bytes on every run)
#   make html       render both editions with their stored outputs to a static site in build/site/
#                   (the Korean one in build/site/ko/)
#   make bench      time training steps against NumPy's matmul rate (and PyTorch, if installed) and
#                   each chapter under nbval; write benchmarks/RESULTS.md and the README's table
#   make test-browser  run every English chapter and Korean chapters 01 and 07 in JupyterLab in
#                      headless Chromium (installs Debian's chromium and two font packages, Hangul
#                      and emoji, with apt-get where missing: needs root)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab lab-ko test test-kernels notebooks translations korean figures html bench clean

# JupyterLab refuses to start as root (containers, CI) unless told it may.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. chapters/01_structure.ipynb

lab-ko: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) --ServerApp.root_dir=. ko/chapters/01_structure.ipynb

# pytest-xdist: JOBS processes; --dist loadfile keeps each notebook's cells (one kernel) on one.
JOBS ?= 2
XDIST = $(if $(filter-out 1,$(JOBS)),-n $(JOBS) --dist loadfile)

test: $(STAMP)
	$(BIN)/python -m pytest $(XDIST)

# The stored outputs come from this machine's OpenBLAS kernel (AVX-512 here); a learner's CPU
# may pick another, and a printed result that moves with the kernel is a defect. OpenBLAS
# reads OPENBLAS_CORETYPE when it loads; the kernels nbval starts inherit it, and conftest.py
# stops the run if they do not really run the kernel asked for. Sandybridge (AVX) and
# Prescott (SSE3) are the older ones: make test-kernels KERNELS="Haswell Sandybridge".
KERNELS ?= Haswell

test-kernels: $(STAMP)
	@set -e; for kernel in $(KERNELS); do \
	    echo "== the chapters with OPENBLAS_CORETYPE=$$kernel"; \
	    OPENBLAS_CORETYPE=$$kernel $(BIN)/python -m pytest $(XDIST) chapters ko/chapters; \
	done

notebooks: $(STAMP)
	$(BIN)/python -m tools.execute_notebooks $(NB)

# The Korean edition: ko/po/NN_name.po (translators edit these) + chapters/NN_name.ipynb
# -> ko/chapters/NN_name.ipynb. Never edit the Korean notebooks by hand.
CHAPTERS ?=
KOREAN_NOTEBOOKS = $(if $(strip $(CHAPTERS)),$(foreach c,$(CHAPTERS),ko/chapters/$(basename $(notdir $(c))).ipynb),ko/chapters)

translations: $(STAMP)
	$(BIN)/python -m tools.translate_notebooks update $(CHAPTERS)

korean: $(STAMP)
	$(BIN)/python -m tools.translate_notebooks build $(CHAPTERS)
	$(BIN)/python -m tools.execute_notebooks $(if $(RERUN),,--unexecuted) $(KOREAN_NOTEBOOKS)

figures: $(STAMP)
	$(BIN)/python -m tools.make_figures

html: $(STAMP)
	$(BIN)/python -m tools.build_site

bench: $(STAMP)
	$(BIN)/python -m benchmarks.bench --update-readme

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -e ".[course]"
	@# A kernel named after the project, so JupyterLab runs the chapters in this environment.
	$(BIN)/python -m ipykernel install --sys-prefix --name dlbook --display-name "Python (dlbook)"
	touch $(STAMP)

# The browser test: Playwright (the `browser` extra) drives the system Chromium; no browser download.
CHROMIUM      := /usr/bin/chromium
# Fonts a learner's desktop has, for the screenshots: Hangul (the Korean terms) and colour emoji
# (the checks' ✅ ❌ ⏳); without them those characters are empty boxes.
BROWSER_FONTS := /usr/share/fonts/truetype/nanum/NanumGothic.ttf /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf
BROWSER_STAMP := $(VENV)/.installed-browser

.PHONY: test-browser

test-browser: $(BROWSER_STAMP) $(CHROMIUM) $(BROWSER_FONTS)
	$(BIN)/python -m pytest tests/browser --run-browser --chromium=$(CHROMIUM)

$(BROWSER_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[course,browser]"
	touch $(BROWSER_STAMP)

$(CHROMIUM):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

$(BROWSER_FONTS):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y fonts-nanum fonts-noto-color-emoji

clean:
	rm -rf $(VENV)
