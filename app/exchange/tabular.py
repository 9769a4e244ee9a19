"""CSV export: one row per claim and related source, with suggestions and reviewed decisions side by side."""

import csv
import io

from sqlmodel import Session, col, select

from app.claims.models import Claim
from app.config import get_settings
from app.newsroom.models import ClaimRating
from app.review.models import Evidence
from app.review.service import user_names
from app.review.verdicts import source_decisions
from app.sources.models import Source

COLUMNS = [
    "claim_id",
    "claim_text",
    "kind",
    "verdict",
    "status",
    "source_id",
    "source_filename",
    "source_title",
    "mentions",
    "suggested_stance",
    "suggested_confidence",
    "reviewed_stances",
    "adjudication",
    "decision",
    "conflict",
    "evidence_links",
    "reviewers",
    "assessment_notes",
    "evidence_quotes",
    "rating",
    "rating_state",
    "rationale",
]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `@SUM`, `-2+3`) gets a
    leading apostrophe, which spreadsheets read as "this is text" and do not display."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_csv(session: Session, claim_ids: list[int] | None = None) -> str:
    """Rows for each live claim (or each of `claim_ids`) × each source related to it (mentioned, suggested,
    assessed, adjudicated, or cited as evidence); reviewed stances are `reviewer:stance` joined by `; `, notes
    `reviewer: note`; evidence links are absolute (app passages under `public_url`, or the web page's URL);
    the editor's rating and rationale repeat on each of the claim's rows."""
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    query = select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))
    if claim_ids is not None:
        query = query.where(col(Claim.id).in_(claim_ids))
    claims = session.exec(query).all()
    ratings = {r.claim_id: r for r in session.exec(select(ClaimRating)).all()}
    public = get_settings().public_url.rstrip("/")
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for claim in claims:
        assert claim.id is not None
        decisions = source_decisions(session, claim.id)
        evidence = session.exec(select(Evidence).where(Evidence.claim_id == claim.id).order_by(col(Evidence.id))).all()
        links: dict[int | None, list[str]] = {}
        quotes: dict[int | None, list[str]] = {}
        for item in evidence:
            link = (
                f"{public}/sources/{item.source_id}#char={item.start},{item.end}"
                if item.source_id is not None
                else item.url or ""
            )
            links.setdefault(item.source_id, []).append(link)
            quotes.setdefault(item.source_id, []).append(item.quote)
        rating = ratings.get(claim.id)
        names = user_names(session, {a.user_id for d in decisions.values() for a in d.assessments})
        for source_id in sorted(set(decisions) | set(links), key=lambda key: (key is None, key or 0)):
            decision = decisions.get(source_id) if source_id is not None else None
            source = sources.get(source_id) if source_id is not None else None
            suggestion = decision.suggestion if decision else None
            writer.writerow(
                [
                    spreadsheet_safe(cell)
                    for cell in [
                        claim.id,
                        claim.text,
                        claim.kind,
                        claim.verdict,
                        claim.status,
                        source_id,
                        source.filename if source else "",
                        source.title if source else "",
                        decision.mentions if decision else 0,
                        suggestion.stance if suggestion else "",
                        f"{suggestion.confidence:.4f}" if suggestion else "",
                        "; ".join(f"{names.get(a.user_id, a.user_id)}:{a.stance}" for a in decision.assessments)
                        if decision
                        else "",
                        decision.adjudication.stance if decision and decision.adjudication else "",
                        (decision.decision or "") if decision else "",
                        "yes" if decision and decision.conflict else "no",
                        " ".join(links.get(source_id, [])),
                        "; ".join(names.get(a.user_id, str(a.user_id)) for a in decision.assessments)
                        if decision
                        else "",
                        "; ".join(
                            f"{names.get(a.user_id, a.user_id)}: {a.note}" for a in decision.assessments if a.note
                        )
                        if decision
                        else "",
                        " | ".join(quotes.get(source_id, [])),
                        rating.rating if rating else "",
                        rating.state if rating else "",
                        rating.rationale if rating else "",
                    ]
                ]
            )
    return output.getvalue()
