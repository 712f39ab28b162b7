"""people imports keep the rows read at upload, not the file

A spreadsheet is read once, within bounds, when it is uploaded; its preview
and its import use the rows kept here. Uploads that were waiting for their
import keep no file to read: like uploads dropped after a day, they are
uploaded again.

Revision ID: c41d7b0e9a25
Revises: 90f1f70edbf3
Create Date: 2026-12-09 09:12:44.310218

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c41d7b0e9a25'
down_revision = '90f1f70edbf3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('people_imports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parsed_rows', sa.JSON(none_as_null=True), nullable=True))
        batch_op.drop_column('data')


def downgrade():
    with op.batch_alter_table('people_imports', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('data', sa.LargeBinary(), nullable=False, server_default=sa.text("''"))
        )
        batch_op.drop_column('parsed_rows')
