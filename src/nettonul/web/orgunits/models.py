"""UnitProfile, FootprintData and PeerTable.

A unit is an :class:`Organisation` with a parent; its profile adds what the footprint engine
needs (the id used in activity files, the unit kind, city, FTE and floor area). Footprint
data is stored as the uploaded files themselves (activities and, optionally, a factor table)
and computed by the engine when shown, so a page can never disagree with the engine.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import UNIT_KINDS
from nettonul.web.organisations.models import Organisation


class UnitProfile(models.Model):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="unit_profile",
                                        verbose_name=_("organisation"))
    unit_id = models.SlugField(_("unit id in files"), max_length=80,
                               help_text=_("The id activity files use for this unit (e.g. emb-berlin)."))
    unit_kind = models.CharField(_("unit kind"), max_length=16, choices=[(k, k) for k in UNIT_KINDS])
    city = models.CharField(_("city"), max_length=120, blank=True)
    employees = models.FloatField(_("employees (FTE)"), null=True, blank=True)
    floor_area_m2 = models.FloatField(_("floor area (m2)"), null=True, blank=True)
    employees_by_year = models.JSONField(_("FTE by year"), default=dict, blank=True)
    floor_area_by_year = models.JSONField(_("floor area by year"), default=dict, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False,
                                       help_text=_("FTE and floor area are illustrative, not real figures."))
    note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("unit profile")
        verbose_name_plural = _("unit profiles")

    def __str__(self) -> str:
        return f"{self.organisation} ({self.unit_id})"

    @property
    def is_published(self) -> bool:
        return True  # headcount and floor area are basic facts, like an organisation's population


class FootprintData(models.Model):
    """One upload of activity data (and optionally a factor table) for a unit and its subtree."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="footprint_data",
                                     verbose_name=_("unit"))
    activities_name = models.CharField(_("activity file"), max_length=255)
    activities = models.BinaryField(_("activity data"))
    factors_name = models.CharField(_("factor file"), max_length=255, blank=True)
    factors = models.BinaryField(_("factor table"), null=True, blank=True)
    illustrative = models.BooleanField(_("illustrative"), default=False)
    is_current = models.BooleanField(default=True)
    published = models.BooleanField(_("published"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-id"]
        verbose_name = _("footprint data")
        verbose_name_plural = _("footprint data")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.activities_name}"

    @property
    def is_published(self) -> bool:
        return self.published


class PeerTable(models.Model):
    """Peer organisations' published footprints (the engine's peer template) for comparison."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="peer_tables",
                                     verbose_name=_("organisation"))
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    is_current = models.BooleanField(default=True)
    published = models.BooleanField(_("published"), default=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation_id", "-id"]
        verbose_name = _("peer table")
        verbose_name_plural = _("peer tables")

    def __str__(self) -> str:
        return self.filename

    @property
    def is_published(self) -> bool:
        return self.published
