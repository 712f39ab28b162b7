"""Notices left for people in a body, and their dismissal; open notices
are tasks of the body home, counted in the header."""

from flask import g
from flask_login import current_user

from app.capabilities import Capability, TaskKind
from app.notices.tasks import open_for, unread
from app.notices.views import bp
from tenants import current_tenant
from tenants.context import Layer
from tenants.models import Role


def unread_notices() -> int | None:
    """For the header, in a body's pages: how many notices wait for the
    signed-in person there (one query, made only when the header asks)."""
    tenant = current_tenant()
    if tenant is None or tenant.layer is not Layer.BODY or not current_user.is_authenticated:
        return None
    if getattr(g, "membership", None) is None:
        return None
    return unread(current_user.id)


def _setup(app) -> None:
    app.jinja_env.globals["unread_notices"] = unread_notices


CAPABILITY = Capability(
    name="notices",
    blueprints=(("body", bp),),
    tasks=(TaskKind("notices", "body", open_for, Role.EXTERNAL_EXPERT),),
    setup=_setup,
)
