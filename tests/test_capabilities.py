"""Each capability declares itself in its own package, and nothing else
names it: the factory, the layouts and the demo loader read declarations."""

from __future__ import annotations

import ast
from pathlib import Path

from flask import Blueprint

from app import capabilities
from app.jobs import registry

ROOT = Path(__file__).resolve().parent.parent


def _package(module: str) -> str:
    return ".".join(module.split(".")[:2])  # app.<capability>


def _owner(module: str) -> capabilities.Capability:
    owners = [c for c in capabilities.declared() if f"app.{c.name}" == _package(module)]
    assert owners, f"{module} is in no capability's package"
    return owners[0]


def test_every_capability_is_found_once():
    names = [c.name for c in capabilities.declared()]
    assert len(names) == len(set(names))
    assert {"people", "rules", "charters", "audit", "home"} <= set(names)


def test_blueprints_navigation_and_demo_are_declared_in_their_own_package(app):
    for capability in capabilities.declared():
        own = f"app.{capability.name}"
        for _layer, blueprint in capability.blueprints:
            assert _package(blueprint.import_name) == own, (capability.name, blueprint.name)
        endpoints = {
            f"{layer}.{bp.name}" if layer != "site" else bp.name
            for layer, bp in capability.blueprints
        }
        for entry in capability.nav:
            assert entry.endpoint.rsplit(".", 1)[0] in endpoints, (capability.name, entry)
            assert entry.endpoint in app.view_functions
        for part in (capability.demo, capability.scale):
            if part is not None:
                assert _package(part.__module__) == own, (capability.name, part)


def test_every_blueprint_of_the_application_comes_from_a_declaration(app):
    declared = {bp for c in capabilities.declared() for _layer, bp in c.blueprints}
    layers = {"body", "coordination", "public"}
    for name, blueprint in app.blueprints.items():
        if name in layers or "." in name:
            continue  # the layers themselves, and what nests in them (checked below)
        assert blueprint in declared, name
    nested = {
        child
        for layer in layers
        for child, _options in app.blueprints[layer]._blueprints  # noqa: SLF001
    }
    assert nested <= declared
    assert all(isinstance(bp, Blueprint) for bp in declared)


def test_every_job_is_registered_by_its_capability(app):
    for spec in registry._jobs.values():  # noqa: SLF001
        if spec.func.__module__.startswith("tests."):
            continue  # the suite's own jobs
        capability = _owner(spec.func.__module__)
        assert spec.func.__module__ in capability.registers, spec.name


def test_the_factory_and_the_layouts_name_no_capability():
    tree = ast.parse((ROOT / "app" / "__init__.py").read_text())
    packages = {f"app.{c.name}" for c in capabilities.declared()}
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if _package(name) in packages}
    for layout in ("body_base.html", "coordination_base.html"):
        text = (ROOT / "templates" / layout).read_text()
        assert "url_for(entry.endpoint)" in text
        assert "url_for('" not in text and 'url_for("' not in text, layout


def test_the_ceiling_page_is_served_in_benchmark_mode_only(make_app):
    from tests.support import add_member, make_body, make_mechanism, make_user, sign_in

    ordinary, benchmark = make_app(), make_app(BENCHMARK_MODE=True)
    with ordinary.app_context():
        alpha = make_mechanism("alpha")
        member = make_user("member@test.example", two_factor=True)
        add_member(member, alpha, make_body(alpha, "a1"), "member")
    for app, status in ((ordinary, 404), (benchmark, 200)):
        with app.app_context():
            client = app.test_client()
            sign_in(client, "member@test.example")
            answer = client.get("/m/alpha/b/a1/benchmark/ceiling")
            assert answer.status_code == status, answer.headers.get("Location")
