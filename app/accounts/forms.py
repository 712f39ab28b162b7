from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.forms import Form, choices
from tenants.models import ROLE_LABELS


class InviteForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()), default="member")


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=choices(ROLE_LABELS.items()))


class PolicyForm(Form):
    requires_two_factor = BooleanField(_l("Everyone in this body signs in with a second factor"))
