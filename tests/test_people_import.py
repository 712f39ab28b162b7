"""Importing the register from CSV or XLSX: a preview with every error by line
and column, and all rows or none."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.people.models import PeopleImport, Person
from app.people.vocabulary import Employment, ExpertiseArea, Gender
from tenants.context import Layer, tenant_scope
from tests.support import sign_in

BASE = "/m/alpha/b/a1/people"
HEADER = "name,kind,position,leadership,employment,seconded_from,expertise,languages,gender,term_end,account_email,current_employer,current_sector\n"  # noqa: E501


@pytest.fixture
def admin(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    return client


def _upload(client, data: bytes, filename: str):
    page = client.get(f"{BASE}/import").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return client.post(
        f"{BASE}/import",
        data={"csrf_token": token, "spreadsheet": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    ), token


def _people(world) -> list[Person]:
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        return db.session.scalars(
            Person.scoped_select().order_by(Person.name).execution_options(populate_existing=True)
        ).all()


def test_a_file_with_one_bad_row_imports_nothing_and_names_the_row(admin, world):
    content = (
        HEADER
        + "Ana,member,Chair,yes,,,law;psychiatry,French,woman,2030-01-01,,,\n"
        + "Ben,staff,Head,yes,seconded,Police,,,,,,,\n"
        + "Cy,expert,,,,,astrology,,,31/12/2030,,,\n"
    )
    response, token = _upload(admin, content.encode(), "people.csv")
    assert response.status_code == 302
    preview = admin.get(response.headers["Location"])
    page = preview.get_data(as_text=True)
    errors = re.findall(r"<tr><th scope=\"row\">(\d+)</th><td><code>(\w+)</code>", page)
    assert ("3", "leadership") in errors  # seconded staff in leadership
    assert ("4", "expertise") in errors and ("4", "term_end") in errors
    assert not any(line == "2" for line, _column in errors)
    assert "nothing will be imported" in page
    run = response.headers["Location"] + "/run"
    assert admin.post(run, data={"csrf_token": token}).status_code == 302
    assert [p.name for p in _people(world)] == ["Person of a1"]  # only the world's own


def test_a_valid_csv_is_imported_by_a_job(admin, world):
    member = world.users[world.account("a1", "member")]
    # a spreadsheet saved with semicolons, as in much of Europe
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER.strip().split(","))
    writer.writerow(
        [
            "Ana",
            "member",
            "Chair",
            "yes",
            "",
            "",
            "law;Psychiatry",
            "French;romani",
            "woman",
            "2030-01-01",
            member.email.upper(),
            "Ministry of Justice",
            "executive_government",
        ]
    )
    writer.writerow(["Ben", "Staff", "Head", "no", "seconded", "Police"])
    response, token = _upload(admin, buffer.getvalue().encode("utf-8-sig"), "people.csv")
    preview = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file is valid: 2 people will be added" in preview
    started = admin.post(response.headers["Location"] + "/run", data={"csrf_token": token})
    assert "/jobs/" in started.headers["Location"]
    people = {p.name: p for p in _people(world)}
    assert set(people) == {"Ana", "Ben", "Person of a1"}
    ana = people["Ana"]
    assert ana.areas == [ExpertiseArea.LAW, ExpertiseArea.PSYCHIATRY]
    assert ana.language_names == ["French", "Romani"] and ana.gender is Gender.WOMAN
    assert ana.user_id == member.id and ana.positions[0].incompatible
    assert people["Ben"].employment is Employment.SECONDED
    # the uploaded copy is gone, and running it again starts nothing new
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        upload = db.session.scalars(
            PeopleImport.scoped_select().where(
                PeopleImport.filename == "people.csv", PeopleImport.rows == 2
            )
        ).one()
        assert upload.parsed_rows is None
    again = admin.post(response.headers["Location"] + "/run", data={"csrf_token": token})
    assert again.headers["Location"] == started.headers["Location"]
    assert len(_people(world)) == 3


def test_an_xlsx_file_is_imported(admin, world):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Kind", "term_end", "leadership"])
    sheet.append(["Dora", "member", datetime(2031, 5, 1), True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response, token = _upload(admin, buffer.getvalue(), "people.xlsx")
    admin.post(response.headers["Location"] + "/run", data={"csrf_token": token})
    dora = next(p for p in _people(world) if p.name == "Dora")
    assert str(dora.term_end) == "2031-05-01" and dora.leadership


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"name,colour\nAna,blue\n", "people.csv", "missing: kind"),
        (b"name,kind,shoe_size\nAna,member,40\n", "people.csv", "Unknown columns: shoe_size"),
        ("name,kind\nAnа,member\n".encode("utf-16"), "people.csv", "UTF-8"),
        (b"not a zip", "people.xlsx", "not a spreadsheet"),
        (b"name,kind\n", "people.csv", "holds nobody"),
    ],
)
def test_unreadable_files_are_explained_at_upload(admin, world, content, filename, message):
    response, _token = _upload(admin, content, filename)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _people(world)[0].name == "Person of a1" and len(_people(world)) == 1


def test_other_file_types_and_empty_files_are_refused_at_upload(admin):
    response, _token = _upload(admin, b"MZ", "people.exe")
    assert response.status_code == 422
    assert "Choose a CSV or XLSX file" in response.get_data(as_text=True)
    response, _token = _upload(admin, b"", "people.csv")
    assert response.status_code == 422
    assert "The file is empty" in response.get_data(as_text=True)


def test_an_account_of_another_body_cannot_be_linked(admin, world):
    outsider = world.account("a2", "member")
    content = f"name,kind,account_email\nAna,member,{outsider}\n"
    response, _token = _upload(admin, content.encode(), "people.csv")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "No account of this body has this address" in page


def test_an_export_imports_back(admin, world, app):
    content = HEADER + "Ana,member,Chair,yes,,,law,French,woman,2030-01-01,,,\n"
    response, token = _upload(admin, content.encode(), "people.csv")
    admin.post(response.headers["Location"] + "/run", data={"csrf_token": token})
    exported = admin.post(f"{BASE}/export", data={"csrf_token": token, "format": "csv"})
    data = admin.get(exported.headers["Location"] + "/download").data
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        for person in db.session.scalars(Person.scoped_select()):
            db.session.delete(person)
        db.session.commit()
    response, token = _upload(admin, data, "people-export.csv")
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "The file is valid: 2 people" in page
    admin.post(response.headers["Location"] + "/run", data={"csrf_token": token})
    ana = next(p for p in _people(world) if p.name == "Ana")
    assert ana.leadership and ana.gender is Gender.WOMAN and ana.position == "Chair"
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        assert db.session.scalar(sa.select(sa.func.count(Person.id))) == 2
