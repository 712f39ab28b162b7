"""A mechanism's bodies and their first administrators from one table: every
row checked before anything is written (errors by line and column), then
every body and membership written in one transaction, and the invitations
mailed once it is committed.

The rows arrive as text (line number, column → cell), read by the caller
from a CSV or XLSX file; this module knows the columns and the rules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from tenants import provisioning
from tenants.context import Layer, tenant_scope, unscoped
from tenants.database import db
from tenants.models import BODY_KIND_LABELS, Body, BodyKind, Mechanism, Role, User

COLUMNS = (
    "name",
    "slug",
    "kind",
    "coordinating",
    "visits_places",
    "admin_email",
    "admin_name",
)
REQUIRED = ("name", "kind", "admin_email")
# Headings people write for the same columns.
ALIASES = {
    "body": "name",
    "identifier": "slug",
    "visits": "visits_places",
    "administrator_email": "admin_email",
    "administrator_e_mail": "admin_email",
    "admin_e_mail": "admin_email",
    "email": "admin_email",
    "e_mail": "admin_email",
    "administrator_name": "admin_name",
    "administrator": "admin_name",
}
MAX_ROWS = 500
LANGUAGES = ("en", "fr")
_TRUE = {"yes", "y", "true", "1", "x", "oui", "o", "vrai"}
_FALSE = {"no", "n", "false", "0", "", "non", "faux"}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass
class BodyRow:
    line: int
    name: str
    slug: str
    kind: BodyKind | None
    coordinating: bool
    visits_places: bool
    admin_email: str
    admin_name: str
    new_account: bool = True


@dataclass
class Plan:
    rows: list[BodyRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.errors

    @property
    def new_accounts(self) -> int:
        return len({row.admin_email for row in self.rows if row.new_account})


def column_name(heading: str) -> str:
    """A heading as the column it names (``Administrator e-mail`` →
    ``admin_email``); unknown headings come back normalised."""
    key = re.sub(r"[^a-z0-9]+", "_", (heading or "").strip().lower()).strip("_")
    return ALIASES.get(key, key)


def slug_for(name: str) -> str:
    """An identifier made from a body's name: ASCII, lower case, hyphens."""
    text = re.sub(r"['’]", "", name or "")  # Children's → childrens
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:63].rstrip("-")


def _kind(text: str) -> BodyKind:
    wanted = text.strip().casefold()
    for kind in BodyKind:
        labels = {kind.value.casefold()}
        for language in LANGUAGES:
            with force_locale(language):
                labels.add(str(BODY_KIND_LABELS[kind]).casefold())
        if wanted in labels:
            return kind
    raise ValueError(
        _(
            "“%(value)s” is not a kind of body; use one of: %(choices)s.",
            value=text,
            choices=", ".join(str(label) for label in BODY_KIND_LABELS.values()),
        )
    )


def _flag(text: str) -> bool:
    folded = text.strip().casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise ValueError(_("Write yes or no."))


def check(mechanism: Mechanism, table: list[tuple[int, dict[str, str]]]) -> Plan:
    """Every row of the table checked against the file and the mechanism."""
    plan = Plan()
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        bodies = db.session.scalars(sa.select(Body).where(Body.mechanism_id == mechanism.id)).all()
    taken = {body.slug for body in bodies}
    has_coordinator = any(body.is_coordinator for body in bodies)
    emails = {row.get("admin_email", "").strip().lower() for _line, row in table}
    with unscoped():
        known = {
            user.email: user
            for user in db.session.scalars(sa.select(User).where(User.email.in_(emails)))
        }
    seen: dict[str, int] = {}
    coordinating_lines: list[int] = []
    for line, values in table:
        errors: list[RowError] = []

        def refuse(column, message, line=line, errors=errors):
            errors.append(RowError(line, column, message))

        for column in REQUIRED:
            if not values.get(column, "").strip():
                refuse(column, _("Required."))
        name = values.get("name", "").strip()
        if len(name) > 200:
            refuse("name", _("At most %(n)d characters.", n=200))
        slug = values.get("slug", "").strip() or slug_for(name)
        if name or values.get("slug"):
            try:
                slug = provisioning._check_slug(slug)
            except provisioning.ProvisioningError as error:
                refuse("slug", str(error))
            else:
                if slug in taken:
                    refuse("slug", _("This mechanism already has a body “%(slug)s”.", slug=slug))
                elif slug in seen:
                    refuse(
                        "slug",
                        _(
                            "Line %(line)d already adds a body “%(slug)s”.",
                            line=seen[slug],
                            slug=slug,
                        ),
                    )
                else:
                    seen[slug] = line
        kind = None
        if values.get("kind", "").strip():
            try:
                kind = _kind(values["kind"])
            except ValueError as error:
                refuse("kind", str(error))
        flags = {}
        for column, default in (("coordinating", False), ("visits_places", True)):
            text = values.get(column, "")
            try:
                flags[column] = _flag(text) if text.strip() else default
            except ValueError as error:
                refuse(column, str(error))
                flags[column] = default
        if flags["coordinating"]:
            if has_coordinator:
                refuse(
                    "coordinating",
                    _("The mechanism has a coordinating body; designate another one instead."),
                )
            elif coordinating_lines:
                refuse(
                    "coordinating",
                    _(
                        "Line %(line)d already names the coordinating body; a mechanism has one.",
                        line=coordinating_lines[0],
                    ),
                )
            coordinating_lines.append(line)
        email = ""
        if values.get("admin_email", "").strip():
            try:
                email = provisioning.check_email(values["admin_email"])
            except provisioning.ProvisioningError as error:
                refuse("admin_email", str(error))
            else:
                if email in known and known[email].is_operator:
                    refuse("admin_email", _("This address cannot be invited to a body."))
        admin_name = values.get("admin_name", "").strip()
        if len(admin_name) > 200:
            refuse("admin_name", _("At most %(n)d characters.", n=200))
        plan.errors.extend(errors)
        plan.rows.append(
            BodyRow(
                line=line,
                name=name,
                slug=slug,
                kind=kind,
                coordinating=flags["coordinating"],
                visits_places=flags["visits_places"],
                admin_email=email,
                admin_name=admin_name,
                new_account=email not in known,
            )
        )
    if len(plan.rows) > MAX_ROWS:
        plan.errors.append(
            RowError(0, "", _("At most %(n)d bodies at a time; split the file.", n=MAX_ROWS))
        )
    return plan


def columns_of(header: list[str]) -> tuple[list[str], str]:
    """The columns a header names, and a message if it cannot be used."""
    names = [column_name(cell) for cell in header]
    missing = [column for column in REQUIRED if column not in names]
    if missing:
        return names, _(
            "The first line must name the columns; missing: %(columns)s.",
            columns=", ".join(missing),
        )
    unknown = [name for name in names if name and name not in COLUMNS]
    if unknown:
        return names, _("Unknown columns: %(columns)s.", columns=", ".join(unknown))
    return names, ""


@provisioning._atomic
def apply(
    *, mechanism_slug: str, table: list[tuple[int, dict[str, str]]], by: User | None = None
) -> Plan:
    """Check the table again and, if every row is right, create every body and
    invite every administrator in one transaction; raises
    ``ProvisioningError`` (nothing written) otherwise."""
    mechanism = provisioning.get_mechanism(mechanism_slug)
    plan = check(mechanism, table)
    if not plan.valid:
        raise provisioning.ProvisioningError(
            _("The file has %(n)d errors: nothing was created.", n=len(plan.errors))
            if plan.errors
            else _("The file holds no body.")
        )
    invitations = []
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        # The coordinating row goes first: the first body would coordinate otherwise.
        for row in sorted(plan.rows, key=lambda row: not row.coordinating):
            body = provisioning.create_body(
                mechanism,
                slug=row.slug,
                name=row.name,
                kind=row.kind,
                visits_places=row.visits_places,
                coordinating=row.coordinating,
                by=by,
            )
            invitations.append(
                provisioning.add_membership(
                    mechanism,
                    body,
                    email=row.admin_email,
                    role=Role.ADMIN,
                    display_name=row.admin_name,
                    by=by,
                )
            )
        db.session.commit()
    for invitation in invitations:
        provisioning.send_invitation(invitation, by)
    return plan
