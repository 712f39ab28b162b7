"""Figures about people: small counts suppressed, and nothing individual or
sensitive reaching the coordinating body; query budgets at any volume."""

from __future__ import annotations

import csv
import html
import io
import random
import re
from types import SimpleNamespace

from app.people import figures
from app.people.disclosure import Table
from app.people.vocabulary import ExpertiseArea, Gender, Minority
from tests import disclosure_checker as checker
from tests.growth import people
from tests.support import add_member, make_body, make_user, sign_in


def _published(values: dict, total_key="T", *, fixed=False) -> dict:
    table = Table()
    for key, value in values.items():
        table.add(key, value)
    table.add(total_key, sum(values.values()), last_resort=True, fixed=fixed)
    table.line(list(values), total_key)
    return {key: str(shown) for key, shown in table.protect().items()}


def test_fewer_than_5_is_said_only_of_counts_from_1_to_4():
    assert _published({"a": 10, "b": 7, "c": 6}) == {"a": "10", "b": "7", "c": "6", "T": "23"}
    # 2 alone would be given away by the total: another is hidden, and says so
    assert _published({"a": 10, "b": 7, "c": 2}) == {
        "a": "10",
        "b": "hidden",
        "c": "fewer than 5",
        "T": "19",
    }
    # zeros name nobody: shown; a large count beside them is shown as it is
    assert _published({"undisclosed": 16, "man": 0, "woman": 0}) == {
        "undisclosed": "16",
        "man": "0",
        "woman": "0",
        "T": "16",
    }
    # a hidden zero beside a 3 would be read as 0 ("hidden" is 0 or 5 and
    # more): a count of 5 or more is hidden instead
    published = _published({"a": 6, "b": 3, "c": 0}, fixed=True)
    assert published == {"a": "hidden", "b": "fewer than 5", "c": "0", "T": "9"}
    # a total that leaves no way to hide a 1 beside a 5: all say "hidden"
    published = _published({"a": 1, "b": 5, "c": 0}, fixed=True)
    assert published["a"] == published["b"] == "hidden" and published["T"] == "6"


def test_a_row_total_no_longer_gives_a_hidden_body_away(app, world):
    """The issue's example: Policing read 5 + 11 + "fewer than 5" = 20."""
    alpha = world.mechanisms["alpha"]
    world.bodies["a3"] = make_body(alpha, "a3")
    for body, count in (("a1", 5), ("a2", 11), ("a3", 4)):
        people(world, body, count, areas=[ExpertiseArea.POLICING])
    text, page = _figures(app, world)
    columns, cells = checker.parse(text)
    policing = [cells[("expertise", "policing", column)] for column in columns]
    assert policing.count("fewer than 5") == 1 and "hidden" in policing, policing
    assert checker.linearly_recovered(columns, cells) == []
    assert checker.recovered_from_labels(columns, cells) == []
    _page_matches_csv(page, columns, cells)


def test_no_hidden_figure_can_be_recovered_from_the_published_totals(app, world):
    """Rows, columns and the grand total together: the attacker's checker
    finds no hidden cell it can work out."""
    alpha = world.mechanisms["alpha"]
    for slug in ("a3", "a4", "a5"):
        world.bodies[slug] = make_body(alpha, slug)
    mix = {
        "a1": [(16, Gender.UNDISCLOSED, Minority.NO), (3, Gender.WOMAN, Minority.YES)],
        "a2": [(7, Gender.MAN, Minority.NO), (6, Gender.WOMAN, None), (2, Gender.OTHER, None)],
        "a3": [(4, Gender.WOMAN, Minority.YES), (1, Gender.MAN, Minority.NO)],
        "a4": [(9, Gender.WOMAN, Minority.NO), (5, Gender.MAN, Minority.UNDISCLOSED)],
    }
    areas = [ExpertiseArea.LAW, ExpertiseArea.FORENSIC_MEDICINE, ExpertiseArea.MIGRATION]
    for body, groups in mix.items():
        for i, (count, gender, minority) in enumerate(groups):
            people(world, body, count, gender=gender, minority=minority, areas=areas[: i + 1])
    text, page = _figures(app, world)
    columns, cells = checker.parse(text)
    assert checker.linearly_recovered(columns, cells) == []
    assert checker.recovered_from_labels(columns, cells) == []
    _page_matches_csv(page, columns, cells)
    # a5 has nobody: it says so, and its counts are zeros, not hidden cells
    assert cells[("people", "active", "Body a5")] == "no register"
    assert {cells[k] for k in cells if k[2] == "Body a5" and k[0] != "people"} == {"0"}
    assert "No one is in the register of: Body a5." in page
    # 16 who prefer not to say are 16, in the body and mechanism-wide
    assert cells[("gender", "undisclosed", "Body a1")] == "16"
    # mechanism-wide they are 16 or, where the coordinating body's readers
    # would otherwise work out another body's count, hidden: never "fewer"
    assert cells[("gender", "undisclosed", "total")] in {"16", "hidden"}
    # no count of 5 or more is called "fewer than 5"
    assert "fewer than 5" not in {cells[("gender", "woman", "Body a4")]}


def test_random_registers_never_publish_a_recoverable_count(app):
    """Many random mechanisms of up to 8 bodies through the same publication
    as the page, each checked by the attacker's checker."""
    rng = random.Random(13)
    for _round in range(60):
        rows = []
        for b in range(rng.randint(1, 8)):
            f = figures.BodyFigures()
            for key in [*Gender, figures.NOT_DECLARED]:
                f.gender[key] = rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 16])
            f.active = sum(f.gender.values())
            left = f.active
            for key in [*Minority, figures.NOT_DECLARED]:
                f.minority[key] = rng.randint(0, left) if key != figures.NOT_DECLARED else left
                left -= f.minority[key]
            for area in figures.AREAS[:4]:
                f.expertise[area] = rng.randint(0, f.active)
            rows.append((SimpleNamespace(id=b, name=f"Body {b}"), f))
        total = figures.total({b.id: f for b, f in rows})
        published = figures.publish(rows, total, [])
        columns = [*(b.name for b, _f in rows), "total"]
        cells = {}
        for section in published.sections.values():
            for row in section.rows:
                for column, cell in zip(columns, [*row.cells, row.total], strict=True):
                    cells[(section.name, row.code, column)] = str(cell)
        assert checker.linearly_recovered(columns, cells) == [], cells
        assert checker.recovered_from_labels(columns, cells) == [], cells
        for key, cell in cells.items():
            if cell == "fewer than 5":
                true = dict(zip(columns, [*(f for _b, f in rows), total], strict=True))[key[2]]
                assert key[0] != "gender" or 0 < true.gender[_key(key[1])] < 5


def _key(code: str):
    return figures.NOT_DECLARED if code == figures.NOT_DECLARED else Gender(code)


def _figures(app, world) -> tuple[str, str]:
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/coordination/people/").get_data(as_text=True)
    text = client.get("/m/alpha/coordination/people/figures.csv").data.decode("utf-8-sig")
    return text, page


def _page_matches_csv(page: str, columns: list[str], cells: dict) -> None:
    """Every row of the page's tables reads as its row in the CSV."""
    body = html.unescape(page)
    seen = 0
    for match in re.finditer(
        r"<tr><th scope=\"row\">[^<]*</th>((?:<td[^>]*>[^<]*</td>)+)</tr>", body
    ):
        texts = re.findall(r"<td[^>]*>([^<]*)</td>", match.group(1))
        assert texts in _csv_rows(columns, cells), texts
        seen += 1
    assert seen >= 10


def _csv_rows(columns: list[str], cells: dict) -> list[list[str]]:
    rows = sorted({(f, v) for f, v, _c in cells})
    return [[cells[(f, v, c)] for c in columns] for f, v in rows]


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
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
        assert cells and all(_safe(cell) for cell in cells), (section, cells)
    text = client.get("/m/alpha/coordination/people/figures.csv").data.decode("utf-8-sig")
    assert "a2 person" not in text
    for row in csv.reader(io.StringIO(text)):
        if row[0] in ("gender", "minority"):
            assert all(_safe(cell) for cell in row[2:]), row
    # the skills matrix: counts from 1 to 4 hidden, 0 shown as none
    assert "Psychiatry" in page and "Romani" in page


def _safe(cell: str) -> bool:
    """A shown sensitive count: hidden, or none, or large enough to name nobody."""
    return cell in ("fewer than 5", "hidden") or int(cell) == 0 or int(cell) >= 5


def test_coordinator_figures_never_carry_an_individual_sensitive_value(app, world):
    # one body with a single person: any exact gender count would name her
    people(world, "a2", 1, gender=Gender.WOMAN, minority=Minority.YES)
    client = app.test_client()
    sign_in(client, world.account("a1", "admin"))
    page = client.get("/m/alpha/coordination/people/").get_data(as_text=True)
    for section in ("Gender balance", "Minority representation"):
        table = page.split(f"<h2>{section}</h2>")[1].split("</table>")[0]
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", table)
        assert cells and all(_safe(cell) for cell in cells), (section, cells)
    text = client.get("/m/alpha/coordination/people/figures.csv").data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text)):
        if row[0] in ("gender", "minority"):
            assert all(_safe(cell) for cell in row[2:]), row
    columns, cells = checker.parse(text)
    assert checker.linearly_recovered(columns, cells) == []
    assert checker.recovered_from_labels(columns, cells) == []


def test_the_body_dashboard_hides_small_sensitive_counts(app, world):
    people(world, "a1", 6, gender=Gender.MAN)
    people(world, "a1", 2, gender=Gender.WOMAN)
    client = app.test_client()
    sign_in(client, world.account("a1", "member"))
    page = client.get("/m/alpha/b/a1/people/dashboard").get_data(as_text=True)
    gender = page.split("<h2>Gender balance</h2>")[1].split("<h2>Minority")[0]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", gender)
    shown = dict(zip(texts[::2], texts[1::2], strict=True))
    # the 2 women and the 1 not declared (the world's person) hide each
    # other: 6 men shown leave 3 between them
    assert shown["Woman"] == shown["Not declared"] == "fewer than 5"
    assert shown["Man"] == "6" and shown["Another gender"] == "0"


def test_a_body_of_16_who_prefer_not_to_say_shows_16(app, world):
    client = _new_body(app, world, "a3")
    people(world, "a3", 16, gender=Gender.UNDISCLOSED)
    page = client.get("/m/alpha/b/a3/people/dashboard").get_data(as_text=True)
    gender = page.split("<h2>Gender balance</h2>")[1].split("<h2>Minority")[0]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", gender)
    shown = dict(zip(texts[::2], texts[1::2], strict=True))
    assert shown == {
        "Woman": "0",
        "Man": "0",
        "Another gender": "0",
        "Prefers not to say": "16",
        "Not declared": "0",
    }


def _new_body(app, world, slug: str):
    """A body of alpha with an empty register, and a client of its member."""
    alpha = world.mechanisms["alpha"]
    world.bodies[slug] = make_body(alpha, slug)
    add_member(make_user(f"{slug}-member@test.example"), alpha, world.bodies[slug], "member")
    client = app.test_client()
    sign_in(client, f"{slug}-member@test.example")
    return client


def test_a_body_with_no_register_says_so(app, world):
    client = _new_body(app, world, "a3")
    page = client.get("/m/alpha/b/a3/people/dashboard").get_data(as_text=True)
    assert "No one active is in the register yet" in page
    sensitive = page.split("<h2>Gender balance</h2>")[1].split("<h2>Flags</h2>")[0]
    assert "fewer than 5" not in sensitive and "<svg" not in sensitive


def test_a_reader_who_knows_a_column_recovers_no_hidden_count():
    """The coordination page is read by the coordinating body, which knows
    its own register: its cells may not be what protects another body's."""
    from app.people.disclosure import FEWER, Table, recoverable

    table = Table()
    table.add("coordinator", 3, known=True)
    table.add("a", 4)
    table.add("b", 10)
    table.add("total", 17, last_resort=True)
    table.line(["coordinator", "a", "b"], "total")
    published = table.protect()
    # a's 4 would be 17 - 10 - 3 for this reader: another cell is hidden
    assert published["a"].why == FEWER and published["b"].hidden
    # the coordinator's own small count keeps its label
    assert published["coordinator"].why == FEWER
    unknown = {k: s.why for k, s in published.items() if s.hidden and k != "coordinator"}
    assert recoverable(table.values, table.lines, unknown) == []


def test_the_coordinating_bodys_column_is_known_to_the_coordination_page(app, world):
    a1, a2 = world.bodies["a1"], world.bodies["a2"]
    assert a1.is_coordinator and not a2.is_coordinator
    # a1 (coordinating) has 3 women, a2 has 4 women and 10 men
    people(world, "a1", 3, gender=Gender.WOMAN)
    people(world, "a2", 4, gender=Gender.WOMAN)
    people(world, "a2", 10, gender=Gender.MAN)
    client = world.client(app, "a1", "member")
    csv_text = client.get("/m/alpha/coordination/people/figures.csv").get_data(as_text=True)
    woman = next(line for line in csv_text.splitlines() if line.startswith("gender,woman"))
    # a2's 4 women cannot be 7 - 3 for a reader who knows a1's 3: the total is hidden
    assert "7" not in woman.split(",")[2:]
