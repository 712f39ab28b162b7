"""``flask tenants onboard``: the operator's onboarding from a file, on the
command line (the rules are in ``tenants.onboarding``; reading the file
within bounds is the application's)."""

from __future__ import annotations

import click

from app.operator.onboarding import read
from app.spreadsheets import UnreadableFile
from tenants import onboarding, provisioning
from tenants.cli import run_provisioning, tenants_cli


@click.command("onboard")
@click.option("--mechanism", "mechanism_slug", required=True)
@click.option("--dry-run", is_flag=True, help="Check the file and say what it would create.")
@click.argument("spreadsheet", type=click.Path(exists=True, dir_okay=False))
def onboard(mechanism_slug, dry_run, spreadsheet):
    """Create a mechanism's bodies and invite their first administrators from
    one CSV or XLSX file (columns: name, slug, kind, coordinating,
    visits_places, admin_email, admin_name): every line is checked first,
    then all are created in one transaction, or none."""
    with open(spreadsheet, "rb") as stream:
        data = stream.read()
    try:
        table = read(spreadsheet, data)
    except UnreadableFile as error:
        raise click.ClickException(str(error)) from None
    mechanism = run_provisioning(provisioning.get_mechanism, slug=mechanism_slug)
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
    run_provisioning(onboarding.apply, mechanism_slug=mechanism_slug, table=table)
    click.echo(f"Created {len(plan.rows)} bodies and invited their administrators.")


def install(app) -> None:
    # one of the tenants commands, though it reads files as the application does
    tenants_cli.add_command(onboard)
