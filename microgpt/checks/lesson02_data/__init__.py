"""The checks of lesson 02, one module per idea; importing them registers their exercises."""

from . import bigrams, recap, sampling, tokens  # noqa: F401
