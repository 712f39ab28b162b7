"""What the body's internal rules ask of its people, for the body home: a
version of the rules open for their comments. One query."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy.orm import lazyload

from app.capabilities import Task, TaskContext
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.rules.models import RuleVersion


def open_for_comment(context: TaskContext) -> list[Task]:
    versions = db.session.scalars(
        RuleVersion.scoped_select()
        .options(lazyload("*"))
        .where(RuleVersion.state == VersionState.CONSULTATION)
        .order_by(RuleVersion.state_changed_at.desc())
        .limit(context.limit)
    ).all()
    return [
        Task(
            _(
                "Version %(number)d of the body's rules is open for your comments.",
                number=version.number,
            ),
            url_for("body.rules.version", version_id=version.id),
            since=version.state_changed_at,
        )
        for version in versions
    ]
