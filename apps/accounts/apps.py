from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _record_login(sender, request, user, **kwargs):
    from apps.audit.services import AuditAction, audit_record

    audit_record(actor=user, instance=user, action=AuditAction.LOGIN, note=_client_note(request))


def _record_login_failed(sender, credentials, request=None, **kwargs):
    from apps.audit.services import AuditAction, audit_record

    # Only the user name that was tried: Django has already masked the password in `credentials`.
    username = str(credentials.get("username", ""))[:100]
    audit_record(actor=None, instance=None, action=AuditAction.LOGIN_FAILED, model_label="accounts.user",
                 note=f"用户名：{username}；{_client_note(request)}")


def _client_note(request) -> str:
    if request is None:
        return ""
    return f"来源：{request.META.get('REMOTE_ADDR', '')}"


class AccountsConfig(AppConfig):
    name = "apps.accounts"
    label = "accounts"
    verbose_name = _("账号与权限")

    def ready(self):
        # The one place we listen to signals: Django's auth emits these and offers no other hook
        # for "someone signed in / failed to" that also covers the admin's sign-in page.
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        user_logged_in.connect(_record_login, dispatch_uid="accounts.audit_login")
        user_login_failed.connect(_record_login_failed, dispatch_uid="accounts.audit_login_failed")
