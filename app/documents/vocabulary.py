"""The words of versioned documents: states, how a version was adopted and
who may read it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.vocabulary import Labelled, register_labels


class VersionState(Labelled):
    DRAFT = "draft"
    CONSULTATION = "consultation"
    ADOPTED = "adopted"  # for a charter: published for the bodies to adopt
    SUPERSEDED = "superseded"


class AdoptionMethod(Labelled):
    LAW = "law"
    FORMAL_DECISION = "formal_decision"
    INFORMAL_PRACTICE = "informal_practice"


class Visibility(Labelled):
    INTERNAL = "internal"
    PUBLIC = "public"


register_labels(
    [
        (VersionState.DRAFT, _l("Draft")),
        (VersionState.CONSULTATION, _l("In consultation")),
        (VersionState.ADOPTED, _l("Adopted")),
        (VersionState.SUPERSEDED, _l("Superseded")),
        (AdoptionMethod.LAW, _l("By law")),
        (AdoptionMethod.FORMAL_DECISION, _l("By formal decision")),
        (AdoptionMethod.INFORMAL_PRACTICE, _l("By informal practice")),
        (Visibility.INTERNAL, _l("Internal")),
        (Visibility.PUBLIC, _l("Public")),
    ]
)
