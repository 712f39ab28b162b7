"""Sharing declared on the data: every tenant model says who reads its rows,
and a migration can take the declaration as it stands."""

from __future__ import annotations

from tenants.scoping import sharing_of, tenant_models
from tenants.sharing import Audience, Sharing


def test_the_printed_declarations_are_what_the_models_declare(app, cli):
    result = cli.invoke(args=["tenants", "sharing"])
    assert result.exit_code == 0, result.output
    namespace: dict = {"Sharing": Sharing, "Audience": Audience}
    exec(result.output, namespace)  # noqa: S102 (our own output, as a migration pastes it)
    models = tenant_models()
    assert namespace["SHARING"] == {table: sharing_of(model) for table, model in models.items()}


def test_an_unknown_table_is_refused(app, cli):
    result = cli.invoke(args=["tenants", "sharing", "users"])
    assert result.exit_code != 0 and "not tenant tables: users" in result.output
