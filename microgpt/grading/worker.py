"""The student's side of secure grading: runs the submission's cells and calls its functions on request (grading).

Started by sandbox.py as `python -m microgpt.grading.worker`, inside the sandbox, with its time and memory
limits already set. It talks to the grader over its stdin and stdout, one JSON message a line; the
student's own output goes to a capped file in the scratch folder. Nothing here is trusted by the grader:
the student's code runs in this process and may change any of it. What this process reports beyond the
values asked for (tripwires on the package's finished functions, a changed checks module or builtins, an
IPython hook) helps the instructor's report; a grade never depends on it being honest.
"""

import builtins
import functools
import json
import os
import random
import sys

from .wire import _package_class, fields

OUTPUT_CAP = 2_000_000  # bytes of the student's output kept; more is cut (the file is emptied between cells)


def _serve(inp, out):
    """Answer requests until the grader closes the pipe."""
    from IPython.core.interactiveshell import InteractiveShell

    from microgpt import checks
    from microgpt.value import Value

    from .wire import Decoder, Encoder, dumps

    shell = InteractiveShell.instance()
    handles, tripped = [], set()
    watch = _Watch(shell, checks)
    for line in inp:
        request = json.loads(line)
        op, reply = request["op"], {"id": request["id"]}
        try:
            if op == "forbid":
                _tripwires(request["names"], tripped)
            elif op == "cell":
                result = shell.run_cell(request["source"], store_history=False)
                error = result.error_before_exec or result.error_in_exec
                reply["error"] = None if error is None else _error(error)
            elif op == "get":
                if request["name"] not in shell.user_ns:
                    reply["error"] = {"type": "NameError", "message": f"name '{request['name']}' is not defined"}
                else:
                    reply["result"] = Encoder(handles=handles).message(shell.user_ns[request["name"]])
            elif op == "call":
                reply.update(_call(request, handles, tripped, Decoder, Encoder, Value))
        except BaseException as err:  # noqa: BLE001 (the student's code may raise anything, SystemExit too)
            reply["error"] = _error(err)
        reply["incidents"] = watch.changes() + (["flooded its output (cut)"] if _truncate_output() else [])
        out.write(dumps(reply) + "\n")
        out.flush()


def _call(request, handles, tripped, Decoder, Encoder, Value):
    """Call a student's function with the grader's arguments; the result, the arguments' new state, delegations."""
    decoder = Decoder(Value, code=True)
    args, kwargs = decoder.message(request["args"])
    tripped.clear()
    try:
        result, error = handles[request["handle"]](*args, **dict(kwargs)), None
    except BaseException as err:  # noqa: BLE001
        result, error = None, _error(err)
    known = {id(obj): ref for ref, obj in decoder.received.items()}
    encoder = Encoder(known=known, handles=handles)
    state = {ref: _state(obj) for ref, obj in decoder.received.items()}
    body = encoder.message([result, state])
    return {"result": body, "error": error, "delegated": sorted(tripped & set(request["forbid"]))}


def _state(obj):
    """What a call may have changed in an argument the grader sent: a Value's data and grad, a list's items."""
    if type(obj).__name__ == "Value":
        return [obj.data, obj.grad]
    if isinstance(obj, (list, dict)):
        return type(obj)(obj)  # a copy: its items go back as they are now (the grader's own by reference)
    if isinstance(obj, random.Random):
        return obj.getstate()
    return fields(obj) if _package_class(type(obj)) else None


def _error(err):
    """An exception as data: its type, message and the innermost function (for 'not written yet')."""
    tb, inner = err.__traceback__, "<module>"
    while tb is not None:
        inner, tb = tb.tb_frame.f_code.co_name, tb.tb_next
    return {"type": type(err).__name__, "module": type(err).__module__, "message": str(err)[:500], "inner": inner}


def _tripwires(names, tripped):
    """Wrap the package's finished functions called `names`, noting each call made from outside the package."""
    import microgpt

    package = os.path.dirname(microgpt.__file__)
    for name, owner in _finished(names):
        original = getattr(owner, name)

        @functools.wraps(original)
        def wire(*args, __original=original, __name=name, **kwargs):
            if not sys._getframe(1).f_code.co_filename.startswith(package):
                tripped.add(__name)
            return __original(*args, **kwargs)

        for module in list(sys.modules.values()):  # every module that imported it, as well as its home
            if getattr(module, "__name__", "").startswith("microgpt") and getattr(module, name, None) is original:
                setattr(module, name, wire)
        setattr(owner, name, wire)


def _finished(names):
    """(name, owner) of each function or method of the package called one of `names` (owner: module or class)."""
    import importlib
    import pkgutil

    import microgpt

    found = []
    for info in pkgutil.iter_modules(microgpt.__path__, "microgpt."):
        if info.name.split(".")[1] in ("checks", "grading", "widgets", "widgets_torch", "viz", "__main__"):
            continue
        path = os.path.join(os.path.dirname(microgpt.__file__), info.name.split(".")[1] + ".py")
        if not os.path.exists(path):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if not any(f"def {n}(" in text for n in names):
            continue  # not imported for nothing (the torch engine takes seconds)
        try:
            module = importlib.import_module(info.name)
        except Exception:  # noqa: BLE001 (an optional engine whose library is missing)
            continue
        for owner in [module, *(v for v in vars(module).values() if isinstance(v, type)
                                if v.__module__ == module.__name__)]:
            found += [(n, owner) for n in names if callable(vars(owner).get(n))]
    return found


class _Watch:
    """What the submission changed that a grader would want to know about (reported, never trusted)."""

    def __init__(self, shell, checks):
        self.shell, self.checks = shell, checks
        self.check_functions = {n: getattr(checks, n) for n in dir(checks) if n.startswith("check")}
        self.builtins = dict(vars(builtins))
        self.hooks = self._hooks()
        self.seen = set()

    def _hooks(self):
        """The IPython hooks registered by code outside IPython and matplotlib (the student's)."""
        events = [f for v in self.shell.events.callbacks.values() for f in v
                  if not (getattr(f, "__module__", None) or "").startswith(("IPython", "matplotlib", "ipykernel"))]
        return len(events), len(self.shell.input_transformers_post), self.shell.custom_exceptions

    def changes(self):
        """The changes not reported before."""
        now = []
        replaced = [n for n, fn in self.check_functions.items() if getattr(self.checks, n, None) is not fn]
        if replaced:
            now.append(f"replaced microgpt.checks.{replaced[0]}" + (f" and {len(replaced) - 1} more checks"
                                                                     if len(replaced) > 1 else ""))
        now += [f"replaced the builtin {n}" for n, obj in self.builtins.items() if vars(builtins).get(n) is not obj]
        if self._hooks() != self.hooks:
            now.append("registered an IPython hook")
        new = [c for c in now if c not in self.seen]
        self.seen.update(new)
        return new


def _truncate_output():
    """Empty the student's output file once it passes the cap (a flood costs the cell that floods, no more);
    True if it did."""
    try:
        if os.fstat(1).st_size > OUTPUT_CAP:
            os.ftruncate(1, 0)
            return True
    except OSError:
        pass
    return False


def main():
    """Keep the pipes to the grader, send the student's output to a file, serve."""
    inp = os.fdopen(os.dup(0), "r", encoding="utf-8")
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    log = os.open("output.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.dup2(log, 1)
    os.dup2(log, 2)
    _serve(inp, out)


if __name__ == "__main__":
    main()
