"""Partial indexes over live (not merged-away) claims, which keep list pages and their counts cheap at scale.

Every claims list filters on `merged_into_id IS NULL`; an index restricted to those rows answers the filter,
the order and the (capped) count together, without reading claim rows. The indexes are created by
migration 0003 (which holds their SQL), not by the models (autogenerate would not keep their WHERE on both
databases), so `app.claims.migrated_objects.include_object` hides them from autogenerate. A later SQLite migration
that batch-alters `claim` recreates the table and may lose their WHERE: drop and create them again after it.
"""

LIVE = "merged_into_id IS NULL"
# name -> columns, each ending in id so pages in id order (and keyset cursors) walk the index.
LIVE_CLAIM_INDEXES: dict[str, tuple[str, ...]] = {
    "ix_claim_live_id": ("id",),
    "ix_claim_live_verdict": ("verdict", "id"),
    "ix_claim_live_status": ("status", "id"),
    "ix_claim_live_updated": ("updated_at", "id"),
}
