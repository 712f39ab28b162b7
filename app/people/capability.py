"""The people register: a body's members and staff, imports, figures."""

from flask_babel import lazy_gettext as _l

from app.capabilities import Capability, KeyPage, NavEntry, TaskKind
from app.people import coordination, tasks, views
from app.people.demo import load_registers
from app.people.scale import scale_people, some_person
from tenants.models import Role

CAPABILITY = Capability(
    name="people",
    blueprints=(("body", views.bp), ("coordination", coordination.bp)),
    nav=(
        NavEntry("body", _l("People"), "body.people.index", 10, Role.MEMBER),
        NavEntry("body", _l("Figures"), "body.people.dashboard", 20, Role.MEMBER),
        NavEntry("coordination", _l("People"), "coordination.people.overview", 10),
    ),
    key_pages=(
        KeyPage("people list, filtered", "body", "editor", "/people/?kind=member"),
        KeyPage("person page", "body", "editor", lambda: f"/people/{some_person()}"),
        KeyPage("people dashboard", "body", "admin", "/people/dashboard"),
        KeyPage("coordination people figures", "coordination", "coordinator", "/people/"),
    ),
    registers=("app.people.jobs", "app.people.reminders"),
    demo=load_registers,
    scale=scale_people,
    tasks=(
        TaskKind(
            "people.terms", "body", tasks.terms_ending, Role.ADMIN, covers=("people.term_ending",)
        ),
        TaskKind("people.imports", "body", tasks.imports_waiting, Role.ADMIN),
    ),
)
