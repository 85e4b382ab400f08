# make lab: open the course (what the notebooks need, no more); make check: the fast tests (no kernel, no
# browser, at most 2 minutes); make test: every test, each lesson executed once. Each sets up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LAB_STAMP := $(VENV)/.lab-stamp
TORCH_STAMP := $(VENV)/.torch-stamp
STAMP := $(VENV)/.installed-stamp
CLASSROOM := $(VENV)/.classroom-stamp
# PyTorch's CPU build: from its CPU index (2.13.0+cpu ranks above the index's 2.13.0, which on Linux is the
# multi-GB CUDA build), or where it lies on disk (pip's find-links: .ci/run sets TORCH_INDEX empty, as CI's
# machine cannot reach that index and has the wheel)
TORCH_PIN := torch==2.13.0
TORCH_INDEX ?= https://download.pytorch.org/whl/cpu

.PHONY: lab check test test-package exercises translations translations-run generate assignments release weights bench lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# the notebooks extra only (JupyterLab, matplotlib, ipywidgets, NumPy, tqdm, the language packs): no torch, no pytest
$(LAB_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[notebooks]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# torch for lesson 09, pinned to the CPU build: an unpinned `torch` could pull the CUDA build from the index
$(TORCH_STAMP): | $(PY)
	$(PY) -m pip install --quiet '$(TORCH_PIN)' $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX))
	touch $@

# everything the tests and the generators need (torch first, so that the test extra's torch>=2.1 is the pinned one)
$(STAMP): pyproject.toml $(LAB_STAMP) $(TORCH_STAMP)
	$(PY) -m pip install --quiet -e '.[notebooks,test]'
	touch $@

# nbgrader (the classroom extra), for the tests and for instructors: `make lab` alone stays without its menus
$(CLASSROOM): $(STAMP)
	$(PY) -m pip install --quiet -e '.[classroom]'
	touch $@

# `make lab` opens work/, the learner's own copy of notebooks/ (git-ignored, so a `git pull` of the course never
# meets a saved lesson): the first run copies every lesson there, later runs only lessons missing from it (delete
# your copy of one to get it fresh). `make lab TORCH=1` adds torch for lesson 09. `make lab LAB_LANG=zh-CN` (or
# zh-TW) opens the Chinese course with JupyterLab's own menus in Chinese: that setting lives in a settings folder of
# the venv, and so does the news pop-up's "no" (overrides.json), so the user's own JupyterLab settings stay
# untouched. (Jupyter refuses to run as root unless told: containers and CI machines often are root.)
LAB_LANG ?= en
TORCH ?=
WORK := work
lab: $(LAB_STAMP) $(if $(TORCH),$(TORCH_STAMP))
	@case "$(LAB_LANG)" in en|zh-CN|zh-TW) ;; *) echo "LAB_LANG must be en, zh-CN or zh-TW, not '$(LAB_LANG)'"; exit 2;; esac
	@$(PY) -m tools.notebooks work notebooks $(WORK)
	@mkdir -p $(VENV)/share/jupyter/lab/settings
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	  > $(VENV)/share/jupyter/lab/settings/overrides.json
	@if [ "$(LAB_LANG)" = en ]; then \
	  $(VENV)/bin/jupyter lab $(WORK)/ $$([ "$$(id -u)" = 0 ] && echo --allow-root); \
	else \
	  settings=$(VENV)/lab-settings-$(LAB_LANG); locale=$$(echo $(LAB_LANG) | tr - _); \
	  mkdir -p $$settings/@jupyterlab/translation-extension; \
	  echo "{\"locale\": \"$$locale\"}" > $$settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings; \
	  JUPYTERLAB_SETTINGS_DIR=$$settings $(VENV)/bin/jupyter lab $(WORK)/$(LAB_LANG)/ \
	    $$([ "$$(id -u)" = 0 ] && echo --allow-root); \
	fi

# the edit loop: ruff, then the package and structure tests, no kernel, browser, venv or nbgrader run (tests/conftest.py)
check: $(STAMP) lint
	$(PY) -m pytest tests -q -p no:cacheprovider -m 'not slow' -n auto

# everything, each lesson executed once: the mutant test runs the English and zh-CN lessons (and does nbval's job
# for them: checked outputs, missing glyphs), the Colab test the zh-TW ones from the wheel (nbval's job too)
test: $(STAMP) lint test-package

lint: $(STAMP)
	$(PY) -m ruff check microgpt tests tools notebooks

# every test, on every core (pytest-xdist): --dist loadscope keeps a test file on one worker (its expensive set-up,
# a Colab-like venv, a JupyterLab server, an nbgrader course, is made once) and the mutant test's class of each
# lesson too
test-package: $(STAMP) $(CLASSROOM)
	$(PY) -m pytest tests -q -n auto --dist loadscope

# regenerate the fill-in versions of the lessons in notebooks/exercises/
exercises: $(STAMP)
	$(PY) -m tools.exercises

# regenerate the Chinese course (notebooks/zh-CN, notebooks/zh-TW, the README's, the package's message catalogs)
# from the English lessons and the catalogs in translations/; `python -m tools.translate status` lists what is left
translations: $(STAMP)
	$(PY) -m tools.translate build

# execute the Chinese lessons at full size, in place, so that they carry their outputs as the English ones do
# (`make translations` keeps the outputs of every cell whose code is unchanged); as long as the English lessons
translations-run: $(STAMP)
	@test -n "$$MICROGPT_DATA" || echo "(MICROGPT_DATA unset: the package downloads names.txt once)"
	$(PY) -m tools.translate run

# after an English edit, one command: exercise versions, catalogs, zh-CN and zh-TW, and a full-size run of only
# the Chinese lessons whose code changed (a prose fix runs nothing); prints what it ran and how long it took
generate: $(STAMP)
	$(PY) -m tools.regenerate

# write the nbgrader course trees (git-ignored): classroom/ (English), classroom-zh-CN/, classroom-zh-TW/, each with
# source/lessonNN/ and an nbgrader_config.py that grades securely (microgpt.grading)
assignments: $(CLASSROOM)
	$(PY) -m tools.assignments
	$(PY) -m tools.assignments --lang zh-CN
	$(PY) -m tools.assignments --lang zh-TW

# publish the course (its maintainer): make release VERSION=X.Y.Z [REPO=https://github.com/OWNER/NAME] sets the
# address and version in pyproject.toml, regenerates, checks every badge and set-up cell, builds dist/, tags vX.Y.Z
# (refused in one line, nothing changed, on a dirty checkout, a malformed version or an existing tag); pushes nothing
release: $(STAMP)
	$(PY) -m tools.release --version "$(VERSION)" $(if $(REPO),--repo "$(REPO)")

bench: $(STAMP)
	$(PY) -m microgpt.bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# the shipped weights: our own 1000-step run of the reference configuration, reproduced bit for bit
weights: $(STAMP)
	@test -n "$$MICROGPT_DATA" || { echo "set MICROGPT_DATA to names.txt (e.g. ../shared/data/names.txt)"; exit 1; }
	$(PY) -m microgpt --samples 0 --save microgpt/pretrained.json
