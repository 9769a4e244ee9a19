"""HTTP endpoints of the newsroom workflow: assignment and queues, the discussion thread, notifications, ratings."""

from fastapi import APIRouter, Response
from sqlmodel import Session

from app.api.deps import EditorDep, ReaderDep, ReviewerDep, SessionDep
from app.api.openapi import problem_responses
from app.api.versions import IfMatch, etag, expected_version
from app.auth.actor import Actor
from app.claims.service import get_claim, to_public
from app.errors import NotFound, Unauthenticated
from app.newsroom import assignments, notes, notifications, ratings
from app.newsroom.markdown import render_markdown
from app.newsroom.models import Assignment, ClaimRating, Note
from app.newsroom.schemas import (
    AssignmentPublic,
    AssignRequest,
    MarkRead,
    NoteIn,
    NotePublic,
    NoteUpdate,
    NoteVersionPublic,
    NotificationList,
    NotificationPublic,
    ProposalIn,
    ProposalPublic,
    PublishIn,
    QueueItem,
    RatingIn,
    RatingPublic,
    ScaleEntry,
)

router = APIRouter(tags=["newsroom"])


def _assignment_public(assignment: Assignment, name: str) -> AssignmentPublic:
    assert assignment.id is not None
    return AssignmentPublic(
        id=assignment.id,
        claim_id=assignment.claim_id,
        user_id=assignment.user_id,
        user=name,
        reason=assignment.reason,
        created_at=assignment.created_at,
    )  # type: ignore[arg-type]


def note_public(note: Note, author: str) -> NotePublic:
    assert note.id is not None
    return NotePublic(
        id=note.id,
        claim_id=note.claim_id,
        author=author,
        body=note.body,
        html=str(render_markdown(note.body)),
        version=note.version,
        created_at=note.created_at,
        updated_at=note.updated_at,
    )


def rating_public(session: Session, rating: ClaimRating) -> RatingPublic:
    return RatingPublic(
        claim_id=rating.claim_id,
        rating=rating.rating,
        rating_value=ratings.rating_scale().get(rating.rating, 0),
        rationale=rating.rationale,
        rationale_html=str(render_markdown(rating.rationale)),
        state=rating.state,  # type: ignore[arg-type]
        rated_by=ratings.rated_by(session, rating),
        published_at=rating.published_at,
        version=rating.version,
        updated_at=rating.updated_at,
    )


def _me(actor: Actor | None) -> int:
    if actor is None or actor.user_id is None:
        raise Unauthenticated("Sign in or send a user's API token to read your own queue and notifications.")
    return actor.user_id


@router.post(
    "/claims:assign",
    status_code=201,
    response_model=list[AssignmentPublic],
    responses=problem_responses(
        400,
        401,
        403,
        404,
        409,
        413,
        422,
        notes={404: "An unknown claim or user", 409: "A claim was merged into another"},
    ),
)
def assign(body: AssignRequest, session: SessionDep, actor: EditorDep) -> list[AssignmentPublic]:
    """Assign each claim to each reviewer (editors only); returns the new assignments, existing ones unchanged."""
    created = assignments.assign_claims(session, actor, body.claim_ids, body.user_ids)
    names = {u.id: u.name for u in assignments.reviewers(session)}
    return [_assignment_public(a, names.get(a.user_id, "")) for a in created]


@router.get(
    "/claims/{claim_id}/assignments", response_model=list[AssignmentPublic], responses=problem_responses(401, 404, 422)
)
def list_assignments(claim_id: int, session: SessionDep, _reader: ReaderDep) -> list[AssignmentPublic]:
    """Who has the claim in their queue, and why (assigned, or mentioned in its thread)."""
    get_claim(session, claim_id)
    return [_assignment_public(a, name) for a, name in assignments.claim_assignees(session, claim_id)]


@router.delete(
    "/claims/{claim_id}/assignments/{user_id}", status_code=204, responses=problem_responses(401, 403, 404, 422)
)
def unassign(claim_id: int, user_id: int, session: SessionDep, actor: EditorDep) -> Response:
    """Take the claim out of a person's queue (editors only)."""
    assignments.unassign(session, actor, claim_id, user_id)
    return Response(status_code=204)


@router.get("/me/queue", response_model=list[QueueItem], responses=problem_responses(401, 422))
def my_queue(session: SessionDep, actor: ReaderDep) -> list[QueueItem]:
    """The caller's open claims (assigned or mentioned; live and not yet published) in board order."""
    return [
        QueueItem(claim=to_public(claim), reason=a.reason, queued_at=a.created_at)  # type: ignore[arg-type]
        for claim, a in assignments.queue(session, _me(actor))
    ]


@router.get("/me/notifications", response_model=NotificationList, responses=problem_responses(401, 422))
def my_notifications(session: SessionDep, actor: ReaderDep, unread: bool = False) -> NotificationList:
    """The caller's notifications, newest first, with the unread count."""
    user_id = _me(actor)
    items = notifications.list_notifications(session, user_id, unread_only=unread)
    return NotificationList(
        unread=notifications.unread_count(session, user_id), items=[NotificationPublic.model_validate(n) for n in items]
    )


@router.post(
    "/me/notifications:read",
    responses=problem_responses(
        400, 401, 404, 413, 422, notes={404: "An id past the database's integer range, so names no record"}
    ),
)
def read_notifications(body: MarkRead, session: SessionDep, actor: ReaderDep) -> dict[str, int]:
    """Mark the listed notifications (or all) read."""
    return {"marked": notifications.mark_read(session, _me(actor), body.ids)}


@router.get("/claims/{claim_id}/notes", response_model=list[NotePublic], responses=problem_responses(401, 404, 422))
def list_notes(claim_id: int, session: SessionDep, _reader: ReaderDep) -> list[NotePublic]:
    """The claim's discussion thread, oldest first; `html` is the markdown rendered safely."""
    return [note_public(view.note, view.author) for view in notes.list_notes(session, claim_id)]


@router.post(
    "/claims/{claim_id}/notes",
    status_code=201,
    response_model=NotePublic,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
)
def add_note(claim_id: int, body: NoteIn, session: SessionDep, actor: ReviewerDep, response: Response) -> NotePublic:
    """Add a note; each `@name` of a user puts the claim in their queue and notifies them."""
    note = notes.add_note(session, actor, claim_id, body.body)
    response.headers["ETag"] = etag(note.version)
    return note_public(note, actor.name)


@router.patch(
    "/notes/{note_id}", response_model=NotePublic, responses=problem_responses(400, 401, 403, 404, 412, 413, 422)
)
def edit_note(
    note_id: int,
    body: NoteUpdate,
    session: SessionDep,
    actor: ReviewerDep,
    response: Response,
    if_match: IfMatch = None,
) -> NotePublic:
    """The author rewrites their note; the earlier text is kept (GET /notes/{id}/versions)."""
    note = notes.edit_note(session, actor, note_id, body.body, expected_version(if_match, body.version))
    response.headers["ETag"] = etag(note.version)
    return note_public(note, actor.name)


@router.delete("/notes/{note_id}", status_code=204, responses=problem_responses(401, 403, 404, 412, 422))
def delete_note(note_id: int, session: SessionDep, actor: ReviewerDep, if_match: IfMatch = None) -> Response:
    """The author withdraws their note; its texts stay in its versions and the audit log."""
    notes.delete_note(session, actor, note_id, expected_version(if_match, None))
    return Response(status_code=204)


@router.get(
    "/notes/{note_id}/versions", response_model=list[NoteVersionPublic], responses=problem_responses(401, 404, 422)
)
def note_versions(note_id: int, session: SessionDep, _reader: ReaderDep) -> list[NoteVersionPublic]:
    """A note's earlier texts, oldest first."""
    return [NoteVersionPublic.model_validate(v) for v in notes.note_versions(session, note_id)]


@router.get("/ratings/scale", response_model=list[ScaleEntry], responses=problem_responses(401))
def scale(_reader: ReaderDep) -> list[ScaleEntry]:
    """The configured rating scale, best first, each with its schema.org ratingValue (1-5)."""
    return [ScaleEntry(name=name, value=value) for name, value in ratings.rating_scale().items()]


@router.get(
    "/claims/{claim_id}/rating",
    response_model=RatingPublic,
    responses=problem_responses(401, 404, 422, notes={404: "Unknown claim, or the claim has no rating yet"}),
)
def read_rating(claim_id: int, session: SessionDep, _reader: ReaderDep, response: Response) -> RatingPublic:
    """The editor's rating, rationale and publication state."""
    get_claim(session, claim_id)
    rating = ratings.get_rating(session, claim_id)
    if rating is None:
        raise NotFound(f"Claim {claim_id} has no rating yet.")
    response.headers["ETag"] = etag(rating.version)
    return rating_public(session, rating)


@router.put(
    "/claims/{claim_id}/rating",
    response_model=RatingPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422),
)
def put_rating(
    claim_id: int, body: RatingIn, session: SessionDep, actor: EditorDep, response: Response, if_match: IfMatch = None
) -> RatingPublic:
    """Rate the claim with a rationale (editors only); a new rating starts as a draft."""
    rating = ratings.set_rating(
        session, actor, claim_id, body.rating, body.rationale, expected_version(if_match, body.version)
    )
    response.headers["ETag"] = etag(rating.version)
    return rating_public(session, rating)


@router.post(
    "/claims/{claim_id}/rating:publish",
    response_model=RatingPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422, notes={409: "No rating or no rationale yet"}),
)
def publish(
    claim_id: int, body: PublishIn, session: SessionDep, actor: EditorDep, response: Response, if_match: IfMatch = None
) -> RatingPublic:
    """Publish the rating (draft -> published): the claim's ClaimReview is exported from now on."""
    rating = ratings.publish(session, actor, claim_id, expected_version(if_match, body.version))
    response.headers["ETag"] = etag(rating.version)
    return rating_public(session, rating)


@router.post(
    "/claims/{claim_id}/rating:unpublish",
    response_model=RatingPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 412, 413, 422, notes={409: "Not published"}),
)
def unpublish(
    claim_id: int, body: PublishIn, session: SessionDep, actor: EditorDep, response: Response, if_match: IfMatch = None
) -> RatingPublic:
    """Back to draft: the claim leaves the ClaimReview export."""
    rating = ratings.unpublish(session, actor, claim_id, expected_version(if_match, body.version))
    response.headers["ETag"] = etag(rating.version)
    return rating_public(session, rating)


@router.get(
    "/claims/{claim_id}/rating-proposals",
    response_model=list[ProposalPublic],
    responses=problem_responses(401, 404, 422),
)
def list_proposals(claim_id: int, session: SessionDep, _reader: ReaderDep) -> list[ProposalPublic]:
    """Reviewers' proposed ratings."""
    return [
        ProposalPublic(
            claim_id=p.claim_id, reviewer=name, rating=p.rating, rationale=p.rationale, updated_at=p.updated_at
        )
        for p, name in ratings.proposals(session, claim_id)
    ]


@router.put(
    "/claims/{claim_id}/rating-proposals/mine",
    response_model=ProposalPublic,
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422),
)
def propose(claim_id: int, body: ProposalIn, session: SessionDep, actor: ReviewerDep) -> ProposalPublic:
    """Propose a rating for the editor to weigh (reviewers and editors)."""
    proposal = ratings.propose_rating(session, actor, claim_id, body.rating, body.rationale)
    return ProposalPublic(
        claim_id=claim_id,
        reviewer=actor.name,
        rating=proposal.rating,
        rationale=proposal.rationale,
        updated_at=proposal.updated_at,
    )
