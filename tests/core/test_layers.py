"""The house rules of the code base, read from the source so they hold by construction.

* ``core`` and ``connectors`` import no feature; ``connectors`` imports only ``core``.
* A feature reaches another only through its ``service.py`` (the module's public face).
* No module imports itself back through others: the import graph has no cycle.

Imports under ``if TYPE_CHECKING:`` are annotations only and do not count; imports
inside functions do count for the layer rules (they are real dependencies) but not
for cycles (they run after every module has loaded).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import gyrfalcon

PACKAGE = Path(gyrfalcon.__file__).parent
FEATURES = frozenset({"auth", "catalog", "access", "audit", "monitors", "notify", "demo", "jobs"})
BELOW_FEATURES = frozenset({"core", "connectors"})


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int
    top_level: bool


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports_in(body: list[ast.stmt], *, top_level: bool) -> Iterator[tuple[ast.stmt, bool]]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, top_level
        elif isinstance(node, ast.If) and _is_type_checking(node):
            continue
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    inner = not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
                    yield from _imports_in([child], top_level=top_level and inner)


def _imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _module_name(path)
        tree = ast.parse(path.read_text(), filename=str(path))
        for node, top_level in _imports_in(tree.body, top_level=True):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                assert isinstance(node, ast.ImportFrom)
                if node.level or not node.module:
                    continue
                # ``from gyrfalcon.x import service`` names the submodule.
                targets = [
                    f"{node.module}.{alias.name}"
                    if _is_module(f"{node.module}.{alias.name}")
                    else node.module
                    for alias in node.names
                ]
            for target in targets:
                if target.startswith("gyrfalcon."):
                    found.append(Import(source, target, node.lineno, top_level))
    return found


def _is_module(dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").exists() or (PACKAGE / relative).is_dir()


def _layer(dotted: str) -> str:
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else ""


IMPORTS = _imports()


def test_the_layers_below_the_features_import_no_feature() -> None:
    crossing = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in IMPORTS
        if _layer(i.source) in BELOW_FEATURES and _layer(i.target) in FEATURES
    ]
    crossing += [
        f"{i.source}:{i.line} imports {i.target}"
        for i in IMPORTS
        if _layer(i.source) == "connectors" and _layer(i.target) not in BELOW_FEATURES
    ]
    assert len(IMPORTS) > 300
    assert crossing == []


def test_features_reach_each_other_only_through_service_py() -> None:
    crossing = [
        f"{i.source}:{i.line} imports {i.target}"
        for i in IMPORTS
        if _layer(i.source) in FEATURES
        and _layer(i.target) in FEATURES
        and _layer(i.target) != _layer(i.source)
        and i.target.split(".")[2:3] != ["service"]
    ]
    assert crossing == []


def test_the_import_graph_has_no_cycle() -> None:
    modules = {_module_name(path) for path in PACKAGE.rglob("*.py")}
    edges: dict[str, set[str]] = {module: set() for module in modules}
    for found in IMPORTS:
        if found.top_level and found.target in modules and found.target != found.source:
            edges[found.source].add(found.target)
    cycle = _find_cycle(edges)
    assert cycle is None, " -> ".join(cycle or [])


def _find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> list[str] | None:
        if module in visiting:
            return [*visiting[visiting.index(module) :], module]
        if module in done:
            return None
        visiting.append(module)
        for target in sorted(edges[module]):
            cycle = visit(target)
            if cycle:
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(edges):
        cycle = visit(module)
        if cycle:
            return cycle
    return None
