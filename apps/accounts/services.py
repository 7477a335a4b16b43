"""Sign-in for the API: issuing and checking bearer tokens."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils import timezone

from apps.accounts.backends import ModelBackend, read_by_token
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
    # Every API call: the token and its user in one statement (backends.read_by_token), the unit from the
    # process's kept copy, and Django's checks on the user as for a session (ModelBackend.accept). Through the
    # ORM that was a statement for the token and one for the user: two round trips on PostgreSQL.
    now = timezone.now()
    found = read_by_token(ApiToken, ApiToken.hash(raw), now, now - datetime.timedelta(minutes=5))
    if found is None:
        return None
    user, token_pk, stale = found
    user = ModelBackend().accept(user)  # None when inactive, as before
    if user is None:
        return None
    if stale:
        ApiToken.objects.filter(pk=token_pk).update(last_used_at=now)  # cheap, and not on every call
    return user
