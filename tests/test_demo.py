"""The demo: loads once, loads again without change, and every account signs
in to its own spaces only."""

from __future__ import annotations

import re

import sqlalchemy as sa

from app.demo.cli import ACCOUNTS, DEMO_PASSWORD
from tests.support import login


def _counts(owner_engine):
    with owner_engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar()  # noqa: S608
            for t in ("mechanisms", "bodies", "users", "memberships")
        }


def test_the_demo_loads_idempotently(cli, owner_engine):
    first = cli.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    counts = _counts(owner_engine)
    assert counts["mechanisms"] == 2 and counts["bodies"] == 8
    again = cli.invoke(args=["demo", "load"])
    assert again.exit_code == 0 and "0 records added" in again.output
    assert _counts(owner_engine) == counts
    skipped = cli.invoke(args=["demo", "load", "--if-empty"])
    assert "already holds data" in skipped.output


def test_every_demo_account_sees_only_its_own_spaces(app, cli):
    cli.invoke(args=["demo", "load"])
    all_bodies = {
        "hrc",
        "ombuds",
        "police-complaints",
        "children",
        "lay-board",
        "health",
        "controleur",
        "mediateur",
    }
    for email, _name, roles, operator in ACCOUNTS:
        client = app.test_client()
        login(client, email, DEMO_PASSWORD)
        home = client.get("/", follow_redirects=True).get_data(as_text=True)
        linked = set(re.findall(r'href="/m/[^/]+/b/([^/]+)/"', home))
        assert linked == {body for _m, body, _r in roles}, email
        for body in all_bodies - linked:
            mechanism = "aurelia" if body in ("controleur", "mediateur") else "veloria"
            assert client.get(f"/m/{mechanism}/b/{body}/").status_code == 404, (email, body)
        if operator:
            assert "Provisioning" in home or "Administration" in home
