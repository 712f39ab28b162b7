"""Reminders to a body's administrators as members' terms come to an end:
90 and 30 days before, by e-mail and on the body's home page, once each."""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.services import accounts_of
from app.extensions import db
from app.mail import deliver, language_for, path_for
from app.notices.services import notify, text_for
from app.people.models import PeopleImport, Person, TermReminder
from app.people.vocabulary import PersonKind
from tenants.models import Body, Mechanism, Role

DAYS_BEFORE = (90, 30)
# An upload that was never imported is dropped after this long.
UPLOAD_LIFETIME = timedelta(days=2)


@text_for("people.term_ending")
def _notice_text(params: dict) -> str:
    return str(
        _l(
            "The term of %(name)s ends on %(date)s, in %(days)d days.",
            name=params["name"],
            date=format_date(date.fromisoformat(params["term_end"])),
            days=params["days"],
        )
    )


def due(today: date) -> list[tuple[Person, int]]:
    """Members of the active body whose term ends within the longest delay and
    who have not had the reminder for the nearest threshold yet."""
    horizon = today + timedelta(days=max(DAYS_BEFORE))
    members = db.session.scalars(
        Person.scoped_select().where(
            Person.kind == PersonKind.MEMBER,
            Person.active_on(today),
            Person.term_end >= today,
            Person.term_end <= horizon,
        )
    ).all()
    sent = {
        (row.person_id, row.term_end, row.days_before)
        for row in db.session.scalars(
            TermReminder.scoped_select().where(TermReminder.term_end >= today)
        )
    }
    result = []
    for person in members:
        days_left = (person.term_end - today).days
        threshold = min(d for d in DAYS_BEFORE if days_left <= d)
        if (person.id, person.term_end, threshold) not in sent:
            result.append((person, threshold))
    return result


def remind_body(body: Body, mechanism: Mechanism, today: date) -> int:
    """Send the active body's due reminders; returns how many went out."""
    reminders = due(today)
    if not reminders:
        return 0
    admins = accounts_of(body.id, Role.ADMIN)
    for person, threshold in reminders:
        days_left = (person.term_end - today).days
        path = path_for(
            "body.people.detail",
            mechanism_slug=mechanism.slug,
            body_slug=body.slug,
            person_id=person.id,
        )
        link = current_app.config["BASE_URL"] + path
        params = {"name": person.name, "term_end": person.term_end.isoformat(), "days": days_left}
        notify([admin.id for admin in admins], "people.term_ending", params, path)
        for admin in admins:
            with force_locale(language_for(admin)):
                deliver(
                    admin.email,
                    _("A term ends in %(days)d days", days=days_left),
                    _(
                        "The term of %(name)s at %(body)s ends on %(date)s.\n\n"
                        "Their entry in the register:\n%(link)s\n",
                        name=person.name,
                        body=body.name,
                        date=person.term_end.isoformat(),
                        link=link,
                    ),
                )
        db.session.add(
            TermReminder(person_id=person.id, term_end=person.term_end, days_before=threshold)
        )
    db.session.commit()
    return len(reminders)


def drop_stale_uploads(now) -> None:
    for upload in db.session.scalars(
        PeopleImport.scoped_select().where(
            PeopleImport.uploaded_at < now - UPLOAD_LIFETIME, PeopleImport.parsed_rows.is_not(None)
        )
    ):
        upload.parsed_rows = None
    db.session.commit()
