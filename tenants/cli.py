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


def _run(action, **kwargs):
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
    mechanism = _run(provisioning.create_mechanism, **kwargs)
    click.echo(f"Created mechanism {mechanism.slug}.")


@tenants_cli.command("add-body")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--slug", required=True)
@click.option("--name", required=True)
@click.option("--kind", required=True, type=click.Choice([k.value for k in BodyKind]))
@click.option("--visits/--no-visits", "visits_places", default=True, show_default=True)
@click.option("--coordinating", is_flag=True, help="Make it the coordinating body.")
def add_body(**kwargs):
    body = _run(provisioning.add_body, **kwargs)
    note = " (coordinating body)" if body.is_coordinator else ""
    click.echo(f"Added body {body.slug}{note}.")


@tenants_cli.command("designate-coordinator")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--body", "body_slug", required=True)
def designate_coordinator(**kwargs):
    body = _run(provisioning.designate_coordinator, **kwargs)
    click.echo(f"{body.slug} now coordinates the mechanism.")


@tenants_cli.command("invite")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--body", "body_slug", required=True)
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "display_name", default="")
def invite(**kwargs):
    invitation = _run(provisioning.invite_user, **kwargs)
    what = "Invited new account" if invitation.new_account else "Added existing account"
    click.echo(f"{what} {invitation.user.email} as {invitation.membership.role.value}.")


@tenants_cli.command("onboard")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would create.")
@click.argument("spreadsheet", type=click.Path(exists=True, dir_okay=False))
def onboard(mechanism_slug, dry_run, spreadsheet):
    """Create a mechanism's bodies and invite their first administrators from
    one CSV or XLSX file (columns: name, slug, kind, coordinating,
    visits_places, admin_email, admin_name): every line is checked first,
    then all are created in one transaction, or none."""
    # Reading spreadsheets within bounds is the application's; the rules are here.
    from app.operator.onboarding import read
    from app.spreadsheets import UnreadableFile
    from tenants import onboarding

    with open(spreadsheet, "rb") as stream:
        data = stream.read()
    try:
        table = read(spreadsheet, data)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from None
    mechanism = _run(provisioning.get_mechanism, slug=mechanism_slug)
    plan = onboarding.check(mechanism, table)
    for error in plan.errors:
        where = f"line {error.line}, {error.column}: " if error.line else ""
        click.echo(f"{where}{error.message}", err=True)
    if plan.errors:
        raise click.ClickException(f"{len(plan.errors)} errors: nothing was created.")
    for row in plan.rows:
        flag = " [coordinator]" if row.coordinating else ""
        click.echo(f"  {row.slug}\t{row.name} <{row.kind.value}>{flag}\t{row.admin_email}")
    if dry_run:
        click.echo(f"{len(plan.rows)} bodies would be created (dry run: nothing written).")
        return
    _run(onboarding.apply, mechanism_slug=mechanism_slug, table=table)
    click.echo(f"Created {len(plan.rows)} bodies and invited their administrators.")


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
