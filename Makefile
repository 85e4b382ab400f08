# make lab: open the course; make test: run every test, notebooks included. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CLASSROOM := $(VENV)/.classroom-stamp

.PHONY: lab test test-package test-notebooks exercises translations translations-run generate assignments weights bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# torch pinned and installed before the extras (which ask only for torch>=2.1): where a CPU build of 2.13.0
	# lies on disk (pip's find-links, as on CI's machine) pip takes it, while an unpinned `torch` could pull the
	# multi-GB CUDA build from the index instead
	$(PY) -m pip install --quiet 'torch==2.13.0'
	$(PY) -m pip install --quiet -e '.[notebooks,test]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# nbgrader (the classroom extra), for the tests and for instructors: `make lab` alone stays without its menus
$(CLASSROOM): $(STAMP)
	$(PY) -m pip install --quiet -e '.[classroom]'
	touch $(CLASSROOM)

# (Jupyter refuses to run as root unless told: containers and CI machines often are root)
# `make lab LAB_LANG=zh-CN` (or zh-TW) opens the Chinese course with JupyterLab's own menus in Chinese: its
# language setting lives in a settings folder of the venv, so the user's own JupyterLab settings stay untouched.
LAB_LANG ?= en
lab: $(STAMP)
	@case "$(LAB_LANG)" in en|zh-CN|zh-TW) ;; *) echo "LAB_LANG must be en, zh-CN or zh-TW, not '$(LAB_LANG)'"; exit 2;; esac
	@if [ "$(LAB_LANG)" = en ]; then \
	  $(VENV)/bin/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root); \
	else \
	  settings=$(VENV)/lab-settings-$(LAB_LANG); locale=$$(echo $(LAB_LANG) | tr - _); \
	  mkdir -p $$settings/@jupyterlab/translation-extension; \
	  echo "{\"locale\": \"$$locale\"}" > $$settings/@jupyterlab/translation-extension/plugin.jupyterlab-settings; \
	  JUPYTERLAB_SETTINGS_DIR=$$settings $(VENV)/bin/jupyter lab notebooks/$(LAB_LANG)/ \
	    $$([ "$$(id -u)" = 0 ] && echo --allow-root); \
	fi

test: $(STAMP) lint test-package test-notebooks

lint: $(STAMP)
	$(PY) -m ruff check microgpt tests tools notebooks

# on every core (pytest-xdist): --dist loadscope keeps a test file on one worker (its expensive set-up, a Colab-like
# venv, a JupyterLab server, an nbgrader course, is made once) and the mutant test's class of each lesson too
test-package: $(STAMP) $(CLASSROOM)
	$(PY) -m pytest tests -q -n auto --dist loadscope

# the lessons under nbval, shrunk by MICROGPT_QUICK=1; --nbval-lax checks only cells marked NBVAL_CHECK_OUTPUT.
# The Chinese lessons (generated, stored without outputs) run too, and fail on a figure with a missing glyph.
test-notebooks: $(STAMP)
	MICROGPT_QUICK=1 $(PY) -m pytest -q -p no:cacheprovider -n auto --dist loadfile --nbval-lax --nbval-current-env \
	  -p tests.nbval_glyphs notebooks/*.ipynb notebooks/zh-CN/*.ipynb notebooks/zh-TW/*.ipynb

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
