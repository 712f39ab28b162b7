"""How a request finds its tenant: once, from the URL, in one place.

Three parent blueprints carry the tenant in their URL prefix; capabilities
nest their own blueprints inside them and never see the slugs:

* the body layer        ``/m/<mechanism>/b/<body>/...``  (members of that body)
* the coordination layer ``/m/<mechanism>/coordination/...`` (members of the
  coordinating body)
* the public site       ``/m/<mechanism>/...`` (anyone, read-only)

A mechanism, body or membership that does not exist, or that the user has no
part in, answers 404 — never 403, so that existence does not leak. A member
whose role is too low for a page gets 403.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, g, request
from flask_login import current_user
from werkzeug.exceptions import NotFound

from tenants import context
from tenants.context import Layer, Tenant
from tenants.database import db
from tenants.models import Body, Mechanism, Membership, Role

MIN_ROLE_ATTR = "_concert_min_role"
DEFAULT_MIN_ROLE = Role.MEMBER


def requires_role(role: Role) -> Callable:
    """Declare the lowest role that may use a view of a tenant layer.

    The layer's guard enforces it; the view itself does nothing.
    Without it a view needs at least ``Role.MEMBER``.
    """

    def mark(view):
        setattr(view, MIN_ROLE_ATTR, role)
        return view

    return mark


def min_role_for(endpoint: str | None) -> Role:
    view = current_app.view_functions.get(endpoint or "")
    return getattr(view, MIN_ROLE_ATTR, DEFAULT_MIN_ROLE)


def find_mechanism(slug: str) -> Mechanism | None:
    return db.session.scalars(sa.select(Mechanism).where(Mechanism.slug == slug)).one_or_none()


def _pop_slugs(endpoint, values) -> None:
    values = values if values is not None else {}
    g.mechanism_slug = values.pop("mechanism_slug", None)
    g.body_slug = values.pop("body_slug", None)


def _add_mechanism_slug(endpoint, values) -> None:
    mechanism = getattr(g, "mechanism", None)
    if mechanism is not None:
        values.setdefault("mechanism_slug", mechanism.slug)


def _add_body_slugs(endpoint, values) -> None:
    _add_mechanism_slug(endpoint, values)
    body = getattr(g, "body", None)
    if body is not None and getattr(g, "tenant", None) and g.tenant.layer is Layer.BODY:
        values.setdefault("body_slug", body.slug)


def _activate(tenant: Tenant) -> None:
    context.activate(tenant)
    g.tenant = tenant


def _resolve_member_layer(layer: Layer):
    """Resolve mechanism, body and membership; enforce membership and role."""
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    mechanism = find_mechanism(g.mechanism_slug or "")
    # The platform operator provisions; it never reads a tenant's content.
    if mechanism is None or current_user.is_operator:
        abort(404)
    # Bodies and memberships are provisioning rows: read them as the platform,
    # then act as the body (which keeps them in the session).
    token = context.activate(Tenant(mechanism.id, None, Layer.PLATFORM))
    if layer is Layer.BODY:
        criteria = Body.slug == (g.body_slug or "")
    else:
        criteria = Body.is_coordinator.is_(True)
    body = db.session.scalars(sa.select(Body).where(criteria, Body.active.is_(True))).one_or_none()
    membership = None
    if body is not None:
        membership = db.session.scalars(
            sa.select(Membership).where(
                Membership.body_id == body.id,
                Membership.user_id == current_user.id,
                Membership.accepted_at.is_not(None),
            )
        ).one_or_none()
    if membership is None:
        context.reset(token)
        abort(404)
    needed = min_role_for(request.endpoint)
    if layer is Layer.COORDINATION and needed is Role.EXTERNAL_EXPERT:
        needed = Role.MEMBER  # experts never see the coordination layer
    g.mechanism, g.body, g.membership = mechanism, body, membership
    _activate(Tenant(mechanism.id, body.id, layer))
    if not membership.role.at_least(needed):
        abort(403)
    return None


def _resolve_body_layer():
    return _resolve_member_layer(Layer.BODY)


def _resolve_coordination_layer():
    return _resolve_member_layer(Layer.COORDINATION)


def _resolve_public_site():
    mechanism = find_mechanism(g.mechanism_slug or "")
    if mechanism is None:
        raise NotFound()
    g.mechanism = mechanism
    _activate(Tenant(mechanism.id, None, Layer.PUBLIC))


def _make_layer(name: str, url_prefix: str, resolve: Callable, defaults: Callable) -> Blueprint:
    bp = Blueprint(name, __name__, url_prefix=url_prefix)
    bp.url_value_preprocessor(_pop_slugs)
    bp.url_defaults(defaults)
    bp.before_request(resolve)
    return bp


def make_layers() -> dict[str, Blueprint]:
    """Fresh parent blueprints for one application instance."""
    return {
        "body": _make_layer(
            "body", "/m/<mechanism_slug>/b/<body_slug>", _resolve_body_layer, _add_body_slugs
        ),
        "coordination": _make_layer(
            "coordination",
            "/m/<mechanism_slug>/coordination",
            _resolve_coordination_layer,
            _add_mechanism_slug,
        ),
        "public": _make_layer(
            "public", "/m/<mechanism_slug>", _resolve_public_site, _add_mechanism_slug
        ),
    }


_SNAPSHOT_KEY = "concert.tenancy_before_request"


def _start_request() -> None:
    """Every request starts with no tenant; what surrounded it comes back at
    its end (nothing, in a server; the enclosing scope, for a request made
    from inside a job or a test)."""
    request.environ[_SNAPSHOT_KEY] = context.snapshot()
    context.clear()


def _end_request(_error=None) -> None:
    saved = request.environ.pop(_SNAPSHOT_KEY, None)
    if saved is not None:
        context.restore(saved)


def init_app(app) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start_request)
    app.teardown_request(_end_request)
