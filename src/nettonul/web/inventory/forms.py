"""The inventory upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Inventory file (CSV or Excel .xlsx)"))
    mode = forms.ChoiceField(
        label=_("How the file is combined with the current inventory"), widget=forms.RadioSelect, initial="add",
        required=False,
        choices=[
            ("add", _("Add: the file's records replace the same sector, year and gas; everything else is kept")),
            ("years", _("Replace the years in the file: every current record of those years is replaced")),
            ("all", _("Replace the whole inventory")),
        ])

    def clean_mode(self) -> str:
        return self.cleaned_data.get("mode") or "add"
