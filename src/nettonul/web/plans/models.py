"""Plan, Target and Action.

A plan is versioned: all versions of one plan share a ``lineage`` and are numbered by
``revision``; exactly one is current and the older ones stay readable but frozen. The
``version`` integer on every model is something else: the optimistic-concurrency counter
that each saved edit increments.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import CURVES, DEFAULT_CURVE, FUNDING_STATUSES, POWERS, RECORDED_TARGET_KINDS
from nettonul.web.organisations.models import Organisation


def engine_choices(name: str, values: Sequence[str], labels: Mapping[str, Any]) -> Any:
    """``TextChoices`` over a list the engine defines (:mod:`nettonul.engine.core.vocabulary`, through the seam):
    the stored values are the engine's, the web adds only their translated labels (a value
    without a label fails at import, so a new engine value cannot go unlabelled)."""
    return models.TextChoices(name, [(value.upper(), (value, labels[value])) for value in values])


TARGET_KIND_LABELS = {
    "reduction": _("Reduction against a base year"),
    "net_zero": _("Net zero"),
    "absolute": _("Emission level (t CO2e)"),
    "per_capita": _("Emissions per inhabitant (t CO2e)"),
    "qualitative": _("Commitment (not quantified)"),
}
CURVE_LABELS = {"step": _("Step"), "linear": _("Linear"), "logistic": _("Logistic (S-curve)")}


class Plan(models.Model):
    class Kind(models.TextChoices):
        CLIMATE_ACTION_PLAN = "climate_action_plan", _("Climate action plan")
        STRATEGY = "strategy", _("Strategy")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        ARCHIVED = "archived", _("Archived")

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans",
                                     verbose_name=_("organisation"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices, default=Kind.CLIMATE_ACTION_PLAN)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveIntegerField(_("plan version"), default=1, editable=False)
    is_current = models.BooleanField(default=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published = models.BooleanField(_("published"), default=False,
                                    help_text=_("Published plans are visible to everyone."))
    base_year = models.PositiveSmallIntegerField(_("base year"), default=1990)
    framework = models.CharField(_("sector framework"), max_length=32, default="dk-municipal")
    gwp_set = models.CharField(_("GWP set"), max_length=8, default="AR5")
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True,
                              help_text=_("Where the plan's content comes from (document, URL)."))
    illustrative = models.BooleanField(_("illustrative"), default=False,
                                       help_text=_("Contains assumed or illustrative figures."))
    # The parts of the engine's plan spec that are not edited row by row: activity model,
    # baseline, inventory reference, plan-wide uncertainty, notes, sources, assumptions.
    model = models.JSONField(_("model"), default=dict, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__code", "title", "-revision"]
        constraints = [models.UniqueConstraint(fields=["lineage", "revision"], name="one_number_per_plan_version")]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published


class PlanPart(models.Model):
    """Shared by targets and actions: they belong to a plan (``plan``, declared by each so it
    gets its own ``related_name``) and inherit its organisation and visibility."""

    plan: models.ForeignKey[Plan, Plan]

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def organisation_id(self) -> int:
        return int(self.plan.organisation_id)

    @property
    def organisation(self) -> Organisation:
        return self.plan.organisation

    @property
    def is_published(self) -> bool:
        return self.plan.published


class Target(PlanPart):
    """A target of a plan: a reduction against a year, net zero, an absolute level, a level
    per inhabitant or a qualitative commitment; for the total or, with ``sector``, one sector."""

    Kind = engine_choices("Kind", RECORDED_TARGET_KINDS, TARGET_KIND_LABELS)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REDUCTION)
    year = models.PositiveSmallIntegerField(_("target year"))
    value = models.FloatField(_("value"), null=True, blank=True,
                              help_text=_("Reduction as a fraction (0.7 = 70 %), t CO2e, or t CO2e per inhabitant."))
    against = models.PositiveSmallIntegerField(_("against year"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=64, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["year", "id"]
        # The scenario's target path has one milestone per year on each series (the total,
        # a sector); qualitative targets are not on the path.
        constraints = [models.UniqueConstraint(fields=["plan", "year", "sector"],
                                               condition=~models.Q(kind="qualitative"),
                                               name="one_quantified_target_per_year_and_sector")]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        where = f"{self.sector}: " if self.sector else ""
        if self.kind == self.Kind.NET_ZERO:
            return f"{where}net zero {self.year}"
        if self.kind == self.Kind.REDUCTION and self.value is not None:
            against = f" vs {self.against}" if self.against else ""
            return f"{where}-{self.value:.0%} {self.year}{against}"
        if self.value is not None and self.kind == self.Kind.ABSOLUTE:
            return f"{where}{self.value:,.0f} t CO2e {self.year}"
        if self.value is not None and self.kind == self.Kind.PER_CAPITA:
            return f"{where}{self.value:g} t CO2e/inhabitant {self.year}"
        return f"{where}{self.description[:60] or self.get_kind_display()} {self.year}"


POWER_LABELS = {"own": _("Own operations"), "regulate": _("Regulation"), "facilitate": _("Facilitation"),
                "partner": _("Partnership")}
FUNDING_LABELS = {"funded": _("Funded"), "partly_funded": _("Partly funded"), "applied_for": _("Applied for"),
                  "unfunded": _("Not funded")}


class Action(PlanPart):
    """An action with a typed effect the engine understands (stored as JSON)."""

    Power = engine_choices("Power", POWERS, POWER_LABELS)
    FundingStatus = engine_choices("FundingStatus", FUNDING_STATUSES, FUNDING_LABELS)

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    Curve = engine_choices("Curve", CURVES, CURVE_LABELS)

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    key = models.SlugField(_("identifier"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    sector = models.CharField(_("sector"), max_length=64, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)
    full_year = models.PositiveSmallIntegerField(_("full effect year"), null=True, blank=True)
    curve = models.CharField(_("adoption curve"), max_length=10, choices=Curve.choices, default=DEFAULT_CURVE)
    effect = models.JSONField(_("effect"), default=dict, blank=True)
    cost = models.JSONField(_("cost"), default=dict, blank=True)
    uncertainty = models.JSONField(_("uncertainty"), default=dict, blank=True)
    sdgs = models.JSONField(_("SDGs"), default=list, blank=True)
    # The CAPF fields of the action (the plan document's ``power``, ``funding_status``,
    # ``kpis`` and ``co_benefits``).
    power = models.CharField(_("the municipality's power"), max_length=12, choices=Power.choices, blank=True)
    funding_status = models.CharField(_("funding status"), max_length=16, choices=FundingStatus.choices, blank=True)
    kpis = models.JSONField(_("KPIs"), default=list, blank=True)
    co_benefits = models.JSONField(_("co-benefits"), default=list, blank=True)
    sources = models.JSONField(_("sources"), default=dict, blank=True,
                               help_text=_("Field path -> where the number comes from."))
    assumptions = models.JSONField(_("assumptions"), default=dict, blank=True,
                                   help_text=_("Field path -> why the number was assumed."))
    unconfirmed = models.JSONField(
        _("unconfirmed assumptions"), default=list, blank=True,
        help_text=_("Field paths a draft plan assumed, awaiting an editor's confirmation."))
    # Case-folded title, description, sector and owner, kept by the services for search.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="action_key_unique_in_plan")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title
