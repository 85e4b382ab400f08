"""Run the command line: python -m microgpt --help."""

import sys

from .cli import main

sys.exit(main(program=True))
