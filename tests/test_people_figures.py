"""Figures about people: small counts suppressed, and nothing individual or
sensitive reaching the coordinating body; query budgets at any volume."""

from __future__ import annotations

import csv
import io
import re

from app.people.figures import Shown, small, suppress
from app.people.vocabulary import ExpertiseArea, Gender, Minority
from tests.growth import people
from tests.support import sign_in


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


def test_the_coordinator_sees_aggregates_only(app, world):
    # a2: 3 women who belong to a minority, 6 men who do not
    people(
        world,
        "a2",
        3,
        gender=Gender.WOMAN,
        minority=Minority.YES,
        areas=[ExpertiseArea.PSYCHIATRY],
        languages=["Romani"],
    )
    people(
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
    people(world, "a2", 1, gender=Gender.WOMAN, minority=Minority.YES)
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
    people(world, "a1", 6, gender=Gender.MAN)
    people(world, "a1", 2, gender=Gender.WOMAN)
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/b/a1/people/dashboard").get_data(as_text=True)
    gender = page.split("<h2>Gender balance</h2>")[1].split("<h2>Minority")[0]
    assert "fewer than 5" in gender
    assert ">2<" not in gender and ">6<" not in gender  # 6 men shown would give away the 2
