"""The demo's rulebooks: the Ombudsperson's adopted and public with a draft
revision, the Commission's in consultation with a comment."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from app.demo import account_id, mechanism_and_bodies
from app.documents.vocabulary import AdoptionMethod, VersionState, Visibility
from app.extensions import db
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import STARTER_SECTIONS
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, utcnow

RULES = {
    0: ("The board decides on visits, reports and the budget; the chair speaks for the body.",
        ["decides_visits", "decides_reports", "decides_budget", "spokesperson"]),
    6: ("Visit reports are drafted by the visit lead and approved by the board within six weeks.",
        ["approves_reports"]),
}  # fmt: skip


def load_rulebooks(mechanism_slug: str) -> int:
    """Create two bodies' rulebooks, once."""
    mechanism, bodies = mechanism_and_bodies(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        if db.session.scalar(sa.select(RuleVersion.id).limit(1)) is not None:
            return 0
    today = date.today()
    return _rulebook(mechanism, bodies["ombuds"], today, adopted=True) + _rulebook(
        mechanism, bodies["hrc"], today, adopted=False
    )


def _rulebook(mechanism: Mechanism, body: Body, today: date, *, adopted: bool) -> int:
    """Version 1 adopted and public with a draft 2 (``adopted``), or version
    1 in consultation with a member's comment."""
    keys = [uuid.uuid4() for _ in STARTER_SECTIONS]
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        states = (
            [VersionState.ADOPTED, VersionState.DRAFT] if adopted else [VersionState.CONSULTATION]
        )
        versions = []
        for number, state in enumerate(states, start=1):
            version = RuleVersion(
                body_id=body.id,
                number=number,
                state=state,
                visibility=Visibility.PUBLIC
                if state is VersionState.ADOPTED
                else Visibility.INTERNAL,
                adopted_on=today - timedelta(days=300) if state is VersionState.ADOPTED else None,
                adoption_method=AdoptionMethod.FORMAL_DECISION
                if state is VersionState.ADOPTED
                else None,
                act_reference="Order 2025/3" if state is VersionState.ADOPTED else "",
                created_at=utcnow() - timedelta(days=400 if state is VersionState.ADOPTED else 20),
            )
            for index, (area, title) in enumerate(STARTER_SECTIONS):
                text, questions = RULES.get(index, ("", []))
                if number == 2 and index == 0:
                    text = text.replace("the chair speaks", "the chair or a deputy speaks")
                version.sections.append(
                    RuleSection(
                        body_id=body.id,
                        key=keys[index],
                        area=area,
                        title=str(title),
                        body=text,
                        questions=questions,
                        position=index,
                    )
                )
            db.session.add(version)
            db.session.flush()
            versions.append(version)
        if not adopted:
            db.session.add(
                RuleComment(
                    body_id=body.id,
                    author_id=account_id("coordinator@demo.concert.example"),
                    section_id=versions[0].sections[0].id,
                    text="Who decides when the board cannot meet in time?",
                )
            )
        db.session.commit()
    return len(states)
