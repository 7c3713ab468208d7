"""SourceDocument and Candidate: an imported document and what was found in it, awaiting review.

A document belongs to a plan; it keeps the cleaned text so every candidate's quote can be
shown in context (``text[start:end] == quote``). A candidate is pending until an editor
accepts it (it then points at the Target or Action it became) or rejects it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.plans.models import Action, Plan, Target


class SourceDocument(models.Model):
    """One uploaded document, cleaned, with its sections and notes."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="documents", verbose_name=_("plan"))
    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("file kind"), max_length=10)
    language = models.CharField(_("language"), max_length=8)
    text = models.TextField(_("cleaned text"))
    sections = models.JSONField(_("sections"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    provenance = models.TextField(_("provenance"), blank=True,
                                  help_text=_("Where the document comes from (publisher, URL, date)."))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "sha256"], name="one_import_per_plan_and_file")]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.filename

    @property
    def organisation_id(self) -> int:
        return int(self.plan.organisation_id)

    @property
    def organisation(self) -> object:
        return self.plan.organisation

    @property
    def is_published(self) -> bool:
        return self.plan.published


class Candidate(models.Model):
    """A candidate target or commitment with its quote, offsets and suggested tags."""

    class Kind(models.TextChoices):
        TARGET = "target", _("Target")
        COMMITMENT = "commitment", _("Commitment")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    document = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="candidates",
                                 verbose_name=_("document"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    key = models.CharField(_("identifier"), max_length=40, help_text=_("Stable id from the offsets, e.g. c120-260."))
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(_("text"), help_text=_("The commitment itself, or the target's subject."))
    quote = models.TextField(_("quote"))
    start = models.PositiveIntegerField(_("start"))
    end = models.PositiveIntegerField(_("end"))
    section = models.CharField(_("section"), max_length=300, blank=True)
    sector = models.CharField(_("suggested sector"), max_length=64, blank=True)
    sdgs = models.JSONField(_("suggested SDGs"), default=list, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    # Everything the importer found (target kind, value, unit, years, tag reasons, rule).
    found = models.JSONField(_("found"), default=dict, blank=True)
    status = models.CharField(_("review status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    target = models.OneToOneField(Target, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="imported_from", verbose_name=_("target"))
    action = models.OneToOneField(Action, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="imported_from", verbose_name=_("action"))
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["document_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["document", "key"], name="candidate_key_unique_in_document")]
        indexes = [models.Index(fields=["document", "status"], name="candidate_queue")]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:80]}"

    @property
    def organisation_id(self) -> int:
        return int(self.document.plan.organisation_id)

    @property
    def is_published(self) -> bool:
        return self.document.plan.published

    @property
    def plan(self) -> Plan:
        return self.document.plan
