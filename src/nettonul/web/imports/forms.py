"""Forms of the import pages: the upload and the edit-then-accept forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import FIRST_YEAR, LAST_YEAR
from nettonul.web.plans.models import Action, Target


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document (PDF, HTML, DOCX or text)"))
    provenance = forms.CharField(label=_("Where the document comes from"), required=False, max_length=500,
                                 help_text=_("Publisher, URL and date, shown with every quote."))


class TargetEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("kind"), choices=Target.Kind.choices)
    year = forms.IntegerField(label=_("target year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    value = forms.FloatField(label=_("value"), required=False,
                             help_text=_("Reduction as a fraction (0.7 = 70 %), t CO2e, or t CO2e per inhabitant."))
    against = forms.IntegerField(label=_("against year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    sector = forms.CharField(label=_("sector"), required=False, max_length=64)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CommitmentEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("title"), max_length=300)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    sector = forms.CharField(label=_("sector"), required=False, max_length=64)
    owner = forms.CharField(label=_("owner"), required=False, max_length=200)
    status = forms.ChoiceField(label=_("status"), choices=Action.Status.choices)
    sdgs = forms.CharField(label=_("SDGs"), required=False, help_text=_("Goal numbers separated by commas."))

    def clean_sdgs(self) -> list[int]:
        raw = self.cleaned_data.get("sdgs") or ""
        try:
            goals = sorted({int(x) for x in raw.replace(";", ",").split(",") if x.strip()})
        except ValueError:
            raise forms.ValidationError(_("give goal numbers from 1 to 17, separated by commas")) from None
        if any(not 1 <= g <= 17 for g in goals):
            raise forms.ValidationError(_("give goal numbers from 1 to 17, separated by commas"))
        return goals
