"""The sources list, the ingestion form (upload or paste) and the source reader with its mentions."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from app.api.deps import SessionDep
from app.claims.models import Claim
from app.errors import DomainError, StaleVersion
from app.review.board import source_mentions
from app.sources import service as sources
from app.sources.ingest import ingest_and_extract
from app.sources.models import SourceMetadata
from app.sources.schemas import SourceUpdate
from app.web.deps import PageActor, PageEditor, WebRoute
from app.web.passages import Span, runs
from app.web.security import CsrfDep
from app.web.templating import flash, render

router = APIRouter(route_class=WebRoute)
METADATA_FIELDS = ("title", "outlet", "author", "published_at", "url", "language")


@router.get("/sources")
def sources_page(request: Request, session: SessionDep, actor: PageActor) -> Response:
    return _sources_page(request, session, actor)


def _sources_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    *,
    status_code: int = 200,
    form: dict[str, str] | None = None,
    errors: list[str] | None = None,
) -> Response:
    return render(
        request,
        "sources.html",
        actor,
        session=session,
        status_code=status_code,
        page_sources=sources.all_sources(session),
        form=form or {},
        errors=errors or [],
    )


@router.post("/sources")
def ingest_source(
    request: Request,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    file: Annotated[UploadFile | None, File()] = None,
    text: Annotated[str, Form()] = "",
    filename: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    author: Annotated[str, Form()] = "",
    published_at: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
) -> Response:
    """One form for both ways in: a chosen file wins over pasted text; problems are shown on the page."""
    form = {
        "text": text,
        "filename": filename,
        "title": title,
        "outlet": outlet,
        "author": author,
        "published_at": published_at,
        "url": url,
        "language": language,
    }
    try:
        metadata = _metadata(form)
        if file is not None and file.filename:
            raw = sources.decode_upload(file.file.read(), file.filename)
            name: str | None = filename.strip() or file.filename
        elif text.strip():
            raw, name = text, filename.strip() or None
        else:
            raise _Problem(["Choose a .txt or .md file, or paste the article's text."])
        source, created, job = ingest_and_extract(session, raw, actor, filename=name, metadata=metadata)
    except _Problem as problem:
        return _sources_page(request, session, actor, status_code=422, form=form, errors=problem.messages)
    except DomainError as error:
        messages = [error.detail] + [f"{item.get('field')}: {item.get('message')}" for item in error.errors]
        return _sources_page(request, session, actor, status_code=error.status, form=form, errors=messages)
    if created and job is not None:
        flash(
            request,
            f"Stored source {source.id}. Its claims are being extracted (job {job.id}); "
            "reload in a moment to see them highlighted.",
            "success",
        )
    elif created:
        flash(request, f"Stored source {source.id}. Run extraction to find its claims.", "success")
    else:
        flash(request, f"This text is already stored as source {source.id}; nothing was added.", "info")
    return RedirectResponse(f"/sources/{source.id}", status_code=303)


def _message(error: Any) -> str:
    return str(error["msg"]).removeprefix("Value error, ")


class _Problem(Exception):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def _metadata(form: dict[str, str]) -> SourceMetadata:
    values: dict[str, object] = {key: form[key].strip() for key in METADATA_FIELDS if form[key].strip()}
    if "published_at" in values:
        try:
            values["published_at"] = date.fromisoformat(str(values["published_at"]))
        except ValueError as error:
            raise _Problem([f"Publication date {form['published_at']!r} is not a date like 2025-02-28."]) from error
    try:
        return SourceMetadata.model_validate(values)
    except ValidationError as error:
        raise _Problem([f"{'.'.join(str(p) for p in e['loc'])}: {_message(e)}" for e in error.errors()]) from error


@router.get("/sources/{source_id}")
def source_reader(
    request: Request, source_id: int, session: SessionDep, actor: PageActor, claim: int | None = None
) -> Response:
    return _source_reader(request, session, actor, source_id, preselected_claim=claim)


def _source_reader(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    source_id: int,
    *,
    preselected_claim: int | None = None,
    status_code: int = 200,
    metadata_form: dict[str, str] | None = None,
    metadata_errors: list[str] | None = None,
) -> Response:
    source = sources.get_source(session, source_id)
    mentions = source_mentions(session, source_id)
    spans = [Span(m.start, m.end, m.claim_id, m.claim_text) for m in mentions]
    claim_texts = {m.claim_id: m.claim_text for m in mentions}
    preselected = _live_claim_text(session, preselected_claim)
    if preselected is not None:
        claim_texts.setdefault(preselected[0], preselected[1])
    return render(
        request,
        "source.html",
        actor,
        session=session,
        status_code=status_code,
        source=source,
        runs=runs(source.text, spans),
        claim_texts=claim_texts,
        mention_count=len(mentions),
        preselected_claim=preselected[0] if preselected else None,
        metadata_form=metadata_form,
        metadata_errors=metadata_errors or [],
    )


def _live_claim_text(session: SessionDep, claim_id: int | None) -> tuple[int, str] | None:
    """The claim a "Read the source" link came from, if it still exists, to pre-select it for evidence."""
    if claim_id is None:
        return None
    claim = session.get(Claim, claim_id)
    if claim is None or claim.id is None or claim.merged_into_id is not None:
        return None
    return claim.id, claim.text


@router.post("/sources/{source_id}/metadata")
def edit_source_metadata(
    request: Request,
    source_id: int,
    session: SessionDep,
    actor: PageEditor,
    _csrf: CsrfDep,
    title: Annotated[str, Form()] = "",
    outlet: Annotated[str, Form()] = "",
    author: Annotated[str, Form()] = "",
    published_at: Annotated[str, Form()] = "",
    url: Annotated[str, Form()] = "",
    language: Annotated[str, Form()] = "",
    version: Annotated[int | None, Form()] = None,
) -> Response:
    """Editors correct a source's details; every field of the form is applied (an empty one clears it). The form
    carries the version it showed: if another editor saved in between, nothing is saved and the page says so,
    keeping what this editor typed."""
    form = {
        "title": title,
        "outlet": outlet,
        "author": author,
        "published_at": published_at,
        "url": url,
        "language": language,
    }
    try:
        changes = SourceUpdate.model_validate(form)
    except ValidationError as error:
        messages = [f"{_FIELD_NAMES.get(str(e['loc'][0]), e['loc'][0])}: {_message(e)}" for e in error.errors()]
        return _source_reader(
            request, session, actor, source_id, status_code=422, metadata_form=form, metadata_errors=messages
        )
    try:
        sources.update_metadata(session, actor, source_id, changes, version)
    except StaleVersion:
        session.rollback()
        message = (
            "These details were saved by someone else (or in another tab) after you opened them. What you typed "
            "is below; the details above are the saved ones. Save again to replace them with yours."
        )
        return _source_reader(
            request, session, actor, source_id, status_code=409, metadata_form=form, metadata_errors=[message]
        )
    flash(request, "Source details saved.", "success")
    return RedirectResponse(f"/sources/{source_id}", status_code=303)


_FIELD_NAMES = {
    "title": "Title",
    "outlet": "Outlet",
    "author": "Author",
    "published_at": "Publication date",
    "url": "URL",
    "language": "Language",
}
