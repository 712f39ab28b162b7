"""What the people register asks of a body's administrators, for the body
home: members' terms coming to an end, and spreadsheets uploaded but not
imported. One query per kind."""

from __future__ import annotations

from datetime import date, timedelta

from flask import url_for
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy.orm import defer, lazyload

from app.capabilities import Task, TaskContext
from app.extensions import db
from app.people.models import PeopleImport, Person
from app.people.reminders import DAYS_BEFORE
from app.people.vocabulary import PersonKind


def terms_ending(context: TaskContext) -> list[Task]:
    today = date.today()
    members = db.session.scalars(
        Person.scoped_select()
        .options(lazyload("*"))
        .where(
            Person.kind == PersonKind.MEMBER,
            Person.active_on(today),
            Person.term_end >= today,
            Person.term_end <= today + timedelta(days=max(DAYS_BEFORE)),
        )
        .order_by(Person.term_end, Person.name)
        .limit(context.limit)
    ).all()
    return [
        Task(
            _(
                "The term of %(name)s ends on %(date)s: renew it or plan the succession.",
                name=person.name,
                date=format_date(person.term_end),
            ),
            url_for("body.people.detail", person_id=person.id),
            due=person.term_end,
        )
        for person in members
    ]


def imports_waiting(context: TaskContext) -> list[Task]:
    uploads = db.session.scalars(
        PeopleImport.scoped_select()
        .options(lazyload("*"), defer(PeopleImport.parsed_rows))
        .where(PeopleImport.job_run_id.is_(None), PeopleImport.parsed_rows.is_not(None))
        .order_by(PeopleImport.uploaded_at.desc())
        .limit(context.limit)
    ).all()
    return [
        Task(
            _("%(file)s is uploaded and waits to be checked and imported.", file=upload.filename),
            url_for("body.people.preview", import_id=upload.id),
            since=upload.uploaded_at,
        )
        for upload in uploads
    ]
