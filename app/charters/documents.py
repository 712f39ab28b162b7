"""A charter version as a document: what its print page and exports show."""

from __future__ import annotations

from app.charters.models import CharterVersion
from app.documents import kinds
from app.documents.markup import render


def charter_context(version: CharterVersion) -> dict:
    return {
        "title": version.charter.kind.label,
        "version": version,
        "adoption_method": None,
        "sections": [(None, section.title, render(section.body)) for section in version.sections],
    }


KIND = kinds.register(kinds.DocumentKind("charter", CharterVersion, charter_context))
