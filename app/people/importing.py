"""Importing people from a spreadsheet: a preview lists every error by line
and column; the import itself (a job) writes all rows or none."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from app.audit.services import record
from app.extensions import db
from app.jobs.models import JobRun
from app.jobs.services import enqueue
from app.people import services
from app.people.models import PeopleImport, Person
from app.people.tabular import ParsedRow, RowError, parse_row, read


@dataclass
class Preview:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unreadable: str = ""
    accounts: dict[str, int] = field(default_factory=dict)  # address → user id

    @property
    def valid(self) -> bool:
        return not self.unreadable and not self.errors and bool(self.rows)


def receive(filename: str, data: bytes, uploaded_by: int) -> PeopleImport:
    """A file read once, within bounds, and kept as its rows (not as the
    file) until its import runs: raises ``UnreadableFile`` with the reason."""
    table = read(filename, data)
    upload = PeopleImport(
        filename=filename,
        parsed_rows=[[line, values] for line, values in table],
        uploaded_by=uploaded_by,
    )
    db.session.add(upload)
    return upload


def start(upload: PeopleImport, user) -> JobRun:
    """Queue the import of an upload's checked rows; the upload remembers its
    run, so that it is imported once."""
    run = enqueue("people.import", params={"import_id": str(upload.id)}, by=user)
    # an import run in-process has committed and expired what was loaded
    PeopleImport.get_scoped_or_404(upload.id).job_run_id = run.id
    return run


def check(upload: PeopleImport) -> Preview:
    """The rows as drafts, with every error: the register's rules and the
    accounts are checked anew at each look, the file is never read again."""
    preview = Preview()
    for line, values in upload.parsed_rows or []:
        row, errors = parse_row(line, values)
        preview.rows.append(row)
        preview.errors.extend(errors)
    _check_accounts(preview, upload.body_id)
    if not preview.rows:
        preview.unreadable = _("This import is no longer available.")
    return preview


def _check_accounts(preview: Preview, body_id) -> None:
    accounts = {user.email: user.id for user in services.body_accounts(body_id)}
    taken = services.linked_accounts()
    seen: set[str] = set()
    for row in preview.rows:
        email = row.account_email
        if not email:
            continue
        if email not in accounts:
            message = _("No account of this body has this address.")
        elif accounts[email] in taken or email in seen:
            message = _("This account is already linked to a person of the register.")
        else:
            seen.add(email)
            preview.accounts[email] = accounts[email]
            continue
        preview.errors.append(RowError(row.line, "account_email", message))
        row.draft = None
    preview.errors.sort(key=lambda error: error.line)


def run(upload: PeopleImport, progress) -> int:
    """Write every row of a valid file, in the caller's transaction."""
    preview = check(upload)
    if not preview.valid:
        return -1
    total = len(preview.rows)
    for index, row in enumerate(preview.rows, 1):
        person = Person(body_id=upload.body_id, user_id=preview.accounts.get(row.account_email))
        services.fill(person, row.draft, sensitive=True)
        db.session.add(person)
        if index % 100 == 0:
            db.session.flush()
            progress(index * 100 // total, f"{index} / {total}")
    upload.rows = total
    upload.parsed_rows = None  # the people are in the register now; the copy goes
    record("people.import", obj=upload, summary=f"{upload.filename}: {total} people")
    return total
