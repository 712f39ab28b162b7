"""The demo's joint charters: an ethics code most bodies adopted (one
exception, one pending) and a coordination agreement in consultation."""

from __future__ import annotations

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
from app.demo import account_id, mechanism_and_bodies
from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from tenants.context import Layer, tenant_scope

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


def load_charters(mechanism_slug: str) -> int:
    """Create the demo's charters and the bodies' decisions on them, once."""
    mechanism, bodies = mechanism_and_bodies(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        if db.session.scalar(sa.select(Charter.id).limit(1)) is not None:
            return 0
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
                author_id=account_id("admin@demo.concert.example"),
                section_id=agreement.sections[2].id,
                text="Two months is too long between meetings during the first year.",
            )
        )
        db.session.commit()
    return created


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
