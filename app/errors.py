"""Error pages inside the layout; never a stack trace outside debug mode."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.limits import count_in_window

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood.")),
    403: (_l("Not allowed"), _l("Your role in this body does not allow this page.")),
    404: (_l("Not found"), _l("There is nothing here, or nothing you can see.")),
    405: (_l("Not allowed"), _l("This address does not accept that kind of request.")),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Cannot be processed"), _l("Some of what you sent needs correcting.")),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (
        _l("Something went wrong"),
        _l("The error has been logged. Nothing you saved before is lost; please try again."),
    ),
}


def _render(status: int, title=None, message=None):
    _fresh_transaction()
    default_title, default_message = MESSAGES.get(status, MESSAGES[500])
    template = "errors/_error.html" if request.headers.get("HX-Request") else "errors/error.html"
    return (
        render_template(
            template,
            status=status,
            title=title or default_title,
            message=message or default_message,
        ),
        status,
    )


def _fresh_transaction() -> None:
    """The page renders in a transaction of its own, whatever state the
    request left its one in (on PostgreSQL, a statement the database refused
    aborts the transaction: the layout's queries would fail too). What the
    request had not committed was not meant to be kept once it failed.

    The signed-in account stays as loaded: it was read before the tenant was
    set, and the tenant's layer (the public site's) may not read it again."""
    user = current_user._get_current_object() if current_user.is_authenticated else None
    kept = user if user is not None and user in db.session else None
    if kept is not None:
        db.session.expunge(kept)
    try:
        db.session.rollback()
    except Exception:  # the connection itself is gone: the pool gives another
        log.exception("rolling back before an error page")
        db.session.remove()
    if kept is not None:
        db.session.add(kept)


TENANT_LAYERS = ("body", "coordination")


def handle_http(error: HTTPException):
    if error.code in (403, 404) and (request.blueprint or "").split(".")[0] in TENANT_LAYERS:
        _audit_refusal(error.code)
    if error.code == 413:
        return _render(413, message=_too_large())
    return _render(error.code or 500)


def _too_large():
    limit = current_app.config["MAX_CONTENT_LENGTH"] or 0
    return _l(
        "What you sent is larger than %(size)d MB, the most Concert accepts at once."
        " Send a smaller file, or split it.",
        size=max(limit // (1024 * 1024), 1),
    )


# Refusals of one account on one route, counted together in this window
REFUSAL_WINDOW = 3600


def _audit_refusal(status: int) -> None:
    """A refused look at a tenant's space is worth tracing (who, where); but
    one account must not fill the trail at request speed. Per account, route
    and answer in a window, the first refusal is recorded, then the 10th, the
    100th, the 1,000th..., each with its count: a few events however many."""
    from app.audit.services import record

    who = current_user.get_id() if current_user.is_authenticated else request.remote_addr
    count = count_in_window(f"refused:{who}:{request.endpoint}:{status}", REFUSAL_WINDOW)
    if count != 10 ** (len(str(count)) - 1):
        return
    summary = f"{status} {request.method} {request.path}"
    if count > 1:
        summary += f" ({count} refusals of this page to this account within the hour)"
    record("access.refused", summary=summary, on_its_own=True)


def handle_csrf(error: CSRFError):
    return _render(
        400,
        _l("The form has expired"),
        _l(
            "For your security, forms expire. Go back, reload the page and send it again;"
            " copy any long text first."
        ),
    )


def handle_unexpected(error: Exception):
    if isinstance(error, HTTPException):
        return handle_http(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(500)


def init_app(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
