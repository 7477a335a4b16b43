"""What may be attached to a reply: the site's one upload rule (apps/core/uploads.py)."""

from apps.core.uploads import ACCEPT_ATTRIBUTE, ALLOWED, ALLOWED_TEXT, MAX_ATTACHMENT_BYTES, check_attachment

__all__ = ["ACCEPT_ATTRIBUTE", "ALLOWED", "ALLOWED_TEXT", "MAX_ATTACHMENT_BYTES", "check_attachment"]
