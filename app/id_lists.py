"""`column` among a list of ids bound at execution, written the way each database reads it fastest.

`IN (:ids)` with an expanding parameter is the portable form, but on PostgreSQL it sends one placeholder per id:
a board page's 50 claims made statements of 50 to 200 placeholders, too many for psycopg's cache of converted
queries, so each execution parsed the statement again, and the text changed with the page's length. On
PostgreSQL the list goes as one array instead (`= ANY(:ids)`): one placeholder, the same text for every page.
"""

from typing import Any

from sqlalchemy import ARRAY, Boolean, Integer, any_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal


class AmongIds(ColumnElement[bool]):
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison already: SQLite must not be sent "IN (...) = 1"
    # What the compiled SQL depends on, so SQLAlchemy's statement cache keys on it.
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement), ("name", InternalTraversal.dp_string)]

    def __init__(self, column: Any, name: str) -> None:
        self.column = column
        self.name = name


def among_ids(column: Any, name: str) -> AmongIds:
    """True where `column` is one of the integers passed, as a list, in the execution parameter `name`."""
    return AmongIds(column, name)


@compiles(AmongIds)
def _portable(element: AmongIds, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)


@compiles(AmongIds, "postgresql")
def _one_array(element: AmongIds, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column == any_(bindparam(element.name, type_=ARRAY(Integer))), **kw)
