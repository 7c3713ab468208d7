"""InventoryVersion and EmissionRecord.

Each upload makes a new version of an organisation's inventory (the current records merged
with the uploaded ones) as a **draft**: readable by the organisation's members, used by
nothing else. When someone the organisation's publishing rule allows (any editor, four eyes:
not the uploader, or administrators only) publishes it, it becomes the **current**
version, the one every dashboard, public page, the national overview, the plan check and
new reports read; the previous one stays readable as an older published version and can
be restored (as a new version). So at most one version per organisation is current, and it
is always published. Records mirror the engine's inventory columns, so the adapter
can hand them to :class:`nettonul.engine.inventory.model.Inventory` unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.organisations.models import Organisation


class VersionManager(models.Manager["InventoryVersion"]):
    """Versions without the uploaded file's bytes (read only when a download asks for them):
    dashboards and version lists read versions on every request."""

    def get_queryset(self) -> models.QuerySet[InventoryVersion]:
        return super().get_queryset().defer("original")


class InventoryVersion(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="inventories",
                                     verbose_name=_("organisation"))
    number = models.PositiveIntegerField(_("inventory version"), default=1)
    is_current = models.BooleanField(default=True)
    framework = models.CharField(_("sector framework"), max_length=32, default="dk-municipal")
    gwp_set = models.CharField(_("GWP set"), max_length=8, default="AR5")
    title = models.CharField(_("title"), max_length=300, blank=True)
    source = models.TextField(_("source"), blank=True)
    vintage = models.CharField(_("data vintage"), max_length=100, blank=True,
                               help_text=_("When the data was fetched or which tool version produced it."))
    filename = models.CharField(_("file"), max_length=255, blank=True)
    #: the bytes of the file as uploaded (empty for versions made before they were kept, and for
    #: records stored without a file), downloadable as ``filename``
    original = models.BinaryField(null=True, blank=True, editable=False)
    notes = models.TextField(_("notes"), blank=True)
    published = models.BooleanField(_("published"), default=False)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    record_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    #: the current version a draft was merged onto (publishing a draft whose base is no longer
    #: current is refused: it would silently drop what was published in between)
    base = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    #: how the upload was merged: add (the file's records replace the same sector, year and gas),
    #: years (the file's years replaced), all (the whole inventory replaced); restore for a restored version
    mode = models.CharField(max_length=8, blank=True)
    #: how the file was read: format, separator, encoding, sheet and number convention
    read_as = models.JSONField(default=dict, blank=True)
    restored_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VersionManager()

    class Meta:
        ordering = ["organisation__code", "-number"]
        constraints = [models.UniqueConstraint(fields=["organisation", "number"], name="one_number_per_inventory")]
        verbose_name = _("inventory")
        verbose_name_plural = _("inventories")

    def __str__(self) -> str:
        return f"{self.organisation} inventory v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published

    @property
    def is_draft(self) -> bool:
        """An upload nobody has published yet."""
        return not self.published


class EmissionRecord(models.Model):
    """One record: an emission (gas or CO2e amount) or an activity times an emission factor;
    ``co2e_t`` is its t CO2e under the inventory's GWP set (null for a notation key)."""

    inventory = models.ForeignKey(InventoryVersion, on_delete=models.CASCADE, related_name="records")
    organisation_code = models.CharField(max_length=32)
    year = models.PositiveSmallIntegerField()
    sector = models.CharField(max_length=64)
    gas = models.CharField(max_length=16, default="CO2e")
    amount = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32, default="t_CO2e")
    activity = models.CharField(max_length=64, blank=True)
    emission_factor = models.FloatField(null=True, blank=True)
    ef_unit = models.CharField(max_length=32, blank=True)
    co2e_t = models.FloatField(null=True, blank=True)
    source = models.TextField(blank=True)
    quality = models.CharField(max_length=16, blank=True)
    notation = models.CharField(max_length=4, blank=True)
    estimated = models.BooleanField(default=False)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["inventory_id", "year", "sector", "gas", "id"]
        indexes = [models.Index(fields=["inventory", "year"], name="record_inventory_year")]
        verbose_name = _("emission record")
        verbose_name_plural = _("emission records")

    def __str__(self) -> str:
        return f"{self.organisation_code} {self.year} {self.sector} {self.gas}"
