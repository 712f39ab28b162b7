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
from app.people.vocabulary import ExpertiseArea, Gender, Minority
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
    empty = figures.BodyFigures()
    rows = [(body, per_body.get(body.id, empty)) for body in bodies]
    return rows, figures.total(per_body)


@bp.get("/")
def overview():
    rows, total = _collect()
    return render_template(
        "people/coordination.html",
        rows=rows,
        total=total,
        areas=figures.AREAS,
        small=figures.small,
        labelled=figures.labelled,
        languages=sorted(total.languages, key=str.casefold),
    )


@bp.get("/figures.csv")
def export():
    rows, total = _collect()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["figure", "value", *[body.name for body, _figures in rows], "total"])
    everyone = [*[figures_ for _body, figures_ in rows], total]

    def line(figure: str, value: str, counts) -> None:
        writer.writerow([figure, value, *(safe_cell(str(count)) for count in counts)])

    line("people", "active", [figures.small(f.active) for f in everyone])
    for area in ExpertiseArea:
        line("expertise", area.value, [figures.small(f.expertise[area]) for f in everyone])
    for language in sorted(total.languages, key=str.casefold):
        line("language", language, [figures.small(f.languages[language]) for f in everyone])
    genders = [f.shown_gender() for f in everyone]
    for key in [*Gender, figures.NOT_DECLARED]:
        line("gender", str(key), [shown[key] for shown in genders])
    minorities = [f.shown_minority() for f in everyone]
    for key in [*Minority, figures.NOT_DECLARED]:
        line("minority", str(key), [shown[key] for shown in minorities])
    for flag in ("incompatible", "short_secondments", "seconded_leadership", "terms_ended"):
        line("flag", flag, [figures.small(getattr(f, flag)) for f in everyone])
    record("export.download", object_type="PeopleFigures", summary="people figures (CSV)")
    db.session.commit()
    return Response(
        buffer.getvalue().encode("utf-8-sig"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="people-figures-{date.today()}.csv"'
        },
    )
