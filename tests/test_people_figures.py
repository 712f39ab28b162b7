"""Figures about people: small counts suppressed, and nothing individual or
sensitive reaching the coordinating body; query budgets at any volume."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest

from app.extensions import db
from app.people.figures import Shown, small, suppress
from app.people.models import Person, PersonExpertise, PersonLanguage
from app.people.vocabulary import ExpertiseArea, Gender, Minority, PersonKind
from tenants.context import Layer, tenant_scope
from tests.support import assert_max_queries, count_queries, sign_in
from tests.world import build_world


@pytest.fixture
def world(app):
    return build_world()


def test_counts_below_five_are_hidden_with_whatever_would_give_them_away():
    keys = ["a", "b", "c"]
    assert suppress({"a": 10, "b": 7, "c": 6}, keys) == {
        "a": Shown(10),
        "b": Shown(7),
        "c": Shown(6),
    }
    # 2 hidden alone would be given away by the total: the next smallest goes too
    assert suppress({"a": 10, "b": 7, "c": 2}, keys) == {
        "a": Shown(10),
        "b": Shown(None),
        "c": Shown(None),
    }
    # zeros are hidden too: "nobody else" would name everyone's value
    assert suppress({"a": 6}, keys) == {"a": Shown(None), "b": Shown(None), "c": Shown(None)}
    assert (
        suppress({"a": 6, "b": 5}, keys)["c"].hidden
        and suppress({"a": 6, "b": 5}, keys)["b"].hidden
    )
    assert suppress({"a": 6, "b": 5, "c": 5}, keys)["c"] == Shown(5)
    assert str(Shown(None)) == "fewer than 5"
    assert small(0) == Shown(0) and small(3).hidden and small(5) == Shown(5)


def _people(world, body: str, count: int, **fields) -> None:
    mechanism = world.mechanism_of(body)
    body_id = world.bodies[body].id
    languages = fields.pop("languages", [])
    areas = fields.pop("areas", [])
    with tenant_scope(mechanism.id, body_id, layer=Layer.BODY):
        for i in range(count):
            person = Person(
                body_id=body_id,
                kind=fields.get("kind", PersonKind.MEMBER),
                name=f"{body} person {i}",
                **{k: v for k, v in fields.items() if k != "kind"},
            )
            person.languages.extend(
                PersonLanguage(body_id=body_id, language=language) for language in languages
            )
            person.expertise.extend(PersonExpertise(body_id=body_id, area=area) for area in areas)
            db.session.add(person)
        db.session.commit()


def test_the_coordinator_sees_aggregates_only(app, world):
    # a2: 3 women who belong to a minority, 6 men who do not
    _people(
        world,
        "a2",
        3,
        gender=Gender.WOMAN,
        minority=Minority.YES,
        areas=[ExpertiseArea.PSYCHIATRY],
        languages=["Romani"],
    )
    _people(
        world,
        "a2",
        6,
        gender=Gender.MAN,
        minority=Minority.NO,
        areas=[ExpertiseArea.LAW],
        languages=["French"],
    )
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/coordination/people/").get_data(as_text=True)
    assert "a2 person" not in page and "Person of a2" not in page
    for section in ("Gender balance", "Minority representation"):
        table = page.split(f"<h2>{section}</h2>")[1].split("</table>")[0]
        cells = re.findall(r"<td>([^<]*)</td>", table)
        assert cells and all(_safe(cell) for cell in cells), (section, cells)
    text = client.get("/m/alpha/coordination/people/figures.csv").data.decode("utf-8-sig")
    assert "a2 person" not in text
    for row in csv.reader(io.StringIO(text)):
        if row[0] in ("gender", "minority"):
            assert all(_safe(cell) for cell in row[2:]), row
    # the skills matrix: counts from 1 to 4 hidden, 0 shown as none
    assert "Psychiatry" in page and "Romani" in page


def _safe(cell: str) -> bool:
    """A shown sensitive count: hidden, or large enough to name nobody."""
    return cell == "fewer than 5" or int(cell) >= 5


def test_coordinator_figures_never_carry_an_individual_sensitive_value(app, world):
    # one body with a single person: any exact gender count would name her
    _people(world, "a2", 1, gender=Gender.WOMAN, minority=Minority.YES)
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    page = client.get("/m/alpha/coordination/people/").get_data(as_text=True)
    for section in ("Gender balance", "Minority representation"):
        table = page.split(f"<h2>{section}</h2>")[1].split("</table>")[0]
        assert set(re.findall(r"<td>([^<]*)</td>", table)) == {"fewer than 5"}
    text = client.get("/m/alpha/coordination/people/figures.csv").data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        if row[0] in ("gender", "minority"):
            assert set(row[2:]) == {"fewer than 5"}, row


def test_the_body_dashboard_hides_small_sensitive_counts(app, world):
    _people(world, "a1", 6, gender=Gender.MAN)
    _people(world, "a1", 2, gender=Gender.WOMAN)
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/b/a1/people/dashboard").get_data(as_text=True)
    gender = page.split("<h2>Gender balance</h2>")[1].split("<h2>Minority")[0]
    assert "fewer than 5" in gender
    assert ">2<" not in gender and ">6<" not in gender  # 6 men shown would give away the 2


BUDGETS = {
    "/m/alpha/b/a1/people/": 13,
    # the session and tenant (6), settings, eleven aggregates, the flagged people (4)
    "/m/alpha/b/a1/people/dashboard": 20,
    # the session and tenant (6), the bodies, settings, eleven aggregates
    "/m/alpha/coordination/people/": 17,
}


@pytest.mark.parametrize("url", sorted(BUDGETS))
def test_people_pages_keep_their_query_budget_at_10_and_1000_people(app, world, url):
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    _people(
        world,
        "a1",
        9,
        areas=[ExpertiseArea.LAW],
        languages=["French"],
        gender=Gender.WOMAN,
        term_end=date(2020, 1, 1),
    )
    with count_queries() as few:
        assert client.get(url).status_code == 200
    _people(
        world,
        "a1",
        990,
        areas=[ExpertiseArea.LAW, ExpertiseArea.PSYCHOLOGY],
        languages=["French", "Arabic"],
        gender=Gender.MAN,
        term_end=date(2021, 1, 1),
    )
    with assert_max_queries(BUDGETS[url]) as many:
        response = client.get(url)
        assert response.status_code == 200
    assert many.count == few.count, "the number of queries grows with the data"
