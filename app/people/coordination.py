"""The coordination layer's view of the registers: figures across the bodies
of the mechanism, aggregated and suppressed; never a person."""

from __future__ import annotations

import csv
import io
from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, render_template

from app.audit.services import record
from app.extensions import db
from app.people import figures
from app.people.models import RegisterSettings
from app.spreadsheets import safe_cell
from tenants.context import aggregate_reads
from tenants.models import Body

bp = Blueprint("people", __name__, url_prefix="/people")


def _collect():
    bodies = db.session.scalars(sa.select(Body).order_by(Body.name)).all()
    today = date.today()
    thresholds = dict(
        db.session.execute(
            sa.select(RegisterSettings.body_id, RegisterSettings.secondment_months)
        ).all()
    )
    with aggregate_reads():
        per_body = figures.collect(today, thresholds)
    rows = [(body, per_body.get(body.id, figures.BodyFigures())) for body in bodies]
    total = figures.total(per_body)
    languages = sorted(total.languages, key=str.casefold)
    return rows, figures.publish(rows, total, languages)


@bp.get("/")
def overview():
    rows, published = _collect()
    return render_template("people/coordination.html", rows=rows, published=published)


@bp.get("/figures.csv")
def export():
    _rows, published = _collect()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["figure", "value", *[body.name for body in published.bodies], "total"])
    for section in published.sections.values():
        for row in section.rows:
            writer.writerow(
                [
                    section.name,
                    safe_cell(row.code),
                    *(safe_cell(str(cell)) for cell in [*row.cells, row.total]),
                ]
            )
    record("export.download", object_type="PeopleFigures", summary="people figures (CSV)")
    db.session.commit()
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="people-figures-{date.today()}.csv"'
        },
    )
