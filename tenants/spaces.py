"""The spaces a user can enter: their bodies and, for members of a
coordinating body, the coordination layer of that mechanism."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tenants.context import acting_user, unscoped
from tenants.database import db
from tenants.models import Body, Mechanism, Membership, Role, User


@dataclass(frozen=True)
class Space:
    mechanism: Mechanism
    body: Body
    role: Role
    membership: Membership

    @property
    def coordinates(self) -> bool:
        """Whether this membership opens the mechanism's coordination layer."""
        return self.body.is_coordinator and self.role.at_least(Role.MEMBER)


def _memberships_of(user: User) -> list[Space]:
    # The only read across tenants: a user's own memberships. Row-level
    # security allows it for the acting user's rows alone.
    with acting_user(user.id), unscoped():
        rows = db.session.execute(
            sa.select(Membership, Mechanism)
            .join(Mechanism, Mechanism.id == Membership.mechanism_id)
            .where(Membership.user_id == user.id)
        ).all()
    spaces = [
        Space(mechanism, membership.body, membership.role, membership)
        for membership, mechanism in rows
        if membership.body.active
    ]
    return sorted(spaces, key=lambda s: (s.mechanism.name, not s.body.is_coordinator, s.body.name))


def spaces_for(user: User) -> list[Space]:
    """Every active body the user belongs to, across mechanisms (one query)."""
    return [space for space in _memberships_of(user) if not space.membership.pending]


def invitations_for(user: User) -> list[Space]:
    """Bodies that invited the user and wait for an answer."""
    return [space for space in _memberships_of(user) if space.membership.pending]
