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

    @property
    def coordinates(self) -> bool:
        """Whether this membership opens the mechanism's coordination layer."""
        return self.body.is_coordinator and self.role.at_least(Role.MEMBER)


def spaces_for(user: User) -> list[Space]:
    """Every active body the user belongs to, across mechanisms (one query)."""
    # The only read across tenants: a user's own memberships. Row-level
    # security allows it for the acting user's rows alone.
    with acting_user(user.id), unscoped():
        rows = db.session.execute(
            sa.select(Membership, Mechanism)
            .join(Mechanism, Mechanism.id == Membership.mechanism_id)
            .where(Membership.user_id == user.id)
            .order_by(Mechanism.name)
        ).all()
    spaces = [
        Space(mechanism, membership.body, membership.role)
        for membership, mechanism in rows
        if membership.body.active
    ]
    return sorted(spaces, key=lambda s: (s.mechanism.name, not s.body.is_coordinator, s.body.name))
