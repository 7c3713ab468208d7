"""ApiToken: a personal API token, stored only as a SHA-256 hash."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def default_expiry() -> dt.datetime:
    """A new token's end of validity: ``API_TOKEN_DAYS`` (365 by default) from now."""
    return timezone.now() + dt.timedelta(days=getattr(settings, "API_TOKEN_DAYS", 365))


class ApiToken(models.Model):
    """The secret is shown once when created; the database keeps its hash and a prefix that
    lets the user recognise it in a list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), default=default_expiry)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
