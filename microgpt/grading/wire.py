"""What crosses between the grader and the student's process: plain data as JSON, never a pickle (grading).

From the student's side only a whitelist comes back: None, bool, int, float (NaN and infinities included),
str, list, tuple, dict, Value graphs (data, grad, children, local grads, op), NumPy arrays and torch
tensors of numeric dtypes. Anything else arrives as an `Opaque` stand-in (its type name and a short repr),
which no check accepts; a function of the student's arrives as a `Handle`, which the grader can only call
back. Objects the grader sent come back as references to the grader's own objects (so `topo_sort` can
return the very nodes it was given), and their new state (grads set by `backward`, lists changed in place)
is copied back after each call. Functions the grader hands over go the other way only, as their code:
the student's side rebuilds them from the grader's compiled source (marshal is read there, never here).
"""

import base64
import importlib
import json
import marshal
import math
import random
import types

MAX_DEPTH = 200  # nesting deeper than this is refused (a list of lists of ... is no answer of the course)
ARRAY_DTYPES = {"float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"}


class Opaque:
    """A student's object of a type the grader does not take: it equals nothing but itself."""

    def __init__(self, kind, text):
        self.kind, self.text = kind, text

    def __repr__(self):
        return f"<{self.kind} {self.text}>"


class Handle:
    """A function of the student's, callable only through the student's process."""

    def __init__(self, number, name, caller):
        self.number, self.__name__, self.__qualname__, self._caller = number, name, name, caller

    def __call__(self, *args, **kwargs):
        return self._caller(self, args, kwargs)

    def __repr__(self):
        return f"<function {self.__name__}>"


def _is_value(x):
    """A node of a Value graph, of the package's class or of a notebook's own."""
    return type(x).__name__ == "Value" and all(hasattr(x, a) for a in ("data", "grad", "_children", "_local_grads"))


class Encoder:
    """Turn a Python object into JSON-ready data; `known` maps id(obj) -> reference for objects sent earlier."""

    def __init__(self, known=None, handles=None, code=False):
        self.known = known if known is not None else {}
        self.handles, self.code = handles, code  # handles: the student's side keeps its functions here
        self.nodes, self.sent, self.numbered = {}, {}, {}  # ref -> node's fields; ref -> object; id -> ref

    def message(self, obj):
        """The whole message: the Value graph's nodes and the body."""
        body = self.encode(obj)
        return {"nodes": self.nodes, "body": body}

    def encode(self, x, depth=0):
        """One object, recursively (Values through their graph, iteratively)."""
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if id(x) in self.known:
            return {"$r": self.known[id(x)]}
        if x is None or isinstance(x, (bool, str)) or type(x) is int:
            return x
        if type(x) is float:
            return x if math.isfinite(x) else {"$f": repr(x)}
        if type(x) in (list, tuple, dict):
            ref = self._remember(x)
            if type(x) is dict:
                items = [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in x.items()]
                return {"$d": items, "id": ref}
            return {"$l" if type(x) is list else "$t": [self.encode(v, depth + 1) for v in x], "id": ref}
        if _is_value(x):
            return {"$v": self._graph(x)}
        array = self._array(x)
        if array is not None:
            return array
        if type(x) is random.Random:
            return {"$rng": self.encode(x.getstate(), depth + 1), "id": self._remember(x)}
        if _package_class(type(x)) and not isinstance(x, (type, types.FunctionType, types.MethodType)):
            return {"$i": [type(x).__module__, type(x).__qualname__], "state": self.encode(fields(x), depth + 1),
                    "id": self._remember(x)}
        if self.code and callable(x):
            return self._function(x)
        if self.handles is not None and callable(x):
            self.handles.append(x)
            return {"$h": len(self.handles) - 1, "name": str(getattr(x, "__name__", "function"))[:100]}
        return {"$o": type(x).__name__[:100], "text": repr(x)[:200] if self.code else _safe_repr(x)}

    def _remember(self, x):
        """A reference for a mutable object, so that it can be found again (and updated) on the other side."""
        ref = f"{'g' if self.code else 's'}{len(self.sent)}"
        self.sent[ref] = x
        return ref

    def _graph(self, root):
        """Number every node of root's graph not sent yet (iteratively: graphs are deep); root's reference."""
        stack, new = [root], []
        while stack:
            node = stack.pop()
            if id(node) in self.known or id(node) in self.numbered:
                continue
            self.numbered[id(node)] = self._remember(node)
            new.append(node)
            stack.extend(node._children)
        for node in new:
            self.nodes[self.numbered[id(node)]] = [
                self.encode(node.data, 1), self.encode(node.grad, 1), [self._ref(c) for c in node._children],
                [self.encode(g, 1) for g in node._local_grads], str(getattr(node, "op", ""))[:20]]
        return self._ref(root)

    def _ref(self, node):
        """The reference of a node: one of the other side's, or numbered in this message."""
        return self.known[id(node)] if id(node) in self.known else self.numbered[id(node)]

    def _array(self, x):
        """A NumPy array or torch tensor of a numeric dtype (None for anything else)."""
        kind = type(x).__module__.split(".")[0]
        if kind not in ("numpy", "torch") or not hasattr(x, "shape"):
            return None
        if kind == "torch":
            x = x.detach().cpu().numpy()
        if str(x.dtype) not in ARRAY_DTYPES:
            return None
        flat = [self.encode(float(v) if x.dtype.kind == "f" else v.item(), 1) for v in x.reshape(-1)]
        return {"$a" if kind == "numpy" else "$T": [str(x.dtype), list(x.shape), flat], "id": self._remember(x)}

    def _function(self, fn):
        """A grader's function as its compiled code, for the student's side to rebuild (grader -> student only)."""
        if isinstance(fn, types.FunctionType):
            closure = [self.encode(c.cell_contents, 1) for c in (fn.__closure__ or ())]
            defaults = self.encode(fn.__defaults__ or (), 1)
            return {"$c": base64.b64encode(marshal.dumps(fn.__code__)).decode(), "module": fn.__module__,
                    "closure": closure, "defaults": defaults}
        return {"$b": [getattr(fn, "__module__", None) or "builtins", fn.__qualname__]}


def _package_class(cls):
    """True for a class of the package's finished pieces (GPT, GPTConfig, Adam, Tokenizer, ...)."""
    module = getattr(cls, "__module__", "") or ""
    return module.startswith("microgpt.") and not module.startswith(("microgpt.grading", "microgpt.checks"))


def fields(obj):
    """An object's attributes as a dict (its __dict__ and its __slots__)."""
    found = dict(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        for name in getattr(cls, "__slots__", ()):
            if hasattr(obj, name):
                found[name] = getattr(obj, name)
    return found


def set_fields(obj, state):
    """Set an object's attributes from a dict (names of plain attributes only)."""
    for name, value in state.items():
        if isinstance(name, str) and name.isidentifier() and not name.startswith("__"):
            object.__setattr__(obj, name, value)


def _safe_repr(x):
    """A student's object named without calling its own __repr__ (which is the student's code)."""
    return f"object of type {type(x).__name__[:100]}"


class Decoder:
    """Rebuild an object from a message; only the whitelisted types, anything else as an Opaque."""

    def __init__(self, value_class, known=None, caller=None, code=False):
        self.value_class, self.known = value_class, known if known is not None else {}
        self.caller, self.code = caller, code  # code: this side rebuilds functions (the student's side only)
        self.received, self.nodes = {}, {}

    def message(self, msg):
        """The body of a whole message, its Value nodes rebuilt first."""
        raw = msg["nodes"]
        for ref in raw:
            self.nodes[ref] = self.known.get(ref) or object.__new__(self.value_class)
        for ref, (data, grad, children, local_grads, op) in raw.items():
            if ref in self.known:
                continue
            node = self.nodes[ref]
            node.data, node.grad = _number(self.decode(data)), _number(self.decode(grad))
            node._children = tuple(self._node(c) for c in children)
            node._local_grads = tuple(self.decode(g) for g in local_grads)
            for name, value in (("op", str(op)), ("label", "")):
                if hasattr(type(node), name) or not hasattr(type(node), "__slots__"):
                    setattr(node, name, value)
            self.received[ref] = node
        return self.decode(msg["body"])

    def _node(self, ref):
        """A node of the message, or an object of this side sent earlier."""
        return self.nodes[ref] if ref in self.nodes else self.known[ref]

    def decode(self, x, depth=0):
        """One object; unknown shapes become Opaque."""
        if depth > MAX_DEPTH:
            raise ValueError("nested too deeply")
        if x is None or isinstance(x, (bool, int, float, str)):
            return x
        if isinstance(x, list):
            return Opaque("list", "malformed")
        tag = next(iter(x), None) if isinstance(x, dict) else None
        if tag == "$r":
            return self.known[x["$r"]]
        if tag == "$f":
            return float({"nan": "nan", "inf": "inf", "-inf": "-inf"}[x["$f"]])
        if tag in ("$l", "$t"):
            items = [self.decode(v, depth + 1) for v in x[tag]]
            obj = items if tag == "$l" else tuple(items)
        elif tag == "$d":
            obj = {self._key(k, depth): self.decode(v, depth + 1) for k, v in x["$d"]}
        elif tag == "$v":
            return self._node(x["$v"])
        elif tag in ("$a", "$T"):
            obj = _array(tag, *x[tag])
        elif tag == "$rng":
            obj = random.Random()
            obj.setstate(self.decode(x["$rng"], depth + 1))
        elif tag == "$i":
            obj = self._instance(x, depth)
        elif tag == "$h" and self.caller is not None:
            return Handle(int(x["$h"]), str(x.get("name", "function"))[:100], self.caller)
        elif tag in ("$c", "$b") and self.code:
            return self._function(x)
        else:
            return Opaque(str(x.get("$o", "object"))[:100], str(x.get("text", ""))[:200])
        if "id" in x:
            self.received[str(x["id"])] = obj
        return obj

    def _instance(self, x, depth):
        """An object of one of the package's classes, its attributes set (no code of the other side runs)."""
        module, qualname = (str(part) for part in x["$i"])
        cls = importlib.import_module(module) if module.startswith("microgpt.") else None
        for part in qualname.split("."):
            cls = getattr(cls, part, None)
        if not (isinstance(cls, type) and _package_class(cls)):
            return Opaque("object", "of a class outside the package")
        obj = cls.__new__(cls)
        state = self.decode(x["state"], depth + 1)
        set_fields(obj, state if isinstance(state, dict) else {})
        return obj

    def _key(self, k, depth):
        """A dict key: hashable whitelisted data only."""
        key = self.decode(k, depth + 1)
        hash(key)  # a list as a key is malformed: the TypeError fails the call
        return key

    def _function(self, x):
        """Rebuild a grader's function from its code (student's side only)."""
        if "$b" in x:
            module, qualname = x["$b"]
            obj = importlib.import_module(module)
            for part in qualname.split("."):
                obj = getattr(obj, part)
            return obj
        code = marshal.loads(base64.b64decode(x["$c"]))
        module = importlib.import_module(x["module"])
        closure = tuple(types.CellType(self.decode(c, 1)) for c in x["closure"])
        return types.FunctionType(code, vars(module), code.co_name, self.decode(x["defaults"], 1) or None,
                                  closure or None)


def _number(x):
    """A Value's data or grad: a number, or an Opaque in its place."""
    return x if isinstance(x, (int, float)) else Opaque("data", repr(x)[:100])


def _array(tag, dtype, shape, flat):
    """A NumPy array (or torch tensor) rebuilt from its dtype, shape and numbers."""
    import numpy as np

    if dtype not in ARRAY_DTYPES:
        return Opaque("array", "of an unknown dtype")
    values = [float(f["$f"]) if isinstance(f, dict) else f for f in flat]  # NaN and infinities arrive tagged
    array = np.array(values, dtype=dtype).reshape([int(n) for n in shape])
    if tag == "$T":
        import torch

        return torch.from_numpy(array.copy())
    return array


def dumps(msg):
    """JSON text of a message (NaN is never written bare: floats are tagged above)."""
    return json.dumps(msg, allow_nan=False, separators=(",", ":"))
