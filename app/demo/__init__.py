"""A fictional mechanism to try Concert with (``flask demo load``), and what
each capability's part of it needs to find."""

import sqlalchemy as sa

from app.extensions import db
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, User


def account_id(email: str) -> int | None:
    """A demo account's id, for the records capabilities attribute to it."""
    return db.session.scalar(sa.select(User.id).where(User.email == email))


def mechanism_and_bodies(slug: str) -> tuple[Mechanism, dict[str, Body]]:
    """A demo mechanism, and its bodies by slug."""
    mechanism = db.session.scalars(sa.select(Mechanism).where(Mechanism.slug == slug)).one()
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        bodies = db.session.scalars(sa.select(Body).order_by(Body.slug)).all()
    return mechanism, {body.slug: body for body in bodies}
