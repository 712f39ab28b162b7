"""The audit trail: written by one helper, append-only, browsed by a body's
administrators, exported as an audited job."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent, PlatformAuditEvent
from app.audit.services import record
from app.extensions import db
from tenants import tenant_scope
from tenants.context import Layer, raw_sql
from tests.support import sign_in


def _add_events(world, body: str, count: int, action: str = "test.bulk", days_ago: int = 0):
    mechanism, b = world.mechanism_of(body), world.bodies[body]
    actor = world.users[world.account(body, "editor")]
    with tenant_scope(mechanism.id, b.id, layer=Layer.BODY):
        for i in range(count):
            event = record(action, actor=actor, summary=f"{action} {i} of {body}")
            event.occurred_at = datetime.now(UTC) - timedelta(days=days_ago)
        db.session.commit()


def test_record_takes_tenant_and_actor_from_the_context(world):
    a1 = world.bodies["a1"]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        event = record("thing.do", obj=a1, summary="x" * 600)
        db.session.commit()
    assert (event.mechanism_id, event.body_id) == (a1.mechanism_id, a1.id)
    assert event.object_type == "Body" and event.object_id == str(a1.id)
    assert len(event.summary) == 500 and event.actor_id is None


def test_events_of_no_tenant_go_to_the_platform_trail(world):
    event = record("auth.login_failed", summary="someone")
    db.session.commit()
    assert isinstance(event, PlatformAuditEvent)
    a1 = world.bodies["a1"]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        assert isinstance(record("thing.do"), AuditEvent)
        db.session.rollback()


def test_the_operator_adds_to_a_bodys_trail_and_reads_none_of_it(world):
    a1 = world.bodies["a1"]
    with tenant_scope(a1.mechanism_id, layer=Layer.PLATFORM):
        record("membership.create", body_id=a1.id, summary="by the operator")
        db.session.commit()
        assert db.session.scalars(sa.select(AuditEvent)).all() == []
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        summaries = set(db.session.scalars(sa.select(AuditEvent.summary)))
    assert "by the operator" in summaries


def test_audit_events_are_append_only(world):
    a1 = world.bodies["a1"]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.mechanism_id == a1.mechanism_id)
        ).first()
        event.summary = "rewritten"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
        db.session.delete(event)
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()


def test_the_database_refuses_changes_to_audit_events(world):
    """Below the ORM too: a trigger on SQLite, the missing grant on PostgreSQL
    (the application's own connection in both cases)."""
    refusal = "append-only|permission denied"
    for statement in ("UPDATE audit_events SET summary = 'x'", "DELETE FROM audit_events"):
        with (
            raw_sql("the database's own refusal"),
            db.engine.connect() as conn,
            pytest.raises(sa.exc.DatabaseError, match=refusal),
        ):
            conn.execute(sa.text(statement))


def test_admins_browse_their_bodys_events_only(app, world):
    _add_events(world, "a2", 3, "secret.a2")
    _add_events(world, "a1", 2, "visible.a1")
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    page = client.get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    assert "visible.a1 0 of a1" in page and "event of a1" in page
    assert "of a2" not in page and "secret.a2" not in page


def test_events_are_paginated_and_filtered(app, world):
    _add_events(world, "a1", 60, "bulk.recent")
    _add_events(world, "a1", 3, "bulk.old", days_ago=40)
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    first = client.get("/m/alpha/b/a1/audit/").get_data(as_text=True)
    assert "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get("/m/alpha/b/a1/audit/?page=2").get_data(as_text=True)
    assert "Page 2 of 2" in second
    old = client.get("/m/alpha/b/a1/audit/?action=bulk.old").get_data(as_text=True)
    assert old.count("bulk.old ") == 3 and "bulk.recent" not in old.split("<tbody>")[1]
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    recent = client.get(f"/m/alpha/b/a1/audit/?from={since}&action=bulk.old")
    assert "No events match." in recent.get_data(as_text=True)
    editor = world.users[world.account("a1", "editor")]
    by_editor = client.get(f"/m/alpha/b/a1/audit/?actor={editor.id}").get_data(as_text=True)
    assert "event of a1" not in by_editor  # that one was written by the admin
    # nonsense filters are ignored, not errors
    assert client.get("/m/alpha/b/a1/audit/?from=yesterday&actor=x&page=-3").status_code == 200


def test_the_export_is_a_job_whose_file_holds_the_filtered_events(app, world):
    _add_events(world, "a1", 3, "=cmd|evil")
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    response = client.post("/m/alpha/b/a1/audit/export", data={"action": "=cmd|evil"})
    status_url = response.headers["Location"]
    page = client.get(status_url).get_data(as_text=True)
    assert "Done." in page and "every 1s" not in page
    download = client.get(status_url + "/download")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.data.startswith(b"\xef\xbb\xbf")  # UTF-8 mark for spreadsheets
    rows = list(csv.reader(io.StringIO(download.data.decode("utf-8-sig"))))
    assert rows[0][0] == "occurred_at" and len(rows) == 4
    assert all(row[2] == "'=cmd|evil" for row in rows[1:])  # no formula injection
    with tenant_scope(world.mechanisms["alpha"].id, layer=Layer.JOB):
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"export.request", "export.download"} <= actions
