"""Creating, checking and revoking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nettonul.web.api.models import ApiToken
from nettonul.web.audit import services as audit
from nettonul.web.errors import NotAllowedError

PREFIX = "nn_"


def _hash(token: str) -> str:
    # Tokens are 256-bit random strings, so a fast hash is enough (no guessing attack).
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(actor: Any, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``actor``, valid ``days`` (default ``API_TOKEN_DAYS``, 365); returns the
    model and the secret, which is not stored."""
    if actor is None or not actor.is_authenticated:
        raise NotAllowedError("log in to create an API token")
    secret = PREFIX + secrets.token_urlsafe(32)
    expires = timezone.now() + dt.timedelta(days=days or settings.API_TOKEN_DAYS)
    with transaction.atomic():
        token = ApiToken.objects.create(user=actor, name=name or "token", prefix=secret[:10],
                                        token_hash=_hash(secret), expires_at=expires)
        audit.record(actor, "create", token, {"name": [None, token.name], "prefix": [None, token.prefix]})
    return token, secret


def user_for_token(secret: str) -> Any | None:
    """The active user a token belongs to, or None for an unknown, revoked or expired token."""
    token = (ApiToken.objects.select_related("user").filter(token_hash=_hash(secret), revoked=False)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to spare writes
    return token.user


def revoke_token(actor: Any, token: ApiToken) -> None:
    if not (actor.is_superuser or token.user_id == actor.pk):
        raise NotAllowedError("you may only revoke your own tokens")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
        audit.record(actor, "update", token, {"revoked": [False, True]})


def rotate_token(actor: Any, token: ApiToken) -> tuple[ApiToken, str]:
    """Replace ``token`` by a new one with the same name and a fresh validity period; the old
    one is revoked in the same transaction. Returns the new model and its secret."""
    if token.user_id != actor.pk:
        raise NotAllowedError("you may only rotate your own tokens")
    with transaction.atomic():
        revoke_token(actor, token)
        return create_token(actor, token.name)
