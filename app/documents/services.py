"""Writing versioned documents, the same way for a body's rules and a
mechanism's charters: starting a version, saving a section, moving a version
through its lifecycle. Every write leaves an audit event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

import sqlalchemy as sa

from app.audit.services import record
from app.documents import lifecycle
from app.documents.vocabulary import VersionState
from app.extensions import db
from tenants.models import utcnow


class WorkInProgress(ValueError):
    """A draft or a consultation is already open: one at a time."""


def latest(versions: Iterable):
    return max(versions, key=lambda version: version.number, default=None)


def in_state(versions: Iterable, *states: VersionState):
    return next((version for version in versions if version.state in states), None)


def new_version(version_cls, section_cls, siblings: list, user, starter: list[dict], **owner):
    """A new draft, from the sections of the latest version (or ``starter``
    for a first one). Sections keep their key, so the versions compare."""
    if in_state(siblings, *lifecycle.WORKING) is not None:
        raise WorkInProgress()
    previous = latest(siblings)
    version = version_cls(
        number=previous.number + 1 if previous else 1, created_by=user.id, **owner
    )
    db.session.add(version)
    fields = [section.carried() for section in previous.sections] if previous else starter
    for position, values in enumerate(fields):
        version.sections.append(section_cls(position=position, updated_by=user.id, **values))
    db.session.flush()
    record("document.version.create", obj=version, summary=f"version {version.number}")
    return version


def save_section(section, values: dict, user) -> None:
    """Save a section of a draft; the ORM's revision check refuses a save
    based on an older revision (``StaleDataError``)."""
    for name, value in values.items():
        setattr(section, name, value)
    section.updated_by = user.id
    db.session.flush()
    record("document.section.save", obj=section, summary=section.title[:200])


def add_section(version, section_cls, values: dict, user):
    position = max((section.position for section in version.sections), default=-1) + 1
    section = section_cls(position=position, updated_by=user.id, **values)
    version.sections.append(section)
    db.session.flush()
    record("document.section.add", obj=section, summary=section.title[:200])
    return section


def remove_section(version, section) -> None:
    version.sections.remove(section)
    record("document.section.remove", obj=section, summary=section.title[:200])


def move(version, target: VersionState, siblings: list, **fields) -> None:
    """Move a version through its lifecycle (``TransitionRefused`` if the
    move is not allowed); adopting supersedes the version in force."""
    in_force = in_state(siblings, VersionState.ADOPTED) if target is VersionState.ADOPTED else None
    lifecycle.move(version, target, in_force if in_force is not version else None)
    now = utcnow()
    version.state_changed_at = now
    if in_force is not None and in_force is not version:
        in_force.state_changed_at = now
    for name, value in fields.items():
        setattr(version, name, value)
    record("document.version." + target.value, obj=version, summary=f"version {version.number}")


def add_comment(comment_cls, section, user, text: str):
    comment = comment_cls(section_id=section.id, author_id=user.id, text=text)
    db.session.add(comment)
    db.session.flush()
    record("document.comment.add", obj=comment, summary=section.title[:200])
    return comment


def comments_by_section(comment_cls, section_cls, version) -> dict[uuid.UUID, list]:
    """The comments on a version's sections that the active tenant may read,
    oldest first, by section."""
    rows = db.session.scalars(
        comment_cls.scoped_select()
        .join(
            section_cls,
            sa.and_(
                section_cls.mechanism_id == comment_cls.mechanism_id,
                section_cls.id == comment_cls.section_id,
            ),
        )
        .where(section_cls.version_id == version.id)
        .order_by(comment_cls.created_at)
    ).all()
    grouped: dict[uuid.UUID, list] = {}
    for comment in rows:
        grouped.setdefault(comment.section_id, []).append(comment)
    return grouped
