"""What the world's content looks like on a page, and who may see it.

Each marker is a string that only one tenant's content puts on a page (a
person's name, a rule's text, an object's id...) with its audience: the
places (seats) where it may be shown. A seat is a body's space, the
coordination layer or the public site of a mechanism, the pages of one
signed-in account about itself, or the operator's pages. Every answer the
matrix receives is scanned: a marker outside its audience is a leak."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa

from app.charters.models import CharterSection
from app.extensions import db
from app.rules.models import RuleSection
from tenants.context import Layer, tenant_scope
from tenants.models import Role
from tests.world import ROLES, World

Seat = tuple[str, ...]
OPERATOR: Seat = ("operator",)


def body_seat(body: str) -> Seat:
    return ("body", body)


def coordination_seat(mechanism: str) -> Seat:
    return ("coordination", mechanism)


def public_seat(mechanism: str) -> Seat:
    return ("public", mechanism)


def account_seat(email: str | None) -> Seat:
    """The pages of one account about itself (None: an anonymous visitor)."""
    return ("account", email or "anonymous")


_BODY_PATH = re.compile(r"/m/([^/]+)/b/([^/]+)(?:/|$)")
_COORDINATION_PATH = re.compile(r"/m/([^/]+)/coordination(?:/|$)")
_PUBLIC_PATH = re.compile(r"/m/([^/]+)(?:/|$)")


def seat_of(path: str, status: int, viewer: str | None) -> Seat:
    """Where an answer is shown. A refusal belongs to no tenant's space: it
    may show the viewer's own account and nothing else."""
    if status >= 400 and status not in (409, 422):
        return account_seat(viewer)
    if match := _BODY_PATH.match(path):
        return body_seat(match[2])
    if match := _COORDINATION_PATH.match(path):
        return coordination_seat(match[1])
    if match := _PUBLIC_PATH.match(path):
        return public_seat(match[1])
    if path.startswith("/operator"):
        return OPERATOR
    return account_seat(viewer)


def describe(seat: Seat) -> str:
    kind, *name = seat
    return {
        "body": "the space of {}",
        "coordination": "the coordination layer of {}",
        "public": "the public site of {}",
        "account": "the own pages of the account {}",
        "operator": "the operator's pages",
    }[kind].format(*name)


@dataclass(frozen=True)
class Marker:
    text: str
    what: str
    audience: frozenset[Seat]


class Markers:
    def __init__(self, markers: Iterable[Marker]):
        self.by_text = {marker.text: marker for marker in markers}
        texts = sorted(self.by_text, key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(text) for text in texts))

    def leaks(self, content: bytes, seat: Seat, sent: str = "") -> list[Marker]:
        """The markers in ``content`` that ``seat`` may not see; what the
        request itself sent (``sent``: its URL and form) does not count."""
        found = set(self.pattern.findall(readable(content)))
        return [
            self.by_text[text]
            for text in sorted(found)
            if seat not in self.by_text[text].audience and text not in sent
        ]


def readable(content: bytes) -> str:
    """The text of an answer: a page, a CSV, or the parts of a DOCX/XLSX."""
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"\n".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def marker_table(world: World, public: Iterable[tuple[str, str]] = ()) -> Markers:
    """Every marker of the world. ``public`` names what was made public since
    it was built, as (body or mechanism, kind of object)."""
    public = set(public)
    markers: list[Marker] = []

    def add(text, what: str, audience: set[Seat]) -> None:
        markers.append(Marker(str(text), what, frozenset(audience)))

    for slug, mechanism in world.mechanisms.items():
        bodies = [b for b in world.bodies if world.mechanism_of(b).slug == slug]
        coordination = {coordination_seat(slug)}
        spaces = {body_seat(b) for b in bodies} | coordination
        site = spaces | {public_seat(slug)}
        accounts = {
            account_seat(email)
            for email in [*world.users, *(f"{b}-spare@test.example" for b in bodies)]
            if email.split("-")[0] in bodies
        }
        # The directory: the mechanism and its bodies, known to its own
        # people, its public site and the operator, never to another mechanism.
        directory = site | accounts | {OPERATOR}
        add(mechanism.name, f"the name of {slug}", directory)
        for b in bodies:
            add(world.bodies[b].name, f"the name of {b}", directory)
            add(world.bodies[b].id, f"the id of {b}", directory)

        charters = world.charters[slug]
        keys = _section_keys(mechanism.id, CharterSection, charters)
        for kind, object_id in charters.items():
            if kind.startswith("charter_comment_"):
                body = kind.removeprefix("charter_comment_")
                # a body's comments are shared with its coordinator
                audience = {body_seat(body)} | coordination
                add(object_id, f"a comment of {body} on {slug}'s ethics code", audience)
                add(f"Comment of {body}", f"a comment of {body}", audience)
                continue
            # the coordinator's drafts are its own; other versions the mechanism's
            audience = coordination if kind.startswith("charter_draft") else spaces
            if (slug, kind.removesuffix("_section")) in public:
                audience = site
            add(object_id, f"{slug}'s {kind}", audience)
            if kind in keys:
                add(keys[kind], f"the key of {slug}'s {kind}", audience)

        for b in bodies:
            own = {body_seat(b)}
            rules = world.rules[b]
            keys = _section_keys(mechanism.id, RuleSection, rules)
            published = {kind for kind in rules if (b, kind.removesuffix("_section")) in public}
            for kind, object_id in rules.items():
                audience = site if kind in published else own
                add(object_id, f"{b}'s {kind}", audience)
                if kind in keys:
                    add(keys[kind], f"the key of {b}'s {kind}", audience)
            for number, kind in enumerate(("rule_adopted", "rule_consultation", "rule_draft"), 1):
                audience = site if kind in published else own
                add(f"Draft rule {number} of {b}", f"{b}'s {kind}", audience)
            add(f"Who decides at {b}", f"{b}'s rules", site if published else own)

            add(f"Person of {b}", f"a person of {b}'s register", own)
            add(world.people[b], f"a person of {b}'s register", own)
            add(f"Imported into {b}", f"an import into {b}'s register", own)
            add(world.imports[b], f"an import into {b}'s register", own)
            add(f"secret of {b}", f"an export file of {b}", own)
            add(f"event of {b}", f"an audit event of {b}", own)
            add(f"someone of {b}", f"a notice of {b}", own)
            add(world.spare_memberships[b], f"a membership of {b}", own)
            for role in ROLES:
                email = world.account(b, role)
                add(world.job_runs[email], f"a job of {email}", own)
                add(world.notices[email], f"a notice of {email}", own)
            # Accounts: their body, themselves, and the coordinator (the
            # authors of what a body shares with it); the operator sees who
            # administers each body (whom it invited, and whether they came).
            for email in [*(world.account(b, role) for role in ROLES), f"{b}-spare@test.example"]:
                who = {body_seat(b), account_seat(email)} | coordination
                if email == world.account(b, Role.ADMIN):
                    who |= {OPERATOR}
                add(email.split("@")[0], f"the account {email}", who)
    return Markers(markers)


def _section_keys(mechanism_id: int, model, ids: dict) -> dict[str, str]:
    """The keys of the sections among ``ids`` (a section's anchor on a page)."""
    sections = {kind: object_id for kind, object_id in ids.items() if kind.endswith("_section")}
    with tenant_scope(mechanism_id, layer=Layer.PLATFORM):
        rows = dict(
            db.session.execute(
                sa.select(model.id, model.key).where(model.id.in_(sections.values()))
            ).all()
        )
    return {kind: str(rows[object_id]) for kind, object_id in sections.items() if object_id in rows}
