"""The objects a route of the matrix acts on, by kind: one of a given body
(or of its mechanism, for the mechanism's charters), named by an account of
that body: ``object_value(world, "person", "a2-admin@test.example")`` is a
person of a2's register."""

from __future__ import annotations

import uuid

from tests.world import World, fresh_charter_section, fresh_position, fresh_rule_section

# An id of each kind that exists nowhere (objects are UUIDs, accounts numbers).
MISSING = {"user": str(2**31 - 1)}


def missing_value(kind: str) -> str:
    return MISSING.get(kind, str(uuid.uuid4()))


def object_value(world: World, kind: str, owner_email: str):
    body = owner_email.split("-")[0]
    mechanism = world.mechanism_of(body).slug
    if kind == "own_job_run":
        return world.job_runs[owner_email]
    if kind == "own_notice":
        return world.notices[owner_email]
    if kind == "user":
        return world.users[owner_email].id
    if kind == "membership":
        return world.spare_memberships[body]
    if kind == "person":
        return world.people[body]
    if kind == "position":
        return fresh_position(world, body)
    if kind == "import":
        return world.imports[body]
    if kind == "fresh_rule_section":
        return fresh_rule_section(world, body)
    if kind == "fresh_charter_section":
        return fresh_charter_section(world, mechanism)
    if kind.startswith("rule_"):
        return world.rules[body][kind]
    if kind == "charter_kind":  # one the mechanism has no version of yet
        return "coordination_agreement"
    if kind == "charter_comment":  # a comment of the mechanism's other body
        other = "a2" if body.startswith("a") else "b1"
        return world.charters[mechanism][f"{kind}_{other}"]
    if kind.startswith("charter_"):
        return world.charters[mechanism][kind]
    raise AssertionError(f"unknown object kind {kind}: teach tests/isolation/objects.py")


def operator_value(world: World, value: str):
    """A value of an operator route's URL: literal, or ``<kind>:<body>``."""
    kind, _, body = value.partition(":")
    if kind == "membership" and body:
        return world.spare_memberships[body]
    return value
