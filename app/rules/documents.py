"""A rulebook version as a document: what its print page and exports show."""

from __future__ import annotations

from flask_babel import gettext as _

from app.documents import kinds
from app.documents.markup import render
from app.extensions import db
from app.rules.models import RuleVersion
from tenants.models import Body


def rules_context(version: RuleVersion, body: Body | None = None) -> dict:
    body = body or db.session.get(Body, (version.mechanism_id, version.body_id))
    return {
        "title": _("Internal rules of %(body)s", body=body.name),
        "version": version,
        "adoption_method": version.adoption_method,
        "sections": [
            (section.area.label, section.title, render(section.body))
            for section in version.sections
        ],
    }


KIND = kinds.register(kinds.DocumentKind("rules", RuleVersion, rules_context))
