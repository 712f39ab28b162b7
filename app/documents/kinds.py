"""The kinds of versioned document, registered by the capabilities that keep
them: how the export job finds a version by its id and what it prints. The
documents core knows no kind by name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DocumentKind:
    family: str  # the name exports are started with
    version_model: type  # found through the tenant, like any object
    # version -> title, version, adoption_method and (area, title, html) sections
    context: Callable[[object], dict]


_kinds: dict[str, DocumentKind] = {}


def register(kind: DocumentKind) -> DocumentKind:
    _kinds[kind.family] = kind
    return kind


def get(family: str) -> DocumentKind:
    try:
        return _kinds[family]
    except KeyError:
        raise LookupError(f"no document kind {family!r}") from None
