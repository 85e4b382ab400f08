"""Grade one submission: its cells run in the student's process, its check cells here, on values passed across.

`grade(cells, lang)` takes the notebook's code cells in order, each a dict with its source and, for a graded
check cell, its grade id and points. A check cell must read `checks.check_NAME(a, b, ...)`; the check comes
from this process's own microgpt.checks and is given the student's objects by name: data as data, functions
as handles that run in the student's process. A function that calls the package's finished version of
itself earns nothing. A process that dies, loops or floods is started again with the cells that ran well,
so only the exercises it broke are lost. Used by the nbgrader preprocessor (nbgrader.py) and the tests.
"""

import ast
import builtins
import contextlib
import importlib
import io
import random
import signal
import threading
import time
from dataclasses import dataclass, field

from ..i18n import tr, use_language
from . import scan
from .messages import DELEGATED, NOT_GRADED, say
from .sandbox import MEMORY, Stopped, Worker
from .wire import Decoder, Encoder, _package_class, set_fields

MAX_RESTARTS = 4  # then the rest of the submission is not graded (each start replays the cells that ran)


@dataclass
class Result:
    """One check cell's verdict: points earned, the line the student sees, what the grader stopped or refused."""

    grade_id: str
    points: float
    earned: float = 0.0
    output: str = ""
    failure: str = ""
    refused: list = field(default_factory=list)


@dataclass
class Report:
    """The whole submission: each check's result, what ran where, and everything refused or stopped."""

    results: list
    incidents: list
    sandbox: str
    seconds: float

    def text(self):
        """The instructor's report, a few lines."""
        earned, total = sum(r.earned for r in self.results), sum(r.points for r in self.results)
        lines = [f"{earned:g} of {total:g} points; student's process: {self.sandbox}; {self.seconds:.1f} s"]
        lines += [f"  {r.grade_id}: {r.earned:g}/{r.points:g}" + (f"  [{'; '.join(r.refused)}]" if r.refused else "")
                  for r in self.results]
        lines += [f"  ! {i}" for i in self.incidents]
        return "\n".join(lines)


class LearnerError(Exception):
    """An error of a type the grader does not rebuild, raised in the student's process."""


def _rebuilt(error):
    """The student's error as an exception of the same builtin type (a NotImplementedError from its stub)."""
    kind, message, inner = error.get("type"), str(error.get("message", "")), str(error.get("inner", ""))
    cls = getattr(builtins, str(kind), None)
    module = str(error.get("module", ""))
    if module.startswith("microgpt.checks.") and str(kind).isidentifier():  # a check's own signal, e.g. a stop
        cls = getattr(importlib.import_module(module), str(kind), None)
        if isinstance(cls, type) and issubclass(cls, BaseException) and cls.__module__ == module:
            return cls()
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        return LearnerError(f"{kind}: {message}")
    err = cls(message)
    if cls is NotImplementedError and inner.isidentifier():
        space = {}
        exec(f"def {inner}(e):\n    raise e", space)  # noqa: S102 (a one-line function named after the stub)
        try:
            space[inner](err)
        except NotImplementedError as raised:
            return raised
    return err


def check_call(source):
    """(check name, argument names) of a check cell `checks.check_NAME(a, b)`, or None for anything else."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Expr) or not isinstance(tree.body[0].value, ast.Call):
        return None
    call = tree.body[0].value
    func = call.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "checks"
            and func.attr.startswith("check_") and not call.keywords
            and all(isinstance(a, ast.Name) for a in call.args)):
        return None
    return func.attr, [a.id for a in call.args]


class Session:
    """The student's process, started again (with the cells that ran well) whenever it is stopped."""

    def __init__(self, hide, timeout, forbid, env=None, memory=MEMORY):
        self.hide, self.timeout, self.forbid, self.env, self.memory = hide, timeout, forbid, env, memory
        self.history, self.incidents, self.restarts = [], [], 0
        self.worker, self.delegated, self.stops = None, set(), []
        self._start()

    def _start(self):
        """A fresh process with the tripwires set and the good cells replayed."""
        self.worker = Worker(self.hide, env=self.env, memory=self.memory)
        self.worker.request("forbid", self.timeout, names=self.forbid)
        for source in self.history:
            self.worker.request("cell", self.timeout, source=source)

    def _stopped(self, why, where):
        """Note a stop and start again, or give up after MAX_RESTARTS."""
        self.stops.append(why)
        self.incidents.append(f"{why} ({where}): the student's process was stopped and started again")
        self.restarts += 1
        if self.restarts > MAX_RESTARTS:
            raise Stopped("too many stops")
        self._start()

    def _note(self, reply, where):
        """Keep what the student's process says it saw changed."""
        self.incidents += [f"{i} ({where}, reported by the student's process)" for i in reply.get("incidents", ())]

    def run(self, source, where):
        """Run a cell; kept for replays when the process survives it."""
        try:
            reply = self.worker.request("cell", self.timeout, source=source)
        except Stopped as stop:
            self._stopped(stop.why, where)
            return
        self._note(reply, where)
        if (reply.get("error") or {}).get("type") == "MemoryError":  # the memory it holds would starve later cells
            self._stopped("memory full", where)
            return
        self.history.append(source)

    def get(self, name, where):
        """The student's object called `name`: data, or a Handle for a function; NameError when undefined."""
        reply = self._ask(where, "get", name=name)
        if reply.get("error"):
            raise _rebuilt(reply["error"])
        return self._decoder({}).message(reply["result"])

    def _ask(self, where, op, **fields):
        """A request; a stop restarts the process and fails this request."""
        try:
            reply = self.worker.request(op, self.timeout, **fields)
        except Stopped as stop:
            self._stopped(stop.why, where)
            raise LearnerError(f"the student's process was stopped ({stop.why})") from None
        self._note(reply, where)
        return reply

    def _decoder(self, sent):
        """A decoder of the student's data that knows the objects sent in this call."""
        from ..value import Value

        return Decoder(Value, known=sent, caller=self.call)

    def call(self, handle, args, kwargs):
        """Call a student's function in its process: arguments out, result and changed arguments back."""
        encoder = Encoder(code=True)
        message = encoder.message([list(args), kwargs])
        reply = self._ask(self.where, "call", handle=handle.number, args=message, forbid=self.forbid)
        self.delegated |= set(reply.get("delegated", ()))
        decoder = self._decoder(encoder.sent)
        result, state = decoder.message(reply["result"])
        for ref, new in state.items():
            _restore(encoder.sent.get(ref), new)
        if reply.get("error"):
            raise _rebuilt(reply["error"])
        return result


def _restore(obj, new):
    """Copy a changed argument back into the grader's own object (copy-restore)."""
    from ..value import Value

    if isinstance(obj, Value) and isinstance(new, list) and len(new) == 2:
        obj.data, obj.grad = new
    elif isinstance(obj, list) and isinstance(new, list):
        obj[:] = new
    elif isinstance(obj, dict) and isinstance(new, dict):
        obj.clear()
        obj.update(new)
    elif isinstance(obj, random.Random) and isinstance(new, tuple):
        with contextlib.suppress(TypeError, ValueError):
            obj.setstate(new)
    elif _package_class(type(obj)) and isinstance(new, dict):
        set_fields(obj, new)


def grade(cells, lang="en", hide="/", timeout=600, env=None, memory=MEMORY):
    """Grade a submission's code cells (dicts: source, and grade_id, points for a check cell): a Report."""
    from .. import checks

    use_language(lang)
    start, results = time.monotonic(), []
    names = [n for c in cells if c.get("grade_id") for n in (check_call(c["source"]) or ("", []))[1]]
    session = Session(hide, timeout, scan.forbidden(n for n in names if n != "answers"), env, memory)
    try:
        previous = ""
        for cell in cells:
            if not cell.get("grade_id"):
                session.where = cell.get("id", "a cell")
                tamper = scan.tampering(cell["source"])
                session.incidents += [f"{t} (cell {cell.get('id', '?')}, in its source)" for t in tamper]
                session.run(cell["source"], f"cell {cell.get('id', '?')}")
                previous = cell["source"]
                continue
            session.where = cell["grade_id"]
            results.append(_check(session, checks, cell, previous))
    except Stopped:
        session.incidents.append("stopped too often: the rest of the submission was not graded")
        done = {r.grade_id for r in results}
        results += [Result(c["grade_id"], c["points"], failure=say(NOT_GRADED))
                    for c in cells if c.get("grade_id") and c["grade_id"] not in done]
    finally:
        session.worker.close()
    return Report(results, session.incidents, session.worker.sandbox, time.monotonic() - start)


def _check(session, checks, cell, exercise_source):
    """Run one check cell here, on the student's objects; a Result."""
    result = Result(cell["grade_id"], cell["points"])
    parsed = check_call(cell["source"])
    if parsed is None or not callable(getattr(checks, parsed[0], None)):
        result.failure = "not a check cell of the course"
        return result
    name, arguments = parsed
    functions = [a for a in arguments if a != "answers"]
    session.delegated.clear()
    output, late = io.StringIO(), []
    try:
        with contextlib.redirect_stdout(output), _deadline(2 * session.timeout, late):
            objects = [session.get(a, cell["grade_id"]) for a in arguments]
            getattr(checks, name)(*objects)
    except AssertionError as failure:
        result.failure = _shown(failure)
    except Exception as err:  # noqa: BLE001 (a NameError for a missing answer, an error of the student's)
        result.failure = f"{type(err).__name__}: {err}"
    if late:  # the check itself ran out of time (on data built to make it slow): start the process again
        result.failure = result.failure or "time-out"
        session.worker.close()
        session._stopped("time-out of the check", cell["grade_id"])
    result.output = output.getvalue()
    delegated = sorted((session.delegated | set(scan.delegations(exercise_source, scan.forbidden(functions))))
                       & set(scan.forbidden(functions)))
    if delegated:
        what = ", ".join(delegated)
        result.failure = say(DELEGATED, what=what)
        result.refused.append(f"delegation: calls microgpt's own {what}")
    if session.stops:
        result.refused += [f"stopped: {why}" for why in session.stops]
        session.stops.clear()
    if not result.failure:
        result.earned = result.points
    return result


@contextlib.contextmanager
def _deadline(seconds, late):
    """Stop the check after `seconds` (SIGALRM; main thread only), noting it in `late`: the grader's own time
    on the student's data is bounded too."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        late.append(True)
        raise TimeoutError("the check ran out of time")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(max(1, int(seconds)))
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _shown(failure):
    """A check's failure as the student sees it: the message and hint, then which hint to ask for."""
    text = str(failure)
    exercise = getattr(failure, "exercise", None)
    if exercise:
        text += "\n" + tr('Stuck? checks.hint("{exercise_id}") gives a hint in three steps.', exercise_id=exercise)
    return text
