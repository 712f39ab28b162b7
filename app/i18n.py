"""Language: the user's choice, else the mechanism's, else the browser's."""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        if current_user.is_authenticated and current_user.language in languages:
            return current_user.language
        mechanism = getattr(g, "mechanism", None)
        if mechanism is not None and mechanism.default_language in languages:
            return mechanism.default_language
        return request.accept_languages.best_match(languages) or "en"
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    @app.context_processor
    def _language():
        return {"current_language": str(get_locale() or "en")}
