"""Who is acting: a signed-in user, a user's API token, the system itself (ingestion at start-up), or an
automation such as an extraction job."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    user_id: int | None = None
    token_id: int | None = None
    job_id: int | None = None
    session_id: int | None = None

    @property
    def label(self) -> str:
        return f"{self.name} (token {self.token_id})" if self.token_id else self.name


SYSTEM = Actor(name="system", role="admin")


def extraction_actor(job_id: int | None) -> Actor:
    """Extraction as it appears in the audit log: actor `extraction`, with the job that ran it."""
    return Actor(name="extraction", role="admin", job_id=job_id)
