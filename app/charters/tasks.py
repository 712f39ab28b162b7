"""What the joint charters ask of people, for the home pages: a body's
decision on a published version, a person's reading of the ethics code, a
consultation open for comment; and, for the coordinator, comments waiting
for an answer and bodies that have not decided. One query per kind."""

from __future__ import annotations

import sqlalchemy as sa
from flask import url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import contains_eager, lazyload

from app.capabilities import Cell, Task, TaskContext
from app.charters.models import (
    Charter,
    CharterAcknowledgement,
    CharterAdoption,
    CharterAnswer,
    CharterComment,
    CharterKind,
    CharterSection,
    CharterVersion,
    Outcome,
)
from app.documents.vocabulary import VersionState
from app.extensions import db
from tenants import current_tenant


def _versions(*states: VersionState) -> sa.Select:
    """Versions in these states with their charter, in one statement."""
    return (
        CharterVersion.scoped_select()
        .join(Charter, Charter.id == CharterVersion.charter_id)
        .options(contains_eager(CharterVersion.charter), lazyload(CharterVersion.sections))
        .where(CharterVersion.state.in_(states))
    )


def _name(version: CharterVersion) -> str:
    return version.charter.kind.label.lower()


def _body_link(version: CharterVersion) -> str:
    return url_for("body.charters.version", version_id=version.id)


def to_decide(context: TaskContext) -> list[Task]:
    """Published versions the body has not decided on: for its administrators."""
    decided = sa.exists().where(
        CharterAdoption.version_id == CharterVersion.id,
        CharterAdoption.mechanism_id == CharterVersion.mechanism_id,
        # the body's own decision (a coordinating body may read others')
        CharterAdoption.body_id == current_tenant().body_id,
    )
    versions = db.session.scalars(
        _versions(VersionState.ADOPTED)
        .where(~decided)
        .order_by(CharterVersion.state_changed_at.desc())
        .limit(context.limit)
    ).all()
    return [
        Task(
            _(
                "Record your body's decision on version %(number)d of the %(charter)s.",
                number=version.number,
                charter=_name(version),
            ),
            url_for("body.charters.adopt", version_id=version.id),
            since=version.adopted_on or version.state_changed_at,
        )
        for version in versions
    ]


def to_acknowledge(context: TaskContext) -> list[Task]:
    """The ethics code the body adopted, if this person has not read it."""
    read = (
        sa.exists()
        .where(
            CharterAcknowledgement.version_id == CharterVersion.id,
            CharterAcknowledgement.mechanism_id == CharterVersion.mechanism_id,
            CharterAcknowledgement.user_id == context.user.id,
        )
        .label("read")
    )
    row = db.session.execute(
        _versions(VersionState.ADOPTED, VersionState.SUPERSEDED)
        .add_columns(read)
        .join(
            CharterAdoption,
            sa.and_(
                CharterAdoption.version_id == CharterVersion.id,
                CharterAdoption.mechanism_id == CharterVersion.mechanism_id,
                CharterAdoption.body_id == current_tenant().body_id,
            ),
        )
        .where(Charter.kind == CharterKind.ETHICS_CODE, CharterAdoption.outcome == Outcome.ADOPTED)
        .order_by(CharterVersion.number.desc())
        .limit(1)
    ).first()
    if row is None or row.read:
        return []
    version = row[0]
    return [
        Task(
            _(
                "Read version %(number)d of the ethics code and confirm that you have.",
                number=version.number,
            ),
            _body_link(version),
            since=version.state_changed_at,
        )
    ]


def open_for_comment(context: TaskContext) -> list[Task]:
    versions = db.session.scalars(
        _versions(VersionState.CONSULTATION)
        .order_by(CharterVersion.state_changed_at.desc())
        .limit(context.limit)
    ).all()
    return [
        Task(
            _(
                "Version %(number)d of the %(charter)s is open for your body's comments.",
                number=version.number,
                charter=_name(version),
            ),
            _body_link(version),
            since=version.state_changed_at,
        )
        for version in versions
    ]


# ---------------------------------------------------------------- coordination


def comments_to_answer(context: TaskContext) -> list[Task]:
    """Versions in consultation with bodies' comments the coordinator has not
    answered yet, with how many."""
    waiting = sa.func.count(CharterComment.id)
    rows = db.session.execute(
        _versions(VersionState.CONSULTATION)
        .add_columns(waiting, sa.func.max(CharterComment.created_at))
        .join(
            CharterSection,
            sa.and_(
                CharterSection.version_id == CharterVersion.id,
                CharterSection.mechanism_id == CharterVersion.mechanism_id,
            ),
        )
        .join(
            CharterComment,
            sa.and_(
                CharterComment.section_id == CharterSection.id,
                CharterComment.mechanism_id == CharterSection.mechanism_id,
            ),
        )
        .outerjoin(
            CharterAnswer,
            sa.and_(
                CharterAnswer.comment_id == CharterComment.id,
                CharterAnswer.mechanism_id == CharterComment.mechanism_id,
            ),
        )
        .where(CharterAnswer.id.is_(None))
        .group_by(CharterVersion, Charter)
        .limit(context.limit)
    ).all()
    return [
        Task(
            ngettext(
                "%(num)d comment on version %(number)d of the %(charter)s waits for your answer.",
                "%(num)d comments on version %(number)d of the %(charter)s wait for your answer.",
                count,
                number=version.number,
                charter=_name(version),
            ),
            url_for("coordination.charters.version", version_id=version.id),
            since=latest,
        )
        for version, count, latest in rows
    ]


def bodies_undecided(context: TaskContext) -> list[Task]:
    """Published versions some active bodies have not decided on."""
    active = {body.id for body in context.bodies if body.active}
    decided = sa.func.count(sa.distinct(CharterAdoption.body_id))
    rows = db.session.execute(
        _versions(VersionState.ADOPTED)
        .add_columns(decided)
        .outerjoin(
            CharterAdoption,
            sa.and_(
                CharterAdoption.version_id == CharterVersion.id,
                CharterAdoption.mechanism_id == CharterVersion.mechanism_id,
                CharterAdoption.body_id.in_(active),
            ),
        )
        .group_by(CharterVersion, Charter)
        .limit(context.limit)
    ).all()
    tasks = []
    for version, count in rows:
        missing = len(active) - count
        if missing > 0:
            tasks.append(
                Task(
                    ngettext(
                        "%(num)d body has not decided on version %(number)d of the %(charter)s.",
                        "%(num)d bodies have not decided on version %(number)d of the %(charter)s.",
                        missing,
                        number=version.number,
                        charter=_name(version),
                    ),
                    url_for("coordination.charters.index"),
                    since=version.adopted_on or version.state_changed_at,
                )
            )
    return tasks


def decided_column(bodies: tuple) -> dict:
    """For each body: on how many of the published charters it has decided
    (adopted or recorded an exception). At most one published version per
    charter, so the rows are bounded by charters times bodies."""
    rows = db.session.execute(
        CharterVersion.scoped_select()
        .with_only_columns(CharterVersion.id, CharterAdoption.body_id)
        .outerjoin(
            CharterAdoption,
            sa.and_(
                CharterAdoption.version_id == CharterVersion.id,
                CharterAdoption.mechanism_id == CharterVersion.mechanism_id,
            ),
        )
        .where(CharterVersion.state == VersionState.ADOPTED)
    ).all()
    total = len({version_id for version_id, _body in rows})
    counts: dict = {}
    for _version, body_id in rows:
        if body_id is not None:
            counts[body_id] = counts.get(body_id, 0) + 1
    cells = {}
    for body in bodies:
        count = counts.get(body.id, 0)
        if not total:
            cells[body.id] = Cell(_("none published"))
        else:
            text = _("%(count)d of %(total)d", count=count, total=total)
            cells[body.id] = Cell(text, alert=body.active and count < total)
    return cells
