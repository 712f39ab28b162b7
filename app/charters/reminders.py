"""Telling people what a charter asks of them, by e-mail and in-app: body
administrators when a version awaits adoption, the body's people when the
ethics code awaits their acknowledgement."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.services import accounts_of
from app.charters import services
from app.charters.models import CharterKind, CharterVersion
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.jobs.registry import job
from app.jobs.services import JobFailed
from app.mail import deliver, language_for, path_for
from app.notices.services import notify, text_for
from tenants import current_tenant, tenant_scope
from tenants.context import Layer
from tenants.models import Body, Mechanism, Role, utcnow

# A body is reminded weekly once a version has waited this long for its decision.
WAIT_BEFORE_REMINDING = timedelta(days=7)


@text_for("charters.awaiting_adoption")
def _awaiting_text(params: dict) -> str:
    return str(
        _l(
            "Version %(number)d of the %(charter)s awaits your body's adoption.",
            number=params["number"],
            charter=CharterKind(params["kind"]).label.lower(),
        )
    )


@text_for("charters.acknowledge")
def _acknowledge_text(params: dict) -> str:
    return str(
        _l(
            "Please read version %(number)d of the ethics code and confirm that you have.",
            number=params["number"],
        )
    )


def _version_path(mechanism: Mechanism, body: Body, version: CharterVersion) -> str:
    return path_for(
        "body.charters.version",
        mechanism_slug=mechanism.slug,
        body_slug=body.slug,
        version_id=version.id,
    )


def _send(users, kind: str, params: dict, path: str, subject, text) -> None:
    notify([user.id for user in users], kind, params, path)
    link = current_app.config["BASE_URL"] + path
    for user in users:
        with force_locale(language_for(user)):
            deliver(user.email, str(subject()), str(text(link)))


@job("charters.announce", timeout=900, retries=0)
def announce(ctx, version_id: str, pending_only: bool = False):
    """From the coordination layer: ask each body's administrators to adopt
    a published version (only those that have not decided, for a reminder)."""
    version = CharterVersion.get_scoped(version_id)
    if version is None or version.state is not VersionState.ADOPTED:
        raise JobFailed(_("This version is not published."))
    mechanism = db.session.get(Mechanism, current_tenant().mechanism_id)
    return {"bodies": _ask_bodies(version, mechanism, pending_only, ctx.progress)}


@job("charters.weekly", timeout=1800, retries=0, schedule="0 7 * * 1")
def weekly(ctx):
    """Every Monday, a platform job: each body that has not decided on a
    version published more than a week ago is reminded, until it decides."""
    sent = 0
    week_ago = utcnow() - WAIT_BEFORE_REMINDING
    for mechanism in db.session.scalars(sa.select(Mechanism).order_by(Mechanism.id)).all():
        with tenant_scope(mechanism.id, layer=Layer.JOB):
            waiting = db.session.scalars(
                CharterVersion.scoped_select().where(
                    CharterVersion.state == VersionState.ADOPTED,
                    CharterVersion.state_changed_at < week_ago,
                )
            ).all()
            for version in waiting:
                sent += _ask_bodies(version, mechanism, pending_only=True)
    return {"bodies": sent}


def _ask_bodies(version: CharterVersion, mechanism: Mechanism, pending_only: bool, progress=None):
    """Mail and notify the administrators of each body (that has not decided,
    if ``pending_only``), each in its own tenant; returns how many bodies."""
    bodies = services.active_bodies()
    decided = {row.body_id for row in services.decisions_on(version)}
    params = {"kind": version.charter.kind.value, "number": version.number}
    sent = 0
    for index, body in enumerate(bodies):
        if pending_only and body.id in decided:
            continue
        with tenant_scope(mechanism.id, body.id, layer=Layer.JOB):
            path = _version_path(mechanism, body, version)
            _send(
                accounts_of(body.id, Role.ADMIN),
                "charters.awaiting_adoption",
                params,
                path,
                lambda: _("A joint charter awaits your body's adoption"),
                lambda link, body=body: _(
                    "Version %(number)d of the %(charter)s of %(mechanism)s is published."
                    " %(body)s has not recorded its adoption yet.\n\n"
                    "Read it, and record the adoption or an exception:\n%(link)s\n",
                    number=version.number,
                    charter=version.charter.kind.label.lower(),
                    mechanism=mechanism.name,
                    body=body.name,
                    link=link,
                ),
            )
            db.session.commit()
        sent += 1
        if progress:
            progress(100 * (index + 1) // max(1, len(bodies)))
    return sent


@job("charters.remind_readers", timeout=600, retries=0)
def remind_readers(ctx, version_id: str):
    """In a body: ask its people who have not yet acknowledged the ethics
    code in force to read it."""
    version = CharterVersion.get_scoped(version_id)
    if version is None:
        raise JobFailed(_("This version is no longer available."))
    tenant = current_tenant()
    mechanism = db.session.get(Mechanism, tenant.mechanism_id)
    body = db.session.get(Body, (tenant.mechanism_id, tenant.body_id))
    done = services.acknowledged_by(version)
    readers = [user for user in accounts_of(body.id) if user.id not in done]
    path = _version_path(mechanism, body, version)
    _send(
        readers,
        "charters.acknowledge",
        {"number": version.number},
        path,
        lambda: _("Please read the ethics code"),
        lambda link: _(
            "%(body)s adopted version %(number)d of the ethics code of %(mechanism)s. Please"
            " read it and confirm that you have:\n%(link)s\n",
            body=body.name,
            number=version.number,
            mechanism=mechanism.name,
            link=link,
        ),
    )
    return {"reminded": len(readers)}
