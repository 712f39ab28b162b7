"""Which state a version may move to, in one place for rules and charters.

draft → consultation → adopted → superseded; a consultation may go back to
drafting, and a draft may be adopted without one (informal practice). A
version is superseded only by the adoption of the next one.
"""

from __future__ import annotations

from app.documents.vocabulary import VersionState

ALLOWED: dict[VersionState, frozenset[VersionState]] = {
    VersionState.DRAFT: frozenset({VersionState.CONSULTATION, VersionState.ADOPTED}),
    VersionState.CONSULTATION: frozenset({VersionState.DRAFT, VersionState.ADOPTED}),
    VersionState.ADOPTED: frozenset({VersionState.SUPERSEDED}),
    VersionState.SUPERSEDED: frozenset(),
}
WORKING = frozenset({VersionState.DRAFT, VersionState.CONSULTATION})


class TransitionRefused(ValueError):
    """A move the lifecycle does not allow."""


def check(current: VersionState, target: VersionState) -> None:
    if target not in ALLOWED[current]:
        raise TransitionRefused(f"{current} → {target}")


def move(version, target: VersionState, current_adopted=None) -> None:
    """Move ``version`` to ``target``; adopting supersedes ``current_adopted``
    (the version in force until now, if any)."""
    check(version.state, target)
    if target is VersionState.ADOPTED and current_adopted is not None:
        check(current_adopted.state, VersionState.SUPERSEDED)
        current_adopted.state = VersionState.SUPERSEDED
    version.state = target
