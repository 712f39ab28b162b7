"""``flask operator …``: the first account of a deployment, and what only the
platform operator does to accounts (resets, disabling, key rotation)."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from sqlalchemy.orm.attributes import flag_modified

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


def _account(email: str) -> User:
    user = db.session.scalars(sa.select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise click.ClickException(f"There is no account {email}.")
    return user


@operator_cli.command("reset-two-factor")
@click.option("--email", required=True)
def reset_two_factor(email: str) -> None:
    """Forget an account's second factor (a lost device); it enrols again."""
    from app.auth import sessions, two_factor

    user = _account(email)
    two_factor.reset(user)
    ended = sessions.end_all(user)
    record(
        "account.two_factor_reset",
        obj=user,
        actor=None,
        summary=f"{user.email} by the operator; {ended} sessions ended",
    )
    db.session.commit()
    click.echo(f"Two-factor sign-in of {user.email} reset; it enrols again at its next sign-in.")


@operator_cli.command("disable-account")
@click.option("--email", required=True)
@click.option("--enable", is_flag=True, help="Enable it again instead.")
def disable_account(email: str, enable: bool) -> None:
    """Disable (or enable) an account: a disabled one is signed out at once."""
    from app.auth import sessions

    user = _account(email)
    user.active = enable
    if not enable:
        sessions.end_all(user)
    record(
        "account.enable" if enable else "account.disable", obj=user, actor=None, summary=user.email
    )
    db.session.commit()
    click.echo(f"{user.email} is {'enabled' if enable else 'disabled'}.")


@operator_cli.command("rotate-totp-key")
def rotate_totp_key() -> None:
    """Encrypt every two-factor secret again with the first key of TOTP_ENCRYPTION_KEYS."""
    users = db.session.scalars(sa.select(User).where(User.totp_secret.is_not(None))).all()
    for user in users:
        # Loading decrypted it with whichever key fits; writing it encrypts
        # with the first. Flagged, as its clear value has not changed.
        flag_modified(user, "totp_secret")
    record("operator.rotate_totp_key", actor=None, summary=f"{len(users)} secrets")
    db.session.commit()
    click.echo(
        f"{len(users)} two-factor secrets encrypted with the first key;"
        " the other keys can now leave TOTP_ENCRYPTION_KEYS."
    )
