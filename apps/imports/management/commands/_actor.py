"""Who a command acts as (both commands of this app take --user): the named active account, or the first
superuser. Not a command itself: Django skips modules whose name starts with an underscore."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def command_actor(username: str | None, *, doing: str):
    """`doing` completes "以谁的名义…" in the refusal, e.g. "导入"."""
    users = get_user_model().objects.filter(is_active=True)
    if username:
        user = users.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户名为“{username}”的在用账号。")
        return user
    user = users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise CommandError(f"请用 --user 指定以谁的名义{doing}（系统中没有超级用户）。")
    return user
