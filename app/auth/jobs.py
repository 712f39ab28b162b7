"""Mail about accounts, sent as jobs."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from app.auth.tokens import make_set_password_token
from app.extensions import db
from app.jobs.registry import job
from app.mail import deliver, external_url
from tenants import Body, current_tenant
from tenants.models import User


@job("auth.send_invitation", timeout=60, retries=3)
def send_invitation(ctx, user_id: int, body_id: str):
    user = db.session.get(User, user_id)
    body = Body.get_scoped(body_id)
    if user is None or body is None:
        return {"sent": False}
    mechanism_language = _mechanism_language()
    with force_locale(user.language or mechanism_language):
        if user.password_hash is None:  # never signed in: the link sets the password
            link = external_url("auth.set_password", token=make_set_password_token(user))
            text = _(
                "You have been invited to %(body)s in Concert.\n\n"
                "Choose your password here (the link works for 7 days, once):\n%(link)s\n",
                body=body.name,
                link=link,
            )
        else:
            text = _(
                "You now have access to %(body)s in Concert. Sign in with your usual account.",
                body=body.name,
            )
        deliver(user.email, _("Your access to %(body)s", body=body.name), text)
    return {"sent": True}


def _mechanism_language() -> str:
    from tenants.models import Mechanism

    mechanism = db.session.get(Mechanism, current_tenant().mechanism_id)
    return mechanism.default_language if mechanism else "en"
