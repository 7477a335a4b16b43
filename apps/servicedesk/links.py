"""The token in an enterprise contact's link: a django.core.signing signature over (link id, random
secret). A changed character fails the signature; a well-signed token whose secret does not match a
stored hash, or whose link was revoked or has expired, finds nothing. Either way the page says only
that the link is not valid."""

import hashlib
import secrets

from django.core import signing

SALT = "apps.servicedesk.contact-link"


def new_secret() -> str:
    return secrets.token_urlsafe(18)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make_token(link_id: int, secret: str) -> str:
    return signing.Signer(salt=SALT).sign(f"{link_id}.{secret}")


def parse_token(token: str) -> tuple[int, str] | None:
    """(link id, secret) of a genuine token, None for anything else."""
    try:
        value = signing.Signer(salt=SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    link_id, _, secret = value.partition(".")
    if not link_id.isdigit() or not secret:
        return None
    return int(link_id), secret
