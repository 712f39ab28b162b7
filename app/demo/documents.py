"""Rules and charters for the demo mechanism: an ethics code most bodies
adopted (one exception, one pending), a coordination agreement in
consultation, and two bodies' rulebooks at different stages."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import sqlalchemy as sa

from app.charters.models import (
    Charter,
    CharterAdoption,
    CharterComment,
    CharterKind,
    CharterSection,
    CharterVersion,
    Outcome,
)
from app.charters.services import STARTERS
from app.documents.vocabulary import (
    STARTER_SECTIONS,
    AdoptionMethod,
    VersionState,
    Visibility,
)
from app.extensions import db
from app.rules.models import RuleComment, RuleSection, RuleVersion
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, User, utcnow

ETHICS = {
    0: "Members and staff act with **independence**, **impartiality** and respect for the dignity"
    " of every person deprived of liberty.\n\n- No one is visited or interviewed without consent.\n"
    "- Findings are based on what was seen and heard, checked against records.",
    1: "Information learnt during a visit is confidential. Personal data is published only"
    " with consent, and never in a way that identifies a detainee.",
    2: "Before acting on information, weigh the risk for the person who gave it. When in doubt,"
    " do not act without their informed consent.",
    5: "Any sign of intimidation or sanction against a person who spoke with the mechanism is"
    " reported to the coordinator within 48 hours and raised with the authority concerned.",
}
AGREEMENT = {
    0: "Each body visits the places its own mandate covers and shares its planned visits every"
    " quarter.",
    2: "The bodies meet every two months; the chair rotates each year.",
    7: "The coordinating body liaises with the UN Subcommittee on Prevention of Torture on behalf"
    " of all bodies.",
}
RULES = {
    0: ("The board decides on visits, reports and the budget; the chair speaks for the body.",
        ["decides_visits", "decides_reports", "decides_budget", "spokesperson"]),
    6: ("Visit reports are drafted by the visit lead and approved by the board within six weeks.",
        ["approves_reports"]),
}  # fmt: skip


def load_documents(mechanism_slug: str) -> int:
    """Create the demo's charters and rulebooks, once."""
    mechanism = db.session.scalars(
        sa.select(Mechanism).where(Mechanism.slug == mechanism_slug)
    ).one()
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        if db.session.scalar(sa.select(Charter.id).limit(1)) is not None:
            return 0
        bodies = {body.slug: body for body in db.session.scalars(sa.select(Body))}
        today = date.today()
        code = _charter(CharterKind.ETHICS_CODE, ETHICS, VersionState.ADOPTED, today)
        agreement = _charter(
            CharterKind.COORDINATION_AGREEMENT, AGREEMENT, VersionState.CONSULTATION, today
        )
        db.session.commit()
    created = 2
    decisions = {
        "hrc": (Outcome.ADOPTED, "Commission decision 2026/14", ""),
        "ombuds": (Outcome.ADOPTED, "Ombudsperson's order 9", ""),
        "children": (Outcome.ADOPTED, "", ""),
        "health": (Outcome.ADOPTED, "Inspectorate board, minutes 4", ""),
        "lay-board": (
            Outcome.EXCEPTION,
            "",
            "Our members are volunteers: the section on conflicts of interest needs a version"
            " for lay members first.",
        ),
    }
    for slug, (outcome, reference, reason) in decisions.items():
        body = bodies[slug]
        with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
            db.session.add(
                CharterAdoption(
                    body_id=body.id,
                    version_id=code.id,
                    outcome=outcome,
                    decided_on=today - timedelta(days=120),
                    reference=reference,
                    reason=reason,
                )
            )
            db.session.commit()
            created += 1
    with tenant_scope(mechanism.id, bodies["ombuds"].id, layer=Layer.BODY):
        db.session.add(
            CharterComment(
                body_id=bodies["ombuds"].id,
                author_id=_account("admin@demo.concert.example"),
                section_id=agreement.sections[2].id,
                text="Two months is too long between meetings during the first year.",
            )
        )
        db.session.commit()
    created += _rulebook(mechanism, bodies["ombuds"], today, adopted=True)
    created += _rulebook(mechanism, bodies["hrc"], today, adopted=False)
    return created


def _account(email: str) -> int | None:
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def _charter(kind, texts, state, today) -> CharterVersion:
    charter = Charter(kind=kind)
    db.session.add(charter)
    db.session.flush()
    version = CharterVersion(
        charter_id=charter.id,
        number=1,
        state=state,
        visibility=Visibility.PUBLIC,
        adopted_on=today - timedelta(days=150) if state is VersionState.ADOPTED else None,
        act_reference="Steering group, meeting 3" if state is VersionState.ADOPTED else "",
    )
    version.sections.extend(
        CharterSection(title=str(title), body=texts.get(index, ""), position=index)
        for index, title in enumerate(STARTERS[kind])
    )
    db.session.add(version)
    db.session.flush()
    return version


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
                    author_id=_account("coordinator@demo.concert.example"),
                    section_id=versions[0].sections[0].id,
                    text="Who decides when the board cannot meet in time?",
                )
            )
        db.session.commit()
    return len(states)
