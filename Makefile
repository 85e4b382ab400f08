# make lab: open the course; make test: run every test, notebooks included. Both set up .venv first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CLASSROOM := $(VENV)/.classroom-stamp

.PHONY: lab test test-package test-notebooks exercises assignments weights bench lint clean

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
lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

test: $(STAMP) lint test-package test-notebooks

lint: $(STAMP)
	$(PY) -m ruff check microgpt tests tools notebooks

# on every core (pytest-xdist); tests/conftest.py groups the tests so that each expensive set-up is made once
test-package: $(STAMP) $(CLASSROOM)
	$(PY) -m pytest tests -q -n auto --dist loadgroup

# the lessons under nbval, shrunk by MICROGPT_QUICK=1; --nbval-lax checks only cells marked NBVAL_CHECK_OUTPUT
test-notebooks: $(STAMP)
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
	  MICROGPT_QUICK=1 $(PY) -m pytest -q -p no:cacheprovider -n auto --dist loadfile --nbval-lax --nbval-current-env \
	    notebooks/*.ipynb; \
	else echo "no lessons yet"; fi

# regenerate the fill-in versions of the lessons in notebooks/exercises/
exercises: $(STAMP)
	$(PY) tools/make_exercises.py

# write the nbgrader course tree in classroom/ (git-ignored): source/lessonNN/ and nbgrader_config.py
assignments: $(CLASSROOM)
	$(PY) tools/make_assignments.py

bench: $(STAMP)
	$(PY) -m microgpt.bench

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache

# the shipped weights: our own 1000-step run of the reference configuration, reproduced bit for bit
weights: $(STAMP)
	@test -n "$$MICROGPT_DATA" || { echo "set MICROGPT_DATA to names.txt (e.g. ../shared/data/names.txt)"; exit 1; }
	$(PY) -m microgpt --samples 0 --save microgpt/pretrained.json
