"""Sign-in for the API: issuing and checking bearer tokens."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from apps.accounts.backends import ModelBackend
from apps.accounts.models import ApiToken, User
from apps.audit.services import AuditAction, audit_record
from apps.core.errors import DomainError


def api_token_issue(*, username: str, password: str, request=None) -> str:
    # authenticate() emits user_login_failed, which the accounts app writes to the audit log; that
    # row is committed on its own, outside any transaction the refusal below could roll back.
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise DomainError("用户名或密码不正确。", field="password", code="bad_credentials")
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        ApiToken.objects.create(
            user=user, key_hash=ApiToken.hash(raw),
            expires_at=timezone.now() + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS),
        )
        audit_record(actor=user, instance=user, action=AuditAction.TOKEN)
    return raw


def api_token_user(raw: str) -> User | None:
    # Every API call: the token's three columns, then the user and unit as the session's requests read them
    # (backends.ModelBackend). The token joined to both through first() was about half of a search call's time.
    found = (ApiToken.objects.filter(key_hash=ApiToken.hash(raw), expires_at__gt=timezone.now())
             .values_list("pk", "user_id", "last_used_at")[:1])
    if not found:
        return None
    token_pk, user_id, last_used_at = found[0]
    user = ModelBackend().get_user(user_id)  # None when inactive, as before
    if user is None:
        return None
    now = timezone.now()
    if last_used_at is None or now - last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)  # cheap, and not on every call
    return user
