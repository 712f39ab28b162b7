"""``flask demo scale``: a mechanism at the size of the largest multiple-body
mechanisms, the same from the same seed, for benchmarks.

At factor 1: 25 bodies (the first coordinates), 2,000 accounts; each
capability that declares a ``scale`` part adds its rows (3,000 people, 30
versions of every body's rules, the charters and every body's decisions,
200,000 audit events). Factor 4 makes four times the rows. Rows go in by
thousands per statement, inside the mechanism's job scope, so that row-level
security applies as to any job.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.auth.passwords import hash_password
from app.extensions import db
from tenants import provisioning
from tenants.context import Layer, raw_sql, tenant_scope
from tenants.models import Body, BodyKind, MechanismAccount, Membership, Role, User

BODIES = 25
ACCOUNTS = 2000
BATCH = 5000
PASSWORD = "scale pass phrase"  # noqa: S105 (a benchmark database)
# Administrators must sign in with a second factor: every one generated
# uses this published key.
ADMIN_TOTP = "SCALEDEMOCONCERTKEYAAAAAAAAAAAAA"  # noqa: S105
KINDS = [BodyKind.NHRI, BodyKind.OMBUDS, BodyKind.SPECIALISED, BodyKind.LAY_BOARD]


@dataclass
class Scale:
    """What a capability's part needs: the mechanism, its bodies and their
    accounts, the factor and one random source for the whole run. Dates are
    counted back from ``today``: the same seed gives the same rows on the
    same day."""

    mechanism_id: int
    bodies: list[Body]
    accounts: dict[uuid.UUID, list[int]]  # body id -> user ids, the admin first
    factor: float
    rng: random.Random
    today: date = field(default_factory=date.today)

    def count(self, at_factor_1: int) -> int:
        return max(1, round(at_factor_1 * self.factor))

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, days_back: int) -> datetime:
        """A time within the last ``days_back`` days."""
        start = datetime.combine(self.today, datetime.min.time(), tzinfo=UTC)
        return start - timedelta(seconds=self.rng.randrange(max(1, days_back) * 86400))

    def insert(self, model, rows: Iterable[dict]) -> int:
        """Many rows of a model, by thousands per statement."""
        batch, written = [], 0
        for row in rows:
            batch.append({"mechanism_id": self.mechanism_id, **row})
            if len(batch) == BATCH:
                written += self._write(model, batch)
                batch = []
        return written + (self._write(model, batch) if batch else 0)

    @staticmethod
    def _write(model, rows: list[dict]) -> int:
        # Inserts of many rows at once, which the unit of work would send
        # one by one; the database's policies still judge every row.
        with raw_sql("the scale generator's bulk inserts"):
            db.session.execute(sa.insert(model), rows)
        return len(rows)


def generate(slug: str, factor: float, seed: int, parts) -> dict[str, int]:
    """Create the mechanism and run each capability's part; what each added."""
    rng = random.Random(seed)  # noqa: S311 (reproducible data, not secrets)
    mechanism = provisioning.create_mechanism(
        slug=slug, name=f"Scale mechanism {slug}", country="Scaleland"
    )
    bodies = [
        provisioning.add_body(
            mechanism_slug=slug,
            slug=f"body-{i:02d}",
            name=f"Body {i:02d}",
            kind=KINDS[i % len(KINDS)],
            coordinating=i == 0,
        )
        for i in range(BODIES)
    ]
    scale = Scale(mechanism.id, bodies, {}, factor, rng)
    added = {"accounts": _accounts(scale, slug)}
    with tenant_scope(mechanism.id, layer=Layer.JOB):
        for name, part in parts:
            added[name] = part(scale)
            db.session.commit()
    return added


def _accounts(scale: Scale, slug: str) -> int:
    """Accounts spread over the bodies: the first of each body its
    administrator (with a second factor), the rest editors and members."""
    digest = hash_password(PASSWORD)
    count = scale.count(ACCOUNTS)
    roles = [
        Role.ADMIN if i < len(scale.bodies) else (Role.EDITOR if i % 4 == 1 else Role.MEMBER)
        for i in range(count)
    ]
    users = [
        User(
            email=f"user{i}@{slug}.scale.example",
            display_name=f"Person {i}",
            password_hash=digest,
            totp_secret=ADMIN_TOTP if role is Role.ADMIN else None,
        )
        for i, role in enumerate(roles)
    ]
    db.session.add_all(users)
    db.session.commit()
    memberships, known = [], []
    for i, (user, role) in enumerate(zip(users, roles, strict=True)):
        body = scale.bodies[i % len(scale.bodies)]
        scale.accounts.setdefault(body.id, []).append(user.id)
        memberships.append(
            {"id": scale.uuid(), "body_id": body.id, "user_id": user.id, "role": role,
             "accepted_at": scale.moment(700)}
        )  # fmt: skip
        known.append({"id": scale.uuid(), "body_id": body.id, "user_id": user.id})
    with tenant_scope(scale.mechanism_id, layer=Layer.PLATFORM):
        scale.insert(Membership, memberships)
        scale.insert(MechanismAccount, known)
        db.session.commit()
    return count
