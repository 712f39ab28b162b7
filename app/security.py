"""Response headers every page carries."""

from __future__ import annotations

import logging

from flask import request
from flask_login import current_user

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def _headers(response):
    headers = response.headers
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    if not request.path.startswith("/static/") and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    app.after_request(_headers)
    if app.config["PRODUCTION"]:
        app.after_request(_hsts)
    # outermost: around the proxy fix too
    app.wsgi_app = LastResort(app.wsgi_app)


def _hsts(response):
    response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    return response


FALLBACK_PAGE = (
    b"<!doctype html><html lang=en><meta charset=utf-8><title>Something went wrong</title>"
    b"<h1>Something went wrong</h1><p>The error has been logged. Please try again.</p></html>"
)


class LastResort:
    """Around the whole application, for what it did not render itself: the
    security headers go on every response that lacks them, and an error that
    escaped even the error pages is answered with a plain page carrying them,
    not with the server's bare one."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def start(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers.extend(
                (name, value) for name, value in HEADERS.items() if name.lower() not in present
            )
            return start_response(status, headers, exc_info)

        try:
            return self.wsgi_app(environ, start)
        except Exception:
            log.exception("unhandled error outside the error pages")
            headers = [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(FALLBACK_PAGE))),
                ("Cache-Control", "no-store"),
                *HEADERS.items(),
            ]
            start_response("500 INTERNAL SERVER ERROR", headers)
            return [FALLBACK_PAGE]
