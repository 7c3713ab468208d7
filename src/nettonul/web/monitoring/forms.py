"""Forms of the plan check, monitoring and report pages. Edit forms carry the version the
user loaded, so a save based on an old version is refused instead of overwriting."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.utils.translation import gettext_lazy as _

from nettonul.web.engine.vocabulary import FIRST_YEAR, LAST_YEAR, load_yaml, yaml_error_parts
from nettonul.web.formfields import NumberField
from nettonul.web.monitoring.models import Indicator, MonitoringSettings, Observation, ProgressUpdate


class VersionedForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class SectionsForm(forms.Form):
    """The CAPF sections as YAML text: the same keys and shapes as in a plan file."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    text = forms.CharField(
        label=_("CAPF sections (YAML)"), required=False, widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        help_text=_("adoption, engagement, inventory_coverage, gap, residuals, adaptation (risk assessment with "
                    "hazards and ratings, adaptation actions), benefits, governance, monitoring and "
                    "action_details, written as in a plan file."))

    def clean_text(self) -> dict[str, Any]:
        text = self.cleaned_data["text"]
        try:
            data = load_yaml(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            line, why = yaml_error_parts(exc)
            where = _("line %(n)s: ") % {"n": line} if line is not None else ""
            raise forms.ValidationError(_("not valid YAML: %(where)s%(why)s") % {"where": where, "why": why}) from None
        if not isinstance(data, dict):
            raise forms.ValidationError(_("write the sections as a mapping, e.g. 'governance: {lead_unit: ...}'"))
        return data


def sections_text(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110) if data else ""


class SettingsForm(VersionedForm):
    class Meta:
        model = MonitoringSettings
        fields = ["stale_after_months", "min_percent_after_start", "fit_years", "confidence"]


class IndicatorForm(VersionedForm):
    """An indicator with its target values as a table of rows, a year and a value each (typed in
    the page's language, ``2.500`` or ``0,5`` in Danish); empty rows are ignored."""

    #: Empty rows offered beyond the stored targets.
    SPARE_ROWS = 3

    class Meta:
        model = Indicator
        fields = ["key", "name", "unit", "direction", "action_key", "source"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = sorted((self.instance.targets or {}).items(), key=lambda kv: int(kv[0])) if self.instance else []
        posted = [k for k in (self.data or {}) if k.startswith("target_year_")]
        rows = max(len(stored) + self.SPARE_ROWS, len(posted))
        for i in range(rows):
            year, value = stored[i] if i < len(stored) else (None, None)
            self.fields[f"target_year_{i}"] = forms.IntegerField(
                label=_("Target year"), min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False,
                initial=int(year) if year is not None else None)
            self.fields[f"target_value_{i}"] = NumberField(label=_("Target value"), required=False, initial=value)
        self.target_count = rows

    def target_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"target_year_{i}"], self[f"target_value_{i}"]) for i in range(self.target_count)]

    def visible_fields(self) -> list[forms.BoundField]:  # the table shows the target rows
        return [f for f in super().visible_fields() if not f.name.startswith("target_")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        targets: dict[str, float] = {}
        for i in range(self.target_count):
            year, value = data.get(f"target_year_{i}"), data.get(f"target_value_{i}")
            if year is None and value is None:
                continue
            if year is None:
                self.add_error(f"target_year_{i}", _("Give the year of this target value."))
            elif value is None:
                self.add_error(f"target_value_{i}", _("Give the target value for %(year)s.") % {"year": year})
            elif str(year) in targets:
                self.add_error(f"target_year_{i}", _("%(year)s has a target value already.") % {"year": year})
            else:
                targets[str(year)] = value
        data["targets"] = dict(sorted(targets.items()))
        return data

    def changes(self) -> dict[str, Any]:
        """Fields for ``monitoring.services.add_indicator`` and ``update_indicator``."""
        return {**{k: self.cleaned_data[k] for k in self.Meta.fields}, "targets": self.cleaned_data["targets"]}


class ObservationForm(forms.ModelForm):
    class Meta:
        model = Observation
        fields = ["value", "date", "source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ProgressUpdateForm(forms.ModelForm):
    evidence = forms.URLField(label=_("Evidence link"), required=False, max_length=500, assume_scheme="https",
                              help_text=_("A decision, a report or a photo that shows the progress."))

    class Meta:
        model = ProgressUpdate
        fields = ["action_key", "date", "status", "percent", "comment", "evidence"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, actions: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_key"] = forms.ChoiceField(label=_("Action"), choices=sorted(
            (actions or {}).items(), key=lambda kv: kv[1]))


class IssueReportForm(forms.Form):
    year = forms.IntegerField(label=_("Report year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    language = forms.ChoiceField(label=_("Language"), choices=[("da", _("Danish")), ("en", _("English"))])
