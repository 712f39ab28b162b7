"""Charters at scale: each kind of charter, its versions (the latest
published), and every body's decision on it."""

from __future__ import annotations

from datetime import timedelta

from app.charters.models import (
    Charter,
    CharterAdoption,
    CharterComment,
    CharterKind,
    CharterSection,
    CharterVersion,
    Outcome,
)
from app.charters.services import STARTERS
from app.documents.vocabulary import VersionState, Visibility
from tenants.sharing import Audience

VERSIONS = 5
COMMENTS = 8  # by each body, on each charter's latest version


def scale_charters(scale) -> int:
    charters, versions, sections, comments, adoptions = [], [], [], [], []
    count = scale.count(VERSIONS)
    for kind in CharterKind:
        charter_id = scale.uuid()
        charters.append({"id": charter_id, "kind": kind})
        latest_sections, latest = [], None
        for number in range(1, count + 1):
            published = number == count
            latest = scale.uuid()
            versions.append(
                {
                    "id": latest,
                    "charter_id": charter_id,
                    "number": number,
                    "state": VersionState.ADOPTED if published else VersionState.SUPERSEDED,
                    "visibility": Visibility.PUBLIC,
                    "audience": Audience.PUBLIC if published else Audience.MECHANISM,
                    "adopted_on": scale.today - timedelta(days=30 * (count - number) + 20),
                }
            )
            for position, title in enumerate(STARTERS[kind]):
                section_id = scale.uuid()
                sections.append(
                    {"id": section_id, "version_id": latest, "title": str(title),
                     "body": f"What the bodies agree on {title} (version {number}).",
                     "position": position}
                )  # fmt: skip
                if published:
                    latest_sections.append(section_id)
        for index, body in enumerate(scale.bodies):
            authors = scale.accounts.get(body.id) or [None]
            if index % 7 != 6:  # every seventh body has not decided yet
                adoptions.append(
                    {"id": scale.uuid(), "body_id": body.id, "version_id": latest,
                     "outcome": Outcome.EXCEPTION if index % 11 == 5 else Outcome.ADOPTED,
                     "decided_on": scale.today - timedelta(days=scale.rng.randrange(1, 19)),
                     "reason": "A version for lay members first." if index % 11 == 5 else ""}
                )  # fmt: skip
            for i in range(scale.count(COMMENTS)):
                comments.append(
                    {"id": scale.uuid(), "body_id": body.id,
                     "section_id": latest_sections[i % len(latest_sections)],
                     "author_id": authors[0], "text": f"Comment {i} of {body.name}."}
                )  # fmt: skip
    return (
        scale.insert(Charter, charters)
        + scale.insert(CharterVersion, versions)
        + scale.insert(CharterSection, sections)
        + scale.insert(CharterComment, comments)
        + scale.insert(CharterAdoption, adoptions)
    )
