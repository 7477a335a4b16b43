"""Once-only form submissions (see FormSubmission)."""

import uuid

from django.db import IntegrityError, transaction

from apps.core.errors import ConflictError
from apps.core.models import FormSubmission


def new_submission_key() -> str:
    return uuid.uuid4().hex


def submission_claim(*, key: str, user) -> None:
    """Take the key inside the caller's transaction; a second use raises ConflictError and, because
    the caller's transaction rolls back, nothing of the repeat is written."""
    if not key:
        return
    try:
        with transaction.atomic():
            FormSubmission.objects.create(key=key, user=user)
    except IntegrityError as exc:
        previous = FormSubmission.objects.filter(key=key).first()
        error = ConflictError("此表单已经提交过一次，没有重复保存。", code="duplicate_submission")
        error.object_url = previous.object_url if previous else ""
        raise error from exc


def submission_record_result(*, key: str, url: str) -> None:
    if key:
        FormSubmission.objects.filter(key=key).update(object_url=url)
