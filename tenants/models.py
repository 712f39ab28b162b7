"""Mechanisms, bodies, accounts and memberships."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from tenants.crypto import EncryptedString
from tenants.database import db
from tenants.scoping import BodyOwned, MechanismOwned
from tenants.sharing import Audience, Sharing


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_cls: type[StrEnum]) -> sa.Enum:
    """Store an enum by its value, as a short string with a check constraint."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
        name=enum_cls.__name__.lower(),
    )


class BodyKind(StrEnum):
    OMBUDS = "ombuds"
    NHRI = "nhri"
    SPECIALISED = "specialised"
    INSPECTORATE = "inspectorate"
    LAY_BOARD = "lay_board"
    CIVIL_SOCIETY = "civil_society"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(BODY_KIND_LABELS[self])


BODY_KIND_LABELS = {
    BodyKind.OMBUDS: _l("Ombuds institution"),
    BodyKind.NHRI: _l("National human rights institution"),
    BodyKind.SPECIALISED: _l("Specialised institution"),
    BodyKind.INSPECTORATE: _l("Inspectorate"),
    BodyKind.LAY_BOARD: _l("Lay monitoring board"),
    BodyKind.CIVIL_SOCIETY: _l("Civil-society organisation"),
    BodyKind.OTHER: _l("Other"),
}


class Role(StrEnum):
    """A user's role in a body, from the most to the least rights."""

    ADMIN = "admin"
    EDITOR = "editor"
    MEMBER = "member"
    EXTERNAL_EXPERT = "external_expert"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


_ROLE_RANK = {Role.EXTERNAL_EXPERT: 0, Role.MEMBER: 1, Role.EDITOR: 2, Role.ADMIN: 3}

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.EDITOR: _l("Editor"),
    Role.MEMBER: _l("Member"),
    Role.EXTERNAL_EXPERT: _l("External expert"),
}


class Mechanism(db.Model):
    """One country's NPM: the top isolation unit (a global directory row)."""

    __tablename__ = "mechanisms"
    __table_args__ = (
        sa.CheckConstraint(
            "reporting_year_start_month BETWEEN 1 AND 12", name="reporting_year_month"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(63), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    country: Mapped[str] = mapped_column(sa.String(100))
    default_language: Mapped[str] = mapped_column(sa.String(8), default="en")
    reporting_year_start_month: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Mechanism {self.slug}>"


class Body(MechanismOwned, db.Model):
    """A participating institution of a mechanism: the tenant."""

    __tablename__ = "bodies"
    # Who the bodies of a mechanism are is public; a body changes its own
    # row from its space, the operator provisions; a person sees the bodies
    # they belong to in their list of spaces.
    __sharing__ = Sharing(
        owner="id", audience=Audience.PUBLIC, provisioning=True, readable_by_members=True
    )
    __table_args__ = (
        sa.UniqueConstraint("mechanism_id", "slug"),
        # Exactly one coordinating body per mechanism: at most one is enforced
        # here, and provisioning never leaves a mechanism with bodies but none.
        sa.Index(
            "uq_bodies_one_coordinator",
            "mechanism_id",
            unique=True,
            sqlite_where=sa.text("is_coordinator"),
            postgresql_where=sa.text("is_coordinator"),
        ),
    )

    slug: Mapped[str] = mapped_column(sa.String(63))
    name: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[BodyKind] = mapped_column(enum_column(BodyKind))
    visits_places: Mapped[bool] = mapped_column(default=True)
    is_coordinator: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Set by the body's administrators: every account of the body signs in
    # with a second factor.
    requires_two_factor: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<Body {self.slug}>"


class User(UserMixin, db.Model):
    """An account on the platform (global: one person may work for several
    bodies, also of different mechanisms)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(200))
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    is_operator: Mapped[bool] = mapped_column(default=False)
    language: Mapped[str | None] = mapped_column(sa.String(8))
    # Two-factor sign-in (TOTP): the shared secret once enrolled (encrypted in
    # the column, clear here), and the last time step accepted, so that a code
    # is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(EncryptedString(255))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    password_changed_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(BodyOwned, db.Model):
    """A user's role in one body."""

    __tablename__ = "memberships"
    # The coordinator counts accounts and administrators per body; a person
    # reads their own memberships in every mechanism (their spaces).
    __sharing__ = Sharing(
        counted_by=("body_id", "role"), provisioning=True, readable_by_user="user_id"
    )
    __extra_table_args__ = (sa.UniqueConstraint("mechanism_id", "body_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    # An invitation opens nothing until the person accepts it: from their list
    # of spaces, or by setting their password from the invitation link.
    accepted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    user: Mapped[User] = db.relationship(lazy="joined", innerjoin=True)
    body: Mapped[Body] = db.relationship(
        lazy="joined",
        innerjoin=True,
        primaryjoin="and_(Membership.mechanism_id == Body.mechanism_id,"
        " Membership.body_id == Body.id)",
        foreign_keys="[Membership.mechanism_id, Membership.body_id]",
        viewonly=True,
    )

    @property
    def pending(self) -> bool:
        return self.accepted_at is None


class MechanismAccount(BodyOwned, db.Model):
    """That an account works, or once worked, for a body of the mechanism:
    the accounts a tenant may read (their names on comments, in the audit
    trail). Written when the account is first invited into the mechanism,
    by the body that invited it; kept when memberships end."""

    __tablename__ = "mechanism_accounts"
    __sharing__ = Sharing(audience=Audience.MECHANISM, provisioning=True)
    __extra_table_args__ = (sa.UniqueConstraint("mechanism_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


__all__ = [
    "BODY_KIND_LABELS",
    "ROLE_LABELS",
    "Body",
    "BodyKind",
    "Mechanism",
    "MechanismAccount",
    "Membership",
    "Role",
    "User",
    "normalise_email",
]
