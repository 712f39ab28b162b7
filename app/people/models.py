"""A body's register of people: members, staff and external experts, with
their expertise, languages and positions held elsewhere."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.people.vocabulary import (
    INCOMPATIBLE_SECTORS,
    Employment,
    Engagement,
    ExpertiseArea,
    Gender,
    Minority,
    PersonKind,
    Sector,
    WorkingTime,
)
from tenants.models import User, enum_column, utcnow
from tenants.scoping import BodyOwned, tenant_children, tenant_key
from tenants.sharing import Audience, Sharing


def _person_key() -> sa.ForeignKeyConstraint:
    return tenant_key("person_id", "people")


def _children(target: str, order_by: str):
    return tenant_children("Person", target, "person_id", order_by, overlaps="people")


class Person(BodyOwned, db.Model):
    __tablename__ = "people"
    # The coordinator counts people by these (figures, suppressed); never
    # reads a person.
    __sharing__ = Sharing(
        counted_by=(
            "body_id",
            "kind",
            "gender",
            "minority",
            "leadership",
            "secondment_start",
            "secondment_end",
        )
    )
    __extra_table_args__ = (sa.Index("ix_people_body_name", "mechanism_id", "body_id", "name"),)

    kind: Mapped[PersonKind] = mapped_column(enum_column(PersonKind))
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[str] = mapped_column(sa.String(200), default="")
    leadership: Mapped[bool] = mapped_column(default=False)
    start_date: Mapped[date | None]
    # Service ended on this day: the entry stays in the register as history.
    end_date: Mapped[date | None]
    end_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    # An account of the body, if the person has one.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    # members
    appointed_by: Mapped[str] = mapped_column(sa.String(300), default="")
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    renewable: Mapped[bool | None]
    working_time: Mapped[WorkingTime | None] = mapped_column(enum_column(WorkingTime))
    # staff
    employment: Mapped[Employment | None] = mapped_column(enum_column(Employment))
    seconded_from: Mapped[str] = mapped_column(sa.String(300), default="")
    secondment_start: Mapped[date | None]
    secondment_end: Mapped[date | None]
    # external experts
    engagement: Mapped[Engagement | None] = mapped_column(enum_column(Engagement))
    agreement_date: Mapped[date | None]
    confidentiality_date: Mapped[date | None]

    # Self-declared and sensitive: shown to the person and the body's
    # administrators only, and otherwise only inside suppressed aggregates.
    gender: Mapped[Gender | None] = mapped_column(enum_column(Gender))
    minority: Mapped[Minority | None] = mapped_column(enum_column(Minority))

    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Two people saving the same entry: the later save is refused.
    version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": version}

    user: Mapped[User | None] = relationship(lazy="joined")
    expertise: Mapped[list[PersonExpertise]] = _children("PersonExpertise", "PersonExpertise.area")
    languages: Mapped[list[PersonLanguage]] = _children("PersonLanguage", "PersonLanguage.language")
    positions: Mapped[list[PersonPosition]] = _children(
        "PersonPosition", "PersonPosition.start_date.desc()"
    )

    def is_active(self, today: date) -> bool:
        return self.end_date is None or self.end_date > today

    @classmethod
    def active_on(cls, today: date):
        """``is_active`` as a condition of a query."""
        return sa.or_(cls.end_date.is_(None), cls.end_date > today)

    def term_ended(self, today: date) -> bool:
        return self.term_end is not None and self.term_end < today

    @property
    def seconded(self) -> bool:
        return self.kind is PersonKind.STAFF and self.employment is Employment.SECONDED

    @property
    def areas(self) -> list[ExpertiseArea]:
        return [row.area for row in self.expertise]

    @property
    def language_names(self) -> list[str]:
        return [row.language for row in self.languages]

    def current_positions(self, today: date) -> list[PersonPosition]:
        return [p for p in self.positions if p.is_current(today)]


class PersonExpertise(BodyOwned, db.Model):
    __tablename__ = "person_expertise"
    __sharing__ = Sharing(counted_by=("body_id", "area"))
    __extra_table_args__ = (
        _person_key(),
        sa.UniqueConstraint("mechanism_id", "person_id", "area"),
        sa.Index("ix_person_expertise_area", "mechanism_id", "body_id", "area"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    area: Mapped[ExpertiseArea] = mapped_column(enum_column(ExpertiseArea))


class PersonLanguage(BodyOwned, db.Model):
    __tablename__ = "person_languages"
    __sharing__ = Sharing(counted_by=("body_id", "language"))
    __extra_table_args__ = (
        _person_key(),
        sa.UniqueConstraint("mechanism_id", "person_id", "language"),
        sa.Index("ix_person_languages_language", "mechanism_id", "body_id", "language"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    language: Mapped[str] = mapped_column(sa.String(60))


class PersonPosition(BodyOwned, db.Model):
    """A position held outside the body, before or alongside its work."""

    __tablename__ = "person_positions"
    __sharing__ = Sharing(counted_by=("body_id", "sector"))
    # a person's positions are found by the person (figures join on it)
    __extra_table_args__ = (
        _person_key(),
        sa.Index("ix_person_positions_person", "mechanism_id", "person_id"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    employer: Mapped[str] = mapped_column(sa.String(300))
    role: Mapped[str] = mapped_column(sa.String(200), default="")
    sector: Mapped[Sector] = mapped_column(enum_column(Sector))
    start_date: Mapped[date | None]
    end_date: Mapped[date | None]

    def is_current(self, today: date) -> bool:
        return self.end_date is None or self.end_date >= today

    @property
    def incompatible(self) -> bool:
        return self.sector in INCOMPATIBLE_SECTORS


class PeopleImport(BodyOwned, db.Model):
    """An uploaded spreadsheet's rows, kept from its preview until its import runs."""

    __tablename__ = "people_imports"
    # the run that imports it stays while the file it imported does
    __extra_table_args__ = (tenant_key("job_run_id", "job_runs", ondelete="RESTRICT"),)

    filename: Mapped[str] = mapped_column(sa.String(200))
    # [line, {column: text}] for each row, as read at upload (never the file:
    # it is read once); none once imported or dropped
    parsed_rows: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))
    rows: Mapped[int] = mapped_column(default=0)
    uploaded_by: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    job_run_id: Mapped[uuid.UUID | None] = mapped_column(sa.Uuid)


class RegisterSettings(BodyOwned, db.Model):
    """A body's choices for its register (one row per body, created on first save)."""

    __tablename__ = "register_settings"
    # Its thresholds decide the flags the coordinator's figures count.
    __sharing__ = Sharing(audience=Audience.COORDINATION)
    __extra_table_args__ = (sa.UniqueConstraint("mechanism_id", "body_id"),)

    # Secondments shorter than this are flagged as not long-term.
    secondment_months: Mapped[int] = mapped_column(default=24)


class TermReminder(BodyOwned, db.Model):
    """That a reminder of a member's term end went out, so it goes out once."""

    __tablename__ = "term_reminders"
    __extra_table_args__ = (
        _person_key(),
        sa.UniqueConstraint("mechanism_id", "person_id", "term_end", "days_before"),
    )

    person_id: Mapped[uuid.UUID] = mapped_column(sa.Uuid)
    term_end: Mapped[date]
    days_before: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
