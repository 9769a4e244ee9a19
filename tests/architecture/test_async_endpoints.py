"""No `async def` in app/ may touch the database: on the event loop, one slow write stalls every request.

FastAPI runs plain `def` endpoints and dependencies in its thread pool; an `async def` runs on the loop itself,
so one that takes a session, opens one or reaches for the engine blocks the whole process while it waits
(on SQLite, up to the 30 s busy timeout). Work handed to the pool from a nested `def` is fine.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
SESSION_TYPES = {"Session", "SessionDep"}
BLOCKING_CALLS = {"Session", "get_session", "get_read_session", "get_engine", "read_engine", "version_probe"}


def _names(node: ast.AST | None) -> set[str]:
    if node is None:
        return set()
    found = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    found |= {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
    found |= {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return found


def _own_nodes(function: ast.AsyncFunctionDef) -> list[ast.AST]:
    """The function's body without nested functions and lambdas, which may run elsewhere (a worker thread)."""
    nodes: list[ast.AST] = []
    pending: list[ast.AST] = list(function.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        nodes.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return nodes


def blocking_uses(source: str, filename: str = "<source>") -> list[str]:
    """Each `async def` that takes a session parameter or opens a session/engine, as 'file:line name: why'."""
    problems = []
    for function in ast.walk(ast.parse(source, filename)):
        if not isinstance(function, ast.AsyncFunctionDef):
            continue
        arguments = function.args.posonlyargs + function.args.args + function.args.kwonlyargs
        for argument in arguments:
            if _names(argument.annotation) & SESSION_TYPES:
                problems.append(f"{filename}:{function.lineno} {function.name}: takes a session ({argument.arg})")
        for node in _own_nodes(function):
            if isinstance(node, ast.Call) and _names(node.func) & BLOCKING_CALLS:
                problems.append(f"{filename}:{node.lineno} {function.name}: calls {ast.unparse(node.func)}()")
    return problems


def test_no_async_def_in_app_touches_the_database() -> None:
    problems = [
        problem
        for path in sorted(APP.rglob("*.py"))
        for problem in blocking_uses(path.read_text(), str(path.relative_to(APP.parent)))
    ]
    assert problems == [], "make these plain `def` (or hand the work to the thread pool):\n" + "\n".join(problems)


def test_the_check_finds_a_session_parameter_an_opened_session_and_the_engine() -> None:
    source = """
async def upload(file: UploadFile, session: SessionDep) -> None:
    service.ingest(session, await file.read())

async def dependency(request: Request) -> None:
    with Session(get_engine()) as session:
        session.exec(select(User))

async def handed_to_the_pool(request: Request) -> None:
    def work() -> None:
        with Session(get_engine()) as session:
            session.commit()
    await run_in_threadpool(work)

def plain(session: SessionDep) -> None:
    session.commit()
"""
    assert blocking_uses(source) == [
        "<source>:2 upload: takes a session (session)",
        "<source>:6 dependency: calls Session()",
        "<source>:6 dependency: calls get_engine()",
    ]
