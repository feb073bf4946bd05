"""The engine's structure: no import circle (even through imports inside functions), one module per design kind."""

from __future__ import annotations

import ast
from pathlib import Path

import govsim.experiments
from govsim.experiments.designs import KINDS

PACKAGE = Path(govsim.experiments.__file__).parent
PREFIX = "govsim.experiments"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    parts = parts[:-1] if parts[-1] == "__init__" else parts
    return ".".join((PREFIX, *parts))


def imports(path: Path, known: set[str]) -> set[str]:
    """Engine modules ``path`` imports anywhere (functions too), except under ``if TYPE_CHECKING:``."""
    tree = ast.parse(path.read_text())
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(
        node.test) for child in node.body for n in ast.walk(child)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(PREFIX):
            # `from govsim.experiments import seeds` means the submodule, not the package's __init__.
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            found |= subs or ({node.module} & known)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names} & known
    return found - {module_name(path)}


def test_no_module_of_the_engine_imports_one_that_imports_it_back():
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    graph = {name: imports(path, known) - {PREFIX} for name, path in paths.items() if name != PREFIX}
    assert graph[f"{PREFIX}.analysis.report"] >= {f"{PREFIX}.designs"}  # the check sees function-level imports
    assert f"{PREFIX}.analysis.statistics" in graph[f"{PREFIX}.designs.morris"]
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph.get(node, ())):
            if target.endswith(".__init__") or target not in graph:
                continue
            assert state.get(target) != 1, " -> ".join([*trail, node, target])
            if target not in state:
                visit(target, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_figures_never_read_results_or_analysis():
    """Figures take tables and return figures: they import neither the analysis nor the results store."""
    for path in (PACKAGE / "figures").glob("*.py"):
        modules = {n.module or "" for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(ast.parse(path.read_text())) if isinstance(n, ast.Import)
                    for a in n.names}
        assert not {m for m in modules if m.startswith((f"{PREFIX}.analysis", f"{PREFIX}.store"))}, path.name


def test_every_design_kind_lives_in_a_module_named_after_it():
    for name, kind in KINDS.items():
        assert type(kind).__module__ == f"{PREFIX}.designs.{name}"
