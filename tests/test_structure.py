"""The package's shape, read from the source with ast: no import cycle in microgpt/ or tools/, files readable in
one sitting (<= 300 lines), functions <= 50 lines, and every public name of the core modules naming its lesson.

Each rule is a function over parsed source, so that the tests below also run it on a small package written to
a temporary folder, where it must find the violation planted there.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50
CORE = ("value", "data", "nn", "model", "optim", "train", "sample", "weights")  # the modules the lessons build
LESSON = re.compile(r"\blessons? \d\d\b", re.IGNORECASE)  # "Built in lesson 05", "Used in lessons 04 and 06"


# --- import cycles ---

def module_names(root, package):
    """{dotted module name: path} of every .py file of `package` (a folder under `root`)."""
    names = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def _imported(node, name, is_package, known):
    """The known modules an import statement in module `name` loads (its target, and submodules it names)."""
    top = name.split(".")[0]

    def resolve(dotted):  # a script's sibling imported through a sys.path edit (`import translate`) counts too
        return dotted if dotted in known or f"{top}.{dotted}" not in known else f"{top}.{dotted}"

    if isinstance(node, ast.Import):
        return {resolve(alias.name) for alias in node.names} & set(known)
    if node.level:  # relative: from the module's own package, one level up per extra dot
        base = name.split(".") if is_package else name.split(".")[:-1]
        base = base[:len(base) - node.level + 1]
        target = ".".join(base + ([node.module] if node.module else []))
    else:
        target = resolve(node.module or "")
    # a name that is a submodule loads that module; any other name is an attribute of the target module itself
    # (a package's __init__ that runs before its submodules is not an edge: Python has it loaded already)
    found = {f"{target}.{alias.name}" if f"{target}.{alias.name}" in known else target for alias in node.names}
    return found & set(known)


def import_graph(modules):
    """{module: set of modules it imports}, from every import statement anywhere in its source (functions too)."""
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        graph[name] = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                graph[name] |= _imported(node, name, is_package, modules)
        graph[name].discard(name)
    return graph


def cycles(graph):
    """Every import cycle of `graph`, each as the list of its modules (Tarjan's strongly connected components)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", ["microgpt", "tools"])
def test_no_import_cycle(package):
    graph = import_graph(module_names(ROOT, package))
    assert len(graph) > 5, f"no modules found in {package}/"
    assert cycles(graph) == [], f"import cycles in {package}/: {cycles(graph)}"


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path):
    """limits -> model -> nn -> limits, the cycle issue 19 found, written as a package of its own: found."""
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .model import GPT\n")
    (pkg / "limits.py").write_text("def check():\n    from .model import count  # inside a function: still a cycle\n")
    (pkg / "model.py").write_text("from . import nn\nGPT = count = None\n")
    (pkg / "nn.py").write_text("from .limits import check\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "leaf.py").write_text("from ..model import GPT\nfrom .. import limits\n")
    (pkg / "script.py").write_text("import nn  # a sibling found through a sys.path edit\n")
    graph = import_graph(module_names(tmp_path, "pkg"))
    assert graph["pkg.sub.leaf"] == {"pkg.model", "pkg.limits"} and graph["pkg.script"] == {"pkg.nn"}
    assert cycles(graph) == [["pkg.limits", "pkg.model", "pkg.nn"]]


# --- sizes ---

def too_long(path):
    """[(what, lines)] of a module over MAX_MODULE_LINES and of its functions over MAX_FUNCTION_LINES."""
    source = path.read_text(encoding="utf-8")
    found = []
    if len(source.splitlines()) > MAX_MODULE_LINES:
        found.append((path.name, len(source.splitlines())))
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            lines = node.end_lineno - node.lineno + 1
            if lines > MAX_FUNCTION_LINES:
                found.append((f"{path.name}:{node.name}", lines))
    return found


def package_files():
    """The package's modules, but for checks/ (organised by lesson, measured by its own tests)."""
    return [p for p in sorted((ROOT / "microgpt").rglob("*.py")) if "checks" not in p.relative_to(ROOT).parts]


def test_modules_and_functions_are_readable_in_one_sitting():
    found = [item for path in package_files() for item in too_long(path)]
    assert found == [], f"over {MAX_MODULE_LINES} lines a module or {MAX_FUNCTION_LINES} a function: {found}"


def test_the_size_rule_finds_a_long_function_and_a_long_module(tmp_path):
    long_function = "def f():\n" + "    x = 1\n" * MAX_FUNCTION_LINES
    path = tmp_path / "m.py"
    path.write_text(long_function)
    assert too_long(path) == [("m.py:f", MAX_FUNCTION_LINES + 1)]
    path.write_text("x = 1\n" * (MAX_MODULE_LINES + 1))
    assert too_long(path) == [("m.py", MAX_MODULE_LINES + 1)]


# --- every public function and class of the core names its lesson ---

def unnamed_lessons(path):
    """The public functions, classes and methods of a module whose docstring names no lesson ("lesson 05")."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.FunctionDef, ast.ClassDef)) or node.name.startswith("_"):
            continue
        members = [node] + [m for m in node.body if isinstance(m, ast.FunctionDef) and not m.name.startswith("_")]
        for member in members:
            doc = ast.get_docstring(member) or ""
            if not LESSON.search(doc):
                found.append(member.name if member is node else f"{node.name}.{member.name}")
    return found


@pytest.mark.parametrize("module", CORE)
def test_every_public_name_of_the_core_names_its_lesson(module):
    assert unnamed_lessons(ROOT / "microgpt" / f"{module}.py") == []


def test_the_docstring_rule_finds_a_name_without_a_lesson(tmp_path):
    path = tmp_path / "m.py"
    path.write_text('def built():\n    """Made in lesson 03."""\n\n\ndef lost():\n    """Somewhere."""\n\n\n'
                    'class Tool:\n    """Used in lessons 04 and 06."""\n\n    def go(self):\n        """Go."""\n\n'
                    '    def _hidden(self):\n        pass\n')
    assert unnamed_lessons(path) == ["lost", "Tool.go"]
