"""The data generator for benchmarks: every capability's part, the sizes it
promises, the same data from the same seed, and pages that still answer."""

from __future__ import annotations

import sqlalchemy as sa

from app import capabilities
from app.audit.models import AuditEvent
from app.demo.scale import PASSWORD, generate
from app.extensions import db
from app.people.models import Person
from app.rules.models import RuleVersion
from tenants.context import Layer, tenant_scope
from tenants.models import Body, Membership
from tests.support import login

FACTOR = 0.02


def _register(mechanism_slug: str) -> list[tuple]:
    from tenants.provisioning import get_mechanism

    mechanism = get_mechanism(mechanism_slug)
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        return [
            (person.name, person.kind, person.gender, person.start_date)
            for person in db.session.scalars(sa.select(Person).order_by(Person.name))
        ]


def test_each_capability_adds_its_part_at_the_size_it_promises(app):
    added = generate("s1", FACTOR, 7, capabilities.scale_parts())
    assert set(added) >= {"accounts", "people", "rules", "charters", "audit"}
    from tenants.provisioning import get_mechanism

    mechanism = get_mechanism("s1")
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        count = lambda model: db.session.scalar(sa.select(sa.func.count(model.id)))  # noqa: E731
        assert count(Body) == 25
        assert count(Membership) == added["accounts"] == 40  # 2,000 x 0.02
        assert count(Person) == 60  # 3,000 x 0.02
        assert count(RuleVersion) == 25 * 1  # 30 x 0.02, at least one each
        assert count(AuditEvent) >= 4000  # 200,000 x 0.02, and the provisioning's own


def test_the_same_seed_gives_the_same_data(app):
    generate("s1", FACTOR, 7, capabilities.scale_parts())
    generate("s2", FACTOR, 7, capabilities.scale_parts())
    generate("s3", FACTOR, 8, capabilities.scale_parts())
    assert _register("s1") == _register("s2")
    assert _register("s1") != _register("s3")


def test_the_generated_mechanism_is_served(app):
    generate("s1", FACTOR, 7, capabilities.scale_parts())
    client = app.test_client()
    # user1 administers body-01; through the sign-in form, with the generated password
    login(client, "user1@s1.scale.example", PASSWORD)
    for url in ("/m/s1/b/body-01/people/", "/m/s1/b/body-01/rules/", "/m/s1/b/body-01/charters/"):
        assert client.get(url).status_code == 200, url
