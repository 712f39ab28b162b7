"""``flask demo load``: a fictional mechanism to try Concert with.

Idempotent: what exists is left as it is, what is missing is added.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app import capabilities
from app.auth.passwords import hash_password
from app.extensions import db
from tenants import provisioning
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Mechanism, Membership, User

demo_cli = AppGroup("demo", help="Demonstration data.")

DEMO_PASSWORD = "concert-demo-2026"  # noqa: S105 (published in the README)

MECHANISMS = [
    {
        "slug": "veloria",
        "name": "National Preventive Mechanism of Veloria",
        "country": "Republic of Veloria",
        "default_language": "en",
        "reporting_year_start_month": 4,
        "bodies": [
            # The coordinating body first: the first body coordinates.
            ("hrc", "Veloria Human Rights Commission", "nhri", True),
            ("ombuds", "Office of the Ombudsperson", "ombuds", True),
            ("police-complaints", "Independent Police Complaints Authority", "specialised", True),
            ("children", "Children's Commissioner", "specialised", True),
            ("lay-board", "Independent Monitoring Boards", "lay_board", True),
            ("health", "Health and Social Care Inspectorate", "inspectorate", True),
        ],
    },
    {
        "slug": "aurelia",
        "name": "Mécanisme national de prévention d'Aurélie",
        "country": "Aurélie",
        "default_language": "fr",
        "reporting_year_start_month": 1,
        "bodies": [
            ("controleur", "Contrôleur des lieux de privation de liberté", "specialised", True),
            ("mediateur", "Médiateur de la République", "ombuds", True),
        ],
    },
]

# Accounts whose role requires two-factor sign-in are enrolled in advance
# with these published keys, so that any authenticator app can sign them in.
DEMO_TOTP_SECRETS = {
    "operator@demo.concert.example": "OPERATORDEMOCONCERTKEYAAAAAAAAAA",
    "coordinator@demo.concert.example": "COORDINATORDEMOCONCERTKEYAAAAAAA",
    "admin@demo.concert.example": "ADMINDEMOCONCERTKEYAAAAAAAAAAAAA",
    "aurelia-admin@demo.concert.example": "AURELIAADMINDEMOCONCERTKEYAAAAAA",
}

# (e-mail, name, [(mechanism, body, role)], operator?)
ACCOUNTS = [
    ("operator@demo.concert.example", "Olu Operator", [], True),
    (
        "coordinator@demo.concert.example",
        "Camille Coordinator",
        [("veloria", "hrc", "admin")],
        False,
    ),
    ("admin@demo.concert.example", "Ada Admin", [("veloria", "ombuds", "admin")], False),
    (
        "editor@demo.concert.example",
        "Eli Editor",
        [
            ("veloria", "ombuds", "editor"),
            ("veloria", "children", "member"),
            ("aurelia", "mediateur", "member"),
        ],
        False,
    ),
    (
        "member@demo.concert.example",
        "Mia Member",
        [("veloria", "police-complaints", "member")],
        False,
    ),
    (
        "expert@demo.concert.example",
        "Xavier Expert",
        [("veloria", "health", "external_expert")],
        False,
    ),
    (
        "aurelia-admin@demo.concert.example",
        "Aline Administratrice",
        [("aurelia", "controleur", "admin")],
        False,
    ),
]


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no mechanism yet.")
def load(if_empty: bool) -> None:
    """Create the demo mechanisms, bodies and accounts (idempotent)."""
    if if_empty and db.session.scalar(sa.select(Mechanism.id).limit(1)) is not None:
        click.echo("The database already holds data: demo not loaded.")
        return
    created = 0
    for spec in MECHANISMS:
        mechanism = db.session.scalars(
            sa.select(Mechanism).where(Mechanism.slug == spec["slug"])
        ).one_or_none()
        if mechanism is None:
            fields = {k: v for k, v in spec.items() if k != "bodies"}
            mechanism = provisioning.create_mechanism(**fields)
            created += 1
        with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
            existing = set(db.session.scalars(sa.select(Body.slug)))
        for slug, name, kind, visits in spec["bodies"]:
            if slug not in existing:
                provisioning.add_body(
                    mechanism_slug=mechanism.slug,
                    slug=slug,
                    name=name,
                    kind=kind,
                    visits_places=visits,
                )
                created += 1
    for email, name, roles, operator in ACCOUNTS:
        user = db.session.scalars(sa.select(User).where(User.email == email)).one_or_none()
        if user is None:
            user = User(email=email, display_name=name, is_operator=operator)
            db.session.add(user)
            created += 1
        if not user.password_hash:
            user.password_hash = hash_password(DEMO_PASSWORD)
        if email in DEMO_TOTP_SECRETS and not user.totp_secret:
            user.totp_secret = DEMO_TOTP_SECRETS[email]
        db.session.commit()
        for mechanism_slug, body_slug, role in roles:
            if not _is_member(user, mechanism_slug, body_slug):
                provisioning.invite_user(
                    mechanism_slug=mechanism_slug,
                    body_slug=body_slug,
                    email=email,
                    role=role,
                    notify=False,
                    accepted=True,
                )
                created += 1
    # Each capability adds its own records to the first demo mechanism.
    for _name, load_part in capabilities.demo_loaders():
        created += load_part(MECHANISMS[0]["slug"])
    click.echo(f"Demo data ready ({created} records added). Password: {DEMO_PASSWORD}")


def _is_member(user: User, mechanism_slug: str, body_slug: str) -> bool:
    mechanism = provisioning.get_mechanism(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
        return (
            db.session.scalar(
                sa.select(Membership.id)
                .join(
                    Body,
                    sa.and_(
                        Body.id == Membership.body_id, Body.mechanism_id == Membership.mechanism_id
                    ),
                )
                .where(Body.slug == body_slug, Membership.user_id == user.id)
            )
            is not None
        )


@demo_cli.command("scale")
@click.option("--factor", type=click.FloatRange(min=0.001, max=64), default=1.0, show_default=True)
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--slug", default="scale", show_default=True, help="The new mechanism's slug.")
def scale(factor: float, seed: int, slug: str) -> None:
    """Build a mechanism at the size of the largest ones (25 bodies, 2,000
    accounts, 3,000 people... times FACTOR), the same from the same seed."""
    import time

    from app.demo.scale import PASSWORD, generate

    if db.session.scalar(sa.select(Mechanism.id).where(Mechanism.slug == slug)) is not None:
        raise click.ClickException(f"A mechanism {slug!r} exists already: choose another --slug.")
    started = time.monotonic()
    added = generate(slug, factor, seed, capabilities.scale_parts())
    for name, rows in added.items():
        click.echo(f"{name:12} {rows:>9,} rows")
    click.echo(
        f"Mechanism {slug!r} ready in {time.monotonic() - started:.0f} s."
        f" Accounts user<N>@{slug}.scale.example, password: {PASSWORD}"
    )
