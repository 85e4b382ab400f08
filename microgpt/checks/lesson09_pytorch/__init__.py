"""The checks of lesson 09, one module per idea; importing them registers their exercises."""

from . import attention, loss, sampling  # noqa: F401
