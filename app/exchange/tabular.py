"""CSV export: one row per claim and related source, with suggestions and reviewed decisions side by side."""

import csv
import io

from sqlmodel import Session, col, select

from app.claims.models import Claim
from app.review.models import Evidence
from app.review.service import user_names
from app.review.verdicts import source_decisions
from app.sources.models import Source

COLUMNS = ["claim_id", "claim_text", "kind", "verdict", "status", "source_id", "source_filename", "source_title",
           "mentions", "suggested_stance", "suggested_confidence", "reviewed_stances", "adjudication", "decision",
           "conflict", "evidence_links"]


def export_csv(session: Session) -> str:
    """Rows for each live claim × each source related to it (mentioned, suggested, assessed, adjudicated,
    or cited as evidence); reviewed stances are `reviewer:stance` joined by `; `."""
    sources = {s.id: s for s in session.exec(select(Source)).all()}
    claims = session.exec(select(Claim).where(col(Claim.merged_into_id).is_(None)).order_by(col(Claim.id))).all()
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for claim in claims:
        assert claim.id is not None
        decisions = source_decisions(session, claim.id)
        evidence = session.exec(select(Evidence).where(Evidence.claim_id == claim.id).order_by(col(Evidence.id))).all()
        links: dict[int, list[str]] = {}
        for item in evidence:
            if item.source_id is not None:
                links.setdefault(item.source_id, []).append(f"/sources/{item.source_id}#char={item.start},{item.end}")
        names = user_names(session, {a.user_id for d in decisions.values() for a in d.assessments})
        for source_id in sorted(set(decisions) | set(links)):
            decision = decisions.get(source_id)
            source = sources.get(source_id)
            suggestion = decision.suggestion if decision else None
            writer.writerow([
                claim.id, claim.text, claim.kind, claim.verdict, claim.status, source_id,
                source.filename if source else "", source.title if source else "",
                decision.mentions if decision else 0,
                suggestion.stance if suggestion else "", f"{suggestion.confidence:.4f}" if suggestion else "",
                "; ".join(f"{names.get(a.user_id, a.user_id)}:{a.stance}" for a in decision.assessments)
                if decision else "",
                decision.adjudication.stance if decision and decision.adjudication else "",
                (decision.decision or "") if decision else "", "yes" if decision and decision.conflict else "no",
                " ".join(links.get(source_id, [])),
            ])
    return output.getvalue()
