from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from app.auth.passwords import MAX_LENGTH, MIN_LENGTH, is_guessable
from app.forms import Form


class LoginForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])


class CodeForm(Form):
    code = StringField(
        _l("Code"),
        validators=[DataRequired(), Length(max=20)],
        description=_l("The 6 digits your authenticator app shows, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class EmailForm(Form):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(Form):
    """A new password, refused when it is easy to guess for this account."""

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
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Repeat the password"),
        validators=[
            DataRequired(),
            Length(max=MAX_LENGTH),
            EqualTo("password", message=_l("The passwords differ.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def validate_password(self, field):
        personal = [self.account.email, self.account.display_name] if self.account else []
        personal += [part for p in list(personal) for part in p.replace("@", " ").split()]
        if field.data and not field.errors and is_guessable(field.data, personal):
            raise ValidationError(
                _l(
                    "This password is too easy to guess (common words, patterns or your own"
                    " name). Try a few unrelated words."
                )
            )
