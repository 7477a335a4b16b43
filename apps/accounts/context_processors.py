"""What the navigation may offer the signed-in person. Each answer comes from the same permission
functions the pages themselves enforce, so a link is shown exactly when following it would not be a 403;
they are computed only when the template asks (never for anonymous pages)."""

from functools import cached_property

from apps.accounts.permissions import may_write_library


class NavigationPermissions:
    def __init__(self, user):
        self._user = user

    @cached_property
    def may_import(self) -> bool:
        """批量导入 (/imports/): every role that may write the library."""
        return may_write_library(self._user)

    @cached_property
    def may_view_merges(self) -> bool:
        """主体合并记录 (/organisations/merges/): the office and leaders (merges span every unit)."""
        from apps.organisations.merge import may_view_merges

        return may_view_merges(self._user)

    @cached_property
    def may_view_webhooks(self) -> bool:
        """工作群机器人 (/notifications/webhooks/): office and district admins, and leaders (reading)."""
        from apps.notifications.querysets import may_view_webhooks

        return may_view_webhooks(self._user)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": NavigationPermissions(user)}
