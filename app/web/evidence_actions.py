"""Evidence from the pages: add it on the claim page or from a selection in a source, edit or remove it."""

from fastapi import APIRouter, Request
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.errors import DomainError, NotFound, StaleVersion
from app.review.evidence import add_evidence, delete_evidence, get_evidence, update_evidence
from app.review.models import Evidence
from app.sources.anchors import occurrences
from app.sources.service import get_source
from app.web.actions import Text, back_to_claim, form_version, refused
from app.web.claim_pages import render_claim
from app.web.deps import PageReviewer, WebRoute
from app.web.security import CsrfDep
from app.web.templating import flash

router = APIRouter(route_class=WebRoute)


@router.post("/claims/{claim_id}/evidence")
def add_claim_evidence(
    request: Request,
    claim_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    source_id: Text = "",
    quote: Text = "",
    url: Text = "",
    note: Text = "",
    prefix: Text = "",
    suffix: Text = "",
    occurrence: Text = "",
) -> Response:
    """Evidence typed on the claim page: a quote found in a stored source, or an external page and its quote.

    A quote that occurs several times in the source comes back with each occurrence in context to pick from
    (or words before/after it to narrow it down), the typed text kept."""
    quote = quote.strip()
    try:
        if url.strip():
            add_evidence(session, actor, claim_id, url=url.strip(), quote=quote, note=note.strip())
        else:
            if not source_id.isdigit():
                return back_to_claim(
                    request,
                    claim_id,
                    "Choose the source the quote comes from, or give a web address.",
                    "error",
                    "#add-evidence",
                )
            start = end = None
            if occurrence.isdigit():
                start, end = int(occurrence), int(occurrence) + len(quote)
            elif len(found := occurrences(get_source(session, int(source_id)).text, quote, prefix, suffix)) > 1:
                form = {
                    "source_id": int(source_id),
                    "quote": quote,
                    "note": note,
                    "prefix": prefix,
                    "suffix": suffix,
                    "occurrences": found,
                }
                return render_claim(request, session, actor, claim_id, status_code=422, evidence_form=form)
            add_evidence(
                session,
                actor,
                claim_id,
                source_id=int(source_id),
                quote=quote,
                note=note.strip(),
                prefix=prefix or None,
                suffix=suffix or None,
                start=start,
                end=end,
            )
    except DomainError as error:
        return refused(request, session, error, f"/claims/{claim_id}#add-evidence", failed="Evidence not added")
    return back_to_claim(request, claim_id, "Evidence added.", anchor="#evidence")


@router.post("/sources/{source_id}/evidence")
def add_selected_evidence(
    request: Request,
    source_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    start: Text = "",
    end: Text = "",
    quote: Text = "",
    claim_id: Text = "",
    claim_number: Text = "",
    note: Text = "",
) -> Response:
    """A passage selected in the reader: the page sends its offsets and text, the anchor check validates both."""
    target = claim_number.strip().removeprefix("#") or claim_id.strip()
    if not target.isdigit() or not start.isdigit() or not end.isdigit():
        flash(
            request,
            "Select a passage and choose the claim it is evidence for (pick one from the list, or type its number).",
            "error",
        )
        return RedirectResponse(f"/sources/{source_id}", status_code=303)
    try:
        evidence = add_evidence(
            session,
            actor,
            int(target),
            source_id=source_id,
            start=int(start),
            end=int(end),
            quote=quote,
            note=note.strip(),
        )
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/sources/{source_id}?claim={target}#char={start},{end}",
            failed="Evidence not added",
        )
    return back_to_claim(
        request,
        evidence.claim_id,
        f"Evidence added from S{source_id} (characters {evidence.start}–{evidence.end}).",
        anchor="#evidence",
    )


def _claim_evidence(session: Session, claim_id: int, evidence_id: int) -> Evidence:
    """The evidence item, checked to belong to the claim in the URL (a form cannot reach another claim's)."""
    evidence = get_evidence(session, evidence_id)
    if evidence.claim_id != claim_id:
        raise NotFound(f"Claim {claim_id} has no evidence item {evidence_id}.")
    return evidence


@router.post("/claims/{claim_id}/evidence/{evidence_id}/edit")
def edit_evidence(
    request: Request,
    claim_id: int,
    evidence_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    quote: Text = "",
    note: Text = "",
    version: Text = "",
) -> Response:
    """Change an item's quote or note; a form rendered from an older version is refused, not applied."""
    evidence = _claim_evidence(session, claim_id, evidence_id)
    changes: dict[str, object] = {"note": note.strip()}
    # An unchanged quote is not sent: the service would search for it afresh and could find a second place.
    if quote.strip() and quote.strip() != evidence.quote:
        changes["quote"] = quote.strip()
    try:
        update_evidence(session, actor, evidence_id, changes, form_version(version))
    except StaleVersion:
        session.rollback()
        return render_claim(
            request,
            session,
            actor,
            claim_id,
            status_code=409,
            conflict={
                "message": "Not saved: this evidence item was changed since you opened the page. The current "
                "version is shown; your text is kept in the form so you can reapply it.",
                "evidence_id": evidence_id,
                "quote": quote,
                "note": note,
            },
        )
    except DomainError as error:
        return refused(
            request, session, error, f"/claims/{claim_id}#evidence-{evidence_id}", failed="Evidence not changed"
        )
    return back_to_claim(request, claim_id, "Evidence item saved.", anchor=f"#evidence-{evidence_id}")


@router.post("/claims/{claim_id}/evidence/{evidence_id}/delete")
def remove_evidence(
    request: Request,
    claim_id: int,
    evidence_id: int,
    session: SessionDep,
    actor: PageReviewer,
    _csrf: CsrfDep,
    version: Text = "",
) -> Response:
    _claim_evidence(session, claim_id, evidence_id)
    try:
        delete_evidence(session, actor, evidence_id, form_version(version))
    except DomainError as error:
        return refused(
            request,
            session,
            error,
            f"/claims/{claim_id}#evidence",
            failed="Evidence not removed",
            stale="Not removed: this evidence item was changed since you opened the page. Check its "
            "current version below and remove it again if you still mean to.",
            stale_url=f"/claims/{claim_id}#evidence-{evidence_id}",
        )
    return back_to_claim(request, claim_id, "Evidence item removed.", anchor="#evidence")
