"""Everything generated from the English lessons, brought up to date after an edit: one command.

    python -m tools.regenerate            (or `make generate`)
    python -m tools.regenerate --no-run   everything but executing the Chinese lessons

In order, each step timed:
1. the exercise versions and the lessons' set-up cells (tools.exercises);
2. the translation catalogs (tools.translate update): a changed English entry turns fuzzy, a new one comes in
   untranslated; both show in English until translated (`python -m tools.translate status --diff` lists them);
3. the Chinese course, zh-CN and zh-TW (tools.translate build): lessons, exercise versions, glossary pages,
   READMEs, compiled message catalogs; each Chinese lesson keeps the outputs of every code cell that computes
   the same as in the stored executed lesson (only comments differ, or nothing);
4. executed again at full size: only the Chinese lessons with a code cell that lost its outputs in step 3 (its
   code changed, or it is new). A prose fix executes nothing.

Other commands: `python -m tools.translate run [--lang zh-CN] [01 06]` executes Chinese lessons regardless.
"""

import argparse
import re
import sys
import time
from pathlib import Path

from tools import exercises, translate, translate_build, translate_run

ROOT = Path(__file__).resolve().parent.parent


def timed(label, step):
    """Run step(), print how long `label` took; return what step() returned."""
    start = time.perf_counter()
    result = step()
    print(f"[{time.perf_counter() - start:6.1f} s] {label}", flush=True)
    return result


def _report(paths, verb="wrote"):
    """One line per path written."""
    for path in paths:
        print(f"  {verb} {Path(path).relative_to(ROOT)}")


def execute(changed):
    """Execute each lesson of `changed` ({path: changed cell ids}) at full size, timing each; the exit status.

    A lesson whose run fails is left as built (without outputs where its code changed); one line says why.
    """
    from nbclient.exceptions import CellExecutionError

    status = 0
    for path, cells in sorted(changed.items()):
        rel = path.relative_to(ROOT)
        try:
            seconds = translate_run.execute(path)
        except CellExecutionError as err:
            last = [line for line in re.sub(r"\x1b\[[0-9;]*m", "", str(err)).split("\n") if line.strip()][-1]
            print(f"{rel}: a cell failed ({last[:200]}); fix the English lesson and run again", file=sys.stderr)
            status = 1
            continue
        print(f"[{seconds:6.1f} s] executed {rel} ({len(cells)} code cells changed: "
              f"{', '.join(cells[:4])}{', ...' if len(cells) > 4 else ''})", flush=True)
    return status


def main(argv=None):
    """Regenerate everything (see the module docstring); the exit status."""
    parser = argparse.ArgumentParser(prog="python -m tools.regenerate", description=__doc__.split("\n")[0])
    parser.add_argument("--no-run", action="store_true", help="do not execute the Chinese lessons whose code changed")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    _report(timed("exercise versions (tools.exercises)", exercises.build))
    _report(timed("translation catalogs (tools.translate update)", translate.update), "updated")
    left = translate.problems()
    if left:
        print(f"  {len(left)} entries fuzzy or untranslated: shown in English (python -m tools.translate status)")
    changed = {}
    if timed("Chinese course (tools.translate build)", lambda: translate_build.build(changed=changed)):
        return 1
    if not changed:
        print("no Chinese lesson's code changed: nothing to execute")
    elif args.no_run:
        print("not executed (--no-run): " + ", ".join(str(p.relative_to(ROOT)) for p in sorted(changed)))
    elif execute(changed):
        return 1
    print(f"[{time.perf_counter() - start:6.1f} s] regenerated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
