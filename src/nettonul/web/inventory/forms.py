"""The inventory upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Inventory file (CSV or Excel .xlsx)"))
    replace_all = forms.BooleanField(
        label=_("Replace the whole inventory"), required=False,
        help_text=_("Otherwise the file's records are added to the current inventory and replace the same "
                    "sector, year and gas."))
