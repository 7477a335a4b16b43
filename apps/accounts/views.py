"""Sign-in pages: Django's auth views with our templates. Nothing here decides who may sign in."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from apps.accounts.forms import LoginForm, PasswordForm

DEMO_PASSWORD = "demo-password"
# The accounts `manage.py demo` creates; shown on the sign-in page only when settings.DEMO is on.
DEMO_ACCOUNTS = [
    ("demo_office", _("驻京办招商专员")),
    ("demo_district", _("九龙坡区招商干部")),
    ("demo_district_admin", _("九龙坡区管理员（单位负责人）")),
    ("demo_district2", _("长寿区招商干部")),
    ("demo_specialist", _("服务专员")),
    ("demo_leader", _("领导（只读）")),
    ("demo_admin", _("驻京办管理员（可进管理后台）")),
]


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if getattr(settings, "DEMO", False):
            context["demo_accounts"] = DEMO_ACCOUNTS
            context["demo_password"] = DEMO_PASSWORD
        return context


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("您已退出登录。"))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordForm
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"
