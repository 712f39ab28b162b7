"""``flask operator create``: the first account of a deployment."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from app.audit.services import record
from app.auth import tokens
from app.auth.models import TokenPurpose
from app.extensions import db
from app.mail import external_url
from tenants.models import User
from tenants.provisioning import ProvisioningError, check_email

operator_cli = AppGroup("operator", help="Platform operator accounts.")


@operator_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True)
def create(email: str, display_name: str) -> None:
    """Create an operator account and print the link that sets its password."""
    try:
        email = check_email(email)
    except ProvisioningError as error:
        raise click.ClickException(str(error)) from None
    if not display_name.strip():
        raise click.ClickException("The name is required.")
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise click.ClickException(f"An account {email} already exists.")
    user = User(email=email, display_name=display_name.strip(), is_operator=True)
    db.session.add(user)
    db.session.flush()
    record("operator.create", obj=user, actor=None, summary=email)
    db.session.commit()
    click.echo(f"Operator {email} created. Set the password within 7 days at:")
    token = tokens.issue(user, TokenPurpose.INVITATION)
    db.session.commit()
    click.echo(external_url("auth.accept_invitation", token=token))
