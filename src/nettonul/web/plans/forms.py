"""Forms of the plan pages. Each edit form carries the version the user loaded, so a save
based on an old version is refused instead of overwriting someone else's change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nettonul.web.plans.models import Action, Plan, Target


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PlanForm(VersionedForm):
    class Meta:
        model = Plan
        fields = ["title", "kind", "status", "base_year", "description", "source", "illustrative", "published"]


class TargetForm(VersionedForm):
    class Meta:
        model = Target
        fields = ["kind", "year", "value", "against", "sector", "description"]


class ActionForm(VersionedForm):
    class Meta:
        model = Action
        fields = ["title", "key", "sector", "owner", "status", "start_year", "full_year", "curve", "description",
                  "effect", "cost", "uncertainty", "sdgs", "sources", "assumptions"]
        help_texts = {
            "effect": _('What the action changes, as JSON, e.g. {"type": "switch", "sector": "energy", '
                        '"from": "oil", "to": "electricity", "share": 0.9, "efficiency_ratio": 0.33}.'),
            "key": _("Short identifier, unique in the plan; made from the title when left empty."),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["key"].required = False

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        # An empty JSON box means "none", not null.
        for name, empty in (("effect", {}), ("cost", {}), ("uncertainty", {}), ("sdgs", []), ("sources", {}),
                            ("assumptions", {})):
            if data.get(name) is None:
                data[name] = empty
        return data


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search all plans' actions"), max_length=200, required=False)
