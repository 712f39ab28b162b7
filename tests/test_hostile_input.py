"""Hostile and oversized input, from a signed-in account: bounded uploads,
bounded numbers, error pages that survive a failed transaction, a bounded
trail of refusals, and downloads that say their charset once."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage
from werkzeug.test import Client, encode_multipart

from app.audit.models import AuditEvent
from app.extensions import db
from app.people.models import PeopleImport
from app.security import LastResort
from tenants.context import Layer, raw_sql, tenant_scope
from tests.support import sign_in

BASE = "/m/alpha/b/a1"


@pytest.fixture
def admin(app, world):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    return client


def _upload(client, content: bytes, filename: str):
    # the body encoded in memory: one the server refuses unread leaves no
    # temporary file of the test client's open
    upload = FileStorage(io.BytesIO(content), filename=filename, name="spreadsheet")
    boundary, body = encode_multipart({"spreadsheet": upload})
    return client.post(
        f"{BASE}/people/import",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook whose first sheet is replaced by ``sheet_xml``."""
    workbook = Workbook()
    workbook.active.append(["name", "kind"])
    source = io.BytesIO()
    workbook.save(source)
    crafted = io.BytesIO()
    with (
        zipfile.ZipFile(source) as original,
        zipfile.ZipFile(crafted, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for part in original.infolist():
            data = sheet_xml if part.filename == "xl/worksheets/sheet1.xml" else original.read(part)
            bomb.writestr(part.filename, data)
    return crafted.getvalue()


def _sheet(row: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row + b"</sheetData></worksheet>"
    )


# 1. Spreadsheets bounded while they are read, and read once -----------------------


@pytest.mark.parametrize(
    ("sheet", "message"),
    [
        # one row of three million cells: 12 MB unpacked from a few kilobytes
        (_sheet(b'<row r="1">' + b"<c/>" * 3_000_000 + b"</row>"), "more than 64 cells"),
        # a part that unpacks to 40 MB
        (_sheet(b"<row/>") + b" " * 40_000_000, "unpacks to more than 25 MB"),
        # more rows than an import takes
        (_sheet(b"<row><c/></row>" * 6000), "more than 5000 rows"),
    ],
    ids=["cells", "unpacked", "rows"],
)
def test_a_zip_bomb_is_refused_at_once_with_a_reason(admin, world, sheet, message):
    content = _xlsx_with_sheet(sheet)
    assert len(content) < 200_000
    started = time.perf_counter()
    response = _upload(admin, content, "people.xlsx")
    # Read whole, these took 74-96 s; refused, they take well under a second
    # (5 leaves room for a loaded machine without letting a full read pass).
    assert time.perf_counter() - started < 5
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a1"].id, layer=Layer.BODY):
        # nothing kept but the world's own upload
        assert db.session.scalar(sa.select(sa.func.count(PeopleImport.id))) == 1


def test_the_preview_never_reads_the_file_again(admin, world, monkeypatch):
    response = _upload(admin, b"name,kind\nAna,member\n", "people.csv")
    assert response.status_code == 302
    from app.spreadsheets import UnreadableFile

    def no_more_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr("app.people.tabular.read_table", no_more_reading)
    for _ in range(2):
        page = admin.get(response.headers["Location"]).get_data(as_text=True)
        assert "The file is valid: 1 person" in page
    assert UnreadableFile  # the reading above would have raised


def test_long_cells_are_refused_with_a_reason(admin):
    response = _upload(admin, b"name,kind\n" + b"x" * 20_000 + b",member\n", "people.csv")
    assert response.status_code == 422
    assert "A cell holds more than 5000 characters" in response.get_data(as_text=True)
    # past the CSV reader's own limit: refused too, not a server error
    response = _upload(admin, b'name,kind\n"' + b"x" * 200_000 + b'",member\n', "people.csv")
    assert response.status_code == 422
    assert "cannot be read" in response.get_data(as_text=True)


# 2. Requests bounded before they are read -------------------------------------------


def test_an_oversized_upload_is_answered_413_with_a_page(admin):
    response = _upload(admin, b"name,kind\n" + b"x" * (11 * 1024 * 1024), "people.csv")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "larger than 10 MB" in page and "Body a1" in page  # inside the layout
    assert response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_the_request_limit_is_configurable(make_app, world):
    app = make_app(MAX_CONTENT_LENGTH=1024 * 1024)
    with app.app_context():
        client = app.test_client()
        sign_in(client, world.account("a1", "admin"))
        response = _upload(client, b"name,kind\n" + b"x" * (2 * 1024 * 1024), "people.csv")
    assert response.status_code == 413 and "larger than 1 MB" in response.get_data(as_text=True)


# 3. Numbers bounded -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/people/?page=99999999999999999999999999",
        "/people/?page=9223372036854775807",
        "/accounts/?page=100001",
        "/audit/?page=" + "9" * 5000,
        "/audit/?actor=99999999999999999999999999",
        "/audit/?actor=2147483648",
        "/audit/?actor=-1",
    ],
)
def test_numbers_out_of_range_are_not_found(admin, path):
    assert admin.get(BASE + path).status_code == 404


def test_numbers_out_of_range_in_forms_start_no_job_or_are_field_errors(admin):
    response = admin.post(f"{BASE}/audit/export", data={"actor": "2147483648"})
    assert response.status_code == 404
    response = admin.post(
        f"{BASE}/people/settings", data={"secondment_months": "99999999999999999999"}
    )
    assert response.status_code == 422
    assert "Enter a whole number from 1 to 240." in response.get_data(as_text=True)


def test_nonsense_and_the_last_day_are_filters_left_out_or_kept(admin):
    for query in ("page=x&actor=x", "page=-3", "to=9999-12-31", "from=0001-01-01"):
        assert admin.get(f"{BASE}/audit/?{query}").status_code == 200, query
    assert admin.get(f"{BASE}/people/?term_within=99999999999999999999").status_code == 200


# 4. Error pages whatever the transaction's state --------------------------------------


@pytest.mark.postgresql
def test_the_error_page_renders_after_a_failed_transaction(make_app, world):
    app = make_app()

    @app.get("/test/refused-statement")
    def refused_statement():
        with raw_sql("a statement the database refuses: the transaction is aborted"):
            db.session.execute(sa.text("SELECT CAST('2147483648' AS integer)"))

    with app.app_context():
        client = app.test_client()
        sign_in(client, world.account("a1", "admin"))
        response = client.get("/test/refused-statement")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "Body a1" in page  # the layout's spaces
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_a_signed_in_account_gets_the_public_sites_404_in_the_layout(admin):
    """The error page starts a fresh transaction, in which the public site's
    layer may not read the account again: it stays as it was loaded."""
    response = admin.get("/m/alpha/charters/no-such-version")
    assert response.status_code == 404
    assert "a1-admin" in response.get_data(as_text=True)  # the account's name


def test_what_the_application_did_not_render_still_carries_the_headers():
    def failing(environ, start_response):
        raise RuntimeError("even the error page failed")

    def bare(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"bare"]

    response = Client(LastResort(failing)).get("/")
    assert response.status_code == 500 and b"Something went wrong" in response.data
    assert response.headers["Cache-Control"] == "no-store"
    for wrapped in (failing, bare):
        headers = Client(LastResort(wrapped)).get("/").headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


# 5. Refusals bounded in the audit trail -------------------------------------------------


def test_repeated_refusals_make_a_few_events_that_count_them(app, world):
    member = app.test_client()
    sign_in(member, world.account("a1", "member"))
    for _ in range(120):
        assert member.get(f"{BASE}/audit/").status_code == 403
    assert member.get(f"{BASE}/people/settings").status_code == 403
    a1 = world.bodies["a1"]
    with tenant_scope(a1.mechanism_id, a1.id, layer=Layer.BODY):
        summaries = db.session.scalars(
            sa.select(AuditEvent.summary)
            .where(
                AuditEvent.action == "access.refused",
                AuditEvent.actor_email == world.account("a1", "member"),
            )
            .order_by(AuditEvent.occurred_at)
        ).all()
    assert summaries == [
        f"403 GET {BASE}/audit/",
        f"403 GET {BASE}/audit/ (10 refusals of this page to this account within the hour)",
        f"403 GET {BASE}/audit/ (100 refusals of this page to this account within the hour)",
        f"403 GET {BASE}/people/settings",
    ]


# 6. One charset -------------------------------------------------------------------------


def test_csv_downloads_name_their_charset_once(admin):
    started = admin.post(f"{BASE}/audit/export", data={"action": "nothing"})
    download = admin.get(started.headers["Location"] + "/download")
    assert download.headers["Content-Type"] == "text/csv; charset=utf-8"
    template = admin.get(f"{BASE}/people/import/template.csv")
    assert template.headers["Content-Type"] == "text/csv; charset=utf-8"
