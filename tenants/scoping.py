"""Scoping that a view cannot forget.

Three walls, from the inside out:

* model mixins whose lookups always filter by the active tenant;
* an ORM safety net: every ORM statement run while a tenant is active gets
  ``with_loader_criteria`` for tenant-owned entities, and a statement on a
  tenant-owned entity with no tenant active is refused;
* a flush-time check that every new, changed or deleted tenant-owned row
  belongs to the active tenant.

PostgreSQL row-level security (``tenants.rls``) stands behind all three.
"""

from __future__ import annotations

import uuid
from itertools import chain

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    relationship,
    with_loader_criteria,
)
from werkzeug.exceptions import NotFound

from tenants.context import (
    TenantError,
    current_tenant,
    is_unscoped,
    reads_across_bodies,
)
from tenants.database import db


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
        if issubclass(cls, BodyOwned) and tenant.body_id and not reads_across_bodies():
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


class BodyOwned(MechanismOwned):
    """A row that belongs to one body of a mechanism.

    The foreign key to the body includes ``mechanism_id``, so the database
    itself refuses a row that points at a body of another mechanism.
    Subclasses add their own table arguments in ``__extra_table_args__``.
    """

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


def _mechanism_criteria(mechanism_id: int):
    return with_loader_criteria(
        MechanismOwned, lambda cls: cls.mechanism_id == mechanism_id, include_aliases=True
    )


def _body_criteria(body_id: uuid.UUID):
    return with_loader_criteria(BodyOwned, lambda cls: cls.body_id == body_id, include_aliases=True)


_NOTHING = with_loader_criteria(MechanismOwned, lambda cls: sa.false(), include_aliases=True)


def _apply_tenant_criteria(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        # Bulk statements write rows the flush check never sees (and could
        # set mechanism_id or body_id to anything): tenant rows are written
        # through the session's unit of work only.
        touched = [m.class_.__name__ for m in state.all_mappers if is_tenant_owned(m.class_)]
        if touched:
            raise TenantError(f"bulk write of {', '.join(touched)}: use the session")
        return
    if not state.is_select:
        return
    # Refreshing expired attributes of an object already in the session loads
    # the same row by its full key: nothing new can be reached.
    if state.is_select and state.is_column_load:
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
    options = [_mechanism_criteria(tenant.mechanism_id)]
    if tenant.body_id is not None and not reads_across_bodies():
        options.append(_body_criteria(tenant.body_id))
    state.statement = state.statement.options(*options)


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
        if isinstance(obj, BodyOwned) and tenant.body_id is not None:
            if obj.body_id is None and obj in session.new:
                obj.body_id = tenant.body_id
            if obj.body_id != tenant.body_id:
                raise TenantError(f"{name} of another body written")
        if getattr(obj, "__tenant_body__", False) and tenant.body_id not in (None, obj.id):
            # A body's own row is changed from its own space, or by the platform.
            raise TenantError(f"another {name} written")


_installed = False


def install() -> None:
    """Attach the safety net to every ORM session (once per process)."""
    global _installed
    if _installed:
        return
    event.listen(Session, "do_orm_execute", _apply_tenant_criteria)
    event.listen(Session, "before_flush", _check_flush)
    _installed = True
