"""Joint charters: the coordinator's versions, the bodies' comments,
adoptions and exceptions, and people's acknowledgements of the ethics code."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import lazyload

from app.audit.services import record
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
from app.documents import services as documents
from app.documents.vocabulary import VersionState
from app.extensions import db
from tenants.context import aggregate_reads
from tenants.models import Body, Membership, Role, User, utcnow

STARTERS: dict[CharterKind, list] = {
    CharterKind.ETHICS_CODE: [
        _l("Values and principles"),
        _l("Confidential information"),
        _l("Do no harm"),
        _l("Independence and conflicts of interest"),
        _l("Reporting wrongdoing"),
        _l("Preventing reprisals"),
    ],
    CharterKind.COORDINATION_AGREEMENT: [
        _l("Role of each body"),
        _l("Role of the coordinating body"),
        _l("Meetings"),
        _l("Coherence of the mechanism's work"),
        _l("Participation in visits"),
        _l("Joint reports"),
        _l("Joint advocacy"),
        _l("Liaison with the UN Subcommittee on Prevention of Torture"),
    ],
    CharterKind.WORKING_METHODS: [
        _l("Preparing visits"),
        _l("Conducting visits"),
        _l("After a visit"),
        _l("Reports and recommendations"),
        _l("Dialogue with the authorities"),
    ],
}


def charters() -> dict[CharterKind, Charter]:
    return {c.kind: c for c in db.session.scalars(Charter.scoped_select())}


def versions_of(charter: Charter | None) -> list[CharterVersion]:
    if charter is None:
        return []
    return db.session.scalars(
        CharterVersion.scoped_select()
        .options(lazyload(CharterVersion.sections))
        .where(CharterVersion.charter_id == charter.id)
        .order_by(CharterVersion.number.desc())
    ).all()


def all_versions() -> dict[uuid.UUID, list[CharterVersion]]:
    """Every charter's versions, newest first, in one query."""
    grouped: dict[uuid.UUID, list[CharterVersion]] = {}
    for version in db.session.scalars(
        CharterVersion.scoped_select()
        .options(lazyload(CharterVersion.sections))
        .order_by(CharterVersion.number.desc())
    ):
        grouped.setdefault(version.charter_id, []).append(version)
    return grouped


def start_version(kind: CharterKind, user: User) -> CharterVersion:
    charter = charters().get(kind)
    if charter is None:
        charter = Charter(kind=kind)
        db.session.add(charter)
        db.session.flush()
    starter = [{"key": uuid.uuid4(), "title": str(title)} for title in STARTERS[kind]]
    return documents.new_version(
        CharterVersion, CharterSection, versions_of(charter), user, starter, charter_id=charter.id
    )


# ---------------------------------------------------------------- comments


def comments_by_section(version: CharterVersion) -> dict[uuid.UUID, list[CharterComment]]:
    """The comments on a version this tenant may read: a body its own, the
    coordination layer those of every body (comments are addressed to it)."""
    return documents.comments_by_section(CharterComment, CharterSection, version)


def answers_for(comments: dict[uuid.UUID, list[CharterComment]]) -> dict[uuid.UUID, CharterAnswer]:
    ids = [comment.id for rows in comments.values() for comment in rows]
    if not ids:
        return {}
    return {
        answer.comment_id: answer
        for answer in db.session.scalars(
            CharterAnswer.scoped_select().where(CharterAnswer.comment_id.in_(ids))
        )
    }


def answer(comment: CharterComment, user: User, text: str, resolved: bool) -> None:
    row = db.session.scalars(
        CharterAnswer.scoped_select().where(CharterAnswer.comment_id == comment.id)
    ).one_or_none()
    if row is None:
        row = CharterAnswer(comment_id=comment.id)
        db.session.add(row)
    row.text, row.resolved, row.answered_by, row.answered_at = text, resolved, user.id, utcnow()
    db.session.flush()
    record("charters.comment.answer", obj=row, summary="resolved" if resolved else "answered")


# ---------------------------------------------------------------- adoption


def decisions_on(version: CharterVersion) -> list[CharterAdoption]:
    """The adoption rows (or exceptions) recorded for a version, by every body
    the tenant may read."""
    return db.session.scalars(
        CharterAdoption.scoped_select().where(CharterAdoption.version_id == version.id)
    ).all()


def own_adoptions() -> dict[uuid.UUID, CharterAdoption]:
    """The active body's adoption rows, by version."""
    return {row.version_id: row for row in db.session.scalars(CharterAdoption.scoped_select())}


def adopted_by_body() -> list[CharterAdoption]:
    """For a body's rulebook: the charter versions it adopted, or made an
    exception to, the latest per charter."""
    latest: dict[uuid.UUID, CharterAdoption] = {}
    for row in own_adoptions().values():
        kept = latest.get(row.version.charter_id)
        if kept is None or row.version.number > kept.version.number:
            latest[row.version.charter_id] = row
    return sorted(latest.values(), key=lambda row: row.version.charter.kind.value)


def record_adoption(
    version: CharterVersion,
    user: User,
    *,
    outcome: Outcome,
    decided_on: date,
    reference: str,
    reason: str,
) -> CharterAdoption:
    row = own_adoptions().get(version.id)
    if row is None:
        row = CharterAdoption(version_id=version.id)
        db.session.add(row)
    row.outcome, row.decided_on = outcome, decided_on
    row.reference = reference if outcome is Outcome.ADOPTED else ""
    row.reason = reason if outcome is Outcome.EXCEPTION else ""
    row.recorded_by, row.recorded_at = user.id, utcnow()
    db.session.flush()
    record("charters.adoption." + outcome.value, obj=row, summary=f"version {version.number}")
    return row


@dataclass
class BoardRow:
    body: Body
    adoption: CharterAdoption | None  # the body's latest row for this charter
    latest: CharterVersion | None  # the version awaiting adoption

    @property
    def up_to_date(self) -> bool:
        return (
            self.latest is not None
            and self.adoption is not None
            and self.adoption.version_id == self.latest.id
            and self.adoption.outcome is Outcome.ADOPTED
        )

    @property
    def exception(self) -> bool:
        """The body decided not to adopt the latest version, with its reason."""
        return (
            self.latest is not None
            and self.adoption is not None
            and self.adoption.version_id == self.latest.id
            and self.adoption.outcome is Outcome.EXCEPTION
        )

    @property
    def waiting_since(self) -> date | None:
        """Since when the latest version awaits this body's decision."""
        if self.latest is None or self.up_to_date or self.exception:
            return None
        return self.latest.adopted_on


def board(
    bodies: list[Body],
    known: dict[CharterKind, Charter],
    versions: dict[uuid.UUID, list[CharterVersion]],
) -> dict[CharterKind, list[BoardRow]]:
    """Which body is on which version of each charter (``known`` and
    ``versions`` as ``charters()`` and ``all_versions()`` give them). Reads
    every body's adoption rows: recording one shares it with the
    coordination layer."""
    published = {
        charter_id: documents.in_state(rows, VersionState.ADOPTED)
        for charter_id, rows in versions.items()
    }
    latest_row: dict[tuple[uuid.UUID, uuid.UUID], CharterAdoption] = {}
    for row in db.session.scalars(CharterAdoption.scoped_select()):
        key = (row.version.charter_id, row.body_id)
        kept = latest_row.get(key)
        if kept is None or row.version.number > kept.version.number:
            latest_row[key] = row
    result = {}
    for kind, charter in known.items():
        result[kind] = [
            BoardRow(body, latest_row.get((charter.id, body.id)), published.get(charter.id))
            for body in bodies
        ]
    return result


def without_administrator(bodies: list[Body]) -> list[Body]:
    """The bodies no one could be asked to adopt for: they have no
    administrator. Counts every body's administrators: for the coordination
    layer."""
    with aggregate_reads():
        served = dict(
            db.session.execute(
                sa.select(Membership.body_id, sa.func.count(Membership.id))
                .where(Membership.role == Role.ADMIN, Membership.accepted_at.is_not(None))
                .group_by(Membership.body_id)
            ).all()
        )
    return [body for body in bodies if not served.get(body.id)]


def active_bodies() -> list[Body]:
    return db.session.scalars(
        sa.select(Body).where(Body.active.is_(True)).order_by(Body.name)
    ).all()


# ---------------------------------------------------------- acknowledgement


def ethics_code_in_force(adoptions: dict | None = None) -> CharterVersion | None:
    """The latest version of the ethics code the active body adopted (from
    ``own_adoptions()``, read here unless given)."""
    adoptions = own_adoptions() if adoptions is None else adoptions
    rows = [
        row
        for row in adoptions.values()
        if row.outcome is Outcome.ADOPTED and row.version.charter.kind is CharterKind.ETHICS_CODE
    ]
    return max(rows, key=lambda row: row.version.number).version if rows else None


def acknowledged_by(version: CharterVersion) -> dict[int, datetime]:
    return {
        row.user_id: row.acknowledged_at
        for row in db.session.scalars(
            CharterAcknowledgement.scoped_select().where(
                CharterAcknowledgement.version_id == version.id
            )
        )
    }


def acknowledge(version: CharterVersion, user: User) -> bool:
    """Record that ``user`` read the version; False if they already had."""
    if user.id in acknowledged_by(version):
        return False
    db.session.add(CharterAcknowledgement(version_id=version.id, user_id=user.id))
    db.session.flush()
    record("charters.acknowledge", object_type="CharterVersion", object_id=version.id)
    return True
