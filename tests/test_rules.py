"""A body's internal rules: the lifecycle of a version, the checklist,
differences, stale saves, comments, sanitised Markdown, public visibility
and exports."""

from __future__ import annotations

import io
import re
import uuid
import zipfile

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.documents import diff, lifecycle
from app.documents.markup import render
from app.documents.vocabulary import VersionState
from app.extensions import db
from app.jobs.models import JobOutput
from app.rules.models import RuleComment, RuleSection, RuleVersion
from tenants.context import Layer, tenant_scope
from tests.support import sign_in
from tests.world import build_world

BASE = "/m/alpha/b/a2/rules"


def _fresh(model, object_id, world, body: str = "a2"):
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        return db.session.scalars(
            model.scoped_select()
            .where(model.id == uuid.UUID(str(object_id)))
            .execution_options(populate_existing=True)
        ).one()


def _versions(world, body: str = "a2") -> dict[int, RuleVersion]:
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        rows = db.session.scalars(
            RuleVersion.scoped_select().execution_options(populate_existing=True)
        ).all()
        return {v.number: v for v in rows}


def _start(client) -> str:
    response = client.post(f"{BASE}/versions")
    assert response.status_code == 302
    return response.headers["Location"].rsplit("/", 1)[1]


def _section_ids(client, version_id: str) -> list[str]:
    html = client.get(f"{BASE}/versions/{version_id}").get_data(as_text=True)
    return re.findall(r"/rules/sections/([0-9a-f-]{36})/edit", html)


def _clear_rulebook(world, body: str = "a2") -> None:
    """The world gives each body three versions; these tests start from none."""
    mechanism = world.mechanism_of(body)
    with tenant_scope(mechanism.id, world.bodies[body].id, layer=Layer.BODY):
        for version in db.session.scalars(RuleVersion.scoped_select()):
            for section in version.sections:
                for comment in db.session.scalars(
                    RuleComment.scoped_select().where(RuleComment.section_id == section.id)
                ):
                    db.session.delete(comment)
            db.session.delete(version)
        db.session.commit()


def test_first_draft_starts_from_the_toolkit_topics_and_the_checklist(app, world):
    _clear_rulebook(world)
    editor = world.client(app, "a2", "editor")
    version_id = _start(editor)
    html = editor.get(f"{BASE}/versions/{version_id}").get_data(as_text=True)
    for area in ("Roles and responsibilities", "Procedures", "Working methods"):
        assert area in html
    assert "Preventing reprisals" in html and "Workplace harassment" in html
    # a2 is an ombuds institution in a mechanism of two bodies: all three groups
    assert "Who speaks for the body?" in html
    assert "What is the role of commissioners" in html
    assert "What is the role of each institution and of the coordinating body?" in html
    assert "0 of 20 answered" in html
    assert len(_section_ids(editor, version_id)) == 17


def test_a_specialised_body_alone_gets_only_the_common_questions(app, world):
    from app.rules.services import checklist
    from tenants.models import Body, BodyKind

    mechanism = world.mechanisms["beta"]
    body = world.bodies["b1"]
    with tenant_scope(mechanism.id, body.id, layer=Layer.BODY):
        row = db.session.get(Body, (mechanism.id, body.id))
        row.kind = BodyKind.SPECIALISED
        version = RuleVersion(body_id=body.id, number=9)
        db.session.add(version)
        db.session.flush()
        groups = {item.question.group.value for item in checklist(version, row)}
        db.session.rollback()
    assert groups == {"every_body"}


def test_a_section_marked_as_answering_ticks_the_question(app, world):
    _clear_rulebook(world)
    editor = world.client(app, "a2", "editor")
    version_id = _start(editor)
    section_id = _section_ids(editor, version_id)[0]
    response = editor.post(
        f"{BASE}/sections/{section_id}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "The board decides on visits.",
            "questions": ["decides_visits", "spokesperson"],
            "revision": "1",
        },
    )
    assert response.status_code == 302
    html = editor.get(f"{BASE}/versions/{version_id}").get_data(as_text=True)
    assert "2 of 20 answered" in html
    # a code that is not a question of this checklist is refused
    response = editor.post(
        f"{BASE}/sections/{section_id}/edit",
        data={"title": "Who decides", "area": "roles", "questions": ["made_up"], "revision": "2"},
    )
    assert response.status_code == 422


def test_lifecycle_moves_only_as_allowed(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    first = _start(admin)
    # one working version at a time
    assert admin.post(f"{BASE}/versions").status_code == 302
    assert len(_versions(world)) == 1
    # draft → consultation → draft → consultation
    admin.post(f"{BASE}/versions/{first}/consultation")
    assert _versions(world)[1].state is VersionState.CONSULTATION
    admin.post(f"{BASE}/versions/{first}/draft")
    assert _versions(world)[1].state is VersionState.DRAFT
    # a draft cannot be sent back to drafting; nothing changes
    admin.post(f"{BASE}/versions/{first}/draft")
    assert _versions(world)[1].state is VersionState.DRAFT
    admin.post(f"{BASE}/versions/{first}/consultation")
    response = admin.post(
        f"{BASE}/versions/{first}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2026-03-01",
            "adoption_method": "formal_decision",
            "act_reference": "Decision 4/2026",
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    v1 = _versions(world)[1]
    assert v1.state is VersionState.ADOPTED and v1.act_reference == "Decision 4/2026"
    assert v1.adoption_method.value == "formal_decision"
    # an adopted version is final: no consultation, no second adoption, no edits
    admin.post(f"{BASE}/versions/{first}/consultation")
    assert _versions(world)[1].state is VersionState.ADOPTED
    assert admin.get(f"{BASE}/versions/{first}/adopt").status_code == 409
    section_id = str(v1.sections[0].id)
    assert admin.get(f"{BASE}/sections/{section_id}/edit").status_code == 302
    # a save that arrives after the adoption is refused, its text kept
    late = admin.post(
        f"{BASE}/sections/{section_id}/edit",
        data={"title": "Who decides", "area": "roles", "body": "Late words", "revision": "1"},
    )
    assert late.status_code == 409
    assert "is no longer a draft" in late.get_data(as_text=True)
    assert "Late words" in late.get_data(as_text=True)
    assert admin.post(f"{BASE}/sections/{section_id}/remove").status_code == 302
    assert len(_fresh(RuleVersion, first, world).sections) == 17
    # adopting the next version supersedes the one in force
    second = _start(admin)
    admin.post(
        f"{BASE}/versions/{second}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2026-06-01",
            "adoption_method": "informal_practice",
            "visibility": "internal",
        },
    )
    versions = _versions(world)
    assert versions[1].state is VersionState.SUPERSEDED
    assert versions[2].state is VersionState.ADOPTED
    assert admin.post(f"{BASE}/versions/{first}/consultation").status_code == 302
    assert _versions(world)[1].state is VersionState.SUPERSEDED


def test_the_lifecycle_table_itself():
    allowed = {(a, b) for a, targets in lifecycle.ALLOWED.items() for b in targets}
    assert allowed == {
        (VersionState.DRAFT, VersionState.CONSULTATION),
        (VersionState.DRAFT, VersionState.ADOPTED),
        (VersionState.CONSULTATION, VersionState.DRAFT),
        (VersionState.CONSULTATION, VersionState.ADOPTED),
        (VersionState.ADOPTED, VersionState.SUPERSEDED),
    }
    with pytest.raises(lifecycle.TransitionRefused):
        lifecycle.check(VersionState.SUPERSEDED, VersionState.ADOPTED)


def test_adoption_needs_a_date_not_in_the_future(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    first = _start(admin)
    response = admin.post(
        f"{BASE}/versions/{first}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2999-01-01",
            "adoption_method": "law",
            "act_reference": "Act 12",
        },
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "This date is in the future." in html and 'value="Act 12"' in html
    assert _versions(world)[1].state is VersionState.DRAFT


def test_a_stale_save_is_refused_and_the_text_kept(app, world):
    _clear_rulebook(world)
    first_editor = world.client(app, "a2", "editor")
    second_editor = world.client(app, "a2", "admin")
    version_id = _start(first_editor)
    section_id = _section_ids(first_editor, version_id)[0]
    form = {"title": "Who decides", "area": "roles", "revision": "1"}
    # both opened revision 1; the first saves
    saved = first_editor.post(
        f"{BASE}/sections/{section_id}/edit", data={**form, "body": "The board decides."}
    )
    assert saved.status_code == 302
    late = second_editor.post(
        f"{BASE}/sections/{section_id}/edit", data={**form, "body": "The chair decides alone."}
    )
    assert late.status_code == 409
    html = late.get_data(as_text=True)
    assert "Someone else saved this section" in html
    assert "The chair decides alone." in html  # their text, still in the form
    assert "The board decides." in html  # and what is saved now
    section = _fresh(RuleSection, section_id, world)
    assert section.body == "The board decides." and section.revision == 2
    # saving again from the refreshed form works
    revision = re.search(r'name="revision"[^>]*value="(\d+)"', html).group(1)
    again = second_editor.post(
        f"{BASE}/sections/{section_id}/edit",
        data={**form, "revision": revision, "body": "The chair decides alone."},
    )
    assert again.status_code == 302
    assert _fresh(RuleSection, section_id, world).body == "The chair decides alone."


def test_members_comment_during_consultation_and_editors_answer(app, world):
    _clear_rulebook(world)
    admin, member = world.client(app, "a2", "admin"), world.client(app, "a2", "member")
    version_id = _start(admin)
    section_id = _section_ids(admin, version_id)[0]
    # no comments on a draft
    assert (
        member.post(f"{BASE}/sections/{section_id}/comments", data={"text": "x"}).status_code == 409
    )
    admin.post(f"{BASE}/versions/{version_id}/consultation")
    assert (
        member.post(
            f"{BASE}/sections/{section_id}/comments", data={"text": "Add the deputy."}
        ).status_code
        == 302
    )
    # an empty comment is refused with a message, nothing stored
    member.post(f"{BASE}/sections/{section_id}/comments", data={"text": "  "})
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        comments = db.session.scalars(
            RuleComment.scoped_select().where(RuleComment.section_id == uuid.UUID(section_id))
        ).all()
        assert [c.text for c in comments] == ["Add the deputy."]
        comment_id = comments[0].id
    # a member cannot answer; an editor can, and resolve
    assert (
        member.post(f"{BASE}/comments/{comment_id}/answer", data={"answer": "x"}).status_code == 403
    )
    editor = world.client(app, "a2", "editor")
    editor.post(f"{BASE}/comments/{comment_id}/answer", data={"answer": "Done.", "resolved": "y"})
    comment = _fresh(RuleComment, comment_id, world)
    assert comment.answer == "Done." and comment.resolved
    html = member.get(f"{BASE}/versions/{version_id}").get_data(as_text=True)
    assert "Add the deputy." in html and "Done." in html and "resolved" in html
    # another body of the mechanism never sees them (the matrix checks the routes)
    a1 = world.client(app, "a1", "admin")
    assert a1.get(f"/m/alpha/b/a1/rules/versions/{version_id}").status_code == 404


def test_differences_are_word_by_word():
    pieces = diff.words("The board decides on visits.", "The chair decides on all visits.")
    assert [p for p in pieces if p.kind != "same"] == [
        diff.Piece("removed", "board"),
        diff.Piece("added", "chair"),
        diff.Piece("added", "all "),
    ]
    assert "".join(p.text for p in pieces if p.kind != "removed") == (
        "The chair decides on all visits."
    )


def test_compare_shows_added_removed_and_changed_sections(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    first = _start(admin)
    ids = _section_ids(admin, first)
    admin.post(
        f"{BASE}/sections/{ids[0]}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "The board decides.",
            "revision": "1",
        },
    )
    admin.post(
        f"{BASE}/versions/{first}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2026-01-01",
            "adoption_method": "law",
            "visibility": "internal",
        },
    )
    second = _start(admin)
    ids2 = _section_ids(admin, second)
    admin.post(
        f"{BASE}/sections/{ids2[0]}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "The plenary decides.",
            "revision": "1",
        },
    )
    admin.post(f"{BASE}/sections/{ids2[-1]}/remove")
    admin.post(
        f"{BASE}/versions/{second}/sections/new",
        data={"title": "Gifts and hospitality", "area": "ethics", "body": "None accepted."},
    )
    html = admin.get(f"{BASE}/compare?from={first}&to={second}").get_data(as_text=True)
    assert "<del>board</del><ins>plenary</ins>" in html
    assert "new section" in html and "<ins>Gifts and hospitality</ins>" in html
    assert "section removed" in html and "<del>Preventing reprisals</del>" in html
    assert "3 sections differ." in html
    # the removed section stands where it was: after the one before it
    assert html.index("Values and principles") < html.index("<del>Preventing reprisals</del>")
    assert html.index("<del>Preventing reprisals</del>") < html.index("<ins>Gifts and hospitality")
    same = admin.get(f"{BASE}/compare?from={second}&to={second}").get_data(as_text=True)
    assert "The two versions have the same text." in same


def test_markdown_is_sanitised():
    html = str(
        render(
            "# Title\n\n**bold** <script>alert(1)</script> <img src=x onerror=alert(2)>\n\n"
            "[click](javascript:alert(3)) [site](https://example.org)"
            ' <a href="#" onclick="x()">a</a>'
            "\n\n<iframe src='https://evil.example'></iframe>"
        )
    )
    assert "<strong>bold</strong>" in html and "<h2>Title</h2>" in html
    assert "script" not in html and "alert(1)" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html and "<iframe" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">site</a>' in html


def test_markdown_is_rendered_once_and_long_texts_are_not_kept():
    from app.documents import markup

    text = "Frozen **text** <script>x()</script> of an adopted version."
    first = render(text)
    hits = markup._cached.cache_info().hits
    assert render(text) == first and "script" not in str(first)
    assert markup._cached.cache_info().hits == hits + 1
    long = "word " * (markup.CACHED_TEXT // 5 + 1)
    size = markup._cached.cache_info().currsize
    assert "<p>word word" in str(render(long))
    assert markup._cached.cache_info().currsize == size


def test_a_section_with_script_is_shown_without_it(app, world):
    _clear_rulebook(world)
    editor = world.client(app, "a2", "editor")
    version_id = _start(editor)
    section_id = _section_ids(editor, version_id)[0]
    editor.post(
        f"{BASE}/sections/{section_id}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "Hello <script>alert('x')</script>[a](javascript:alert(1))",
            "revision": "1",
        },
    )
    html = editor.get(f"{BASE}/versions/{version_id}").get_data(as_text=True)
    assert "alert('x')" not in html and "javascript:alert" not in html
    assert _fresh(RuleSection, section_id, world).body.startswith("Hello <script>")  # kept as typed


def test_adopting_with_empty_sections_asks_for_confirmation_and_lists_them(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    version = _start(admin)
    data = {"adopted_on": "2026-01-01", "adoption_method": "law", "visibility": "internal"}
    form = admin.get(f"{BASE}/versions/{version}/adopt").get_data(as_text=True)
    assert "17 sections of this version are empty" in form and "Logistics" in form
    refused = admin.post(f"{BASE}/versions/{version}/adopt", data=data)
    assert refused.status_code == 422
    assert "confirm that this version is adopted without them" in refused.get_data(as_text=True)
    assert "Draft" in admin.get(f"{BASE}/versions/{version}").get_data(as_text=True)
    confirmed = admin.post(f"{BASE}/versions/{version}/adopt", data={**data, "confirm_empty": "y"})
    assert confirmed.status_code == 302


def test_only_public_adopted_versions_reach_the_public_site(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    public = app.test_client()
    first = _start(admin)
    ids = _section_ids(admin, first)
    admin.post(
        f"{BASE}/sections/{ids[0]}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "Secret deliberation rules.",
            "revision": "1",
        },
    )
    # a draft: never public
    assert public.get(f"/m/alpha/rules/{first}").status_code == 404
    admin.post(
        f"{BASE}/versions/{first}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2026-01-01",
            "adoption_method": "law",
            "visibility": "internal",
        },
    )
    # adopted but internal: not listed, not readable
    assert "Secret deliberation" not in public.get("/m/alpha/rules/").get_data(as_text=True)
    assert public.get(f"/m/alpha/rules/{first}").status_code == 404
    admin.post(f"{BASE}/versions/{first}/visibility", data={"visibility": "public"})
    listing = public.get("/m/alpha/rules/").get_data(as_text=True)
    assert f"/m/alpha/rules/{first}" in listing
    page = public.get(f"/m/alpha/rules/{first}")
    assert page.status_code == 200 and "Secret deliberation rules." in page.get_data(as_text=True)
    # the starter sections left empty are not published
    assert "Logistics" not in page.get_data(as_text=True)
    assert "Logistics" in admin.get(f"{BASE}/versions/{first}/print").get_data(as_text=True)
    # another mechanism's public site does not have it
    assert public.get(f"/m/beta/rules/{first}").status_code == 404
    # superseded: off the public site
    second = _start(admin)
    admin.post(
        f"{BASE}/versions/{second}/adopt",
        data={
            "confirm_empty": "y",
            "adopted_on": "2026-02-01",
            "adoption_method": "law",
            "visibility": "internal",
        },
    )
    assert public.get(f"/m/alpha/rules/{first}").status_code == 404


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_export_runs_as_a_job_and_is_audited(app, world, file_format):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    version_id = _start(admin)
    section_id = _section_ids(admin, version_id)[0]
    admin.post(
        f"{BASE}/sections/{section_id}/edit",
        data={
            "title": "Who decides",
            "area": "roles",
            "body": "The **board** decides: é ’ ✓",
            "revision": "1",
        },
    )
    member = world.client(app, "a2", "member")
    response = member.post(
        f"{BASE}/versions/{version_id}/export", data={"file_format": file_format}
    )
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"]
    run_id = response.headers["Location"].rsplit("/", 1)[1]
    download = member.get(f"/m/alpha/b/a2/jobs/{run_id}/download")
    assert download.status_code == 200
    data = download.data
    if file_format == "pdf":
        assert data.startswith(b"%PDF") and download.mimetype == "application/pdf"
    else:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read("word/document.xml").decode()
        assert "Who decides" in xml and "The " in xml and "board" in xml and "é ’ ✓" in xml
        # no empty paragraph and no stray line break between blocks
        assert "<w:br/>" not in xml and "<w:p/>" not in xml
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        actions = db.session.scalars(
            sa.select(AuditEvent.action).where(AuditEvent.action.like("export.%"))
        ).all()
        assert "export.request" in actions
        assert db.session.scalar(sa.select(sa.func.count()).select_from(JobOutput)) >= 1


def test_print_view_is_standalone_and_complete(app, world):
    member = world.client(app, "a2", "member")
    adopted = world.rules["a2"]["rule_adopted"]
    response = member.get(f"{BASE}/versions/{adopted}/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Internal rules of" in html and "Draft rule 1 of a2" in html
    assert "css/print.css" in html and "subnav" not in html


def test_every_write_leaves_an_audit_event(app, world):
    _clear_rulebook(world)
    admin = world.client(app, "a2", "admin")
    version_id = _start(admin)
    admin.post(f"{BASE}/versions/{version_id}/consultation")
    with tenant_scope(world.mechanisms["alpha"].id, world.bodies["a2"].id, layer=Layer.BODY):
        actions = set(db.session.scalars(sa.select(AuditEvent.action)))
    assert {"document.version.create", "document.version.consultation"} <= actions


def test_every_form_of_the_document_pages_carries_its_csrf_token(make_app):
    """With CSRF protection on, as in production: a form without its token
    would answer 400 and lose what was typed."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        world = build_world()
        pages = [
            (
                world.account("a1", "admin"),
                [
                    f"/m/alpha/b/a1/rules/versions/{world.rules['a1'][kind]}"
                    for kind in ("rule_draft", "rule_consultation", "rule_adopted")
                ]
                + [
                    f"/m/alpha/b/a1/charters/versions/{world.charters['alpha'][kind]}"
                    for kind in ("charter_consultation", "charter_published")
                ]
                + [
                    f"/m/alpha/coordination/charters/versions/{world.charters['alpha'][kind]}"
                    for kind in ("charter_draft", "charter_consultation")
                ]
                + ["/m/alpha/coordination/charters/", "/m/alpha/b/a1/rules/"],
            )
        ]
        for email, urls in pages:
            client = app.test_client()
            sign_in(client, email)
            for url in urls:
                html = client.get(url).get_data(as_text=True)
                forms = re.findall(r'<form method="post".*?</form>', html, re.S)
                assert forms, url
                for form in forms:
                    assert re.search(r'name="csrf_token"[^>]*value="[^"]+"', form), (url, form)
        # and a comment sent with its token is recorded
        client = app.test_client()
        sign_in(client, world.account("a1", "member"))
        url = f"/m/alpha/b/a1/rules/versions/{world.rules['a1']['rule_consultation']}"
        html = client.get(url).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        section = world.rules["a1"]["rule_consultation_section"]
        response = client.post(
            f"/m/alpha/b/a1/rules/sections/{section}/comments",
            data={"text": "With its token", "csrf_token": token},
        )
        assert response.status_code == 302
