"""What the grader reads in a submission's source, in its own process: delegations and tampering (grading).

Delegation: an exercise's answer that calls the package's finished function of the same name (or of the
name the package gives it, ALIASES) instead of writing it. Seen here when written plainly (an attribute
`microgpt.nn.linear`, `root.backward()`, an import of the name from microgpt, a string naming it for
getattr); the student's process also trips a wire on those functions when they are called from outside
the package. Tampering: code that reaches for the checks, builtins, IPython's hooks or the process itself;
it earns nothing under secure grading (the checks run here), and the instructor's report names it.
"""

import ast

# exercise's function -> the package's name for the same finished piece, where the two differ
ALIASES = {
    "topo_sort": ("topological_order",),
    "stable_softmax": ("softmax",),
    "sgd_step": ("step",),
    "adam_update": ("step",),
    "training_step": ("train_step",),
    "train_loop": ("train",),
    "sample_token": ("sample_next_token",),
    "generate_name": ("generate",),
}

TAMPERING = {  # (kind of node, the name in it) -> what the report calls it
    ("attr", "events"): "an IPython hook (events)",
    ("attr", "input_transformers_post"): "an IPython hook (input transformer)",
    ("attr", "input_transformers_cleanup"): "an IPython hook (input transformer)",
    ("attr", "set_custom_exc"): "an IPython hook (custom exception handler)",
    ("attr", "showtraceback"): "an IPython hook (showtraceback)",
    ("attr", "_exit"): "a call that kills the kernel (os._exit)",
    ("attr", "kill"): "a call that kills a process (os.kill)",
    ("attr", "exit"): "a call that ends the kernel (sys.exit)",
    ("name", "exit"): "a call that ends the kernel (exit)",
    ("name", "quit"): "a call that ends the kernel (quit)",
    ("name", "__builtins__"): "a replaced builtin (__builtins__)",
    ("module", "builtins"): "a replaced builtin (import builtins)",
    ("module", "signal"): "signal handling (import signal)",
    ("module", "ctypes"): "raw memory access (import ctypes)",
    ("name", "setattr"): "setattr (maybe a patched module)",
    ("def", "__eq__"): "a class whose objects define their own == (__eq__)",
    ("name", "CheckFailure"): "the checks' own failure class",
}


def forbidden(functions):
    """The names of the package's finished pieces that the exercise's `functions` must not call."""
    return sorted({n for f in functions for n in (f, *ALIASES.get(f, ()))})


def delegations(source, names):
    """The names of `names` that an exercise's source reaches in the package (plainly written), sorted."""
    found = set()
    for node in _walk(source):
        if isinstance(node, ast.Attribute) and node.attr in names:
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("microgpt"):
            found |= {a.name for a in node.names if a.name in names}
        elif isinstance(node, ast.Constant) and node.value in names:
            found.add(node.value)
    return sorted(found)


def tampering(source):
    """What a cell's source does that a grader wants to know about: a list of findings, in order."""
    found = []
    for node in _walk(source):
        keys = []
        if isinstance(node, ast.Attribute):
            keys.append(("attr", node.attr))
            if isinstance(node.ctx, ast.Store) and _root(node) in ("checks", "microgpt"):
                found.append(f"assigns to {_root(node)}.{node.attr} (a patched module)")
        elif isinstance(node, ast.Name):
            keys.append(("name", node.id))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            keys += [("module", m.split(".")[0]) for m in modules]
        elif isinstance(node, ast.FunctionDef):
            keys.append(("def", node.name))
        found += [TAMPERING[k] for k in keys if k in TAMPERING]
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("RECAP_"):
            found.append("reads a recap key (RECAP_...)")
        if isinstance(node, ast.Attribute) and node.attr.startswith("RECAP_"):
            found.append("reads a recap key (RECAP_...)")
    return list(dict.fromkeys(found))


def _root(node):
    """The name an attribute chain starts from (`checks` in checks.a.b), or None."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _walk(source):
    """Every node of a cell's source; a cell that is not Python (magics, a syntax error) has none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        try:
            tree = ast.parse("\n".join(lines))
        except (SyntaxError, ValueError):
            return []
    return list(ast.walk(tree))
