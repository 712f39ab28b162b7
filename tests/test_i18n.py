"""Every user-facing string is translatable, and French is complete."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.support import login, make_body, make_mechanism, make_user

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def _source_messages() -> set[str]:
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_french_catalog_translates_every_string():
    with open(ROOT / "app/translations/fr/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po, locale="fr")
    # a plural entry's id is (singular, plural), and every form must be there
    translated = {
        m.id[0] if isinstance(m.id, tuple) else m.id
        for m in catalog
        if m.id
        and m.string
        and all(m.string if isinstance(m.string, tuple) else [m.string])
        and not m.fuzzy
    }
    missing = sorted(_source_messages() - translated)
    assert missing == [], "missing French translations (run `make extract-messages`)"


def test_pages_follow_the_users_language(app, client):
    mechanism = make_mechanism("alpha", default_language="en")
    body = make_body(mechanism, "a1")
    user = make_user("ann@example.org", two_factor=True)  # administrators need it
    from tests.support import add_member

    add_member(user, mechanism, body, "admin")
    login(client, "ann@example.org")
    assert "Your role" in client.get("/m/alpha/b/a1/").get_data(as_text=True)
    client.post("/account", data={"display_name": "Ann", "language": "fr"})
    page = client.get("/m/alpha/b/a1/").get_data(as_text=True)
    assert '<html lang="fr">' in page and "Votre rôle" in page


def test_the_mechanism_language_is_the_default(app, client):
    make_body(make_mechanism("aurelie", default_language="fr", country="Aurélie"), "c1")
    page = client.get("/m/aurelie/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "réunit les institutions suivantes" in page and "(Aurélie)" in page


def test_without_a_choice_the_browser_language_wins(app, client):
    page = client.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "Se connecter" in page.get_data(as_text=True)


def test_the_language_stays_after_signing_out(app, client):
    user = make_user("ann@example.org")
    user.language = "fr"
    from app.extensions import db

    db.session.commit()
    login(client, "ann@example.org")
    client.get("/account")
    response = client.post("/logout")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vous êtes déconnecté·e." in page and "Se connecter" in page


def test_outside_a_mechanism_the_mechanisms_language_is_the_default(app, client):
    mechanism = make_mechanism("aurelie", default_language="fr")
    body = make_body(mechanism, "c1", kind="other")
    second = make_body(mechanism, "c2")  # c1 coordinates: c2 needs no second factor
    from tests.support import add_member

    add_member(make_user("ann@example.org"), mechanism, second, "member")
    login(client, "ann@example.org")
    page = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Vos espaces" in page
    assert body.slug == "c1"
