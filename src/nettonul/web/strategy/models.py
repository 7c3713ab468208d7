"""Theme and ThemeLink: a plan's taxonomies and which commitments serve which theme or value.

Commitments are the plan's :class:`~nettonul.web.plans.models.Action` rows; they need no
emissions effect (an empty effect is valid and means "not quantified"), so nothing here
duplicates them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nettonul.web.plans.models import Action, Plan


class Theme(models.Model):
    """One entry of a plan's taxonomy: a theme (e.g. 'Klimadiplomati') or a value ('Frihed')."""

    class Taxonomy(models.TextChoices):
        THEME = "theme", _("Theme")
        VALUE = "value", _("Value")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes", verbose_name=_("plan"))
    taxonomy = models.CharField(_("taxonomy"), max_length=8, choices=Taxonomy.choices, default=Taxonomy.THEME)
    key = models.SlugField(_("identifier"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Word stems that suggest this theme in a commitment's section or quote (lower case).
    keywords = models.JSONField(_("keywords"), default=list, blank=True,
                                help_text=_("Word stems that suggest this theme for a commitment."))
    position = models.PositiveIntegerField(_("position"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["plan_id", "taxonomy", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "taxonomy", "key"], name="theme_key_unique_in_plan")]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_id(self) -> int:
        return int(self.plan.organisation_id)

    @property
    def is_published(self) -> bool:
        return self.plan.published


class ThemeLink(models.Model):
    """A commitment filed under a theme or serving a value."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="theme_links")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="links")
    suggested = models.BooleanField(_("suggested automatically"), default=False,
                                    help_text=_("Set from keywords, not yet confirmed by a person."))

    class Meta:
        ordering = ["theme_id", "action_id"]
        constraints = [models.UniqueConstraint(fields=["action", "theme"], name="one_link_per_action_and_theme")]
        verbose_name = _("theme link")
        verbose_name_plural = _("theme links")

    def __str__(self) -> str:
        return f"{self.action_id} -> {self.theme_id}"
