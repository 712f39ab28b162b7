"""audit events and job runs keyed by mechanism; platform ones in tables of their own

A tenant's audit events and job runs stay in ``audit_events`` and
``job_runs``, now keyed by ``(mechanism_id, id)`` like every tenant table
(an audit event gets a UUID id); those of no tenant move to
``platform_audit_events`` and ``platform_job_runs``. Job outputs and people
imports name their run through the tenant key.

Revision ID: 90f1f70edbf3
Revises: 2fa2d76cbf2c
Create Date: 2026-12-02 10:41:09.024723

"""
import sqlalchemy as sa
from alembic import op

from tenants import rls
from tenants.sharing import Sharing

# revision identifiers, used by Alembic.
revision = '90f1f70edbf3'
down_revision = '2fa2d76cbf2c'
branch_labels = None
depends_on = None

# The declarations of the models as this migration installs them.
SHARING = {
    'audit_events': Sharing(appended_by_platform=True),
    'job_runs': Sharing(),
}
EVENT = ('occurred_at', 'actor_id', 'actor_email', 'action', 'object_type', 'object_id',
         'summary', 'client_address')
RUN = ('name', 'params', 'state', 'progress', 'message', 'result', 'attempts', 'created_by',
       'created_at', 'started_at', 'finished_at')
# Rows these tables reference, read and written by the owner here.
REFERRING = ('job_outputs', 'people_imports')


def _event_columns(id_column):
    return [
        id_column,
        sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_email', sa.String(length=254), nullable=True),
        sa.Column('action', sa.String(length=64), nullable=False),
        sa.Column('object_type', sa.String(length=64), nullable=True),
        sa.Column('object_id', sa.String(length=64), nullable=True),
        sa.Column('summary', sa.String(length=500), nullable=False),
        sa.Column('client_address', sa.String(length=64), nullable=True),
    ]


def _run_columns(id_column):
    return [
        id_column,
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('state', sa.Enum('queued', 'running', 'finished', 'failed', name='jobstate', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('progress', sa.Integer(), nullable=False),
        sa.Column('message', sa.String(length=500), nullable=False),
        sa.Column('result', sa.JSON(), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    ]


def _serial():
    return sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False)


def _tenant_columns(mechanism_nullable: bool):
    return [
        sa.Column('mechanism_id', sa.Integer(), nullable=mechanism_nullable),
        sa.Column('body_id', sa.Uuid(), nullable=True),
    ]


def _set_aside(table: str, index: str) -> str:
    """Rename ``table`` out of the way (with the names that must stay unique
    in the schema) so that its successor can be created under its name."""
    old = f'{table}_old'
    op.drop_index(index, table_name=table)
    op.rename_table(table, old)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'ALTER TABLE {old} RENAME CONSTRAINT pk_{table} TO pk_{old}')
    return old


def _append_only_triggers(table: str, create: bool) -> None:
    if op.get_bind().dialect.name != 'sqlite':
        return
    for verb in ('UPDATE', 'DELETE'):
        name = f'{table}_no_{verb.lower()}'
        if create:
            op.execute(
                f'CREATE TRIGGER {name} BEFORE {verb} ON {table}'
                " BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )
        else:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')


def _new_uuid() -> str:
    # SQLAlchemy stores a Uuid as 32 hexadecimal digits where there is no uuid type
    if op.get_bind().dialect.name == 'postgresql':
        return 'gen_random_uuid()'
    return 'lower(hex(randomblob(16)))'


def _restart_sequence(table: str) -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
            f" COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)"
        )


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    # The owner moves every row, which forced row-level security would hide from it.
    for table in SHARING:
        rls.disable(op, table)
    if postgresql:
        for table in REFERRING:
            op.execute(f'ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY')
    _append_only_triggers('audit_events', create=False)

    op.create_table('platform_audit_events',
    *_event_columns(_serial()),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_platform_audit_events_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_audit_events'))
    )
    with op.batch_alter_table('platform_audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_platform_audit_events_time', ['occurred_at'], unique=False)

    op.create_table('platform_job_runs',
    *_run_columns(sa.Column('id', sa.Uuid(), nullable=False)),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_platform_job_runs_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform_job_runs'))
    )
    with op.batch_alter_table('platform_job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_platform_job_runs_created_at', ['created_at'], unique=False)

    old_events = _set_aside('audit_events', 'ix_audit_events_tenant_time')
    op.create_table('audit_events',
    *_event_columns(sa.Column('id', sa.Uuid(), nullable=False)),
    *_tenant_columns(mechanism_nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['mechanism_id'], ['mechanisms.id'], name=op.f('fk_audit_events_mechanism_id_mechanisms'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('mechanism_id', 'id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_tenant_time', ['mechanism_id', 'body_id', 'occurred_at'], unique=False)

    old_runs = _set_aside('job_runs', 'ix_job_runs_tenant')
    op.create_table('job_runs',
    *_run_columns(sa.Column('id', sa.Uuid(), nullable=False)),
    *_tenant_columns(mechanism_nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_job_runs_created_by_users')),
    sa.ForeignKeyConstraint(['mechanism_id'], ['mechanisms.id'], name=op.f('fk_job_runs_mechanism_id_mechanisms'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('mechanism_id', 'id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_tenant', ['mechanism_id', 'body_id', 'created_at'], unique=False)

    # Tenant rows stay (an event gets a new id: the key is a UUID now),
    # platform rows move; the order of events is their time.
    event, run = ', '.join(EVENT), ', '.join(RUN)
    op.execute(
        f'INSERT INTO audit_events (id, mechanism_id, body_id, {event})'
        f' SELECT {_new_uuid()}, mechanism_id, body_id, {event} FROM {old_events}'
        ' WHERE mechanism_id IS NOT NULL'
    )
    op.execute(
        f'INSERT INTO platform_audit_events (id, {event})'
        f' SELECT id, {event} FROM {old_events} WHERE mechanism_id IS NULL'
    )
    _restart_sequence('platform_audit_events')
    op.execute(
        f'INSERT INTO job_runs (id, mechanism_id, body_id, {run})'
        f' SELECT id, mechanism_id, body_id, {run} FROM {old_runs} WHERE mechanism_id IS NOT NULL'
    )
    op.execute(
        f'INSERT INTO platform_job_runs (id, {run})'
        f' SELECT id, {run} FROM {old_runs} WHERE mechanism_id IS NULL'
    )
    op.drop_table(old_events)
    op.drop_table(old_runs)

    # A reference to a run that is not the tenant's own cannot be kept: an
    # import forgets it, an output nobody can reach through its run goes.
    of_its_run = (
        'SELECT 1 FROM job_runs r WHERE r.mechanism_id = {0}.mechanism_id AND r.id = {0}.job_run_id'
    )
    op.execute(
        'UPDATE people_imports SET job_run_id = NULL WHERE job_run_id IS NOT NULL'
        f' AND NOT EXISTS ({of_its_run.format("people_imports")})'
    )
    op.execute(f'DELETE FROM job_outputs WHERE NOT EXISTS ({of_its_run.format("job_outputs")})')
    with op.batch_alter_table('job_outputs', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_job_outputs_mechanism_id_job_run_id_job_runs'), 'job_runs', ['mechanism_id', 'job_run_id'], ['mechanism_id', 'id'], ondelete='CASCADE')
    with op.batch_alter_table('people_imports', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_people_imports_mechanism_id_job_run_id_job_runs'), 'job_runs', ['mechanism_id', 'job_run_id'], ['mechanism_id', 'id'], ondelete='RESTRICT')

    for table, sharing in SHARING.items():
        rls.protect(op, table, sharing)
    for table in ('platform_audit_events', 'platform_job_runs'):
        rls.protect_platform(op, table)
    if postgresql:
        for table in REFERRING:
            op.execute(f'ALTER TABLE {table} FORCE ROW LEVEL SECURITY')
    _append_only_triggers('audit_events', create=True)
    _append_only_triggers('platform_audit_events', create=True)


def downgrade():
    for table in (*SHARING, 'platform_audit_events', 'platform_job_runs'):
        rls.disable(op, table)
    _append_only_triggers('audit_events', create=False)
    _append_only_triggers('platform_audit_events', create=False)

    with op.batch_alter_table('people_imports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_people_imports_mechanism_id_job_run_id_job_runs'), type_='foreignkey')
    with op.batch_alter_table('job_outputs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_job_outputs_mechanism_id_job_run_id_job_runs'), type_='foreignkey')

    split_events = _set_aside('audit_events', 'ix_audit_events_tenant_time')
    op.create_table('audit_events',
    *_event_columns(_serial()),
    *_tenant_columns(mechanism_nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_events_actor_id_users')),
    sa.ForeignKeyConstraint(['mechanism_id'], ['mechanisms.id'], name=op.f('fk_audit_events_mechanism_id_mechanisms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index('ix_audit_events_tenant_time', ['mechanism_id', 'body_id', 'occurred_at'], unique=False)

    split_runs = _set_aside('job_runs', 'ix_job_runs_tenant')
    op.create_table('job_runs',
    *_run_columns(sa.Column('id', sa.Uuid(), nullable=False)),
    *_tenant_columns(mechanism_nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_job_runs_created_by_users')),
    sa.ForeignKeyConstraint(['mechanism_id'], ['mechanisms.id'], name=op.f('fk_job_runs_mechanism_id_mechanisms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_tenant', ['mechanism_id', 'body_id', 'created_at'], unique=False)

    # Platform events keep their ids; tenant events are numbered after them.
    event, run = ', '.join(EVENT), ', '.join(RUN)
    op.execute(
        f'INSERT INTO audit_events (id, {event}) SELECT id, {event} FROM platform_audit_events'
    )
    _restart_sequence('audit_events')
    op.execute(
        f'INSERT INTO audit_events (mechanism_id, body_id, {event})'
        f' SELECT mechanism_id, body_id, {event} FROM {split_events} ORDER BY occurred_at'
    )
    op.execute(f'INSERT INTO job_runs (id, {run}) SELECT id, {run} FROM platform_job_runs')
    op.execute(
        f'INSERT INTO job_runs (id, mechanism_id, body_id, {run})'
        f' SELECT id, mechanism_id, body_id, {run} FROM {split_runs}'
    )
    op.drop_table(split_events)
    op.drop_table(split_runs)
    with op.batch_alter_table('platform_job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_platform_job_runs_created_at')
    op.drop_table('platform_job_runs')
    with op.batch_alter_table('platform_audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_platform_audit_events_time')
    op.drop_table('platform_audit_events')

    # As the first migration had them: a tenant's rows to that tenant,
    # platform rows only while no tenant is set.
    cm = rls.CURRENT_MECHANISM
    platform_or_tenant = f'mechanism_id = {cm} OR (mechanism_id IS NULL AND {cm} IS NULL)'
    rls.enable(op, 'audit_events', using=platform_or_tenant)
    rls.enable(op, 'job_runs', using=platform_or_tenant)
    _append_only_triggers('audit_events', create=True)
