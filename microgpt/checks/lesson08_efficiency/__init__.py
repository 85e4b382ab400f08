"""The checks of lesson 08, one module per idea; importing them registers their exercises."""

from . import counting, numpy_attention, numpy_backward, numpy_forward, recap  # noqa: F401
