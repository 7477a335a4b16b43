"""Sign-in and password forms: Django's own, with the shared Bootstrap/Chinese dressing."""

from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from apps.core.forms import ChineseFormMixin


class LoginForm(ChineseFormMixin, AuthenticationForm):
    pass


class PasswordForm(ChineseFormMixin, PasswordChangeForm):
    pass
