"""The database objects the migrations keep beside the models, which Alembic's autogenerate must not see.

Each is created by a migration that holds its SQL, because the models cannot say it on both databases: the
full-text search tables (app.claims.fulltext), the partial indexes over live claims (app.claims.indexes) and the
live and settled claim tally (app.claims.tally). Without this filter, autogenerate would propose dropping them.
"""

from typing import Any

from app.claims.fulltext import POSTGRES_INDEXES, SEARCH_TABLE
from app.claims.indexes import LIVE_CLAIM_INDEXES
from app.claims.tally import TALLY_TABLE


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, _compare_to: Any) -> bool:
    """False for the objects above (FTS5's shadow tables and PostgreSQL's word table share the search prefix)."""
    if name is None:
        return True
    if type_ == "table" and (name in (SEARCH_TABLE, TALLY_TABLE) or name.startswith(SEARCH_TABLE + "_")):
        return False
    return not (type_ == "index" and (name in POSTGRES_INDEXES or name in LIVE_CLAIM_INDEXES))
