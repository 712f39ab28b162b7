"""sharing declared on the data: who reads each row, per body, in the database

Versions of rules and charters say who may read them (``audience``), and
every tenant table gets the row-level security policies of its model's
sharing declaration: bodies are walled off from each other, not only
mechanisms.

Revision ID: a3c9e1f07b52
Revises: eefdc9b3c362
Create Date: 2026-12-02 10:30:00.000000

"""
import sqlalchemy as sa
from alembic import op

from tenants import rls
from tenants.sharing import Audience, Sharing

revision = 'a3c9e1f07b52'
down_revision = 'eefdc9b3c362'
branch_labels = None
depends_on = None

# The declarations of the models as this migration installs them.
SHARING = {
    'bodies': Sharing(owner='id', audience=Audience.PUBLIC, provisioning=True, readable_by_members=True),
    'memberships': Sharing(counted_by=('body_id', 'role'), provisioning=True, readable_by_user='user_id'),
    'job_outputs': Sharing(),
    'notices': Sharing(),
    'people': Sharing(counted_by=('body_id', 'kind', 'gender', 'minority', 'leadership', 'secondment_start', 'secondment_end')),
    'person_expertise': Sharing(counted_by=('body_id', 'area')),
    'person_languages': Sharing(counted_by=('body_id', 'language')),
    'person_positions': Sharing(counted_by=('body_id', 'sector')),
    'people_imports': Sharing(),
    'register_settings': Sharing(audience=Audience.COORDINATION),
    'term_reminders': Sharing(),
    'rule_versions': Sharing(audience='audience'),
    'rule_sections': Sharing(parent=('version_id', 'rule_versions')),
    'rule_comments': Sharing(),
    'charters': Sharing(owner=None, audience=Audience.PUBLIC),
    'charter_versions': Sharing(owner=None, audience='audience'),
    'charter_sections': Sharing(owner=None, parent=('version_id', 'charter_versions')),
    'charter_comments': Sharing(audience=Audience.COORDINATION),
    'charter_answers': Sharing(owner=None, parent=('comment_id', 'charter_comments')),
    'charter_adoptions': Sharing(audience=Audience.COORDINATION),
    'charter_acknowledgements': Sharing(),
}

AUDIENCE = {
    'rule_versions': "CASE WHEN state = 'adopted' AND visibility = 'public' THEN 'public'"
                     " ELSE 'body' END",
    'charter_versions': "CASE WHEN state = 'adopted' AND visibility = 'public' THEN 'public'"
                        " WHEN state = 'draft' THEN 'coordination' ELSE 'mechanism' END",
}


def _audience_column():
    return sa.Column(
        'audience',
        sa.Enum('restricted', 'body', 'coordination', 'mechanism', 'public', name='audience',
                native_enum=False, create_constraint=True, length=32),
        nullable=False,
        server_default='body',
    )


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    for table, derived in AUDIENCE.items():
        if postgresql:
            # The owner writes every row of the table, which forced
            # row-level security would hide from it.
            op.execute(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(_audience_column())
        op.execute(f'UPDATE {table} SET audience = {derived}')
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('audience', server_default=None)
    for table, sharing in SHARING.items():
        rls.protect(op, table, sharing)


def downgrade():
    for table in SHARING:
        rls.disable(op, table)
    CU = rls.CURRENT_USER
    rls.enable(op, 'memberships', also_read=f'user_id = {CU}')
    rls.enable(
        op, 'bodies',
        also_read=f'EXISTS (SELECT 1 FROM memberships m WHERE m.mechanism_id = bodies.mechanism_id'
                  f' AND m.body_id = bodies.id AND m.user_id = {CU})',
    )
    for table in SHARING:
        if table not in ('memberships', 'bodies'):
            rls.enable(op, table)
    for table in AUDIENCE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('audience')
