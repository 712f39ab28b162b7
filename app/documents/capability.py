"""Versioned documents: the export job every document kind shares, and the
``markdown`` filter that renders their sanitised text in templates."""

from app.capabilities import Capability
from app.documents.markup import render


def _setup(app) -> None:
    app.jinja_env.filters["markdown"] = render


CAPABILITY = Capability(name="documents", registers=("app.documents.jobs",), setup=_setup)
