"""The checks of lesson 06, one module per idea; importing them registers their exercises."""

from . import adam, loop, recap, step  # noqa: F401
