"""The controlled lists of the register, with their labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.vocabulary import Labelled, register_labels


class PersonKind(Labelled):
    MEMBER = "member"
    STAFF = "staff"
    EXPERT = "expert"


class WorkingTime(Labelled):
    FULL = "full"
    PART = "part"


class Employment(Labelled):
    RECRUITED = "recruited"
    SECONDED = "seconded"


class Engagement(Labelled):
    ADVICE = "advice"
    VISITS = "visits"
    BOTH = "both"


class ExpertiseArea(Labelled):
    LAW = "law"
    GENERAL_MEDICINE = "general_medicine"
    FORENSIC_MEDICINE = "forensic_medicine"
    PSYCHIATRY = "psychiatry"
    PSYCHOLOGY = "psychology"
    HUMAN_RIGHTS = "human_rights"
    SOCIAL_WORK = "social_work"
    ANTHROPOLOGY = "anthropology"
    POLICING = "policing"
    MIGRATION = "migration"
    JUSTICE = "administration_of_justice"
    DETENTION = "detention_management"
    CHILDREN = "children"
    WOMEN = "women"
    LGBTI = "lgbti_persons"
    DISABILITIES = "persons_with_disabilities"
    MIGRANTS = "migrants"
    OLDER = "older_persons"


# A body without any of these has no legal, or no medical, expertise.
LEGAL_AREAS = frozenset({ExpertiseArea.LAW})
MEDICAL_AREAS = frozenset(
    {ExpertiseArea.GENERAL_MEDICINE, ExpertiseArea.FORENSIC_MEDICINE, ExpertiseArea.PSYCHIATRY}
)


class Sector(Labelled):
    EXECUTIVE = "executive_government"
    LAW_ENFORCEMENT = "law_enforcement"
    CRIMINAL_JUSTICE = "criminal_justice"
    DETENTION = "detention_administration"
    HEALTH = "health"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    OTHER = "other"


# A current position in one of these is incompatible with the mandate.
INCOMPATIBLE_SECTORS = frozenset(
    {Sector.EXECUTIVE, Sector.LAW_ENFORCEMENT, Sector.CRIMINAL_JUSTICE, Sector.DETENTION}
)


class Gender(Labelled):
    WOMAN = "woman"
    MAN = "man"
    OTHER = "other"
    UNDISCLOSED = "undisclosed"


class Minority(Labelled):
    YES = "yes"
    NO = "no"
    UNDISCLOSED = "undisclosed"


register_labels(
    [
        (PersonKind.MEMBER, _l("Member")),
        (PersonKind.STAFF, _l("Staff")),
        (PersonKind.EXPERT, _l("External expert")),
        (WorkingTime.FULL, _l("Full time")),
        (WorkingTime.PART, _l("Part time")),
        (Employment.RECRUITED, _l("Recruited")),
        (Employment.SECONDED, _l("Seconded")),
        (Engagement.ADVICE, _l("Advice")),
        (Engagement.VISITS, _l("Visits")),
        (Engagement.BOTH, _l("Advice and visits")),
        (ExpertiseArea.LAW, _l("Law")),
        (ExpertiseArea.GENERAL_MEDICINE, _l("General medicine")),
        (ExpertiseArea.FORENSIC_MEDICINE, _l("Forensic medicine")),
        (ExpertiseArea.PSYCHIATRY, _l("Psychiatry")),
        (ExpertiseArea.PSYCHOLOGY, _l("Psychology")),
        (ExpertiseArea.HUMAN_RIGHTS, _l("Human rights")),
        (ExpertiseArea.SOCIAL_WORK, _l("Social work")),
        (ExpertiseArea.ANTHROPOLOGY, _l("Anthropology")),
        (ExpertiseArea.POLICING, _l("Policing")),
        (ExpertiseArea.MIGRATION, _l("Migration")),
        (ExpertiseArea.JUSTICE, _l("Administration of justice")),
        (ExpertiseArea.DETENTION, _l("Detention management")),
        (ExpertiseArea.CHILDREN, _l("Work with children")),
        (ExpertiseArea.WOMEN, _l("Work with women")),
        (ExpertiseArea.LGBTI, _l("Work with LGBTI persons")),
        (ExpertiseArea.DISABILITIES, _l("Work with persons with disabilities")),
        (ExpertiseArea.MIGRANTS, _l("Work with migrants")),
        (ExpertiseArea.OLDER, _l("Work with older persons")),
        (Sector.EXECUTIVE, _l("Executive government")),
        (Sector.LAW_ENFORCEMENT, _l("Law enforcement")),
        (Sector.CRIMINAL_JUSTICE, _l("Criminal justice or prosecution")),
        (Sector.DETENTION, _l("Prison or detention administration")),
        (Sector.HEALTH, _l("Health")),
        (Sector.CIVIL_SOCIETY, _l("Civil society")),
        (Sector.ACADEMIA, _l("Academia")),
        (Sector.OTHER, _l("Other")),
        (Gender.WOMAN, _l("Woman")),
        (Gender.MAN, _l("Man")),
        (Gender.OTHER, _l("Another gender")),
        (Gender.UNDISCLOSED, _l("Prefers not to say")),
        (Minority.YES, _l("Belongs to an ethnic or minority group")),
        (Minority.NO, _l("Does not belong to an ethnic or minority group")),
        (Minority.UNDISCLOSED, _l("Prefers not to say")),
    ]
)
