"""The register of people: its rules and flags, who sees the sensitive
fields, stale saves, filters, export and term reminders."""

from __future__ import annotations

import io
import logging
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from app.audit.models import AuditEvent
from app.extensions import db
from app.jobs.models import JobOutput
from app.notices.models import Notice
from app.people import reminders
from app.people.checks import months_between
from app.people.models import Person, PersonPosition, TermReminder
from app.people.vocabulary import Employment, ExpertiseArea, Gender, PersonKind, Sector
from tenants.context import Layer, tenant_scope

BASE = "/m/alpha/b/a1/people"


def _shown(day) -> str:
    """A date as an English page writes it."""
    return format_date(date.fromisoformat(str(day)), "medium", locale="en")


def _csrf(client, url: str) -> str:
    html = client.get(url).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def _person(world, body: str = "a1", **fields) -> Person:
    mechanism = world.mechanism_of(body)
    fields.setdefault("kind", PersonKind.MEMBER)
    fields.setdefault("name", "Ana Lopez")
    positions = fields.pop("positions", [])
    areas = fields.pop("areas", [])
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        from app.people.models import PersonExpertise

        person = Person(body_id=world.bodies[body].id, **fields)
        person.positions.extend(
            PersonPosition(body_id=world.bodies[body].id, **position) for position in positions
        )
        person.expertise.extend(
            PersonExpertise(body_id=world.bodies[body].id, area=area) for area in areas
        )
        db.session.add(person)
        db.session.commit()
        return person


def _staff_form(**overrides) -> dict:
    data = {
        "kind": "staff",
        "name": "Sam Seconded",
        "position": "Head of visits",
        "employment": "seconded",
        "seconded_from": "Ministry of Justice",
        "secondment_start": "2026-01-01",
        "secondment_end": "2026-12-31",
        "leadership": "y",
        "languages": "french, Romani ,French",
        "expertise": ["law", "psychiatry"],
    }
    data.update(overrides)
    return data


def _count(model, world, body="a1", *where) -> int:
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


# Rules ------------------------------------------------------------------------


def test_seconded_staff_cannot_be_leadership(app, world):
    client = world.client(app, "a1", "editor")
    data = _staff_form(csrf_token=_csrf(client, f"{BASE}/new"))
    response = client.post(f"{BASE}/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Seconded staff cannot hold a leadership or decision-making position" in page
    assert 'value="Sam Seconded"' in page  # what was typed is still there
    assert _count(Person, world, "a1", Person.name == "Sam Seconded") == 0

    data["leadership"] = ""
    response = client.post(f"{BASE}/new", data=data)
    assert response.status_code == 302
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        person = db.session.scalars(
            Person.scoped_select().where(Person.name == "Sam Seconded")
        ).one()
        assert person.employment is Employment.SECONDED and not person.leadership
        assert person.language_names == ["French", "Romani"]
        assert person.areas == [ExpertiseArea.LAW, ExpertiseArea.PSYCHIATRY]
    # and an edit cannot make them leadership either
    edit = f"{BASE}/{person.id}/edit"
    data = _staff_form(csrf_token=_csrf(client, edit), version=str(person.version))
    response = client.post(edit, data=data)
    assert response.status_code == 422
    assert "Seconded staff cannot hold" in response.get_data(as_text=True)


def test_recruited_staff_may_be_leadership_and_kind_fields_are_cleared(app, world):
    client = world.client(app, "a1", "editor")
    data = _staff_form(
        csrf_token=_csrf(client, f"{BASE}/new"), employment="recruited", term_end="2030-01-01"
    )
    assert client.post(f"{BASE}/new", data=data).status_code == 302
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        person = db.session.scalars(
            Person.scoped_select().where(Person.name == "Sam Seconded")
        ).one()
        assert person.leadership and person.term_end is None and person.seconded_from == ""


def test_months_between():
    assert months_between(date(2025, 1, 15), date(2027, 1, 15)) == 24
    assert months_between(date(2025, 1, 15), date(2027, 1, 14)) == 23
    assert months_between(date(2025, 1, 31), date(2025, 2, 28)) == 0


def test_short_secondments_are_flagged_against_the_bodys_threshold(app, world):
    seconded = {
        "kind": PersonKind.STAFF,
        "employment": Employment.SECONDED,
        "seconded_from": "Police",
    }
    short = _person(
        world,
        name="Short",
        secondment_start=date(2026, 1, 1),
        secondment_end=date(2027, 6, 30),
        **seconded,
    )
    _person(
        world,
        name="Long",
        secondment_start=date(2026, 1, 1),
        secondment_end=date(2028, 1, 1),
        **seconded,
    )
    client = world.client(app, "a1", "member")
    page = client.get(f"{BASE}/{short.id}").get_data(as_text=True)
    assert "secondment not long-term" in page
    dashboard = client.get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "Secondments shorter than 24 months: 1" in dashboard

    admin = world.client(app, "a1", "admin")
    token = _csrf(admin, f"{BASE}/settings")
    assert (
        admin.post(
            f"{BASE}/settings", data={"csrf_token": token, "secondment_months": "12"}
        ).status_code
        == 302
    )
    dashboard = client.get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "Secondments shorter than 12 months: 0" in dashboard
    response = admin.post(f"{BASE}/settings", data={"csrf_token": token, "secondment_months": "0"})
    assert response.status_code == 422


def test_current_positions_in_incompatible_sectors_are_flagged(app, world):
    today = date.today()
    flagged = _person(
        world,
        name="Flagged",
        positions=[
            {
                "employer": "Police HQ",
                "sector": Sector.LAW_ENFORCEMENT,
                "start_date": date(2020, 1, 1),
            },
        ],
    )
    past = _person(
        world,
        name="Former",
        positions=[
            {
                "employer": "Prison service",
                "sector": Sector.DETENTION,
                "end_date": today - timedelta(days=1),
            },
            {"employer": "University", "sector": Sector.ACADEMIA},
        ],
    )
    client = world.client(app, "a1", "member")
    assert "incompatible current position" in client.get(f"{BASE}/{flagged.id}").get_data(
        as_text=True
    )
    assert "incompatible current position" not in client.get(f"{BASE}/{past.id}").get_data(
        as_text=True
    )
    dashboard = client.get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "Current positions incompatible with the mandate: 1" in dashboard
    assert "Flagged" in dashboard and "Former" not in dashboard


def test_seconded_leadership_that_got_in_anyway_is_flagged(app, world):
    _person(
        world,
        name="Legacy",
        kind=PersonKind.STAFF,
        employment=Employment.SECONDED,
        seconded_from="Army",
        leadership=True,
    )
    dashboard = world.client(app, "a1", "member").get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "Seconded staff in leadership positions: 1" in dashboard
    assert "seconded, in leadership" in dashboard


def test_an_ended_term_shows_as_such(app, world):
    person = _person(world, name="Past term", term_end=date.today() - timedelta(days=3))
    client = world.client(app, "a1", "member")
    assert "term ended" in client.get(f"{BASE}/{person.id}").get_data(as_text=True)
    assert "Members whose term has ended: 1" in client.get(f"{BASE}/dashboard").get_data(
        as_text=True
    )


def test_missing_legal_or_medical_expertise_is_warned(app, world):
    client = world.client(app, "a1", "member")
    page = client.get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "no legal expertise" in page.lower() or "has legal expertise" in page
    assert "medical expertise" in page
    _person(world, name="Lawyer", areas=[ExpertiseArea.LAW, ExpertiseArea.FORENSIC_MEDICINE])
    page = client.get(f"{BASE}/dashboard").get_data(as_text=True)
    assert "legal expertise" not in page and "medical expertise" not in page


# Sensitive fields ----------------------------------------------------------------


def test_only_the_person_and_admins_see_gender_and_minority(app, world):
    linked = world.users[world.account("a1", "member")]
    person = _person(world, name="Dana", gender=Gender.WOMAN, user_id=linked.id)
    url = f"{BASE}/{person.id}"
    assert "Woman" in world.client(app, "a1", "admin").get(url).get_data(as_text=True)
    assert "Woman" in world.client(app, "a1", "member").get(url).get_data(as_text=True)  # herself
    editor = world.client(app, "a1", "editor")
    assert "Woman" not in editor.get(url).get_data(as_text=True)
    assert 'name="gender"' not in editor.get(f"{url}/edit").get_data(as_text=True)
    # an editor's save leaves the declaration as it was, even if the field is forged
    edit = f"{url}/edit"
    data = {
        "csrf_token": _csrf(editor, edit),
        "kind": "member",
        "name": "Dana",
        "version": str(person.version),
        "gender": "man",
    }
    assert editor.post(edit, data=data).status_code == 302
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        db.session.expire_all()
        assert db.session.get(Person, (person.mechanism_id, person.id)).gender is Gender.WOMAN


def test_a_person_declares_their_own_sensitive_fields(app, world):
    member = world.users[world.account("a1", "member")]
    person = _person(world, name="Eli", user_id=member.id)
    client = world.client(app, "a1", "member")
    page = client.get(f"{BASE}/me")
    assert "Eli" in page.get_data(as_text=True)
    token = _csrf(client, f"{BASE}/me")
    response = client.post(
        f"{BASE}/me", data={"csrf_token": token, "gender": "other", "minority": "yes"}
    )
    assert response.status_code == 302
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        db.session.expire_all()
        saved = db.session.get(Person, (person.mechanism_id, person.id))
        assert saved.gender is Gender.OTHER
        event = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "person.self_declaration")
        ).one()
        assert "other" not in event.summary and "yes" not in event.summary
    # someone without an entry is told so
    unlinked = world.client(app, "a1", "editor").get(f"{BASE}/me").get_data(as_text=True)
    assert "not linked to an entry" in unlinked


def test_an_account_is_linked_to_one_person_only(app, world):
    member = world.users[world.account("a1", "member")]
    _person(world, name="First", user_id=member.id)
    client = world.client(app, "a1", "admin")
    data = {
        "csrf_token": _csrf(client, f"{BASE}/new"),
        "kind": "member",
        "name": "Second",
        "user_id": str(member.id),
    }
    response = client.post(f"{BASE}/new", data=data)
    assert response.status_code == 422
    assert "already linked" in response.get_data(as_text=True)
    # an account of another body is not even offered
    outsider = world.users[world.account("a2", "member")]
    data["user_id"] = str(outsider.id)
    assert client.post(f"{BASE}/new", data=data).status_code == 422


# Editing -------------------------------------------------------------------------


def test_the_later_of_two_saves_is_refused_and_its_text_kept(app, world):
    person = _person(world, name="Shared entry")
    edit = f"{BASE}/{person.id}/edit"
    first, second = world.client(app, "a1", "editor"), world.client(app, "a1", "admin")
    first_token, second_token = _csrf(first, edit), _csrf(second, edit)
    common = {"kind": "member", "version": str(person.version)}
    response = first.post(edit, data={**common, "csrf_token": first_token, "name": "By first"})
    assert response.status_code == 302
    response = second.post(
        edit, data={**common, "csrf_token": second_token, "name": "By second", "position": "Chair"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved this entry" in page
    assert 'value="By second"' in page and 'value="Chair"' in page
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        db.session.expire_all()
        assert db.session.get(Person, (person.mechanism_id, person.id)).name == "By first"


def test_end_of_service_keeps_the_entry_as_history(app, world):
    person = _person(world, name="Leaving", start_date=date(2020, 1, 1))
    client = world.client(app, "a1", "editor")
    url = f"{BASE}/{person.id}"
    token = _csrf(client, url)
    refused = client.post(f"{url}/end", data={"csrf_token": token, "end_date": "2019-01-01"})
    assert refused.status_code == 302
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    client.post(
        f"{url}/end", data={"csrf_token": token, "end_date": yesterday, "end_reason": "Retired"}
    )
    assert f'{person.id}">Leaving<' not in client.get(f"{BASE}/").get_data(as_text=True)
    ended = client.get(f"{BASE}/?status=ended").get_data(as_text=True)
    assert f'{person.id}">Leaving<' in ended and f"ended on {_shown(yesterday)}" in ended
    assert "Retired" in client.get(url).get_data(as_text=True)


def test_ending_service_without_a_reason_field_is_no_server_error(app, world):
    person = _person(world, name="Quiet", start_date=date(2020, 1, 1))
    client = world.client(app, "a1", "editor")
    url = f"{BASE}/{person.id}"
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    response = client.post(
        f"{url}/end", data={"csrf_token": _csrf(client, url), "end_date": yesterday}
    )
    assert response.status_code == 302
    assert f"ended on {_shown(yesterday)}" in client.get(f"{BASE}/?status=ended").get_data(
        as_text=True
    )


def test_positions_are_added_edited_and_removed(app, world):
    person = _person(world, name="Worker")
    client = world.client(app, "a1", "editor")
    url = f"{BASE}/{person.id}"
    token = _csrf(client, url)
    bad = client.post(
        f"{url}/positions",
        data={
            "csrf_token": token,
            "employer": "X",
            "sector": "health",
            "start_date": "2020-01-01",
            "end_date": "2019-01-01",
        },
    )
    assert bad.status_code == 422
    client.post(
        f"{url}/positions",
        data={
            "csrf_token": token,
            "employer": "City hospital",
            "role": "Nurse",
            "sector": "health",
        },
    )
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        row = db.session.scalars(
            PersonPosition.scoped_select().where(PersonPosition.person_id == person.id)
        ).one()
    edit = f"{url}/positions/{row.id}/edit"
    assert "City hospital" in client.get(edit).get_data(as_text=True)
    client.post(
        edit,
        data={
            "csrf_token": token,
            "employer": "Ministry of the Interior",
            "sector": "executive_government",
        },
    )
    assert "incompatible current position" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/positions/{row.id}/remove", data={"csrf_token": token})
    assert "Ministry of the Interior" not in client.get(url).get_data(as_text=True)
    assert _count(PersonPosition, world, "a1", PersonPosition.person_id == person.id) == 0


# The list ------------------------------------------------------------------------


def test_filters_and_search(app, world):
    soon = date.today() + timedelta(days=20)
    _person(world, name="Zoe Lawyer", areas=[ExpertiseArea.LAW], term_end=soon)
    _person(world, name="Yan Doctor", areas=[ExpertiseArea.GENERAL_MEDICINE])
    _person(world, name="Xia Staff", kind=PersonKind.STAFF, employment=Employment.RECRUITED)
    _person(world, name="Wes 100%_ Expert", kind=PersonKind.EXPERT)
    client = world.client(app, "a1", "member")

    def names(query: str) -> set[str]:
        page = client.get(f"{BASE}/?{query}").get_data(as_text=True)
        return set(re.findall(r'people/[0-9a-f-]{36}">([^<]+)<', page))

    everyone = {"Zoe Lawyer", "Yan Doctor", "Xia Staff", "Wes 100%_ Expert", "Person of a1"}
    assert names("") == everyone
    assert names("kind=staff") == {"Xia Staff"}
    assert names("expertise=law") == {"Zoe Lawyer"}
    assert names("q=doc") == {"Yan Doctor"}
    assert names("q=100%25_") == {"Wes 100%_ Expert"}
    assert names("q=%25") == {"Wes 100%_ Expert"}  # a % typed is looked for, not a wildcard
    assert names("term_within=30") == {"Zoe Lawyer"}
    assert names("term_within=10") == set()
    assert names("kind=nonsense&term_within=-4") == everyone  # bad filters are ignored
    assert "Nobody matches" in client.get(f"{BASE}/?q=nobody").get_data(as_text=True)


def test_language_filter_ignores_case(app, world):
    client = world.client(app, "a1", "editor")
    data = {
        "csrf_token": _csrf(client, f"{BASE}/new"),
        "kind": "expert",
        "name": "Polyglot",
        "languages": "romani, Hungarian",
    }
    client.post(f"{BASE}/new", data=data)
    page = client.get(f"{BASE}/?language=ROMANI").get_data(as_text=True)
    assert "Polyglot" in page
    assert "Polyglot" not in client.get(f"{BASE}/?language=French").get_data(as_text=True)


# Export --------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_register_is_exported_and_the_export_audited(app, world, file_format):
    _person(world, name="=HYPERLINK(evil)", gender=Gender.MAN, areas=[ExpertiseArea.LAW])
    client = world.client(app, "a1", "admin")
    token = _csrf(client, f"{BASE}/")
    response = client.post(f"{BASE}/export", data={"csrf_token": token, "format": file_format})
    assert response.status_code == 302
    download = client.get(response.headers["Location"] + "/download")
    assert download.status_code == 200
    if file_format == "csv":
        text = download.data.decode("utf-8-sig")
        assert text.startswith("name,kind,")
        assert "'=HYPERLINK(evil)" in text and ",man," in text
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(download.data)).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "name" and "'=HYPERLINK(evil)" in [row[0] for row in rows]
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
        assert {"export.request", "export.download"} <= actions
        assert db.session.scalar(sa.select(sa.func.count(JobOutput.id))) >= 1


# Term reminders ------------------------------------------------------------------


def test_term_reminders_go_out_90_and_30_days_before_once_each(app, world, caplog):
    caplog.set_level(logging.INFO, logger="concert.mail")
    today = date.today()
    person = _person(world, name="Terminal", term_end=today + timedelta(days=80))
    _person(world, name="Far", term_end=today + timedelta(days=200))
    _person(
        world, name="Gone", term_end=today + timedelta(days=10), end_date=today - timedelta(days=1)
    )
    from app.jobs.services import enqueue

    assert enqueue("people.daily").result == {"reminders": 1}
    assert "mail to a1-admin@test.example: A term ends in 80 days" in caplog.text
    assert "Terminal" in caplog.text and "Far" not in caplog.text
    assert enqueue("people.daily").result == {"reminders": 0}  # once

    home = world.client(app, "a1", "admin").get("/m/alpha/b/a1/").get_data(as_text=True)
    assert "The term of Terminal ends on" in home
    assert "Terminal" not in world.client(app, "a1", "editor").get("/m/alpha/b/a1/").get_data(
        as_text=True
    )
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        due = reminders.due(person.term_end - timedelta(days=25))
        assert [(row.id, days) for row, days in due] == [(person.id, 30)]
        assert reminders.due(person.term_end - timedelta(days=60)) == []
        assert db.session.scalar(sa.select(sa.func.count(TermReminder.id))) == 1


def test_a_notice_is_dismissed_by_its_reader_only(app, world):
    email = world.account("a1", "admin")
    notice_id = world.notices[email]
    admin = world.client(app, "a1", "admin")
    token = _csrf(admin, "/m/alpha/b/a1/")
    other = world.client(app, "a1", "editor")
    url = f"/m/alpha/b/a1/notices/{notice_id}/dismiss"
    assert other.post(url, data={"csrf_token": _csrf(other, "/m/alpha/b/a1/")}).status_code == 404
    assert admin.post(url, data={"csrf_token": token}).status_code == 302
    assert "someone of a1" not in admin.get("/m/alpha/b/a1/").get_data(as_text=True)
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        assert (
            db.session.scalars(Notice.scoped_select().where(Notice.id == notice_id))
            .one()
            .dismissed_at
            is not None
        )
