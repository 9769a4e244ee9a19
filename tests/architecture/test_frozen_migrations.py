"""A migration does forever what it did when it first ran: it imports no application code, whose changes would
silently rewrite it (the models it starts from are frozen into 0001's generated operations)."""

import ast
from pathlib import Path

VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def app_imports(path: Path) -> list[str]:
    imported = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported.append(node.module)
        elif isinstance(node, ast.Import):
            imported.extend(alias.name for alias in node.names)
    return [name for name in imported if name == "app" or name.startswith("app.")]


def test_no_migration_imports_the_application() -> None:
    found = {path.name: app_imports(path) for path in sorted(VERSIONS.glob("*.py"))}
    assert found and {name: modules for name, modules in found.items() if modules} == {}
