"""Every table model, imported in one place, and the metadata of the whole schema (Alembic and tests read it)."""

from sqlmodel import SQLModel

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, User
from app.claims.models import Claim, Mention, StanceSuggestion
from app.jobs.models import Job
from app.newsroom.models import Assignment, ClaimRating, Note, NoteVersion, Notification, RatingProposal
from app.review.models import Adjudication, Assessment, Evidence
from app.sources.models import Source
from app.webhooks.models import Webhook, WebhookDelivery

__all__ = [
    "Adjudication",
    "ApiToken",
    "Assessment",
    "Assignment",
    "AuditEvent",
    "Claim",
    "ClaimRating",
    "Evidence",
    "Job",
    "Mention",
    "Note",
    "NoteVersion",
    "Notification",
    "RatingProposal",
    "Source",
    "StanceSuggestion",
    "User",
    "Webhook",
    "WebhookDelivery",
]

metadata = SQLModel.metadata
