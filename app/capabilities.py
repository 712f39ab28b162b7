"""How a capability plugs into Concert, and the one place that reads it.

A capability is a package of ``app/`` with a module ``capability.py`` that
defines ``CAPABILITY = Capability(...)``. The factory, the layouts and the
demo loader read these declarations and nothing else, so adding a capability
touches no file outside its package but a migration
(``docs/adding-a-capability.md``).

A declaration names its blueprints and the layer each nests in, its
navigation entries, its commands, what runs once per application, its demo
loader, its part of the data generated at scale and its pages for the load
harness, and the modules that register themselves on import: jobs and their
schedules (``app.jobs.registry.job``), notice texts
(``app.notices.services.text_for``) and document kinds
(``app.documents.kinds.register``).

Its home-page part too: the kinds of task it gives people (``TaskKind``),
each read with one bounded query, which the body home and the coordination
overview gather into "what needs you now"; and the columns it adds to the
coordinator's board of bodies (``BoardColumn``), one query each.

Inside a capability, one way of doing each thing:
- services are the only writers, and record the audit event of what they
  change; they never commit;
- views parse the request, find each object by its id through the tenant
  (``Model.get_scoped_or_404``) and a child through its parent, call a
  service, commit and answer;
- jobs load what they need from plain ids, inside the tenant they run for.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

import click
from flask import Blueprint, Flask, Request

from tenants.models import Role

# Where a blueprint nests: outside any tenant (sign-in, one's profile, the
# operator), under a body, under a mechanism's coordination layer, or on a
# mechanism's public site.
LAYERS = ("site", "body", "coordination", "public")


@dataclass(frozen=True)
class NavEntry:
    layer: str  # "body" or "coordination": the layout whose navigation shows it
    label: object  # a lazy string
    endpoint: str  # e.g. "body.people.index"
    order: int  # left to right
    min_role: Role | None = None  # the lowest role that sees it
    # a blueprint whose every page marks this entry as the current one
    section: str | None = None

    def shown_to(self, role: Role | None) -> bool:
        return self.min_role is None or (role is not None and role.at_least(self.min_role))

    def is_current(self, request: Request) -> bool:
        if self.section is not None:
            return request.blueprint == self.section
        return request.endpoint == self.endpoint


# The most tasks of one kind a home page lists: each kind's query is bounded.
TASKS_PER_KIND = 10


@dataclass(frozen=True)
class Task:
    """One thing a person or a body should do now, with where to do it."""

    text: str
    link: str
    # since when it waits (newest first), and when it is due (soonest first,
    # before anything without a date)
    since: date | datetime | None = None
    due: date | None = None
    # the notice it is, when it is one (it can be dismissed)
    notice: Any = None


@dataclass(frozen=True)
class TaskContext:
    """What a kind of task is asked for: the signed-in person, their role in
    the body (none in the coordination layer), and, in the coordination
    layer, the mechanism's bodies the page already read."""

    user: Any
    role: Role | None = None
    bodies: tuple = ()
    limit: int = TASKS_PER_KIND


@dataclass(frozen=True)
class TaskKind:
    name: str  # e.g. "charters.decide"
    layer: str  # "body" (a body's home) or "coordination" (the overview)
    # one query at most, returning at most ``context.limit`` tasks
    collect: Callable[[TaskContext], list[Task]]
    min_role: Role | None = None  # the lowest role it concerns (body layer)
    # notice kinds this task stands for: such notices are not listed twice
    covers: tuple[str, ...] = ()

    def shown_to(self, role: Role | None) -> bool:
        return self.min_role is None or (role is not None and role.at_least(self.min_role))


@dataclass(frozen=True)
class Cell:
    """One body's value in a column of the coordinator's board."""

    text: str
    # something the coordinator should act on: shown marked, its body first
    alert: bool = False
    link: str = ""


@dataclass(frozen=True)
class BoardColumn:
    name: str
    label: object  # a lazy string
    # one query: the bodies (a tuple of Body) -> body id -> Cell
    collect: Callable[[tuple], dict]
    order: int = 50


@dataclass(frozen=True)
class KeyPage:
    """A page the load harness of ``benchmarks/`` measures."""

    name: str
    space: str  # "body", "coordination" or "public": where ``path`` starts
    persona: str  # who reads it: "editor" or "admin" of a body, "coordinator", "anonymous"
    # from the space's root; a callable finds its objects, run in the body's tenant
    path: str | Callable[[], str]


@dataclass(frozen=True)
class Capability:
    name: str
    blueprints: tuple[tuple[str, Blueprint], ...] = ()  # (layer, blueprint)
    nav: tuple[NavEntry, ...] = ()
    commands: tuple[click.Command, ...] = ()
    # modules whose import registers jobs, notice texts or document kinds
    registers: tuple[str, ...] = ()
    # once per application: request hooks, signal receivers, session events
    setup: Callable[[Flask], None] | None = None
    # adds the capability's demo data to a mechanism (by slug), idempotently;
    # returns how many records it added
    demo: Callable[[str], int] | None = None
    # adds the capability's rows to a mechanism built at scale for benchmarks
    # (``app.demo.scale``); returns how many rows it added
    scale: Callable[[object], int] | None = None
    key_pages: tuple[KeyPage, ...] = ()
    # a configuration flag without which the capability is not installed
    when: str | None = None
    # what it asks of people on the home pages, and its columns of the
    # coordinator's board of bodies
    tasks: tuple[TaskKind, ...] = field(default=())
    board: tuple[BoardColumn, ...] = field(default=())

    def __post_init__(self) -> None:
        for layer, _blueprint in self.blueprints:
            if layer not in LAYERS:
                raise ValueError(f"{self.name}: unknown layer {layer!r}")
        for entry in self.nav:
            if entry.layer not in ("body", "coordination"):
                raise ValueError(f"{self.name}: no navigation in layer {entry.layer!r}")
        for kind in self.tasks:
            if kind.layer not in ("body", "coordination"):
                raise ValueError(f"{self.name}: no tasks in layer {kind.layer!r}")


@cache
def declared() -> tuple[Capability, ...]:
    """Every package of ``app/`` with a ``capability.py``, by name."""
    import app

    found = []
    for module in pkgutil.iter_modules(app.__path__):
        if not module.ispkg:
            continue
        name = f"app.{module.name}.capability"
        if importlib.util.find_spec(name) is None:
            continue
        found.append(importlib.import_module(name).CAPABILITY)
    return tuple(sorted(found, key=lambda capability: capability.name))


def install(app: Flask) -> None:
    """Register every capability with one application."""
    from tenants.resolver import make_layers

    layers = make_layers()
    for capability in declared():
        if capability.when is not None and not app.config.get(capability.when):
            continue
        for module in capability.registers:
            importlib.import_module(module)
        if capability.setup is not None:
            capability.setup(app)
        for layer, blueprint in capability.blueprints:
            if layer == "site":
                app.register_blueprint(blueprint)
            else:
                layers[layer].register_blueprint(blueprint)
        for command in capability.commands:
            app.cli.add_command(command)
    # The public site's prefix (/m/<mechanism>) is the shortest: register it
    # last so that the layers beneath it are matched first.
    for layer in ("body", "coordination", "public"):
        app.register_blueprint(layers[layer])
    app.jinja_env.globals["nav_entries"] = nav_entries


def nav_entries(layer: str) -> list[NavEntry]:
    return sorted(
        (entry for capability in declared() for entry in capability.nav if entry.layer == layer),
        key=lambda entry: entry.order,
    )


def scale_parts() -> list[tuple[str, Callable[[object], int]]]:
    return [(c.name, c.scale) for c in declared() if c.scale is not None]


def key_pages() -> list[KeyPage]:
    return [page for capability in declared() for page in capability.key_pages]


def demo_loaders() -> list[tuple[str, Callable[[str], int]]]:
    return [(c.name, c.demo) for c in declared() if c.demo is not None]


def task_kinds(layer: str, role: Role | None = None) -> list[TaskKind]:
    """The kinds of task of a layer that concern a role, by name."""
    return sorted(
        (
            kind
            for capability in declared()
            for kind in capability.tasks
            if kind.layer == layer and kind.shown_to(role)
        ),
        key=lambda kind: kind.name,
    )


def _moment(value: date | datetime | None) -> datetime:
    if value is None:
        return datetime.min
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value.replace(tzinfo=None)


def gather_tasks(layer: str, context: TaskContext) -> list[Task]:
    """Every task of a layer for this person: one query per kind. Tasks with
    a due date come first, the soonest first; then the newest."""
    tasks = [task for kind in task_kinds(layer, context.role) for task in kind.collect(context)]
    dated = sorted((t for t in tasks if t.due is not None), key=lambda t: t.due)
    undated = sorted(
        (t for t in tasks if t.due is None), key=lambda t: _moment(t.since), reverse=True
    )
    return dated + undated


def covered_notices(layer: str, role: Role | None) -> set[str]:
    """Notice kinds a task kind this role sees already stands for."""
    return {notice for kind in task_kinds(layer, role) for notice in kind.covers}


def board_columns() -> list[BoardColumn]:
    return sorted(
        (column for capability in declared() for column in capability.board),
        key=lambda column: (column.order, column.name),
    )
