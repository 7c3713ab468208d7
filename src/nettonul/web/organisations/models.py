"""Organisation and Membership: who the data belongs to and who may do what with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A municipality, region, ministry, agency, org unit, city, company or network."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        MINISTRY = "ministry", _("Ministry")
        AGENCY = "agency", _("Agency")
        ORG_UNIT = "org_unit", _("Organisational unit")
        CITY = "city", _("City")
        COMPANY = "company", _("Company")
        NETWORK = "network", _("Network or support body")

    class Publishing(models.TextChoices):
        """Who may publish an inventory draft (and restore an earlier version)."""

        EDITORS = "editors", _("Any editor or administrator, the uploader included")
        FOUR_EYES = "four_eyes", _("Four eyes: an editor or administrator other than the one who uploaded the draft")
        ADMINS = "admins", _("Administrators only")

    code = models.CharField(_("code"), max_length=32, unique=True,
                            help_text=_("Kommunekode for Danish municipalities, otherwise a short slug."))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    country = models.CharField(_("country"), max_length=2, default="DK")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("parent"))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    language = models.CharField(_("interface language"), max_length=8, default="da",
                                help_text=_("The language pages about this organisation open in."))
    framework = models.CharField(_("sector framework"), max_length=32, default="dk-municipal")
    publishing = models.CharField(
        _("who may publish an inventory"), max_length=12, choices=Publishing.choices, default=Publishing.EDITORS,
        help_text=_("Who may make an uploaded draft inventory the published one that every page uses."))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in one organisation: viewer < editor < admin."""

    class Role(models.TextChoices):
        VIEWER = "viewer", _("Viewer")
        EDITOR = "editor", _("Editor")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_organisation")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"
