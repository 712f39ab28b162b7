"""Forms that failed say so at the top (the GOV.UK error summary), fields
are marked required, and no page repeats an id."""

from __future__ import annotations

import re
from collections import Counter

from tests.growth import people


def _ids(html: str) -> Counter:
    return Counter(re.findall(r'\sid="([^"]+)"', html))


def test_a_failed_form_opens_with_a_linked_summary_of_its_errors(app, world):
    client = world.client(app, "a1", "admin")
    page = client.get("/m/alpha/b/a1/people/new").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post(
        "/m/alpha/b/a1/people/new", data={"csrf_token": token, "kind": "member", "name": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "<title>Error:" in html
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    assert 'href="#name"' in summary and "autofocus" in summary
    assert html.index('class="error-summary"') < html.index("<h1")


def test_required_fields_are_marked(app, world):
    page = world.client(app, "a1", "admin").get("/m/alpha/b/a1/people/new").get_data(as_text=True)
    line = re.search(r'<span class="label-line"><label for="name">.*?</span></span>', page)
    assert line and "(required)" in line.group(0)


def test_pages_with_several_forms_repeat_no_id(app, world):
    people(world, "a1", 1)
    client = world.client(app, "a1", "admin")
    index = client.get("/m/alpha/b/a1/people/").get_data(as_text=True)
    person = re.search(r'/m/alpha/b/a1/people/([0-9a-f-]{36})"', index).group(1)
    for url in ("/m/alpha/b/a1/", f"/m/alpha/b/a1/people/{person}", "/m/alpha/b/a1/accounts/"):
        repeated = [i for i, n in _ids(client.get(url).get_data(as_text=True)).items() if n > 1]
        assert not repeated, (url, repeated)
