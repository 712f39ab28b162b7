"""Audit trails at scale: 200,000 events at factor 1, over two years, spread
over the bodies and their accounts."""

from __future__ import annotations

from app.audit.models import AuditEvent

EVENTS = 200_000
# actions the application records, so that the trail's filters and labels
# work on the generated events as on real ones
ACTIONS = [
    "auth.login",
    "person.update",
    "document.section.save",
    "document.comment.add",
    "export.request",
    "access.refused",
]


def scale_audit(scale) -> int:
    def events():
        for i in range(scale.count(EVENTS)):
            body = scale.bodies[i % len(scale.bodies)]
            actors = scale.accounts.get(body.id) or [None]
            yield {
                "id": scale.uuid(),
                "body_id": body.id,
                "occurred_at": scale.moment(730),
                "actor_id": actors[i % len(actors)],
                "action": ACTIONS[i % len(ACTIONS)],
                "summary": f"event {i}",
            }

    return scale.insert(AuditEvent, events())
