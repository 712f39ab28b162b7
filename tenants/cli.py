"""``flask tenants ...``: provisioning from the command line.

Every command prints a clear message and exits non-zero on bad input,
having written nothing.
"""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tenants import provisioning
from tenants.context import Layer, tenant_scope
from tenants.database import db
from tenants.models import Body, BodyKind, Mechanism, Role

tenants_cli = AppGroup("tenants", help="Provision mechanisms, bodies and accounts.")


def run_provisioning(action, **kwargs):
    """Run a provisioning step; its refusal becomes the command's error."""
    try:
        return action(**kwargs)
    except provisioning.ProvisioningError as error:
        raise click.ClickException(str(error)) from None


@tenants_cli.command("create-mechanism")
@click.option("--slug", required=True, help="Identifier used in addresses, e.g. 'veloria'.")
@click.option("--name", required=True)
@click.option("--country", required=True)
@click.option("--language", "default_language", default="en", show_default=True)
@click.option(
    "--year-start",
    "reporting_year_start_month",
    default=1,
    show_default=True,
    type=int,
    help="Month (1-12) in which the reporting year starts.",
)
def create_mechanism(**kwargs):
    mechanism = run_provisioning(provisioning.create_mechanism, **kwargs)
    click.echo(f"Created mechanism {mechanism.slug}.")


@tenants_cli.command("add-body")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in BodyKind]))
@click.option("--visits/--no-visits", "visits_places", default=True, show_default=True)
@click.option("--coordinating", is_flag=True, help="Make it the coordinating body.")
def add_body(**kwargs):
    body = run_provisioning(provisioning.add_body, **kwargs)
    note = " (coordinating body)" if body.is_coordinator else ""
    click.echo(f"Added body {body.slug}{note}.")


@tenants_cli.command("designate-coordinator")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--body", "body_slug", required=True)
def designate_coordinator(**kwargs):
    body = run_provisioning(provisioning.designate_coordinator, **kwargs)
    click.echo(f"{body.slug} now coordinates the mechanism.")


@tenants_cli.command("invite")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--body", "body_slug", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "display_name", default="")
def invite(**kwargs):
    invitation = run_provisioning(provisioning.invite_user, **kwargs)
    what = "Invited new account" if invitation.new_account else "Added existing account"
    click.echo(f"{what} {invitation.user.email} as {invitation.membership.role.value}.")


@tenants_cli.command("list")
def list_tenants():
    """List mechanisms and their bodies."""
    for mechanism in db.session.scalars(sa.select(Mechanism).order_by(Mechanism.slug)):
        click.echo(f"{mechanism.slug}\t{mechanism.name} ({mechanism.country})")
        with tenant_scope(mechanism.id, layer=Layer.PLATFORM):
            for body in db.session.scalars(sa.select(Body).order_by(Body.slug)):
                flag = " [coordinator]" if body.is_coordinator else ""
                click.echo(f"  {body.slug}\t{body.name} <{body.kind.value}>{flag}")


@tenants_cli.command("sharing")
@click.argument("tables", nargs=-1)
def print_sharing(tables):
    """Print the sharing declarations of tenant tables (all, or those named)
    as a migration passes them to ``rls.protect``: paste them into the
    migration that creates a table or changes its model's ``__sharing__``."""
    from tenants.scoping import sharing_of, tenant_models

    models = tenant_models()
    unknown = set(tables) - set(models)
    if unknown:
        raise click.ClickException(f"not tenant tables: {', '.join(sorted(unknown))}")
    click.echo("SHARING = {")
    for table in tables or sorted(models):
        click.echo(f"    {table!r}: {sharing_of(models[table]).as_source()},")
    click.echo("}")
    click.echo(
        "# in upgrade(): for table, sharing in SHARING.items(): rls.protect(op, table, sharing)"
    )


@tenants_cli.command("grant-app-role")
@click.argument("role")
def grant_app_role(role):
    """Create (if needed) and grant the PostgreSQL role the application connects as."""
    from tenants.rls import grant_app_role as grant

    with db.engine.begin() as connection:
        if connection.dialect.name != "postgresql":
            raise click.ClickException("Row-level security roles exist on PostgreSQL only.")
        grant(connection, role)
    click.echo(f"Granted {role}.")
