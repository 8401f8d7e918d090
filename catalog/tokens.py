"""API tokens (GraphQL, uploads): made once, stored as a digest, checked on every request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils import timezone

from catalog.models import ApiToken

# A recognisable prefix lets people (and secret scanners) tell a Lantern token when they see one.
TOKEN_PREFIX = "lnt_"
# How stale last_used_at may get before a request writes it again.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: User, name: str = "") -> tuple[ApiToken, str]:
    """A new token for `user`: the stored row, and the token itself, which is never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits
    row = ApiToken.objects.create(
        user=user, name=name, prefix=token[: len(TOKEN_PREFIX) + 8], digest=token_digest(token)
    )
    return row, token


def api_token_authenticate(*, token: str) -> ApiToken | None:
    """The live token row for `token` (with its user), or None if unknown, revoked or inactive.

    Marks the token used, at most once per LAST_USED_RESOLUTION, with a conditional update so
    that concurrent requests do not all write.
    """
    row = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    if row.last_used_at is None or row.last_used_at < now - LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=row.pk, last_used_at=row.last_used_at).update(last_used_at=now)
        row.last_used_at = now
    return row


def api_token_revoke(*, tokens: QuerySet[ApiToken]) -> int:
    """Revoke the tokens not revoked yet; how many that was. A revoked token answers 401."""
    return tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())


class TokenRefused(Exception):
    """An Authorization header that is malformed, or names no live token (HTTP 401)."""


def api_token_from_header(*, header: str) -> ApiToken | None:
    """The live token an `Authorization: Bearer|Token <token>` header names; None without one.

    Raises TokenRefused, with the message to answer, for a malformed header or a dead token.
    """
    header = header.strip()
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() not in ("bearer", "token") or not token:
        raise TokenRefused("The Authorization header must be 'Bearer <token>' or 'Token <token>'.")
    row = api_token_authenticate(token=token)
    if row is None:
        raise TokenRefused("The API token is not valid: it is unknown or was revoked.")
    return row
