"""Response bodies of repeated reads, kept in this process for as long as the database does not change."""

import threading
from collections.abc import Hashable

from app.db import DataVersion


class PageCache:
    """Bodies read at one data version of the database (app.db.VersionProbe).

    A request whose version differs misses, and storing a body read at a new version drops the others. A body is
    stored under the version read *before* it was computed, so it is never older than that version; and a
    commit anywhere gives every later request another version, so no request sees a page older than its own
    read of the version. The key must hold every input of the body except the data (filters, page size, cursor,
    limits). Bounded by total size: the oldest bodies go first.
    """

    def __init__(self, max_bytes: int = 8 * 1024 * 1024) -> None:
        self._lock = threading.Lock()
        self._max_bytes = max_bytes
        self._version: DataVersion | None = None
        self._bodies: dict[Hashable, bytes] = {}
        self._size = 0
        # Counted for the benchmarks (benchmarks/review_load.py prints the hit rate); not exact under threads.
        self.hits = 0
        self.misses = 0

    def get(self, version: DataVersion | None, key: Hashable) -> bytes | None:
        """The body stored for `key` at exactly this version; None without a version (nothing is cached then)."""
        body = None
        if version is not None:
            with self._lock:
                body = self._bodies.get(key) if version == self._version else None
        if body is None:
            self.misses += 1
        else:
            self.hits += 1
        return body

    def put(self, version: DataVersion | None, key: Hashable, body: bytes) -> None:
        if version is None or len(body) > self._max_bytes:
            return
        with self._lock:
            if version != self._version:
                self._version, self._bodies, self._size = version, {}, 0
            self._size -= len(self._bodies.pop(key, b""))
            while self._bodies and self._size + len(body) > self._max_bytes:
                self._size -= len(self._bodies.pop(next(iter(self._bodies))))
            self._bodies[key] = body
            self._size += len(body)
