"""totp secrets encrypted at rest

Revision ID: dee0e7ba2e6e
Revises: a3c9e1f07b52
Create Date: 2026-12-02 09:49:51.000000

"""
import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


# revision identifiers, used by Alembic.
revision = 'dee0e7ba2e6e'
down_revision = 'a3c9e1f07b52'
branch_labels = None
depends_on = None

# The table as this migration knows it, not as the models will later say.
users = sa.table('users', sa.column('id', sa.Integer), sa.column('totp_secret', sa.String))


def _fernet() -> MultiFernet:
    # The keys of the running configuration (TOTP_ENCRYPTION_KEYS): the first
    # encrypts, all decrypt.
    return MultiFernet([Fernet(key) for key in current_app.config['TOTP_ENCRYPTION_KEYS']])


def _rewrite(change) -> None:
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.is_not(None))
    ).all()
    for user_id, value in rows:
        bind.execute(
            users.update().where(users.c.id == user_id).values(totp_secret=change(value))
        )


def upgrade():
    # Wide enough for the Fernet token of a secret of up to 64 characters.
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column(
            'totp_secret',
            existing_type=sa.String(length=64),
            type_=sa.String(length=255),
            existing_nullable=True,
        )
    fernet = _fernet()
    _rewrite(lambda secret: fernet.encrypt(secret.encode()).decode())


def downgrade():
    fernet = _fernet()

    def decrypt(token: str) -> str:
        try:
            return fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise RuntimeError(
                'A two-factor secret does not decrypt with TOTP_ENCRYPTION_KEYS:'
                ' set the key that encrypted it, then downgrade again.'
            ) from None

    _rewrite(decrypt)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column(
            'totp_secret',
            existing_type=sa.String(length=255),
            type_=sa.String(length=64),
            existing_nullable=True,
        )
