"""The public site of a mechanism: what it is, which bodies form it, and the
rules and charters they chose to publish."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from sqlalchemy.orm import lazyload

from app.charters.documents import charter_context
from app.charters.models import CharterVersion
from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from app.rules.documents import rules_context
from app.rules.models import RuleVersion
from tenants.models import Body

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    bodies = db.session.scalars(
        sa.select(Body).where(Body.active.is_(True)).order_by(Body.name)
    ).all()
    return render_template("public/home.html", bodies=bodies)


@bp.get("/rules/")
def rules():
    """Every body's internal rules in force that the body made public, and
    the mechanism's public charters."""
    bodies = {body.id: body for body in db.session.scalars(sa.select(Body))}
    versions = [
        version
        for version in db.session.scalars(
            RuleVersion.scoped_select()
            .options(lazyload(RuleVersion.sections))
            .where(_public(RuleVersion))
        )
        if version.body_id in bodies and bodies[version.body_id].active
    ]
    versions.sort(key=lambda version: bodies[version.body_id].name)
    charters = db.session.scalars(
        CharterVersion.scoped_select()
        .options(lazyload(CharterVersion.sections))
        .where(_public(CharterVersion))
    ).all()
    charters = sorted(charters, key=lambda version: version.charter.kind.value)
    return render_template("public/rules.html", versions=versions, bodies=bodies, charters=charters)


def _public(model):
    return sa.and_(model.state == VersionState.ADOPTED, model.visibility == Visibility.PUBLIC)


@bp.get("/rules/<version_id>")
def rule_version(version_id):
    version = RuleVersion.get_scoped_or_404(version_id)
    body = db.session.scalars(sa.select(Body).where(Body.id == version.body_id)).one()
    if not version.is_public or not body.active:
        abort(404)
    return render_template("documents/print.html", **_written(rules_context(version, body)))


@bp.get("/charters/<version_id>")
def charter_version(version_id):
    version = CharterVersion.get_scoped_or_404(version_id)
    if not version.is_public:
        abort(404)
    return render_template("documents/print.html", **_written(charter_context(version)))


def _written(context: dict) -> dict:
    """What the public reads: the sections that say something (a starter
    section left empty is the body's working notes, not its rules)."""
    sections = [section for section in context["sections"] if str(section[2]).strip()]
    return {**context, "sections": sections, "standalone": True}
