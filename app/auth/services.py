"""Reactions to account events raised by the tenancy layer."""

from __future__ import annotations

from app.auth.jobs import inviter_of
from app.jobs.services import enqueue
from tenants.context import Layer, Tenant
from tenants.signals import user_invited


def _send_invitation(sender, invitation) -> None:
    membership = invitation.membership
    enqueue(
        "auth.send_invitation",
        params={
            "user_id": invitation.user.id,
            "body_id": str(membership.body_id),
            "inviter": inviter_of(sender),
        },
        by=sender,
        tenant=Tenant(membership.mechanism_id, None, Layer.JOB),
    )


def install() -> None:
    user_invited.connect(_send_invitation, weak=False)
