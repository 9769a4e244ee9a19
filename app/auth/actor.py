"""Who is acting: a signed-in user, a user's API token, or the system itself (ingestion at start-up)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    user_id: int | None = None
    token_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} (token {self.token_id})" if self.token_id else self.name


SYSTEM = Actor(name="system", role="admin")
