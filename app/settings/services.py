"""The only writer of a mechanism's settings."""

from __future__ import annotations

from app.audit.services import record
from tenants.models import Mechanism


def set_reporting_year(mechanism: Mechanism, month: int) -> None:
    if not 1 <= month <= 12:
        raise ValueError("a month is 1 to 12")
    before = mechanism.reporting_year_start_month
    mechanism.reporting_year_start_month = month
    record("mechanism.reporting_year", obj=mechanism, summary=f"{before} → {month}")
