"""The former name of tools/exercises.py, kept while tools still import it: use `python -m tools.exercises`."""

from tools.exercises import *  # noqa: F403
