"""The checks of lesson 07, one module per idea; importing them registers their exercises."""

from . import names, recap, tokens  # noqa: F401
