from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from app.auth.forms import NewPasswordForm
from app.auth.passwords import MAX_LENGTH
from app.forms import Form, choices


class ProfileForm(Form):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Language"),
        choices=choices(
            [("", _l("The mechanism's language")), ("en", "English"), ("fr", "Français")]
        ),
    )


def _current_password():
    return PasswordField(
        _l("Current password"),
        validators=[DataRequired(), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current = _current_password()


class ChangeEmailForm(Form):
    current = _current_password()
    email = EmailField(_l("New e-mail address"), validators=[DataRequired(), Length(max=254)])


class ConfirmCodeForm(Form):
    current = _current_password()
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordCheckForm(Form):
    current = _current_password()
