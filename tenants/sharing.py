"""Who may read and write a tenant row, declared on the data.

Every tenant model says, in its ``__sharing__``, which body owns a row and
who else may read it. From that one declaration come both walls: the ORM
criteria added to every statement (``tenants.scoping``) and the PostgreSQL
row-level security policies (``tenants.rls``). A model that declares nothing
is read by its owner alone.

Who reads what, by layer (see ``tenants.context.Layer``):

* a body (and a job started from its space) reads its own rows and what
  others made visible to the whole mechanism or the public;
* the coordination layer reads its own body's rows, the mechanism's own rows
  (charters...), what bodies shared with the coordinator, and — inside
  ``aggregate_reads()`` only — counts of the rows a model lets it count;
* the public site reads public rows;
* the platform operator reads and writes provisioning rows (bodies and
  memberships) and nothing else;
* a mechanism-wide job (no body) does the mechanism's own work and reads all
  of its rows.

Writes: a body writes its own rows; the coordination layer writes the
mechanism's rows and its own body's; nobody writes another body's rows
(the operator only adds to the logs that say so, ``appended_by_platform``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum

import sqlalchemy as sa


class Audience(StrEnum):
    """How far a row is visible beyond its owner (the visibility levels of
    the design), from the narrowest."""

    RESTRICTED = "restricted"  # named people of the owning body
    BODY = "body"  # the owning body
    COORDINATION = "coordination"  # the owning body and the coordinating body
    MECHANISM = "mechanism"  # every body of the mechanism
    PUBLIC = "public"  # the public site


# The layers (values of ``tenants.context.Layer``) that read each level.
_MEMBERS = ("body", "coordination", "job")
READERS: dict[Audience, tuple[str, ...]] = {
    Audience.RESTRICTED: (),
    Audience.BODY: (),
    Audience.COORDINATION: ("coordination",),
    Audience.MECHANISM: _MEMBERS,
    Audience.PUBLIC: (*_MEMBERS, "public"),
}


@dataclass(frozen=True)
class Sharing:
    """A model's declaration. Migrations repeat it literally (``rls.protect``)
    so that the policies they install stay what they were when written."""

    # The column naming the owning body; None: a row of the mechanism itself,
    # kept by the coordination layer (a charter, an answer to a comment).
    owner: str | None = "body_id"
    # Who else reads a row: a fixed level, or the name of the column that
    # holds each row's level.
    audience: Audience | str | None = None
    # (column, table): also read wherever the parent row it names is read.
    parent: tuple[str, str] | None = None
    # Columns the coordination layer may count rows by, inside
    # ``aggregate_reads()``: never a row itself.
    counted_by: tuple[str, ...] = ()
    # Read and written by the platform operator, who provisions.
    provisioning: bool = False
    # The column naming an account that may read its own rows in every
    # mechanism (a person's memberships, for their list of spaces).
    readable_by_user: str | None = None
    # The bodies whose memberships the acting user holds stay readable to
    # them (the list of spaces), in every mechanism.
    readable_by_members: bool = False
    # The platform operator, provisioning the mechanism, adds rows (an audit
    # trail records what provisioning did to a body); it reads none.
    appended_by_platform: bool = False

    def fixed_audience(self) -> Audience | None:
        return self.audience if isinstance(self.audience, Audience) else None

    def as_source(self) -> str:
        """The declaration as a migration writes it (its non-default fields)."""
        fields = []
        for name, default in Sharing.__dataclass_fields__.items():
            value = getattr(self, name)
            if value != default.default:
                text = f"Audience.{value.name}" if isinstance(value, Audience) else repr(value)
                fields.append(f"{name}={text}")
        return f"Sharing({', '.join(fields)})"


PRIVATE = Sharing()


@dataclass(frozen=True)
class Terms:
    """The active tenant as SQL: bound parameters for the ORM, settings of
    the transaction for row-level security."""

    mechanism: sa.ColumnElement
    body: sa.ColumnElement
    layer: sa.ColumnElement
    user: sa.ColumnElement
    counting: sa.ColumnElement  # a boolean: inside aggregate_reads()


def read_rule(
    sharing: Sharing, col, terms: Terms, parent_readable=None, across: bool = True
) -> sa.ColumnElement:
    """The condition a row must meet to be read. ``col(name)`` gives a column
    of the row; ``parent_readable(column, table)`` the condition that the
    parent row it names is readable. ``across``: with the reads of a user's
    own rows in every mechanism (the ORM leaves those to ``unscoped()``)."""
    reads = [_system(terms), _owned(sharing, col, terms)]
    fixed = sharing.fixed_audience()
    if fixed is not None:
        if READERS[fixed]:
            reads.append(terms.layer.in_(READERS[fixed]))
    elif sharing.audience is not None:
        column = col(sharing.audience)
        reads.extend(
            sa.and_(column == level.value, terms.layer.in_(layers))
            for level, layers in READERS.items()
            if layers
        )
    if sharing.parent is not None:
        reads.append(parent_readable(*sharing.parent))
    if sharing.counted_by:
        reads.append(sa.and_(terms.layer == "coordination", terms.counting))
    if sharing.provisioning:
        reads.append(terms.layer == "platform")
    rule = sa.and_(col("mechanism_id") == terms.mechanism, sa.or_(*reads))
    own_rows = []
    if across and sharing.readable_by_user:
        own_rows.append(col(sharing.readable_by_user) == terms.user)
    if across and sharing.readable_by_members:
        own_rows.append(_member_of(terms))
    return sa.or_(rule, *own_rows) if own_rows else rule


def write_rule(sharing: Sharing, col, terms: Terms) -> sa.ColumnElement:
    """The condition a row must meet to be written (inserted, changed or
    deleted): never by the public site, never another body's row."""
    writes = [_system(terms), _owned(sharing, col, terms)]
    if sharing.provisioning:
        writes.append(terms.layer == "platform")
    return sa.and_(col("mechanism_id") == terms.mechanism, sa.or_(*writes))


def insert_rule(sharing: Sharing, col, terms: Terms) -> sa.ColumnElement:
    """The condition a new row must meet: that of any write, or the
    operator's for rows it appends."""
    rule = write_rule(sharing, col, terms)
    if sharing.appended_by_platform:
        platform = sa.and_(col("mechanism_id") == terms.mechanism, terms.layer == "platform")
        rule = sa.or_(rule, platform)
    return rule


def _system(terms: Terms) -> sa.ColumnElement:
    return sa.and_(terms.layer == "job", terms.body.is_(None))


def _owned(sharing: Sharing, col, terms: Terms) -> sa.ColumnElement:
    if sharing.owner is None:
        return terms.layer == "coordination"
    return sa.and_(col(sharing.owner) == terms.body, terms.layer.in_(_MEMBERS))


def _member_of(terms: Terms) -> sa.ColumnElement:
    # no input reaches this SQL: it is rendered once, into a policy
    sql = "EXISTS (SELECT 1 FROM memberships m WHERE m.mechanism_id = bodies.mechanism_id"
    sql += f" AND m.body_id = bodies.id AND m.user_id = {terms.user})"
    return sa.literal_column(sql, sa.Boolean)


# --- the same rules as policies of PostgreSQL -------------------------------

TENANT_SETTING = "concert.mechanism_id"
BODY_SETTING = "concert.body_id"
LAYER_SETTING = "concert.layer"
USER_SETTING = "concert.user_id"
COUNTING_SETTING = "concert.counting"
SETTINGS = (TENANT_SETTING, BODY_SETTING, LAYER_SETTING, USER_SETTING, COUNTING_SETTING)


def _setting(name: str, cast: str = "") -> str:
    # A scalar subquery: PostgreSQL reads the setting once per statement (an
    # init plan), not once per row the policy filters.
    return f"(SELECT NULLIF(current_setting('{name}', true), ''){cast})"


# SQL expressions usable in policies.
CURRENT_MECHANISM = _setting(TENANT_SETTING, "::integer")
CURRENT_USER = _setting(USER_SETTING, "::integer")
CURRENT_LAYER = f"(SELECT COALESCE(current_setting('{LAYER_SETTING}', true), ''))"

SQL_TERMS = Terms(
    mechanism=sa.literal_column(CURRENT_MECHANISM, sa.Integer),
    body=sa.literal_column(_setting(BODY_SETTING, "::uuid"), sa.Uuid),
    layer=sa.literal_column(CURRENT_LAYER, sa.String),
    user=sa.literal_column(CURRENT_USER, sa.Integer),
    counting=sa.literal_column(f"({_setting(COUNTING_SETTING)} IS NOT NULL)", sa.Boolean),
)


def policy_sql(table: str, sharing: Sharing) -> tuple[str, str, str]:
    """The read, insert and write conditions of ``table`` as SQL text."""
    from sqlalchemy.dialects import postgresql

    def col(name: str):
        return sa.literal_column(f"{table}.{name}")

    def parent_readable(column: str, parent: str):
        # The parent table's own policies decide whether it is readable.
        # names from the models, no input
        sql = f"EXISTS (SELECT 1 FROM {parent} p WHERE p.mechanism_id = {table}.mechanism_id"  # noqa: S608
        sql += f" AND p.id = {table}.{column})"
        return sa.literal_column(sql, sa.Boolean)

    dialect = postgresql.dialect()

    def render(expression) -> str:
        return str(expression.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))

    return (
        render(read_rule(sharing, col, SQL_TERMS, parent_readable)),
        render(insert_rule(sharing, col, SQL_TERMS)),
        render(write_rule(sharing, col, SQL_TERMS)),
    )


def fingerprint(table: str, sharing: Sharing) -> str:
    """A short digest of a table's policies: part of their names, so that a
    test can tell the installed policies from those the model now asks for."""
    read, insert, write = policy_sql(table, sharing)
    text = f"{read}\n{write}" if insert == write else f"{read}\n{insert}\n{write}"
    return hashlib.sha256(text.encode()).hexdigest()[:10]
