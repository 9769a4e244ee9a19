"""The append-only audit log. `record_event` is the one way in, for every domain that changes data."""

from app.audit.service import record_event

__all__ = ["record_event"]
