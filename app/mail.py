"""Outgoing mail: SMTP when MAIL_SERVER is set, else written to the log
(the embedded default). Sending is done by jobs, never inside a request."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("concert.mail")


def deliver(to: str, subject: str, text: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(text)
    if not config["MAIL_SERVER"]:
        log.info("mail to %s: %s\n%s", to, subject, text)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def path_for(endpoint: str, **values) -> str:
    """A link's path, built without a request (for jobs)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mail, built from BASE_URL without a request."""
    return current_app.config["BASE_URL"] + path_for(endpoint, **values)


def language_for(user) -> str:
    """The language to write to ``user`` in: theirs, else their mechanism's."""
    from tenants import current_tenant
    from tenants.database import db
    from tenants.models import Mechanism

    tenant = current_tenant()
    mechanism = db.session.get(Mechanism, tenant.mechanism_id) if tenant else None
    return user.language or (mechanism.default_language if mechanism else "en")
