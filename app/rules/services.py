"""A body's rulebook: its versions, its guided-drafting checklist and its
consultation comments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import lazyload

from app.audit.services import record
from app.documents import services as documents
from app.documents.vocabulary import Visibility
from app.extensions import db
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import STARTER_SECTIONS, Question, questions_for
from tenants.models import Body, BodyKind, User, utcnow


def versions() -> list[RuleVersion]:
    """The body's versions, newest first (their sections load when used)."""
    return db.session.scalars(
        RuleVersion.scoped_select()
        .options(lazyload(RuleVersion.sections))
        .order_by(RuleVersion.number.desc())
    ).all()


def starter() -> list[dict]:
    return [
        {"key": uuid.uuid4(), "title": str(title), "area": area, "questions": []}
        for area, title in STARTER_SECTIONS
    ]


def start_version(body: Body, user: User) -> RuleVersion:
    return documents.new_version(
        RuleVersion, RuleSection, versions(), user, starter(), body_id=body.id
    )


@dataclass(frozen=True)
class ChecklistItem:
    question: Question
    sections: list[RuleSection]


def checklist(version: RuleVersion, body: Body) -> list[ChecklistItem]:
    """The questions this body's rules should answer, each with the sections
    of the version marked as answering it."""
    bodies = db.session.scalar(
        sa.select(sa.func.count()).select_from(Body).where(Body.active.is_(True))
    )
    questions = questions_for(
        inside_institution=body.kind in (BodyKind.OMBUDS, BodyKind.NHRI),
        multiple_body=bodies > 1,
    )
    return [
        ChecklistItem(q, [s for s in version.sections if q.code in (s.questions or [])])
        for q in questions
    ]


def comments_by_section(version: RuleVersion) -> dict[uuid.UUID, list[RuleComment]]:
    return documents.comments_by_section(RuleComment, RuleSection, version)


def set_visibility(version: RuleVersion, visibility: Visibility) -> None:
    """Who may read an adopted version: the body alone, or the public."""
    version.visibility = visibility
    record("rules.version.visibility", obj=version, summary=visibility.value)


def answer(comment: RuleComment, user: User, text: str, resolved: bool) -> None:
    comment.answer = text
    comment.resolved = resolved
    comment.answered_by = user.id
    comment.answered_at = utcnow()
    record("rules.comment.answer", obj=comment, summary="resolved" if resolved else "answered")
