"""Execute the Chinese lessons at full size, in place, so that they carry their outputs as the English ones do.

Used by `python -m tools.translate run` and tools.regenerate; tools.translate_build keeps the outputs of every
cell whose code is unchanged.
"""

import os
import time
from pathlib import Path

import nbformat

from tools import notebooks, translate_build

ROOT = Path(__file__).resolve().parent.parent


def execute(target):
    """Execute the notebook at `target` at full size and write it back; return the seconds it took."""
    from nbclient import NotebookClient

    start = time.perf_counter()
    nb = nbformat.read(target, as_version=4)
    env_quick = os.environ.pop("MICROGPT_QUICK", None)  # full size: the outputs must match the prose
    try:
        NotebookClient(nb, timeout=None, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(target.parent)}}).execute()
    finally:
        if env_quick is not None:
            os.environ["MICROGPT_QUICK"] = env_quick
    notebooks.write(nb, target)  # no timestamps: a run that changed no output changes no file
    return time.perf_counter() - start


def run(langs=translate_build.LANGS, lessons=None):
    """Execute the Chinese lessons of `langs` (only the numbers in `lessons` when given); return 0."""
    for lang in langs:
        for path in translate_build.lesson_text.lesson_paths():
            if lessons and path.stem[:2] not in lessons:
                continue
            target = translate_build.NOTEBOOKS / lang / path.name
            seconds = execute(target)
            print(f"ran {target.relative_to(ROOT)} in {seconds:.0f} s", flush=True)
    return 0
