"""positions found by their person

The figures join a body's people to their positions held elsewhere; without
an index on the person, PostgreSQL read every position once per person (one
second for 3,000 people at the benchmark's factor 1).

Revision ID: 1214b2dd8004
Revises: c41d7b0e9a25
Create Date: 2026-12-02 13:56:08.911452

"""
from alembic import op

revision = '1214b2dd8004'
down_revision = 'c41d7b0e9a25'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        'ix_person_positions_person', 'person_positions', ['mechanism_id', 'person_id']
    )


def downgrade():
    op.drop_index('ix_person_positions_person', table_name='person_positions')
