from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH
from app.forms import choices


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(),
            Length(
                min=MIN_LENGTH,
                max=MAX_LENGTH,
                message=_l("Use at least %(min)d characters, and at most %(max)d."),
            ),
        ],
        description=_l("At least 12 characters. A few unrelated words make a good one."),
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            Length(max=MAX_LENGTH),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
    )


class AccountForm(FlaskForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    language = SelectField(
        _l("Language"),
        choices=choices(
            [("", _l("The mechanism's language")), ("en", "English"), ("fr", "Français")]
        ),
    )
