"""Sign-in for the API: issuing and checking bearer tokens."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

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
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=ApiToken.hash(raw), expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > datetime.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # cheap, and not on every call
    return token.user
