"""The unsafe query cannot be written by accident: the application's code
never reaches tenant rows around the ORM net, nor leaves it, except in the
few places listed here with their reason.

The net itself refuses SQL text, Core statements on tenant tables and bulk
writes at run time (``tenants.scoping``); this test finds them in code that
no test happens to run."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (module, construct) → why it is needed there.
ALLOWED = {
    ("app/documents/models.py", "__table__"): (
        "the version counter column of the sections' mapper, not a query"
    ),
    ("app/auth/sessions.py", "unscoped"): (
        "the signed-in account is loaded whatever tenant the page acts for"
    ),
    ("app/demo/scale.py", "raw_sql"): (
        "the benchmark's generator inserts many rows per statement; policies still judge them"
    ),
    ("app/accounts/tasks.py", "aggregate_reads"): (
        "the overview's board counts each body's accounts and administrators"
    ),
    ("app/charters/services.py", "aggregate_reads"): (
        "the board counts each body's administrators"
    ),
    ("app/people/coordination.py", "aggregate_reads"): (
        "the coordination's figures count the registers, suppressed"
    ),
}

# Attributes that name a way around the net.
ATTRIBUTES = {"__table__", "exec_driver_sql", "execute_sql"}
# Calls that leave the net on purpose.
CALLS = {"unscoped", "raw_sql", "aggregate_reads", "coordination_reads"}


def _constructs(tree: ast.AST):
    """(line, construct) of every use of an unsafe construct in a module."""
    text_names = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("sqlalchemy")
        ):
            text_names |= {
                alias.asname or alias.name for alias in node.names if alias.name == "text"
            }
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in ATTRIBUTES or node.attr.startswith("bulk_"):
                yield node.lineno, node.attr
            elif node.attr == "text" and isinstance(node.value, ast.Name):
                if node.value.id in ("sa", "sqlalchemy"):
                    yield node.lineno, "text"
            elif node.attr == "connect" and "engine" in ast.unparse(node.value):
                yield node.lineno, "engine.connect"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in CALLS:
                yield node.lineno, node.func.id
            elif node.func.id in text_names:
                yield node.lineno, "text"


def _found(folder: str) -> dict:
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        for line, construct in _constructs(ast.parse(path.read_text(), module)):
            found.setdefault((module, construct), []).append(line)
    return found


def test_the_application_goes_around_the_orm_net_only_where_listed():
    found = _found("app")
    unexpected = {key: lines for key, lines in found.items() if key not in ALLOWED}
    assert unexpected == {}, (
        "SQL text, Core statements on tables, bulk writes, unscoped() or"
        " aggregate_reads() in the application: use the models through the session,"
        " or add the place to ALLOWED with its reason"
    )


def test_the_allow_list_names_only_what_is_still_there():
    found = _found("app")
    assert set(ALLOWED) <= set(found), set(ALLOWED) - set(found)


def test_the_checker_finds_each_unsafe_construct():
    source = """
import sqlalchemy as sa
from sqlalchemy import text as t
from tenants import unscoped, raw_sql
db.session.execute(sa.text("SELECT 1"))
db.session.execute(t("SELECT 1"))
db.session.execute(sa.select(Person.__table__))
db.engine.connect()
db.session.bulk_save_objects([])
db.session.bulk_insert_mappings(Person, [])
with unscoped(): pass
with raw_sql("why"): pass
with aggregate_reads(): pass
connection.exec_driver_sql("SELECT 1")
"""
    found = {construct for _line, construct in _constructs(ast.parse(source))}
    assert found == {
        "text",
        "__table__",
        "engine.connect",
        "bulk_save_objects",
        "bulk_insert_mappings",
        "unscoped",
        "raw_sql",
        "aggregate_reads",
        "exec_driver_sql",
    }
