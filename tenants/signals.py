"""Signals the tenancy layer sends, so that the application can audit and
notify without this layer importing it."""

from blinker import Namespace

_signals = Namespace()

# sender: the acting User or None; kwargs: action, mechanism_id, body_id,
# object_type, object_id, summary
tenant_provisioned = _signals.signal("tenant-provisioned")

# sender: the acting User or None; kwargs: user, membership, new_account
user_invited = _signals.signal("user-invited")
