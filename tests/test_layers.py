"""The structure the code keeps: one-way layers, no import cycles, project modules imported at the top.

``lint-imports`` checks the contracts in pyproject.toml (layers ingest → index → assistant →
ui | eval, the civilqa root ui.root importing none of them, nothing imports eval, no cycles among siblings). The tests
below add what it does not: no cycle between any two modules, and no project module imported
inside a function (such imports hid six cycles) except those that load a heavy dependency.
"""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "index", "assistant", "ui", "eval")
# project modules that import a heavy dependency at module level: imported where they are needed
LAZY_MODULES = {"index.retriever": "langchain_core"}


def _package_files():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            if "reports" not in path.relative_to(ROOT).parts:
                yield path


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, node: ast.ImportFrom | ast.Import) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level == 0:
        return [node.module or ""]
    package = _module(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return [".".join(base + ([node.module] if node.module else []))]


def test_import_contracts_hold():
    p = subprocess.run([str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-2000:]
    assert "BROKEN" not in p.stdout and " 0 broken" in p.stdout


def test_no_import_cycle_between_any_two_modules():
    """Every import counts, inside a function too: a cycle there is one call away from an ImportError."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None, exclude_type_checking_imports=True)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert not cycles, cycles


def test_project_modules_are_imported_at_module_level():
    inside = []
    for path in _package_files():
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(fn):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    for name in _imported(path, node):
                        if name.split(".")[0] in PACKAGES and name not in LAZY_MODULES:
                            inside.append(f"{rel}:{node.lineno} {ast.unparse(node)}")
    assert not inside, "\n".join(inside)


def test_the_lazy_modules_are_heavy_and_the_rest_are_not():
    """What LAZY_MODULES says is true: importing one loads its heavy dependency; importing every
    other module of the CLI's start loads none of them (nor torch or gradio)."""
    heavy = sorted(set(LAZY_MODULES.values()) | {"torch", "gradio", "sentence_transformers", "matplotlib"})
    code = ("import sys, ui.root, assistant.chain, ui.app, eval.runner\n"
            f"print([m for m in {heavy!r} if m in sys.modules])")
    p = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0 and p.stdout.strip() == "[]", p.stdout + p.stderr[-2000:]
    for module, dependency in LAZY_MODULES.items():
        p = subprocess.run([sys.executable, "-c", f"import sys, {module}; print({dependency!r} in sys.modules)"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert p.stdout.strip() == "True", (module, p.stderr[-2000:])


MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def test_modules_and_functions_fit_a_screen_or_two():
    """No module over MAX_MODULE_LINES lines, no function (or method) over MAX_FUNCTION_LINES."""
    too_long = []
    for path in _package_files():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            too_long.append(f"{rel}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, "\n".join(too_long)


SETTINGS_MODULE = "ingest/settings.py"


def _environment_uses(tree: ast.AST) -> list[ast.AST]:
    """Where a module reads or sets a variable of its own process: ``os.environ[...]``,
    ``os.environ.get/pop/setdefault(...)``, ``os.getenv(...)``, ``... in os.environ``, and typer's
    ``envvar=``. A copy handed to a child process (``dict(os.environ)``) is not one."""
    def is_environ(node: ast.AST) -> bool:
        return ast.unparse(node) in ("os.environ", "environ")

    found: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and is_environ(node.value):
            found.append(node.slice)
        elif isinstance(node, ast.Call):
            f = node.func
            if (isinstance(f, ast.Attribute) and f.attr in ("get", "pop", "setdefault", "update")
                    and is_environ(f.value)) or ast.unparse(f) in ("os.getenv", "getenv"):
                found.append(node.args[0] if node.args else node)
            found += [k.value for k in node.keywords if k.arg == "envvar"]
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            found.append(node.left)
    return found


def test_only_the_settings_module_reads_civilqa_variables():
    """Every CIVILQA_* variable is read (typed, checked once) in ingest/settings.py: no other
    module reads or sets one in its own process, nor lets typer read one (``envvar=``). A use whose
    name is not a literal counts too: it could be a CIVILQA_* name."""
    outside = []
    for path in _package_files():
        rel = path.relative_to(ROOT).as_posix()
        if rel == SETTINGS_MODULE:
            continue
        for key in _environment_uses(ast.parse(path.read_text(encoding="utf-8"))):
            literal = isinstance(key, ast.Constant) and isinstance(key.value, str)
            if not literal or key.value.startswith("CIVILQA_"):
                outside.append(f"{rel}:{key.lineno} {ast.unparse(key)}")
    assert not outside, "\n".join(outside)


def test_the_environment_check_finds_each_way_of_reading_one():
    """What the test above looks for, on code that does each (so it cannot pass by finding nothing)."""
    code = ('import os, typer\nNAME = "CIVILQA_X"\na = os.environ["CIVILQA_INDEX_DIR"]\n'
            'b = os.environ.get(NAME)\nc = os.getenv("CIVILQA_Y")\nd = "CIVILQA_Z" in os.environ\n'
            'os.environ["CIVILQA_W"] = "1"\nopt = typer.Option(None, envvar="CIVILQA_V")\n'
            'child = dict(os.environ, CIVILQA_INDEX_DIR="/x")\ne = os.environ.get("HOME")\n')
    keys = sorted(ast.unparse(k) for k in _environment_uses(ast.parse(code)))
    assert keys == sorted(["'CIVILQA_INDEX_DIR'", "NAME", "'CIVILQA_Y'", "'CIVILQA_Z'", "'CIVILQA_W'",
                           "'CIVILQA_V'", "'HOME'"]), keys


def test_the_han_range_has_one_home():
    """Han characters are matched through ``ingest.text.HAN`` (CJK Unified, Extension A and the
    compatibility block): a module writing its own ``\\u4e00-\\u9fff`` misses the other two and
    drifts (issue 15 found three different ranges in eleven modules)."""
    own = [str(p.relative_to(ROOT)) for p in _package_files()
           if p != ROOT / "ingest" / "text.py" and "\\u4e00" in p.read_text(encoding="utf-8")]
    assert not own, own
