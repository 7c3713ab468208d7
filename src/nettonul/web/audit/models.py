"""ChangeRecord: one write by one user to one object, with the fields it changed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecord(models.Model):
    """Who changed what and when. ``changes`` maps a field to ``[old, new]``."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")
        IMPORT = "import", _("imported")
        REVISE = "revise", _("new version")

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    # Kept when the user account is later deleted, so the history stays readable.
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    organisation = models.ForeignKey("organisations.Organisation", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    object_version = models.PositiveIntegerField(null=True, blank=True)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"


class DataGeneration(models.Model):
    """One row whose ``token`` changes in every transaction that writes data any page or API
    response shows (see :mod:`nettonul.web.audit.generation`). A new random token rather than a
    counter, so a rolled-back write can never bring back a value another state once had."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("data generation")

    def __str__(self) -> str:
        return self.token
