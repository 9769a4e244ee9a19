"""The import graph of app/ runs one way: no cycles, claims never imports review, at most two imports upward.

Layers, top to bottom (docs/architecture.md draws them): the HTTP and entry layer (app/main.py, lifespan, cli,
web/, api/, and every domain's routers `api.py`/`*_api.py`); extraction, exchange and newsroom; review; claims; sources;
jobs and webhooks; audit and auth; the base (config, clock, db, errors, limits, migrate, vocabulary, and
api/pagination.py, whose Page[T] every domain's schemas build on). A module may import its own layer or any
below it. Imports inside functions count like any other.
"""

import ast
from collections.abc import Iterable
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
TOP = 9
LAYERS = {
    "extraction": 8,
    "exchange": 8,
    "newsroom": 8,
    "review": 7,
    "claims": 6,
    "sources": 5,
    "jobs": 4,
    "webhooks": 4,
    "audit": 3,
    "auth": 3,
}
ENTRY = {"app.main", "app.lifespan", "app.cli", "app.models"}
BASE = {"app.api.pagination"}
MAX_UPWARD = 2


def module_name(path: Path) -> str:
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    parts = module.split(".")
    if module in BASE:
        return 0
    if module in ENTRY or parts[1:2] in (["web"], ["api"]) or parts[-1] == "api" or parts[-1].endswith("_api"):
        return TOP
    return LAYERS.get(parts[1], 0) if len(parts) > 1 else 0


def imports_of(source: str, module: str, known: set[str]) -> set[str]:
    """The app modules `source` imports; `from app.x import y` names app.x.y when that is a module."""
    found: set[str] = set()
    package = module if module in known and _is_package(module) else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in known else base)
    return {name for name in found if name in known and name != module}


def _is_package(module: str) -> bool:
    return (APP.parent / module.replace(".", "/") / "__init__.py").exists()


def import_graph() -> dict[str, set[str]]:
    paths = sorted(APP.rglob("*.py"))
    known = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path.read_text(), module_name(path), known) for path in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, set()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
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


def edges(graph: dict[str, set[str]]) -> Iterable[tuple[str, str]]:
    return ((source, target) for source, targets in sorted(graph.items()) for target in sorted(targets))


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(source, target) for source, target in edges(graph) if layer(target) > layer(source)]


def test_app_has_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_no_module_of_claims_imports_review() -> None:
    assert [(s, t) for s, t in edges(import_graph()) if s.startswith("app.claims") and t.startswith("app.review")] == []


def test_at_most_two_imports_run_upward() -> None:
    found = upward(import_graph())
    assert len(found) <= MAX_UPWARD, "imports from a lower layer up to a higher one:\n" + "\n".join(
        f"{source} -> {target}" for source, target in found
    )


def test_the_checks_see_a_cycle_an_upward_import_and_relative_imports() -> None:
    graph = {
        "app.claims.service": {"app.review.verdicts"},
        "app.review.verdicts": {"app.claims.service"},
        "app.sources.service": {"app.errors"},
    }
    assert cycles(graph) == [["app.claims.service", "app.review.verdicts"]]
    assert upward(graph) == [("app.claims.service", "app.review.verdicts")]
    known = {"app.claims", "app.claims.service", "app.claims.models", "app.review", "app.review.verdicts"}
    source = "from .models import Claim\nfrom app.review import verdicts\n\ndef f():\n    import app.review.verdicts\n"
    assert imports_of(source, "app.claims.service", known) == {"app.claims.models", "app.review.verdicts"}
