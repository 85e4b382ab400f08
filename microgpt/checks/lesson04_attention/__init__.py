"""The checks of lesson 04, one module per idea; importing them registers their exercises."""

from . import heads, recap, weights  # noqa: F401
