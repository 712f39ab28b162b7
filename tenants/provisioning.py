"""Provisioning: the only writers of mechanisms, bodies and memberships.

Used by the ``flask tenants`` commands and by the operator's pages alike. Every
function validates everything before writing anything, raises
``ProvisioningError`` with a message for people, and commits on success.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from tenants.context import Layer, tenant_scope, unscoped
from tenants.database import db
from tenants.models import (
    Body,
    BodyKind,
    Mechanism,
    MechanismAccount,
    Membership,
    Role,
    User,
    normalise_email,
    utcnow,
)
from tenants.signals import tenant_provisioned, user_invited

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
# Path segments the layers use themselves.
RESERVED_SLUGS = {"b", "coordination", "static", "public", "operator", "account"}
LANGUAGES = ("en", "fr")


class ProvisioningError(ValueError):
    """Bad input to a provisioning action; nothing was written."""


def _atomic(action):
    """Roll back whatever an action flushed if it fails part-way."""

    @functools.wraps(action)
    def run(*args, **kwargs):
        try:
            return action(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise

    return run


@dataclass(frozen=True)
class Invitation:
    user: User
    membership: Membership
    new_account: bool


def _check_slug(slug: str) -> str:
    slug = (slug or "").strip()
    if slug in RESERVED_SLUGS:
        raise ProvisioningError(
            _("“%(slug)s” is reserved for Concert's own addresses; choose another.", slug=slug)
        )
    if not SLUG_PATTERN.match(slug):
        raise ProvisioningError(
            _(
                "“%(slug)s” is not a usable identifier: use lower-case letters, digits and"
                " hyphens (at most 63), not starting or ending with a hyphen.",
                slug=slug,
            )
        )
    return slug


def _check_text(value: str, field: str, limit: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ProvisioningError(_("%(field)s is required.", field=field))
    if len(value) > limit:
        raise ProvisioningError(
            _("%(field)s is longer than %(limit)d characters.", field=field, limit=limit)
        )
    return value


def _check_choice(enum_cls, value, unknown: str):
    """``value`` as a member of ``enum_cls``; ``unknown`` names the problem."""
    try:
        return enum_cls(value)
    except ValueError:
        choices = ", ".join(member.value for member in enum_cls)
        raise ProvisioningError(unknown % {"value": value, "choices": choices}) from None


def check_email(email: str) -> str:
    """A valid address, normalised (accounts are found by it)."""
    try:
        return normalise_email(validate_email(email, check_deliverability=False).normalized)
    except EmailNotValidError:
        raise ProvisioningError(
            _("“%(email)s” is not a valid e-mail address.", email=email)
        ) from None


def get_mechanism(slug: str) -> Mechanism:
    mechanism = db.session.scalars(
        sa.select(Mechanism).where(Mechanism.slug == (slug or "").strip())
    ).one_or_none()
    if mechanism is None:
        raise ProvisioningError(_("There is no mechanism “%(slug)s”.", slug=slug))
    return mechanism


def _get_body(mechanism: Mechanism, slug: str) -> Body:
    body = db.session.scalars(
        sa.select(Body).where(Body.mechanism_id == mechanism.id, Body.slug == slug)
    ).one_or_none()
    if body is None:
        raise ProvisioningError(
            _(
                "The mechanism “%(mechanism)s” has no body “%(slug)s”.",
                mechanism=mechanism.slug,
                slug=slug,
            )
        )
    return body


def _announce(by, action, mechanism_id, obj=None, body_id=None, summary="") -> None:
    tenant_provisioned.send(
        by,
        action=action,
        mechanism_id=mechanism_id,
        body_id=body_id,
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=str(obj.id) if obj is not None else None,
        summary=summary,
    )


@_atomic
def create_mechanism(
    *,
    slug: str,
    name: str,
    country: str,
    default_language: str = "en",
    reporting_year_start_month: int = 1,
    by: User | None = None,
) -> Mechanism:
    slug = _check_slug(slug)
    name = _check_text(name, _("Name"))
    country = _check_text(country, _("Country"), 100)
    if default_language not in LANGUAGES:
        raise ProvisioningError(
            _("The language must be one of: %(choices)s.", choices=", ".join(LANGUAGES))
        )
    try:
        month = int(reporting_year_start_month)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        raise ProvisioningError(_("The reporting year must start in a month from 1 to 12."))
    if db.session.scalar(sa.select(Mechanism.id).where(Mechanism.slug == slug)) is not None:
        raise ProvisioningError(_("A mechanism “%(slug)s” already exists.", slug=slug))
    mechanism = Mechanism(
        slug=slug,
        name=name,
        country=country,
        default_language=default_language,
        reporting_year_start_month=month,
    )
    db.session.add(mechanism)
    db.session.flush()
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        _announce(by, "mechanism.create", mechanism.id, summary=f"{slug}: {name}")
        db.session.commit()
    return mechanism


@_atomic
def add_body(
    *,
    mechanism_slug: str,
    slug: str,
    name: str,
    kind: str | BodyKind,
    visits_places: bool = True,
    coordinating: bool = False,
    by: User | None = None,
) -> Body:
    mechanism = get_mechanism(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        body = create_body(
            mechanism,
            slug=slug,
            name=name,
            kind=kind,
            visits_places=visits_places,
            coordinating=coordinating,
            by=by,
        )
        db.session.commit()
    return body


def create_body(
    mechanism: Mechanism,
    *,
    slug: str,
    name: str,
    kind: str | BodyKind,
    visits_places: bool = True,
    coordinating: bool = False,
    by: User | None = None,
) -> Body:
    """Add a body to the session, inside the mechanism's platform scope; the
    caller commits (alone, or with the rest of an onboarding file)."""
    slug = _check_slug(slug)
    name = _check_text(name, _("Name"))
    kind = _check_choice(
        BodyKind, kind, _("Unknown kind of body “%(value)s”; use one of: %(choices)s.")
    )
    existing = db.session.scalars(sa.select(Body).where(Body.mechanism_id == mechanism.id)).all()
    if any(b.slug == slug for b in existing):
        raise ProvisioningError(_("This mechanism already has a body “%(slug)s”.", slug=slug))
    coordinator = next((b for b in existing if b.is_coordinator), None)
    if coordinating and coordinator is not None:
        raise ProvisioningError(
            _(
                "“%(slug)s” already coordinates this mechanism; designate another"
                " coordinating body instead.",
                slug=coordinator.slug,
            )
        )
    body = Body(
        mechanism_id=mechanism.id,
        slug=slug,
        name=name,
        kind=kind,
        visits_places=bool(visits_places),
        # The first body of a mechanism coordinates it until another is designated.
        is_coordinator=coordinating or coordinator is None,
    )
    db.session.add(body)
    db.session.flush()
    _announce(by, "body.create", mechanism.id, body, body.id, f"{slug}: {name}")
    return body


@_atomic
def designate_coordinator(*, mechanism_slug: str, body_slug: str, by: User | None = None) -> Body:
    mechanism = get_mechanism(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        body = _get_body(mechanism, body_slug)
        if not body.active:
            raise ProvisioningError(_("An inactive body cannot coordinate the mechanism."))
        if body.is_coordinator:
            raise ProvisioningError(
                _("“%(slug)s” already coordinates this mechanism.", slug=body.slug)
            )
        previous = db.session.scalars(
            sa.select(Body).where(Body.mechanism_id == mechanism.id, Body.is_coordinator)
        ).one_or_none()
        if previous is not None:
            previous.is_coordinator = False
            db.session.flush()  # the unique index allows one coordinator at a time
        body.is_coordinator = True
        db.session.flush()
        _announce(
            by,
            "body.designate_coordinator",
            mechanism.id,
            body,
            body.id,
            f"{previous.slug if previous else '-'} → {body.slug}",
        )
        db.session.commit()
    return body


@_atomic
def invite_user(
    *,
    mechanism_slug: str,
    body_slug: str,
    email: str,
    role: str | Role,
    display_name: str = "",
    by: User | None = None,
    notify: bool = True,
    accepted: bool = False,
) -> Invitation:
    """Give an account (new or existing) a role in a body; ``notify`` sends
    the invitation mail (a new account gets a link to set its password)."""
    mechanism = get_mechanism(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        body = _get_body(mechanism, body_slug)
        invitation = add_membership(
            mechanism,
            body,
            email=email,
            role=role,
            display_name=display_name,
            by=by,
            accepted=accepted,
        )
        db.session.commit()
    if notify:
        send_invitation(invitation, by)
    return invitation


def send_invitation(invitation: Invitation, by: User | None) -> None:
    """Mail an invitation, once the membership it announces is committed."""
    user_invited.send(by, invitation=invitation)


def add_membership(
    mechanism: Mechanism,
    body: Body,
    *,
    email: str,
    role: str | Role,
    display_name: str = "",
    by: User | None = None,
    accepted: bool = False,
) -> Invitation:
    """Add a membership (and the account, if new) to the session, inside the
    mechanism's platform scope; the caller commits, then sends the mail."""
    email = check_email(email)
    role = _check_choice(Role, role, _("Unknown role “%(value)s”; use one of: %(choices)s."))
    with unscoped():  # an account may already work in another mechanism
        user = db.session.scalars(sa.select(User).where(User.email == email)).one_or_none()
    new_account = user is None
    if new_account:
        name = _check_text(display_name or email.split("@")[0], _("Name"))
        user = User(email=email, display_name=name, password_hash=None, active=True)
        db.session.add(user)
        db.session.flush()
    elif user.is_operator:
        raise ProvisioningError(_("This address cannot be invited to a body."))
    elif db.session.scalar(
        sa.select(Membership.id).where(Membership.body_id == body.id, Membership.user_id == user.id)
    ):
        raise ProvisioningError(_("%(email)s already belongs to this body.", email=email))
    membership = Membership(
        mechanism_id=mechanism.id,
        body_id=body.id,
        user_id=user.id,
        role=role,
        accepted_at=utcnow() if accepted else None,
    )
    db.session.add(membership)
    known = sa.select(MechanismAccount.id).where(MechanismAccount.user_id == user.id)
    if db.session.scalar(known) is None:
        db.session.add(MechanismAccount(body_id=body.id, user_id=user.id))
    db.session.flush()
    _announce(by, "membership.create", mechanism.id, membership, body.id, f"{email} as {role}")
    return Invitation(user=user, membership=membership, new_account=new_account)


def _pending(user: User, membership_id):
    from tenants.spaces import invitations_for

    for space in invitations_for(user):
        if str(space.membership.id) == str(membership_id):
            return space.membership
    raise ProvisioningError(_("This invitation is no longer open."))


@_atomic
def answer_invitation(user: User, membership_id, *, accept: bool) -> Membership:
    """The invited person accepts (the body opens to them) or declines (the
    invitation is deleted). Only their own open invitations can be answered."""
    pending = _pending(user, membership_id)
    with tenant_scope(pending.mechanism_id, layer=Layer.PLATFORM):
        membership = db.session.get(Membership, (pending.mechanism_id, pending.id))
        action = "membership.accept" if accept else "membership.decline"
        _announce(user, action, membership.mechanism_id, membership, membership.body_id, user.email)
        if accept:
            membership.accepted_at = utcnow()
        else:
            db.session.delete(membership)
        db.session.commit()
    return membership


def accept_all_invitations(user: User) -> int:
    """A new account that set its password from an invitation link accepted
    what it was invited to (the link proved the address)."""
    from tenants.spaces import invitations_for

    pending = invitations_for(user)
    for space in pending:
        answer_invitation(user, space.membership.id, accept=True)
    return len(pending)
