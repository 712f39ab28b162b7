"""The signed-in user's spaces, found once per request."""

from __future__ import annotations

from flask import g
from flask_login import current_user

from tenants.spaces import Space, spaces_for


def current_spaces() -> list[Space]:
    if not current_user.is_authenticated:
        return []
    if "current_spaces" not in g:
        g.current_spaces = spaces_for(current_user)
    return g.current_spaces
