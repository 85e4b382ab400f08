"""The checks of lesson 01, one module per idea; importing them registers their exercises."""

from . import backward, gradient_check, recap, slopes  # noqa: F401
