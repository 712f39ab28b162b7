"""The words of internal rules: their areas, the sections a first draft
starts from, and the questions rules must answer."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.vocabulary import Labelled, register_labels


class RuleArea(Labelled):
    ROLES = "roles"
    PROCEDURES = "procedures"
    WORKING_METHODS = "working_methods"
    ETHICS = "ethics"


class QuestionGroup(Labelled):
    EVERY_BODY = "every_body"
    OMBUDS_OR_NHRI = "ombuds_or_nhri"
    MULTIPLE_BODY = "multiple_body"


register_labels(
    [
        (RuleArea.ROLES, _l("Roles and responsibilities")),
        (RuleArea.PROCEDURES, _l("Procedures")),
        (RuleArea.WORKING_METHODS, _l("Working methods")),
        (RuleArea.ETHICS, _l("Ethics and principles")),
        (QuestionGroup.EVERY_BODY, _l("For every body")),
        (
            QuestionGroup.OMBUDS_OR_NHRI,
            _l("For a body inside an ombuds institution or a commission"),
        ),
        (QuestionGroup.MULTIPLE_BODY, _l("For a body of a multiple-body mechanism")),
    ]
)


# The sections a body's first draft starts from: the toolkit's list of what
# internal rules may cover, in its four areas.
STARTER_SECTIONS: list[tuple[RuleArea, object]] = [
    (RuleArea.ROLES, _l("Who decides, and who is accountable")),
    (RuleArea.PROCEDURES, _l("Internal communication and coordination")),
    (RuleArea.PROCEDURES, _l("Administration and finance")),
    (RuleArea.PROCEDURES, _l("Human resources")),
    (RuleArea.PROCEDURES, _l("Logistics")),
    (RuleArea.WORKING_METHODS, _l("Visits: preparation, conduct and debriefing")),
    (RuleArea.WORKING_METHODS, _l("Visit reports and recommendations: drafting and approval")),
    (RuleArea.WORKING_METHODS, _l("Contact with the authorities after a visit")),
    (RuleArea.WORKING_METHODS, _l("Media and civil society")),
    (RuleArea.WORKING_METHODS, _l("Dialogue with the authorities")),
    (RuleArea.WORKING_METHODS, _l("International and regional bodies")),
    (RuleArea.ETHICS, _l("Confidential information")),
    (RuleArea.ETHICS, _l("Do no harm")),
    (RuleArea.ETHICS, _l("Reporting wrongdoing")),
    (RuleArea.ETHICS, _l("Workplace harassment")),
    (RuleArea.ETHICS, _l("Values and principles")),
    (RuleArea.ETHICS, _l("Preventing reprisals")),
]


@dataclass(frozen=True)
class Question:
    code: str  # stored on the sections that answer it: never renamed
    group: QuestionGroup
    text: object


QUESTIONS: list[Question] = [
    Question("decides_visits", QuestionGroup.EVERY_BODY, _l("Who decides on visits?")),
    Question("decides_reports", QuestionGroup.EVERY_BODY, _l("Who decides on reports?")),
    Question(
        "decides_law_policy", QuestionGroup.EVERY_BODY, _l("Who decides on law and policy work?")
    ),
    Question("decides_planning", QuestionGroup.EVERY_BODY, _l("Who decides on planning?")),
    Question(
        "decides_media", QuestionGroup.EVERY_BODY, _l("Who decides on dealing with the media?")
    ),
    Question("decides_budget", QuestionGroup.EVERY_BODY, _l("Who decides on the budget?")),
    Question("spokesperson", QuestionGroup.EVERY_BODY, _l("Who speaks for the body?")),
    Question("decision_making", QuestionGroup.EVERY_BODY, _l("How are decisions made?")),
    Question(
        "approves_reports",
        QuestionGroup.EVERY_BODY,
        _l("Who approves reports and recommendations?"),
    ),
    Question(
        "complaints",
        QuestionGroup.EVERY_BODY,
        _l("How are complaints about detention, and information about them, handled?"),
    ),
    Question(
        "information_sharing",
        QuestionGroup.EVERY_BODY,
        _l("How is information shared with other departments of a larger institution?"),
    ),
    Question(
        "annual_report",
        QuestionGroup.EVERY_BODY,
        _l("Does the body publish its own annual report, or a chapter of a wider one?"),
    ),
    Question(
        "commissioners_role",
        QuestionGroup.OMBUDS_OR_NHRI,
        _l(
            "What is the role of commissioners, the ombudsperson or deputies in visits and"
            " follow-up?"
        ),
    ),
    Question(
        "institution_rules",
        QuestionGroup.OMBUDS_OR_NHRI,
        _l("How do these rules fit with the wider rules of the institution?"),
    ),
    Question(
        "coordinated_ethics",
        QuestionGroup.MULTIPLE_BODY,
        _l("How are ethics and working methods coordinated between the bodies?"),
    ),
    Question(
        "institutions_role",
        QuestionGroup.MULTIPLE_BODY,
        _l("What is the role of each institution and of the coordinating body?"),
    ),
    Question("meetings", QuestionGroup.MULTIPLE_BODY, _l("When and how do the bodies meet?")),
    Question(
        "joint_reports",
        QuestionGroup.MULTIPLE_BODY,
        _l("How are joint reports prepared and published?"),
    ),
    Question(
        "visit_participation",
        QuestionGroup.MULTIPLE_BODY,
        _l("How do the bodies take part in each other's visits?"),
    ),
    Question(
        "joint_advocacy",
        QuestionGroup.MULTIPLE_BODY,
        _l("How is joint advocacy on law and policy reform carried out?"),
    ),
]
QUESTION_CODES = frozenset(question.code for question in QUESTIONS)


def questions_for(*, inside_institution: bool, multiple_body: bool) -> list[Question]:
    """The checklist of one body: everyone's questions, and the extra ones its
    situation calls for."""
    groups = {QuestionGroup.EVERY_BODY}
    if inside_institution:
        groups.add(QuestionGroup.OMBUDS_OR_NHRI)
    if multiple_body:
        groups.add(QuestionGroup.MULTIPLE_BODY)
    return [question for question in QUESTIONS if question.group in groups]
