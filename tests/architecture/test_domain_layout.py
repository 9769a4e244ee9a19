"""Each domain keeps its API shapes in schemas.py: routers define no models, and a domain with a router has one.

(exchange's endpoint answers files, not JSON shapes, so it has no schemas.py.)"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
WITHOUT_SHAPES = {"exchange"}


def routers() -> list[Path]:
    return sorted(path for path in APP.glob("*/*.py") if path.stem == "api" or path.stem.endswith("_api"))


def classes_defined(path: Path) -> list[str]:
    return [node.name for node in ast.walk(ast.parse(path.read_text())) if isinstance(node, ast.ClassDef)]


def test_routers_define_no_models() -> None:
    found = {f"{path.parent.name}/{path.name}": classes_defined(path) for path in routers()}
    assert {where: names for where, names in found.items() if names} == {}


def test_every_domain_with_a_router_has_schemas() -> None:
    domains = {path.parent for path in routers() if path.parent.name not in ("api", "web")}
    missing = sorted(
        domain.name for domain in domains if domain.name not in WITHOUT_SHAPES and not (domain / "schemas.py").exists()
    )
    assert missing == []


def test_the_check_sees_a_model_in_a_router(tmp_path: Path) -> None:
    router = tmp_path / "api.py"
    router.write_text("from pydantic import BaseModel\n\nclass Shape(BaseModel):\n    x: int\n")
    assert classes_defined(router) == ["Shape"]
