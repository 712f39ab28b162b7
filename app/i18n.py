"""Language: the user's choice, else the mechanism's, else the browser's.

A signed-in user's language is also kept in a cookie, so that the pages they
see once signed out (the sign-in page after signing out) stay in it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import current_app, g, has_request_context, request
from flask_babel import format_date, format_time, get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "concert_language"


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    mechanism = getattr(g, "mechanism", None)
    if mechanism is not None and mechanism.default_language in languages:
        return mechanism.default_language
    if current_user.is_authenticated:
        # Outside a mechanism: the language of the user's mechanisms, when
        # they all speak the same one.
        from tenants.spaces import current_spaces

        spoken = {space.mechanism.default_language for space in current_spaces()}
        if len(spoken) == 1 and spoken <= set(languages):
            return spoken.pop()
    elif request.cookies.get(LANGUAGE_COOKIE) in languages:
        return request.cookies[LANGUAGE_COOKIE]
    return request.accept_languages.best_match(languages) or "en"


def _remember_language(response):
    language = current_user.language if current_user.is_authenticated else None
    if language and request.cookies.get(LANGUAGE_COOKIE) != language:
        response.set_cookie(
            LANGUAGE_COOKIE,
            language,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["PRODUCTION"],
        )
    return response


def day(value: date | datetime | None, style: str = "medium") -> str:
    """A date (or a moment's date) as the reader's language writes it:
    "12 Mar 2026", "12 mars 2026". Exports keep ISO dates."""
    if value is None:
        return ""
    return format_date(value, style)


def moment(value: datetime | None) -> str:
    """A moment, date and time, as the reader's language writes them."""
    if value is None:
        return ""
    return f"{format_date(value, 'medium')} {format_time(value, 'short')}"


def machine(value: date | datetime | None) -> str:
    """A valid value of ``<time datetime>``: a date, or a UTC moment to the
    second (HTML refuses more than three decimals of a second)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(microsecond=0, tzinfo=None).isoformat() + "Z"
    return value.isoformat()


def init_app(app) -> None:
    app.after_request(_remember_language)
    app.jinja_env.filters.update(day=day, moment=moment, machine=machine)

    @app.context_processor
    def _language():
        return {"current_language": str(get_locale() or "en")}
