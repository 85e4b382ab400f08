"""Packaging: the core needs only the standard library; environment.yml matches pyproject.toml."""

import ast
import subprocess
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).parent.parent
OPTIONAL = {"viz", "widgets.py", "engine_numpy.py", "numpy_blocks.py", "bench.py", "engine_torch.py", "torch_gpt2.py",
            "widgets_torch.py",
            "autograde.py"}  # may import third-party packages (autograde.py: nbgrader's, the classroom extra)


def pyproject():
    """pyproject.toml as a dict."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _module_level(tree):
    """Every statement of a module outside function bodies (imports inside a function run only when called)."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            stack.extend(ast.iter_child_nodes(node))


def test_core_modules_import_only_the_standard_library():
    for source in sorted((ROOT / "microgpt").rglob("*.py")):
        if source.name in OPTIONAL or source.parent.name in OPTIONAL:  # a module, or a package such as viz/
            continue
        for node in _module_level(ast.parse(source.read_text())):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or top == "microgpt", f"{source.name} imports {name}"


def test_importing_and_running_the_core_loads_no_heavy_package(small_data):
    code = (
        "import sys, random, microgpt, microgpt.cli, microgpt.checks, microgpt.weights\n"
        f"microgpt.cli.main(['--data', {small_data!r}, '--steps', '2', '--samples', '1'])\n"
        "heavy = {'numpy', 'matplotlib', 'ipywidgets'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)


def test_distribution_name_and_python_version():
    project = pyproject()["project"]
    assert project["name"] == "microgpt-course"  # "microgpt" on the index is somebody else's project
    assert project["requires-python"] == ">=3.10" and project["dependencies"] == []


def _name(spec):
    """The package name of a requirement such as 'matplotlib>=3.7'."""
    for sep in "<>=!;[ ":
        spec = spec.split(sep)[0]
    return spec.strip().lower()


def test_binder_pins_the_python_the_notebooks_record():
    """environment.yml pins one Python minor release (repo2docker warns when it is left open): the one whose
    version the committed notebooks' language_info names, so Binder's kernel writes what they say."""
    from tools.notebooks import LANGUAGE_INFO

    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pins = [d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python")]
    minor = ".".join(LANGUAGE_INFO["version"].split(".")[:2])
    assert pins == [f"python={minor}"], f"environment.yml should pin python={minor}, not {pins}"


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    extras = pyproject()["project"]["optional-dependencies"]
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    wanted = set(extras["notebooks"]) | set(extras["numpy"]) | set(extras["torch"])
    packs = {s for s in wanted if s.startswith("jupyterlab-language-pack-")}  # from the package index, via pip
    conda_names = {s.replace("pytorch", "torch", 1) if s.startswith("pytorch") else s for s in conda}
    assert conda_names - {"pip", "python=3.11"} == wanted - packs, "environment.yml and pyproject.toml differ"
    assert "python=3.11" in conda and "pip" in conda
    assert pip == ["-e ."] + sorted(packs), "environment.yml must install this package and the language packs"
    assert packs == {"jupyterlab-language-pack-zh-cn", "jupyterlab-language-pack-zh-tw"}
    assert {_name(s) for s in wanted - packs} <= {_name(s) for s in extras["test"]} | {"jupyterlab"}
