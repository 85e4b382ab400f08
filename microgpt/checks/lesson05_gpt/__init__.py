"""The checks of lesson 05, one module per idea; importing them registers their exercises."""

from . import blocks, model, recap  # noqa: F401
