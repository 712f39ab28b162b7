"""Which tenant the current request or job acts for.

The active tenant lives in context variables rather than in ``flask.g`` so that
background jobs, CLI commands and requests share one mechanism. Requests set it
in exactly one place (``tenants.resolver``); jobs and commands use
``tenant_scope``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum


class TenantError(RuntimeError):
    """A read or write that would cross, or ignore, the tenant boundary."""


class Layer(StrEnum):
    BODY = "body"  # a body's own space
    COORDINATION = "coordination"  # the coordinating body's view of the mechanism
    PUBLIC = "public"  # the public site: read-only
    PLATFORM = "platform"  # provisioning by the operator or a command
    JOB = "job"  # background work


@dataclass(frozen=True)
class Tenant:
    mechanism_id: int
    body_id: uuid.UUID | None = None
    layer: Layer = Layer.BODY

    @property
    def read_only(self) -> bool:
        return self.layer is Layer.PUBLIC


_tenant: ContextVar[Tenant | None] = ContextVar("concert_tenant", default=None)
_unscoped: ContextVar[bool] = ContextVar("concert_unscoped", default=False)
_counting: ContextVar[bool] = ContextVar("concert_counting", default=False)
_raw_sql: ContextVar[str | None] = ContextVar("concert_raw_sql", default=None)
_acting_user: ContextVar[int | None] = ContextVar("concert_acting_user", default=None)

# Called with the new tenant whenever the active tenant changes: the ORM
# forgets objects the new tenant may not read (``tenants.scoping``).
_switch_listeners: list = []


def on_switch(listener) -> None:
    if listener not in _switch_listeners:
        _switch_listeners.append(listener)


def _switched() -> None:
    tenant = _tenant.get()
    for listener in _switch_listeners:
        listener(tenant)


def current_tenant() -> Tenant | None:
    return _tenant.get()


def is_unscoped() -> bool:
    return _unscoped.get()


def counting() -> bool:
    return _counting.get()


def raw_sql_reason() -> str | None:
    return _raw_sql.get()


def acting_user_id() -> int | None:
    return _acting_user.get()


def activate(tenant: Tenant | None):
    """Set the active tenant for the rest of this context (a request; its
    end restores what was there before)."""
    token = _tenant.set(tenant)
    _switched()
    return token


def reset(token) -> None:
    """Undo an ``activate``."""
    _tenant.reset(token)
    _switched()


_ALL = (_tenant, _unscoped, _counting, _raw_sql, _acting_user)


def clear() -> None:
    """Forget every tenancy setting of this context."""
    for var, value in zip(_ALL, (None, False, False, None, None), strict=True):
        var.set(value)
    _switched()


def snapshot() -> tuple:
    return tuple(var.get() for var in _ALL)


def restore(values: tuple) -> None:
    for var, value in zip(_ALL, values, strict=True):
        var.set(value)
    _switched()


@contextmanager
def tenant_scope(
    mechanism_id: int, body_id: uuid.UUID | None = None, layer: Layer = Layer.JOB
) -> Iterator[Tenant]:
    """Act for one mechanism (and optionally one body) inside the block."""
    if mechanism_id is None:
        raise TenantError("a tenant scope needs a mechanism")
    tenant = Tenant(int(mechanism_id), _as_uuid(body_id), Layer(layer))
    token = _tenant.set(tenant)
    _switched()
    try:
        yield tenant
    finally:
        _tenant.reset(token)
        _switched()


@contextmanager
def unscoped() -> Iterator[None]:
    """Read without the tenant filter: platform directory reads and a user's
    own memberships across mechanisms. Writes still need a tenant."""
    token = _unscoped.set(True)
    try:
        yield
    finally:
        _unscoped.reset(token)


@contextmanager
def aggregate_reads() -> Iterator[None]:
    """Inside the coordination layer, count the rows of the bodies that a
    model lets the coordinator count (``Sharing.counted_by``): statements
    in the block may select counts, grouped by those columns, never a row."""
    tenant = current_tenant()
    if tenant is None or tenant.layer is not Layer.COORDINATION:
        raise TenantError("aggregates across bodies are for the coordination layer only")
    token = _counting.set(True)
    try:
        yield
    finally:
        _counting.reset(token)


@contextmanager
def raw_sql(reason: str) -> Iterator[None]:
    """The one opt-out from the refusal of SQL text and Core statements on
    tenant tables, for the few places that need them (the benchmark's data
    generator, tests of the database's own wall). Row-level security still
    applies on PostgreSQL. Only modules on the allow-list of
    ``tests/test_query_hygiene.py`` may use it."""
    token = _raw_sql.set(reason)
    try:
        yield
    finally:
        _raw_sql.reset(token)


@contextmanager
def acting_user(user_id: int | None) -> Iterator[None]:
    """Name the signed-in user to the database, so row-level security lets a
    user see their own memberships across mechanisms."""
    token = _acting_user.set(user_id)
    try:
        yield
    finally:
        _acting_user.reset(token)


def _as_uuid(value) -> uuid.UUID | None:
    if value is None or isinstance(value, uuid.UUID):
        return value
    return uuid.UUID(str(value))
