"""The CAPF sections of a plan, its monitoring data and the yearly reports issued from it.

* :class:`PlanSections` holds the non-mitigation parts of a DK2020/CAPF plan as one JSON
  document that is exactly the engine's :class:`nettonul.engine.plan.sections.PlanSections`
  (adoption, engagement, climate risk assessment, adaptation, benefits, equity, governance,
  monitoring cycle, per-action details). The services validate it with the engine.
* :class:`MonitoringSettings` are an organisation's thresholds for the derived statuses;
  empty fields take the engine's defaults.
* :class:`Indicator`, :class:`Observation` and :class:`ProgressUpdate` are what the
  coordinator records. No status is stored: late, stale and off track are derived by
  :mod:`nettonul.engine.plan.monitoring` whenever a page or a report asks.
* :class:`ReportSnapshot` is an issued yearly report: the frozen snapshot text, its digest
  and the rendered PDF and Excel bytes. It is written once and never changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.organisations.models import Organisation
from nettonul.web.plans.models import Plan, PlanPart


class _Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PlanSections(PlanPart):
    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="capf_sections",
                                verbose_name=_("plan"))
    data = models.JSONField(_("CAPF sections"), default=dict, blank=True)

    class Meta:
        verbose_name = _("CAPF sections")
        verbose_name_plural = _("CAPF sections")

    def __str__(self) -> str:
        return f"{self.plan}: CAPF"


class MonitoringSettings(_Versioned):
    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="monitoring_settings",
                                        verbose_name=_("organisation"))
    stale_after_months = models.PositiveSmallIntegerField(
        _("stale after (months)"), null=True, blank=True,
        help_text=_("An action not updated for longer is stale. Empty: the plan's monitoring section (12 months "
                    "when it says nothing)."))
    min_percent_after_start = models.FloatField(
        _("late unless more than (%)"), null=True, blank=True,
        help_text=_("After its start year an action with no more than this percentage done is late. Empty: 0."))
    fit_years = models.PositiveSmallIntegerField(
        _("inventory years in the trend"), null=True, blank=True,
        help_text=_("The emissions trend is fitted to this many latest inventory years. Empty: 5."))
    confidence = models.FloatField(
        _("prediction interval"), null=True, blank=True,
        help_text=_("Coverage of the forecast band, e.g. 0.9. Empty: 0.9."))

    class Meta:
        verbose_name = _("monitoring settings")
        verbose_name_plural = _("monitoring settings")

    def __str__(self) -> str:
        return f"{self.organisation}: monitoring settings"

    @property
    def is_published(self) -> bool:
        return False


class Indicator(PlanPart):
    class Direction(models.TextChoices):
        DECREASE = "decrease", _("Lower is better")
        INCREASE = "increase", _("Higher is better")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("plan"))
    key = models.SlugField(_("identifier"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    targets = models.JSONField(_("target values by year"), default=dict, blank=True,
                               help_text=_('Year -> target value at the end of that year, e.g. {"2030": 0}.'))
    action_key = models.CharField(_("action"), max_length=80, blank=True,
                                  help_text=_("Identifier of the action the indicator follows, if any."))
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan_id", "key"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="indicator_key_unique_in_plan")]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.name


class Observation(_Versioned):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations",
                                  verbose_name=_("indicator"))
    value = models.FloatField(_("value"))
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["indicator_id", "date", "id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value:g} ({self.date})"

    @property
    def organisation_id(self) -> int:
        return self.indicator.organisation_id

    @property
    def is_published(self) -> bool:
        return self.indicator.is_published


class ProgressUpdate(PlanPart):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        PAUSED = "paused", _("Paused")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress_updates",
                             verbose_name=_("plan"))
    action_key = models.CharField(_("action"), max_length=80)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    percent = models.FloatField(_("percent done"))
    comment = models.TextField(_("comment"), blank=True)
    evidence = models.URLField(_("evidence link"), max_length=500, blank=True)
    recorded_by = models.CharField(_("recorded by"), max_length=150, blank=True, editable=False)

    class Meta:
        ordering = ["plan_id", "action_key", "date", "id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.action_key}: {self.percent:g} % ({self.date})"


class ReportSnapshot(models.Model):
    """An issued yearly report. Written once by the issuing service; never updated."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports",
                                     verbose_name=_("organisation"))
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, related_name="reports",
                             verbose_name=_("plan"))
    plan_title = models.CharField(_("plan"), max_length=300)
    year = models.PositiveSmallIntegerField(_("report year"))
    language = models.CharField(_("language"), max_length=2)
    issued = models.DateField(_("issued"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    issued_by_name = models.CharField(_("issued by"), max_length=150)
    snapshot = models.TextField(_("snapshot"), help_text=_("Canonical JSON of the frozen report content."))
    digest = models.CharField(_("digest (SHA-256)"), max_length=64)
    pdf = models.BinaryField(_("PDF"))
    excel = models.BinaryField(_("Excel workbook"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued", "-id"]
        verbose_name = _("yearly report")
        verbose_name_plural = _("yearly reports")

    def __str__(self) -> str:
        return f"{self.plan_title} {self.year} ({self.issued})"

    def save(self, *args: object, **kwargs: object) -> None:
        # An issued report is evidence of what was reported: it is never rewritten.
        if not self._state.adding:
            raise ValueError("an issued report cannot be changed")
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        # A report is public while its plan is (select_related("plan") when listing).
        return self.plan is not None and self.plan.published
