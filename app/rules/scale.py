"""Rulebooks at scale: 30 versions of every body's rules at factor 1, the
latest adopted and public, with comments on it."""

from __future__ import annotations

from datetime import timedelta

from app.documents.vocabulary import VersionState, Visibility
from app.extensions import db
from app.rules.models import RuleComment, RuleSection, RuleVersion
from app.rules.vocabulary import STARTER_SECTIONS
from tenants.sharing import Audience

VERSIONS = 30
COMMENTS = 40  # on each body's latest version
TEXT = (
    "The board decides on visits, reports and the budget; the chair speaks for the body."
    " Decisions are taken by a majority of the members present. "
)


def scale_rules(scale) -> int:
    versions, sections, comments = [], [], []
    count = scale.count(VERSIONS)
    keys = [scale.uuid() for _ in STARTER_SECTIONS]
    for body in scale.bodies:
        latest = []
        for number in range(1, count + 1):
            adopted = number == count
            version_id = scale.uuid()
            versions.append(
                {
                    "id": version_id,
                    "body_id": body.id,
                    "number": number,
                    "state": VersionState.ADOPTED if adopted else VersionState.SUPERSEDED,
                    "visibility": Visibility.PUBLIC if adopted else Visibility.INTERNAL,
                    "audience": Audience.PUBLIC if adopted else Audience.BODY,
                    "adopted_on": scale.today - timedelta(days=10 * (count - number) + 1),
                    "created_at": scale.moment(3650),
                }
            )
            for position, (area, title) in enumerate(STARTER_SECTIONS):
                section_id = scale.uuid()
                sections.append(
                    {"id": section_id, "body_id": body.id, "version_id": version_id,
                     "key": keys[position], "area": area, "title": str(title),
                     "body": TEXT * scale.rng.randrange(1, 8) + f"(version {number})",
                     "position": position, "questions": []}
                )  # fmt: skip
                if adopted:
                    latest.append(section_id)
        authors = scale.accounts.get(body.id) or [None]
        for i in range(scale.count(COMMENTS)):
            comments.append(
                {"id": scale.uuid(), "body_id": body.id, "section_id": latest[i % len(latest)],
                 "author_id": authors[i % len(authors)], "text": f"Comment {i} on the rules."}
            )  # fmt: skip
    return (
        scale.insert(RuleVersion, versions)
        + scale.insert(RuleSection, sections)
        + scale.insert(RuleComment, comments)
    )


def versions() -> list:
    """The active body's two latest versions, newest first (load harness)."""
    return db.session.scalars(
        RuleVersion.scoped_select()
        .with_only_columns(RuleVersion.id)
        .order_by(RuleVersion.number.desc())
        .limit(2)
    ).all()
