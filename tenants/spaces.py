"""The spaces a user can enter: their bodies and, for members of a
coordinating body, the coordination layer of that mechanism.

Spaces are plain snapshots, not ORM objects: they are read once per request
across mechanisms (as the user), and must stay readable whatever the request
does to its session afterwards.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from flask import g
from flask_login import current_user

from tenants.context import acting_user, unscoped
from tenants.database import db
from tenants.models import Body, BodyKind, Mechanism, Membership, Role, User


@dataclass(frozen=True)
class MechanismView:
    id: int
    slug: str
    name: str
    default_language: str


@dataclass(frozen=True)
class BodyView:
    id: uuid.UUID
    slug: str
    name: str
    kind: BodyKind
    is_coordinator: bool
    requires_two_factor: bool


@dataclass(frozen=True)
class MembershipView:
    id: uuid.UUID
    mechanism_id: int
    pending: bool


@dataclass(frozen=True)
class Space:
    mechanism: MechanismView
    body: BodyView
    role: Role
    membership: MembershipView

    @property
    def coordinates(self) -> bool:
        """Whether this membership opens the mechanism's coordination layer."""
        return self.body.is_coordinator and self.role.at_least(Role.MEMBER)


def _memberships_of(user: User) -> list[Space]:
    # The only read across tenants: a user's own memberships. Row-level
    # security allows it for the acting user's rows alone.
    with acting_user(user.id), unscoped():
        rows = db.session.execute(
            sa.select(Membership, Body, Mechanism)
            .join(
                Body,
                sa.and_(
                    Body.mechanism_id == Membership.mechanism_id, Body.id == Membership.body_id
                ),
            )
            .join(Mechanism, Mechanism.id == Membership.mechanism_id)
            .where(Membership.user_id == user.id, Body.active.is_(True))
        ).all()
    spaces = [
        Space(
            MechanismView(mechanism.id, mechanism.slug, mechanism.name, mechanism.default_language),
            BodyView(
                body.id,
                body.slug,
                body.name,
                body.kind,
                body.is_coordinator,
                body.requires_two_factor,
            ),
            membership.role,
            MembershipView(membership.id, membership.mechanism_id, membership.pending),
        )
        for membership, body, mechanism in rows
    ]
    return sorted(spaces, key=lambda s: (s.mechanism.name, not s.body.is_coordinator, s.body.name))


def spaces_for(user: User) -> list[Space]:
    """Every active body the user belongs to, across mechanisms (one query)."""
    return [space for space in _memberships_of(user) if not space.membership.pending]


def invitations_for(user: User) -> list[Space]:
    """Bodies that invited the user and wait for an answer."""
    return [space for space in _memberships_of(user) if space.membership.pending]


def current_spaces() -> list[Space]:
    """The signed-in user's spaces, found once per request."""
    if not current_user.is_authenticated:
        return []
    if "current_spaces" not in g:
        g.current_spaces = spaces_for(current_user)
    return g.current_spaces
