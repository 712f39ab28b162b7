"""Scoping that a view cannot forget.

Walls, from the inside out:

* model mixins whose lookups always filter by the active tenant;
* an ORM safety net: every ORM statement run while a tenant is active gets
  ``with_loader_criteria`` with what the tenant may read of each model (its
  ``__sharing__``, see ``tenants.sharing``), and a statement on a
  tenant-owned entity with no tenant active is refused;
* a flush-time check that every new, changed or deleted tenant-owned row
  may be written by the active tenant;
* what would go around the net is refused: SQL text and Core statements on
  tenant tables (outside ``raw_sql()``), bulk ORM writes; and objects the
  new tenant may not read leave the session when the tenant changes, so
  that the identity map cannot answer for them.

PostgreSQL row-level security (``tenants.rls``) applies the same rules.
"""

from __future__ import annotations

import uuid
from functools import cache
from itertools import chain

import sqlalchemy as sa
from flask import has_app_context
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    aliased,
    declared_attr,
    mapped_column,
    relationship,
    with_loader_criteria,
)
from sqlalchemy.sql import visitors
from werkzeug.exceptions import NotFound

from tenants.context import (
    Layer,
    Tenant,
    TenantError,
    acting_user_id,
    counting,
    current_tenant,
    is_unscoped,
    on_switch,
    raw_sql_reason,
)
from tenants.database import db
from tenants.sharing import READERS, Audience, Sharing, Terms, read_rule


class MechanismOwned:
    """A row that belongs to one mechanism.

    The key is ``(mechanism_id, id)`` so that tables can be distributed by
    mechanism; ids are UUIDs generated here, which also keeps them unguessable.
    """

    @declared_attr
    def mechanism_id(cls) -> Mapped[int]:
        return mapped_column(sa.ForeignKey("mechanisms.id", ondelete="RESTRICT"), primary_key=True)

    @declared_attr
    def id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)

    @classmethod
    def scoped_select(cls) -> sa.Select:
        """``select(cls)`` limited to the active tenant (explicitly, on top of
        the safety net)."""
        tenant = current_tenant()
        if tenant is None:
            raise TenantError(f"{cls.__name__} read without a tenant")
        stmt = sa.select(cls).where(cls.mechanism_id == tenant.mechanism_id)
        if issubclass(cls, BodyOwned) and tenant.body_id and tenant.layer is not Layer.COORDINATION:
            # A body's lists are of its own rows; what other bodies share
            # with it is read where a page asks for it.
            stmt = stmt.where(cls.body_id == tenant.body_id)
        return stmt

    @classmethod
    def get_scoped(cls, object_id):
        """The object with this id in the active tenant, or None.

        ``object_id`` may come from the path, a form field or a query string:
        anything that is not a valid id is simply not found.
        """
        try:
            key = object_id if isinstance(object_id, uuid.UUID) else uuid.UUID(str(object_id))
        except (TypeError, ValueError, AttributeError):
            return None
        return db.session.scalars(cls.scoped_select().where(cls.id == key)).one_or_none()

    @classmethod
    def get_scoped_or_404(cls, object_id):
        obj = cls.get_scoped(object_id)
        if obj is None:
            raise NotFound()
        return obj


def child_or_404(children, child_id):
    """A child named in the URL beside its parent, found among the parent's
    own children (the parent itself found with ``get_scoped_or_404``)."""
    found = next((child for child in children if str(child.id) == str(child_id)), None)
    if found is None:
        raise NotFound()
    return found


class BodyOwned(MechanismOwned):
    """A row that belongs to one body of a mechanism.

    The foreign key to the body includes ``mechanism_id``, so the database
    itself refuses a row that points at a body of another mechanism.
    Subclasses add their own table arguments in ``__extra_table_args__``.
    Its rows are the body's alone unless ``__sharing__`` says otherwise.
    """

    __sharing__ = Sharing()
    __extra_table_args__: tuple = ()

    @declared_attr
    def body_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(sa.Uuid, nullable=False, index=True)

    @declared_attr.directive
    def __table_args__(cls):
        return (
            sa.ForeignKeyConstraint(
                ["mechanism_id", "body_id"],
                ["bodies.mechanism_id", "bodies.id"],
                ondelete="RESTRICT",
            ),
            *cls.__extra_table_args__,
        )


def tenant_key(column: str, table: str, ondelete: str = "CASCADE") -> sa.ForeignKeyConstraint:
    """A reference to another tenant row, through ``mechanism_id`` too: the
    database refuses a row that points at another mechanism's."""
    return sa.ForeignKeyConstraint(
        ["mechanism_id", column], [f"{table}.mechanism_id", f"{table}.id"], ondelete=ondelete
    )


def tenant_children(parent: str, target: str, column: str, order_by: str, **options):
    """A parent's list of child rows, joined on the tenant key and the
    child's ``column``; loaded with the parent, saved and removed with it."""
    options.setdefault("lazy", "selectin")
    options.setdefault("cascade", "all, delete-orphan")
    return relationship(
        target,
        primaryjoin=f"and_({parent}.mechanism_id == {target}.mechanism_id,"
        f" {parent}.id == {target}.{column})",
        foreign_keys=f"[{target}.mechanism_id, {target}.{column}]",
        order_by=order_by,
        **options,
    )


def tenant_parent(child: str, target: str, column: str):
    """The row a child's ``column`` names, joined on the tenant key; loaded
    with the child, read-only (the child's column is what is written)."""
    return relationship(
        target,
        primaryjoin=f"and_({child}.mechanism_id == {target}.mechanism_id,"
        f" {child}.{column} == {target}.id)",
        foreign_keys=f"[{child}.mechanism_id, {child}.{column}]",
        viewonly=True,
        lazy="joined",
    )


def is_tenant_owned(cls) -> bool:
    return isinstance(cls, type) and issubclass(cls, MechanismOwned)


def sharing_of(cls) -> Sharing:
    return cls.__sharing__


@cache
def tenant_models() -> dict[str, type]:
    """Table name → tenant model, for every mapped tenant model."""
    return {
        mapper.local_table.name: mapper.class_
        for mapper in db.Model.registry.mappers
        if is_tenant_owned(mapper.class_)
    }


# --- the ORM net: what the active tenant may read ------------------------------


def _tenant_value(attribute: str):
    def value():
        tenant = current_tenant()
        return getattr(tenant, attribute) if tenant is not None else None

    return value


def _layer_value() -> str:
    tenant = current_tenant()
    return tenant.layer.value if tenant is not None else ""


# Bound parameters whose values are read from the context at each execution,
# so that one cached statement serves every tenant.
ORM_TERMS = Terms(
    mechanism=sa.bindparam(
        "concert_mechanism", callable_=_tenant_value("mechanism_id"), type_=sa.Integer
    ),
    body=sa.bindparam("concert_body", callable_=_tenant_value("body_id"), type_=sa.Uuid),
    # Rendered into the SQL, so that the database folds away the rules of
    # the other layers when it plans a statement (a handful of variants).
    layer=sa.bindparam(
        "concert_layer", callable_=_layer_value, type_=sa.String, literal_execute=True
    ),
    user=sa.bindparam("concert_user", callable_=acting_user_id, type_=sa.Integer),
    counting=sa.bindparam(
        "concert_counting", callable_=counting, type_=sa.Boolean, literal_execute=True
    ),
)


def read_criteria(entity) -> sa.ColumnElement:
    """What the active tenant may read of a tenant model (or an alias of one)."""
    info = sa.inspect(entity, raiseerr=False)
    if info is None or not hasattr(info, "mapper"):
        return sa.true()  # the mixin itself, never queried

    def col(name: str):
        return getattr(entity, name)

    def parent_readable(column: str, table: str):
        parent = aliased(tenant_models()[table])
        return (
            sa.select(sa.literal(1))
            .where(
                parent.mechanism_id == entity.mechanism_id,
                parent.id == getattr(entity, column),
                read_criteria(parent),
            )
            .exists()
        )

    return read_rule(sharing_of(info.mapper.class_), col, ORM_TERMS, parent_readable, across=False)


# One option for every statement: the criteria depend on the model only, the
# tenant's values are bound at execution.
_READABLE = with_loader_criteria(
    MechanismOwned,
    lambda cls: read_criteria(cls),
    include_aliases=True,
    track_closure_variables=False,
)
_NOTHING = with_loader_criteria(MechanismOwned, lambda cls: sa.false(), include_aliases=True)


def readable_accounts(user_entity) -> sa.ColumnElement:
    """Accounts are global, but a tenant reads only those known to its
    mechanism (``MechanismAccount``) and the acting user's own; provisioning
    reads every account (it invites them)."""
    from tenants.models import MechanismAccount  # the models build on this module

    account = aliased(MechanismAccount)
    known = (
        sa.select(sa.literal(1))
        .where(account.user_id == user_entity.id, read_criteria(account))
        .exists()
    )
    return sa.or_(user_entity.id == ORM_TERMS.user, ORM_TERMS.layer == "platform", known)


@cache
def _platform_options() -> tuple:
    """Rows of no tenant (``__platform_only__`` models: sign-ins, the
    operator's jobs) are read with no tenant active or by the platform
    layer, never by a tenant's own layers."""
    return tuple(
        with_loader_criteria(mapper.class_, ORM_TERMS.layer == "platform")
        for mapper in db.Model.registry.mappers
        if getattr(mapper.class_, "__platform_only__", False)
    )


@cache
def _accounts_option():
    from tenants.models import User

    return with_loader_criteria(
        User,
        lambda cls: readable_accounts(cls),
        include_aliases=True,
        track_closure_variables=False,
    )


def _apply_tenant_criteria(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        # Bulk statements write rows the flush check never sees (and could
        # set mechanism_id or body_id to anything): tenant rows are written
        # through the session's unit of work only, but inside ``raw_sql()``.
        touched = [m.class_.__name__ for m in state.all_mappers if is_tenant_owned(m.class_)]
        if touched and raw_sql_reason() is None:
            raise TenantError(f"bulk write of {', '.join(touched)}: use the session")
        return
    if not state.is_select:
        return
    # Refreshing expired attributes of an object already in the session loads
    # the same row by its full key; objects the tenant may not read left the
    # session when the tenant changed.
    if state.is_column_load:
        return
    if is_unscoped():
        return
    tenant = current_tenant()
    if tenant is None:
        touched = [m.class_.__name__ for m in state.all_mappers if is_tenant_owned(m.class_)]
        if touched:
            raise TenantError(f"{', '.join(touched)} queried without a tenant")
        # Joins into tenant tables from a global entity match nothing.
        state.statement = state.statement.options(_NOTHING)
        return
    if counting():
        _check_counts_only(state.statement)
    state.statement = state.statement.options(_READABLE, _accounts_option(), *_platform_options())


_COUNTS = {"count"}
_EXTREMES = {"min", "max"}  # of a column that may be counted by: one of its values


def _check_counts_only(statement) -> None:
    """Inside ``aggregate_reads()``: columns of counted models only as counts,
    or grouped by what the model lets be counted."""
    counted = {
        name: sharing_of(model).counted_by
        for name, model in tenant_models().items()
        if sharing_of(model).counted_by
    }
    for expression in getattr(statement, "selected_columns", ()):
        inner = expression.element if isinstance(expression, sa.Label) else expression
        function = (
            getattr(inner, "name", "").lower()
            if isinstance(inner, sa.sql.functions.FunctionElement)
            else ""
        )
        if function in _COUNTS:
            continue
        aggregate = function in _EXTREMES
        for element in visitors.iterate(inner):
            if not isinstance(element, sa.Column) or element.table is None:
                continue
            allowed = counted.get(getattr(element.table, "name", None))
            if allowed is None:
                continue
            if element.key not in allowed or not (aggregate or statement._group_by_clauses):
                raise TenantError(
                    f"{element.table.name}.{element.key} read across bodies: counts only"
                )


# --- the flush check: what the active tenant may write -------------------------


def _is_system(tenant: Tenant) -> bool:
    return tenant.layer is Layer.JOB and tenant.body_id is None


def _owns(obj, sharing: Sharing, tenant: Tenant) -> bool:
    if sharing.owner is None:
        return tenant.layer is Layer.COORDINATION
    return tenant.layer in (Layer.BODY, Layer.COORDINATION, Layer.JOB) and (
        sa.inspect(obj).dict.get(sharing.owner) == tenant.body_id
    )


def _check_flush(session: Session, flush_context, instances) -> None:
    for obj in chain(session.new, session.dirty, session.deleted):
        if not isinstance(obj, MechanismOwned):
            continue
        tenant = current_tenant()
        name = type(obj).__name__
        if tenant is None:
            raise TenantError(f"{name} written without a tenant")
        if tenant.read_only:
            raise TenantError(f"{name} written from the read-only public site")
        if obj.mechanism_id is None and obj in session.new:
            obj.mechanism_id = tenant.mechanism_id
        if obj.mechanism_id != tenant.mechanism_id:
            raise TenantError(f"{name} of another mechanism written")
        if isinstance(obj, BodyOwned) and obj.body_id is None and obj in session.new:
            obj.body_id = tenant.body_id
        sharing = sharing_of(type(obj))
        if _is_system(tenant) or _owns(obj, sharing, tenant):
            continue
        if sharing.provisioning and tenant.layer is Layer.PLATFORM:
            continue
        if sharing.appended_by_platform and tenant.layer is Layer.PLATFORM and obj in session.new:
            continue
        raise TenantError(f"{name} written by a tenant that does not own it")


# --- the identity map: forget what the new tenant may not read -------------------


def _may_keep(obj, tenant: Tenant | None) -> bool:
    if tenant is None:
        return False
    loaded = sa.inspect(obj).dict
    if loaded.get("mechanism_id") != tenant.mechanism_id:
        return False
    sharing = sharing_of(type(obj))
    if _is_system(tenant) or _owns(obj, sharing, tenant):
        return True
    if sharing.provisioning and tenant.layer is Layer.PLATFORM:
        return True
    level = sharing.fixed_audience()
    if level is None and isinstance(sharing.audience, str):
        value = loaded.get(sharing.audience)
        level = Audience(value) if value is not None else None
    return level is not None and tenant.layer.value in READERS[level]


def _forget_unreadable(tenant: Tenant | None) -> None:
    """Objects loaded for another tenant leave the session: neither
    ``session.get`` nor a many-to-one load can answer with them, without SQL,
    in the new tenant. Changed objects stay, for the flush check to judge."""
    if not has_app_context():
        return
    session = db.session()
    if session.info.get("concert_tenant", False) == tenant:
        return
    session.info["concert_tenant"] = tenant
    changed = set(session.dirty) | set(session.deleted)
    for obj in list(session.identity_map.values()):
        if (
            isinstance(obj, MechanismOwned)
            and obj not in changed
            and obj in session  # not already gone with its parent
            and not _may_keep(obj, tenant)
        ):
            session.expunge(obj)


# --- what goes around the net ----------------------------------------------------


def _judge(statement) -> str | None:
    """Why a statement that goes around the ORM net must be refused, or None.

    The net's criteria apply to the tables of the models a statement names
    (elements annotated with their entity), also where the statement names
    such a table directly; a tenant table reached any other way —
    ``select(Model.__table__)``, ``sa.table(...)``, an alias of a table,
    SQL text — escapes them."""
    tables = tenant_models()
    through_models: set = set()
    by_hand: list = []
    stack, seen = [statement], set()
    while stack:
        element = stack.pop()
        if id(element) in seen:
            continue
        seen.add(id(element))
        entity = getattr(element, "_annotations", {}).get("parententity")
        if entity is not None:
            through_models.add(entity.mapper.local_table)
            continue
        if isinstance(element, sa.TextClause):
            return "SQL text"
        if isinstance(element, sa.TableClause) and element.name in tables:
            if isinstance(statement, sa.sql.dml.UpdateBase) and element is statement.table:
                return "write"
            by_hand.append(element)
        elif (
            isinstance(element, sa.sql.selectable.Alias)
            and getattr(element.element, "name", None) in tables
        ):
            return f"Core statement on {element.element.name}"
        stack.extend(_parts(element))
    for table in by_hand:
        if table not in through_models:
            return f"Core statement on {table.name}"
    return None


def _parts(element) -> list:
    """What a statement is written with: a SELECT's own ``get_children``
    adds the tables it derives from its columns, which would hide whether a
    table was named by a model or by hand."""
    if isinstance(element, visitors.HasTraverseInternals):
        return visitors.HasTraverseInternals.get_children(element)
    return element.get_children()


def _refuse_raw_sql(conn, statement, multiparams, params, execution_options) -> None:
    if raw_sql_reason() is not None:
        return
    verdict = "SQL text" if isinstance(statement, str) else _judge(statement)
    if verdict is None:
        return
    # The unit of work writes tenant rows as Core statements on the table,
    # with the mapper's statement cache; the flush check has seen them.
    if verdict == "write" and "compiled_cache" in execution_options:
        return
    raise TenantError(f"{verdict} refused: tenant rows are read and written through the ORM")


_installed = False


def install() -> None:
    """Attach the safety net to every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _apply_tenant_criteria)
    event.listen(Session, "before_flush", _check_flush)
    on_switch(_forget_unreadable)
    _installed = True


def _refuse_driver_sql(conn, cursor, statement, parameters, context, executemany) -> None:
    # ``exec_driver_sql`` hands a string to the driver without a statement
    # object, and without ``before_execute``: nothing was compiled.
    if getattr(context, "compiled", None) is None and raw_sql_reason() is None:
        raise TenantError("SQL text refused: tenant rows are read and written through the ORM")


def guard_engine(engine) -> None:
    """Refuse SQL that the ORM net cannot see, on every connection of ``engine``."""
    if not event.contains(engine, "before_execute", _refuse_raw_sql):
        event.listen(engine, "before_execute", _refuse_raw_sql)
        event.listen(engine, "before_cursor_execute", _refuse_driver_sql)
